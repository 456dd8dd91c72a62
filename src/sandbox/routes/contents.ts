// The contents API: read a file or directory, create or update a file (the way to put the first
// commit into an empty repository, where the git data API answers 409), delete a file.
import { writeCommit } from '../git/commit-files.ts'
import type { FileMode, Sha } from '../git/objects.ts'
import { entryAt, flattenTree } from '../git/trees.ts'
import { GitHubError, notFound } from '../github-error.ts'
import { readBody } from '../http/body.ts'
import { type Ctx, created, ok, type Route } from '../http/types.ts'
import type { Repo } from '../model/state.ts'
import { gitCommit, repoPaths } from '../shapes/git.ts'
import { gitRepo, requireWorkflowAccess, signatureFrom, touchPushed } from './git-access.ts'
import { DeleteFileBody, FileBody } from './git-bodies.ts'

const KIND: Record<FileMode, string> = {
  '100644': 'file',
  '100755': 'file',
  '120000': 'symlink',
  '160000': 'submodule',
  '040000': 'dir',
}

function entryJSON(ctx: Ctx, repo: Repo, ref: string, path: string, mode: FileMode, sha: Sha) {
  const p = repoPaths(ctx.state, ctx.urls, repo)
  const type = KIND[mode]
  const self = `${p.api}/contents/${path}?ref=${encodeURIComponent(ref)}`
  const git = `${p.api}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`
  const html = `${p.web}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${path}`
  return {
    type,
    size: type === 'file' || type === 'symlink' ? repo.git.blob(sha)!.data.byteLength : 0,
    name: path.split('/').at(-1)!,
    path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${p.web}/raw/${ref}/${path}` : null,
    _links: { self, git, html },
  }
}

const fileCommit = (ctx: Ctx, repo: Repo, sha: Sha) =>
  gitCommit(repoPaths(ctx.state, ctx.urls, repo), sha, repo.git.commit(sha)!)

const branchOf = (repo: Repo, branch: string | undefined) => branch ?? repo.defaultBranch

export const contentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    operationId: 'repos/get-content',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read', true)
      if (repo.git.isEmpty) throw new GitHubError(404, 'This repository is empty.')
      const ref = ctx.query.get('ref') ?? repo.defaultBranch
      const commit = repo.git.resolve(ref)
      if (!commit) throw new GitHubError(404, `No commit found for the ref ${ref}`)
      const path = ctx.params.path!.replace(/^\/+|\/+$/g, '')
      const entry = entryAt(repo.git, repo.git.commit(commit)!.tree, path)
      if (!entry) throw notFound()
      if (entry.mode === '040000') {
        const children = flattenTree(repo.git, entry.sha, false)
        return ok(children.map((c) => entryJSON(ctx, repo, ref, `${path}/${c.path}`, c.mode, c.sha)))
      }
      const data = repo.git.blob(entry.sha)?.data ?? new Uint8Array()
      return ok({
        ...entryJSON(ctx, repo, ref, path, entry.mode, entry.sha),
        ...(entry.mode === '120000' ? { target: new TextDecoder().decode(data) } : {}),
        content: Buffer.from(data).toString('base64'),
        encoding: 'base64',
      })
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    operationId: 'repos/create-or-update-file-contents',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write', true)
      const body = readBody(ctx, FileBody, 'Content')
      const path = ctx.params.path!.replace(/^\/+|\/+$/g, '')
      requireWorkflowAccess(ctx, [path])
      const branch = branchOf(repo, body.branch)
      const head = repo.git.refs.get(`refs/heads/${branch}`)
      if (!head && !repo.git.isEmpty) throw new GitHubError(404, `Branch ${branch} not found`)
      const existing = head ? entryAt(repo.git, repo.git.commit(head)!.tree, path) : undefined
      if (existing?.mode === '040000') throw new GitHubError(422, `${path} is a directory`)
      if (existing && !body.sha) throw new GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
      if (body.sha && existing?.sha !== body.sha) throw new GitHubError(409, `${path} does not match ${body.sha}`)
      const committer = signatureFrom(ctx, body.committer)
      const sha = writeCommit(repo.git, {
        ...(head ? { parent: head } : {}),
        files: [{ path, content: new Uint8Array(Buffer.from(body.content, 'base64')), mode: existing?.mode }],
        message: body.message,
        author: signatureFrom(ctx, body.author, committer),
        committer,
      })
      if (repo.git.isEmpty) repo.defaultBranch = branch
      repo.git.refs.set(`refs/heads/${branch}`, sha)
      touchPushed(ctx, repo)
      const blob = entryAt(repo.git, repo.git.commit(sha)!.tree, path)!
      const result = {
        content: entryJSON(ctx, repo, branch, path, blob.mode, blob.sha),
        commit: fileCommit(ctx, repo, sha),
      }
      return existing ? ok(result) : created(result)
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    operationId: 'repos/delete-file',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const body = readBody(ctx, DeleteFileBody, 'Content')
      const path = ctx.params.path!.replace(/^\/+|\/+$/g, '')
      requireWorkflowAccess(ctx, [path])
      const branch = branchOf(repo, body.branch)
      const head = repo.git.refs.get(`refs/heads/${branch}`)
      if (!head) throw new GitHubError(404, `Branch ${branch} not found`)
      const existing = entryAt(repo.git, repo.git.commit(head)!.tree, path)
      if (!existing) throw notFound()
      if (existing.sha !== body.sha) throw new GitHubError(409, `${path} does not match ${body.sha}`)
      const committer = signatureFrom(ctx, body.committer)
      const sha = writeCommit(repo.git, {
        parent: head,
        files: [{ path, delete: true }],
        message: body.message,
        author: signatureFrom(ctx, body.author, committer),
        committer,
      })
      repo.git.refs.set(`refs/heads/${branch}`, sha)
      touchPushed(ctx, repo)
      return ok({ content: null, commit: fileCommit(ctx, repo, sha) })
    },
  },
]
