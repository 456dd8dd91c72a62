// Accounts: `GET /user` (with X-OAuth-Scopes via the pipeline), `GET /users/{u}`, `GET /orgs/{org}`,
// and `GET /rate_limit` (free: it never spends the primary budget).
import { GitHubError, notFound } from '../github-error.ts'
import { requireUser, viewer } from '../http/auth.ts'
import { bucketOf } from '../http/pipeline.ts'
import { ok, type Route } from '../http/types.ts'
import type { RateLimits } from '../limits.ts'
import { organizationFull, privateUser, publicUser } from '../shapes/accounts.ts'

export function userRoutes(limits: RateLimits): Route[] {
  return [
    {
      method: 'GET',
      path: '/user',
      operationId: 'users/get-authenticated',
      handle: (ctx) => ok(privateUser(ctx.state, ctx.urls, requireUser(ctx))),
    },
    {
      method: 'GET',
      path: '/users/{username}',
      operationId: 'users/get-by-username',
      handle: (ctx) => {
        const account = ctx.state.account(ctx.params.username!)
        if (!account) throw notFound()
        return ok(publicUser(ctx.state, ctx.urls, account))
      },
    },
    {
      method: 'GET',
      path: '/orgs/{org}',
      operationId: 'orgs/get',
      handle: (ctx) => {
        const org = ctx.state.org(ctx.params.org!)
        if (!org) throw notFound()
        return ok(organizationFull(ctx.state, ctx.urls, org, viewer(ctx)))
      },
    },
    {
      method: 'GET',
      path: '/rate_limit',
      operationId: 'rate-limit/get',
      handle: (ctx) => {
        if (ctx.actor?.kind === 'app') throw new GitHubError(403, 'Resource not accessible by integration')
        return ok(limits.overview(bucketOf(ctx.actor)))
      },
    },
  ]
}
