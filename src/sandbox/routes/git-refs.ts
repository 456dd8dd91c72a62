// Git references: get one, list by prefix, create, move (fast-forward unless forced), delete.
import { GitHubError, gitRepositoryEmpty, notFound } from '../github-error.ts'
import { readBody } from '../http/body.ts'
import { type Ctx, created, noContent, ok, type Route } from '../http/types.ts'
import type { Repo } from '../model/state.ts'
import { gitRef, repoPaths } from '../shapes/git.ts'
import { gitRepo, touchPushed } from './git-access.ts'
import { CreateRefBody, UpdateRefBody } from './git-bodies.ts'

const unprocessable = (message: string) => new GitHubError(422, message)

/** `heads/main` in a path is `refs/heads/main`. */
const qualified = (ctx: Ctx) => `refs/${ctx.params.ref!}`

function existingRef(repo: Repo, ref: string): string {
  const sha = repo.git.refs.get(ref)
  if (!sha) throw unprocessable('Reference does not exist')
  return sha
}

export const refRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref+}',
    operationId: 'git/get-ref',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const ref = qualified(ctx)
      const sha = repo.git.refs.get(ref)
      if (!sha) throw notFound()
      return ok(gitRef(repoPaths(ctx.state, ctx.urls, repo), ref, sha))
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref+}',
    operationId: 'git/list-matching-refs',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const prefix = qualified(ctx)
      const p = repoPaths(ctx.state, ctx.urls, repo)
      const refs = [...repo.git.refs].filter(([name]) => name.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1))
      return ok(refs.map(([name, sha]) => gitRef(p, name, sha)))
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    operationId: 'git/create-ref',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write', true)
      const body = readBody(ctx, CreateRefBody, 'Reference')
      if (!/^refs\/[^/]+\/.+/.test(body.ref) || /\.\.|[\s~^:?*[\\]|\/$|\.lock$/.test(body.ref)) {
        throw unprocessable('Reference name must start with refs/ and have at least two slashes.')
      }
      if (repo.git.isEmpty) throw gitRepositoryEmpty()
      if (repo.git.refs.has(body.ref)) throw unprocessable('Reference already exists')
      const sha = body.sha.toLowerCase()
      if (!repo.git.commit(sha)) throw unprocessable('Object does not exist')
      repo.git.refs.set(body.ref, sha)
      touchPushed(ctx, repo)
      const p = repoPaths(ctx.state, ctx.urls, repo)
      return created(gitRef(p, body.ref, sha), { location: `${p.api}/git/${body.ref}` })
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref+}',
    operationId: 'git/update-ref',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const body = readBody(ctx, UpdateRefBody, 'Reference')
      const ref = qualified(ctx)
      const current = existingRef(repo, ref)
      const sha = body.sha.toLowerCase()
      if (!repo.git.commit(sha)) throw unprocessable('Object does not exist')
      if (!body.force && !repo.git.isAncestor(current, sha)) throw unprocessable('Update is not a fast forward')
      repo.git.refs.set(ref, sha)
      touchPushed(ctx, repo)
      return ok(gitRef(repoPaths(ctx.state, ctx.urls, repo), ref, sha))
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/git/refs/{ref+}',
    operationId: 'git/delete-ref',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'write')
      const ref = qualified(ctx)
      existingRef(repo, ref)
      if (ref === `refs/heads/${repo.defaultBranch}`) throw unprocessable('Cannot delete the default branch')
      repo.git.refs.delete(ref)
      touchPushed(ctx, repo)
      return noContent()
    },
  },
]
