// Commits through the Git Data API (no clone): trees with inline text, base64 blobs for bytes, one
// commit, then the branch moved by fast-forward. Replays are found by the idempotency trailer.
// Better than the upstream: a missing branch starts from the default branch head, not an orphan.

import type { CommitInput, CommitOps, CommitResult, RepoRef } from '../backend.ts'
import { isBackendError } from '../errors.ts'
import { type CommitEntry, hasTrailer, normalizeCommitFiles, withTrailer } from './commit-files.ts'
import { refPath, type SessionContext } from './context.ts'
import { changedMeanwhile, invalidInput } from './errors.ts'

/** How far back a replay is looked for on the branch. */
const REPLAY_WINDOW = 50

interface GitCommitJSON {
  sha: string
  html_url?: string
  message: string
  tree: { sha: string }
}

type Attempt = { kind: 'nothing'; sha: string } | { kind: 'commit'; sha: string; url?: string; files: string[] }

export function commitOps(ctx: SessionContext): CommitOps {
  const { transport: t } = ctx

  async function commitFiles(repo: RepoRef, input: CommitInput): Promise<CommitResult> {
    const files = normalizeCommitFiles(input.files)
    const message = withTrailer(input.message, input.idempotencyKey)
    const where = `${repo.owner}/${repo.name}`
    const p = { owner: repo.owner, repo: repo.name }
    const workflows = files.some((f) => f.path.startsWith('.github/workflows/'))
    const writeErrors = workflows
      ? {
          scope: 'workflow',
          notFound: {
            code: 'missing-scope' as const,
            reason: 'workflow',
            missingScope: 'workflow',
            message: 'writing under .github/workflows/ needs the "workflow" scope',
          },
        }
      : undefined
    const call = (what: string, errors?: typeof writeErrors) => ctx.foreground(`${what} in ${where}`, errors)

    const info = await t.request<{ default_branch?: string; html_url: string }>(
      'GET /repos/{owner}/{repo}',
      p,
      call('read repository'),
    )
    const defaultBranch = info.data.default_branch || 'main'
    const branch = input.branch?.trim() || defaultBranch
    const urlOf = (sha: string, url?: string) => url ?? `${info.data.html_url}/commit/${sha}`

    const headOf = async (name: string): Promise<string | undefined> => {
      try {
        const res = await t.request<{ object: { sha: string } }>(
          'GET /repos/{owner}/{repo}/git/ref/{+ref}',
          { ...p, ref: `heads/${refPath(name)}` },
          call(`read branch ${name}`),
        )
        return res.data.object.sha
      } catch (e) {
        // 404: no such branch; 409: the repository has no commits at all.
        if (isBackendError(e) && (e.code === 'not-found' || e.reason === 'empty-repository')) return undefined
        throw e
      }
    }

    const readCommit = async (sha: string) =>
      (
        await t.request<GitCommitJSON>(
          'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
          { ...p, commit_sha: sha },
          call(`read commit ${sha}`),
        )
      ).data

    const findReplay = async (name: string) => {
      const recent = await t.paginate<{ sha: string; html_url?: string; commit: { message: string } }>(
        'GET /repos/{owner}/{repo}/commits',
        { ...p, sha: name, per_page: REPLAY_WINDOW },
        call(`read recent commits of ${name}`),
        { max: REPLAY_WINDOW },
      )
      return recent.find((c) => hasTrailer(c.commit.message, input.idempotencyKey))
    }

    /** Deleting what the base tree does not have is dropped (a truncated tree keeps them all). */
    const present = async (treeSha: string, entries: CommitEntry[]): Promise<CommitEntry[]> => {
      if (!entries.some((e) => e.delete)) return entries
      const res = await t.request<{ tree: { path: string; type: string }[]; truncated?: boolean }>(
        'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
        { ...p, tree_sha: treeSha, recursive: '1' },
        call('read the base tree'),
      )
      if (res.data.truncated) return entries
      const paths = new Set(res.data.tree.filter((e) => e.type === 'blob').map((e) => e.path))
      return entries.filter((e) => !e.delete || paths.has(e.path))
    }

    const treeEntry = async (e: CommitEntry) => {
      if (e.delete) return { path: e.path, mode: '100644', type: 'blob', sha: null }
      if (typeof e.content === 'string') return { path: e.path, mode: '100644', type: 'blob', content: e.content }
      const blob = await t.request<{ sha: string }>(
        'POST /repos/{owner}/{repo}/git/blobs',
        { ...p, content: Buffer.from(e.content!).toString('base64'), encoding: 'base64' },
        call(`store ${e.path}`),
      )
      return { path: e.path, mode: '100644', type: 'blob', sha: blob.data.sha }
    }

    const build = async (parent: string): Promise<Attempt> => {
      const baseTree = (await readCommit(parent)).tree.sha
      const entries = await present(baseTree, files)
      if (entries.length === 0) return { kind: 'nothing', sha: parent }
      const tree = []
      for (const entry of entries) tree.push(await treeEntry(entry))
      const made = await t.request<{ sha: string }>(
        'POST /repos/{owner}/{repo}/git/trees',
        { ...p, tree, base_tree: baseTree },
        call('write the tree', writeErrors),
      )
      if (made.data.sha === baseTree) return { kind: 'nothing', sha: parent }
      const commit = await t.request<GitCommitJSON>(
        'POST /repos/{owner}/{repo}/git/commits',
        { ...p, message, tree: made.data.sha, parents: [parent] },
        call('write the commit', writeErrors),
      )
      return { kind: 'commit', sha: commit.data.sha, url: commit.data.html_url, files: entries.map((e) => e.path) }
    }

    // An empty repository: the Git Data API answers 409 until there is a first commit, which only
    // the Contents API can make. The first file goes that way (same message, same trailer).
    const seed = async () => {
      const first = files.find((f) => !f.delete)
      if (!first) {
        throw invalidInput(
          `commit to ${where}`,
          'the repository is empty and every file is a deletion',
          'nothing-to-commit',
        )
      }
      const made = await t.request<{ commit: { sha: string; html_url?: string } }>(
        'PUT /repos/{owner}/{repo}/contents/{+path}',
        { ...p, path: refPath(first.path), message, branch, content: Buffer.from(first.content!).toString('base64') },
        call(`write ${first.path} into the empty repository`, writeErrors),
      )
      return { sha: made.data.commit.sha, url: made.data.commit.html_url, path: first.path }
    }

    const moveBranch = async (sha: string, exists: boolean) => {
      if (exists) {
        await t.request(
          'PATCH /repos/{owner}/{repo}/git/refs/{+ref}',
          { ...p, ref: `heads/${refPath(branch)}`, sha, force: false },
          call(`move branch ${branch}`, writeErrors),
        )
      } else {
        await t.request(
          'POST /repos/{owner}/{repo}/git/refs',
          { ...p, ref: `refs/heads/${branch}`, sha },
          call(`create branch ${branch}`, writeErrors),
        )
      }
    }

    const done = (sha: string, created: boolean, written: string[], url?: string): CommitResult => ({
      commitSHA: sha,
      commitURL: urlOf(sha, url),
      branch,
      files: written,
      created,
    })

    let head = await headOf(branch)
    if (head) {
      const replay = await findReplay(branch)
      if (replay) return done(replay.sha, false, [], replay.html_url)
    }
    // A new branch starts at the default branch head (the upstream made an orphan root commit).
    const baseFor = async (branchHead: string | undefined) =>
      branchHead ?? (branch === defaultBranch ? undefined : await headOf(defaultBranch))
    let base = await baseFor(head)
    let seeded: string[] = []
    if (!base) {
      const first = await seed()
      if (files.filter((f) => !f.delete).length === 1) return done(first.sha, true, [first.path], first.url)
      base = head = first.sha
      seeded = [first.path]
    }
    let attempt = await build(base)
    for (let tries = 0; ; tries++) {
      const target = attempt.sha
      const written = attempt.kind === 'commit' ? [...new Set([...seeded, ...attempt.files])].sort() : seeded
      const url = attempt.kind === 'commit' ? attempt.url : undefined
      try {
        if (attempt.kind === 'commit' || !head) await moveBranch(target, head !== undefined)
        return done(target, written.length > 0 && (attempt.kind === 'commit' || seeded.length > 0), written, url)
      } catch (e) {
        const raced = isBackendError(e) && (e.reason === 'not-fast-forward' || e.reason === 'ref-exists')
        if (!raced || tries > 0) throw e
      }
      // Someone moved the branch meanwhile: ours already, or rebuild once on the new head.
      head = await headOf(branch)
      if (head === target && attempt.kind === 'commit') return done(target, true, written, url)
      if (head && hasTrailer((await readCommit(head)).message, input.idempotencyKey)) return done(head, false, [])
      const next = await baseFor(head)
      if (!next) throw changedMeanwhile(`commit to ${where}`, `branch ${branch} vanished while committing`)
      attempt = await build(next)
    }
  }

  return { commitFiles }
}
