// Git data as the API shows it: refs, git commits, trees, blobs, and REST commits (with the
// GitHub users behind author and committer emails, and per-file diffs).
import type { FileDiff } from '../git/history.ts'
import { type Commit, type Sha, type Signature, signatureISO } from '../git/objects.ts'
import type { FlatEntry } from '../git/trees.ts'
import type { Urls } from '../http/types.ts'
import type { Repo, SandboxState } from '../model/state.ts'
import { simpleUser } from './accounts.ts'
import { nodeId } from './node-id.ts'

export function repoPaths(state: SandboxState, urls: Urls, repo: Repo) {
  const full = `${state.ownerOf(repo).login}/${repo.name}`
  return { api: `${urls.api}/repos/${full}`, web: `${urls.web}/${full}` }
}

type Paths = ReturnType<typeof repoPaths>

const person = (s: Signature) => ({ name: s.name, email: s.email, date: signatureISO(s) })

const unsigned = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }

export function gitRef(p: Paths, ref: string, sha: Sha) {
  return {
    ref,
    node_id: nodeId('Ref', `${p.api}:${ref}`),
    url: `${p.api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${p.api}/git/commits/${sha}` },
  }
}

const parentsOf = (p: Paths, c: Commit) =>
  c.parents.map((sha) => ({ sha, url: `${p.api}/commits/${sha}`, html_url: `${p.web}/commit/${sha}` }))

export function gitCommit(p: Paths, sha: Sha, c: Commit) {
  return {
    sha,
    node_id: nodeId('Commit', sha),
    url: `${p.api}/git/commits/${sha}`,
    html_url: `${p.web}/commit/${sha}`,
    author: person(c.author),
    committer: person(c.committer),
    tree: { sha: c.tree, url: `${p.api}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((s) => ({ sha: s, url: `${p.api}/git/commits/${s}`, html_url: `${p.web}/commit/${s}` })),
    verification: unsigned,
  }
}

export function gitTree(p: Paths, sha: Sha, entries: FlatEntry[]) {
  return {
    sha,
    url: `${p.api}/git/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size === undefined ? {} : { size: e.size }),
      ...(e.type === 'commit' ? {} : { url: `${p.api}/git/${e.type}s/${e.sha}` }),
    })),
    truncated: false,
  }
}

/** GitHub wraps base64 content at 60 characters. */
const wrap = (b64: string) => (b64.match(/.{1,60}/g) ?? []).join('\n') + (b64 ? '\n' : '')

export function blobJSON(p: Paths, sha: Sha, data: Uint8Array) {
  return {
    sha,
    node_id: nodeId('Blob', sha),
    size: data.byteLength,
    url: `${p.api}/git/blobs/${sha}`,
    content: wrap(Buffer.from(data).toString('base64')),
    encoding: 'base64',
  }
}

/** The GitHub account an author/committer email belongs to (primary or noreply address), if any. */
function accountOf(state: SandboxState, urls: Urls, email: string) {
  const noreply = /^(\d+)\+[^@]+@users\.noreply\.github\.com$/.exec(email)
  const user = noreply
    ? state.userById(Number(noreply[1]))
    : [...state.accounts.values()].find((a) => a.kind === 'User' && a.email?.toLowerCase() === email.toLowerCase())
  return user ? simpleUser(urls, user) : null
}

export function restCommit(state: SandboxState, urls: Urls, p: Paths, sha: Sha, c: Commit, diff?: FileDiff[]) {
  const additions = diff?.reduce((n, f) => n + f.additions, 0) ?? 0
  const deletions = diff?.reduce((n, f) => n + f.deletions, 0) ?? 0
  return {
    url: `${p.api}/commits/${sha}`,
    sha,
    node_id: nodeId('Commit', sha),
    html_url: `${p.web}/commit/${sha}`,
    comments_url: `${p.api}/commits/${sha}/comments`,
    commit: {
      url: `${p.api}/git/commits/${sha}`,
      author: person(c.author),
      committer: person(c.committer),
      message: c.message,
      tree: { sha: c.tree, url: `${p.api}/git/trees/${c.tree}` },
      comment_count: 0,
      verification: unsigned,
    },
    author: accountOf(state, urls, c.author.email),
    committer: accountOf(state, urls, c.committer.email),
    parents: parentsOf(p, c),
    ...(diff
      ? {
          stats: { total: additions + deletions, additions, deletions },
          files: diff.map((f) => ({
            sha: f.sha,
            filename: f.filename,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
            changes: f.additions + f.deletions,
            blob_url: `${p.web}/blob/${sha}/${f.filename}`,
            raw_url: `${p.web}/raw/${sha}/${f.filename}`,
            contents_url: `${p.api}/contents/${f.filename}?ref=${sha}`,
            ...(f.patch === undefined ? {} : { patch: f.patch }),
          })),
        }
      : {}),
  }
}
