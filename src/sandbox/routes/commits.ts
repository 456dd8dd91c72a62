// Commit history (`?sha=&path=&since=&until=`, paginated), one commit with its files and stats,
// and one branch.
import { commitDiff, history } from '../git/history.ts'
import { GitHubError, notFound } from '../github-error.ts'
import { paginate } from '../http/paginate.ts'
import { ok, type Route } from '../http/types.ts'
import { repoPaths, restCommit } from '../shapes/git.ts'
import { gitRepo } from './git-access.ts'

export const commitRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    operationId: 'repos/list-commits',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const start = repo.git.resolve(ctx.query.get('sha') ?? repo.defaultBranch)
      if (!start) throw notFound()
      const shas = history(repo.git, start, {
        path: ctx.query.get('path')?.replace(/^\/+|\/+$/g, '') || undefined,
        since: ctx.query.get('since') ?? undefined,
        until: ctx.query.get('until') ?? undefined,
      })
      const page = paginate(ctx, shas)
      const p = repoPaths(ctx.state, ctx.urls, repo)
      return ok(
        page.items.map((sha) => restCommit(ctx.state, ctx.urls, p, sha, repo.git.commit(sha)!)),
        page.headers,
      )
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref+}',
    operationId: 'repos/get-commit',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const sha = repo.git.resolve(ctx.params.ref!)
      if (!sha) throw new GitHubError(422, `No commit found for SHA: ${ctx.params.ref}`)
      const commit = repo.git.commit(sha)!
      const p = repoPaths(ctx.state, ctx.urls, repo)
      return ok(restCommit(ctx.state, ctx.urls, p, sha, commit, commitDiff(repo.git, commit)))
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch+}',
    operationId: 'repos/get-branch',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read')
      const name = ctx.params.branch!
      const sha = repo.git.refs.get(`refs/heads/${name}`)
      if (!sha) throw new GitHubError(404, 'Branch not found')
      const p = repoPaths(ctx.state, ctx.urls, repo)
      return ok({
        name,
        commit: restCommit(ctx.state, ctx.urls, p, sha, repo.git.commit(sha)!),
        _links: { self: `${p.api}/branches/${name}`, html: `${p.web}/tree/${name}` },
        protected: false,
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
        },
        protection_url: `${p.api}/branches/${name}/protection`,
      })
    },
  },
]
