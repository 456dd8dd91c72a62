// Resolving `{owner}/{repo}` in a path: the repository, or a redirect when it was renamed
// (301 for GET, 307 for other methods, both to /repositories/{id}/…), or 404.
import { GitHubError, notFound } from '../github-error.ts'
import type { Repo, RepoRole } from '../model/state.ts'
import { authorizeRepo, type FineGrained } from './auth.ts'
import type { Ctx } from './types.ts'

function movedTo(ctx: Ctx, repo: Repo): GitHubError {
  const rest = ctx.path.split('/').slice(4).join('/')
  const query = ctx.query.toString()
  const location = `${ctx.urls.api}/repositories/${repo.id}${rest ? `/${rest}` : ''}${query ? `?${query}` : ''}`
  const status = ctx.method === 'GET' ? 301 : 307
  return new GitHubError(status, 'Moved Permanently', { url: location, headers: { location } })
}

/** The repository named by the path, checked for the role and fine-grained permission the route needs. */
export function findRepo(ctx: Ctx, need: RepoRole, permission: FineGrained): Repo {
  const owner = ctx.params.owner!
  const name = ctx.params.repo!
  const repo = ctx.state.repo(owner, name)
  if (repo) {
    authorizeRepo(ctx, repo, need, permission)
    return repo
  }
  const moved = ctx.state.redirect(owner, name)
  if (!moved) throw notFound()
  authorizeRepo(ctx, moved, 'pull', ['metadata', 'read'])
  throw movedTo(ctx, moved)
}
