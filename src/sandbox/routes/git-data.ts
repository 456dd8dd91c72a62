// Git data: refs, commits, trees and blobs with git's object semantics (content-addressed SHAs,
// fast-forward checks, base_tree edits with deletions, recursive trees).
import { entryType } from '../git/objects.ts'
import { editTree, flattenTree, TreeError } from '../git/trees.ts'
import { GitHubError, notFound, validationFailed } from '../github-error.ts'
import { readBody } from '../http/body.ts'
import { created, ok, type Route } from '../http/types.ts'
import type { Repo } from '../model/state.ts'
import { blobJSON, gitCommit, gitTree, repoPaths } from '../shapes/git.ts'
import { gitRepo, requireWorkflowAccess, signatureFrom } from './git-access.ts'
import { CreateBlobBody, CreateCommitBody, CreateTreeBody } from './git-bodies.ts'
import { refRoutes } from './git-refs.ts'

const unprocessable = (message: string) => new GitHubError(422, message)

function treeOf(repo: Repo, ref: string): string | undefined {
  if (repo.git.tree(ref)) return ref.toLowerCase()
  const sha = repo.git.resolve(ref)
  return sha ? repo.git.commit(sha)?.tree : undefined
}

export const gitDataRoutes: Route[] = [
  ...refRoutes,
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/blobs',
    operationId: 'git/create-blob',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const body = readBody(ctx, CreateBlobBody, 'Blob')
      const base64 = body.encoding === 'base64'
      if (base64 && !/^[A-Za-z0-9+/=\s]*$/.test(body.content)) {
        throw validationFailed([
          { resource: 'Blob', code: 'invalid', field: 'content', message: 'content is not valid Base64' },
        ])
      }
      const data = base64 ? Buffer.from(body.content, 'base64') : Buffer.from(body.content, 'utf8')
      const sha = repo.git.put({ type: 'blob', data: new Uint8Array(data) })
      const url = `${repoPaths(ctx.state, ctx.urls, repo).api}/git/blobs/${sha}`
      return created({ url, sha }, { location: url })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    operationId: 'git/get-blob',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const blob = repo.git.blob(ctx.params.file_sha!)
      if (!blob) throw notFound()
      return ok(blobJSON(repoPaths(ctx.state, ctx.urls, repo), ctx.params.file_sha!.toLowerCase(), blob.data))
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/trees',
    operationId: 'git/create-tree',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const body = readBody(ctx, CreateTreeBody, 'Tree')
      requireWorkflowAccess(
        ctx,
        body.tree.map((e) => e.path),
      )
      const base = body.base_tree ? treeOf(repo, body.base_tree) : undefined
      if (body.base_tree && !base) throw unprocessable('Invalid tree info: base_tree does not exist')
      try {
        const changes = body.tree.map((e) => {
          if (entryType(e.mode) !== e.type)
            throw new TreeError(`tree.mode ${e.mode} does not match tree.type ${e.type}`)
          if (e.content !== undefined && e.sha !== undefined)
            throw new TreeError('tree entries take either sha or content')
          if (e.content !== undefined) {
            const sha = repo.git.put({ type: 'blob', data: new TextEncoder().encode(e.content) })
            return { path: e.path, mode: e.mode, sha }
          }
          if (e.sha === undefined) throw new TreeError(`tree.sha is required for ${e.path}`)
          return { path: e.path, mode: e.mode, sha: e.sha === null ? null : e.sha.toLowerCase() }
        })
        const sha = editTree(repo.git, base, changes)
        return created(gitTree(repoPaths(ctx.state, ctx.urls, repo), sha, flattenTree(repo.git, sha, false)))
      } catch (e) {
        if (e instanceof TreeError) throw unprocessable(`Invalid tree info: ${e.message}`)
        throw e
      }
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    operationId: 'git/get-tree',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const sha = treeOf(repo, ctx.params.tree_sha!)
      if (!sha) throw notFound()
      // GitHub recurses whenever the parameter is present, whatever its value.
      const recursive = ctx.query.has('recursive')
      return ok(gitTree(repoPaths(ctx.state, ctx.urls, repo), sha, flattenTree(repo.git, sha, recursive)))
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    operationId: 'git/create-commit',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const body = readBody(ctx, CreateCommitBody, 'Commit')
      const tree = body.tree.toLowerCase()
      if (!repo.git.tree(tree)) throw unprocessable('Tree SHA does not exist')
      const parents = (body.parents ?? []).map((p) => p.toLowerCase())
      if (parents.some((p) => !repo.git.commit(p))) {
        throw unprocessable('Parent SHA does not exist or is not a commit object')
      }
      const author = signatureFrom(ctx, body.author)
      const committer = signatureFrom(ctx, body.committer, author)
      const commit = { type: 'commit' as const, tree, parents, author, committer, message: body.message }
      const sha = repo.git.put(commit)
      const p = repoPaths(ctx.state, ctx.urls, repo)
      return created(gitCommit(p, sha, commit), { location: `${p.api}/git/commits/${sha}` })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    operationId: 'git/get-commit',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const sha = ctx.params.commit_sha!.toLowerCase()
      const commit = repo.git.commit(sha)
      if (!commit) throw notFound()
      return ok(gitCommit(repoPaths(ctx.state, ctx.urls, repo), sha, commit))
    },
  },
]
