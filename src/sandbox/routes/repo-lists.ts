// Repository listings: an organization's repositories and the authenticated user's, filtered to
// what the caller may see, sorted and paginated like GitHub.
import { GitHubError, notFound, validationFailed } from '../github-error.ts'
import { authorizeRepo, requireUser, viewer } from '../http/auth.ts'
import { paginate } from '../http/paginate.ts'
import { type Ctx, ok, type Route } from '../http/types.ts'
import { explicitRole } from '../model/access.ts'
import type { Repo } from '../model/state.ts'
import { minimalRepository, repository } from '../shapes/repos.ts'

function visible(ctx: Ctx, repo: Repo): boolean {
  try {
    authorizeRepo(ctx, repo, 'pull', ['metadata', 'read'])
    return true
  } catch (e) {
    if (e instanceof GitHubError) return false
    throw e
  }
}

function sorted(ctx: Ctx, repos: Repo[], defaultSort: string): Repo[] {
  const sort = ctx.query.get('sort') ?? defaultSort
  const key: Record<string, (r: Repo) => number | string> = {
    created: (r) => r.createdAt,
    updated: (r) => r.updatedAt,
    pushed: (r) => r.pushedAt,
    full_name: (r) => `${ctx.state.ownerOf(r).login}/${r.name}`.toLowerCase(),
  }
  const by = key[sort]
  if (!by) throw validationFailed([{ resource: 'Search', code: 'invalid', field: 'sort' }])
  const direction = ctx.query.get('direction') ?? (sort === 'full_name' ? 'asc' : 'desc')
  const sign = direction === 'asc' ? 1 : -1
  return [...repos].sort((a, b) => {
    const [x, y] = [by(a), by(b)]
    return (x < y ? -1 : x > y ? 1 : a.id - b.id) * sign
  })
}

export const repoListRoutes: Route[] = [
  {
    method: 'GET',
    path: '/orgs/{org}/repos',
    operationId: 'repos/list-for-org',
    scopes: ['repo'],
    handle: (ctx) => {
      const org = ctx.state.org(ctx.params.org!)
      if (!org) throw notFound()
      const type = ctx.query.get('type') ?? 'all'
      const member = viewer(ctx)
      const repos = ctx.state
        .reposOf(org.id)
        .filter((r) => visible(ctx, r))
        .filter((r) => {
          if (type === 'public') return r.visibility === 'public'
          if (type === 'private') return r.visibility !== 'public'
          if (type === 'member') return member !== undefined && explicitRole(ctx.state, r, member) !== undefined
          return true
        })
      const page = paginate(ctx, sorted(ctx, repos, 'created'))
      return ok(
        page.items.map((r) => minimalRepository(ctx.state, ctx.urls, r, member)),
        page.headers,
      )
    },
  },
  {
    method: 'GET',
    path: '/user/repos',
    operationId: 'repos/list-for-authenticated-user',
    scopes: ['repo'],
    handle: (ctx) => {
      const user = requireUser(ctx)
      const type = ctx.query.get('type')
      if (type && (ctx.query.has('visibility') || ctx.query.has('affiliation'))) {
        throw validationFailed([{ resource: 'Repository', code: 'invalid', field: 'type' }])
      }
      const visibility = ctx.query.get('visibility') ?? (type === 'public' || type === 'private' ? type : 'all')
      const affiliation = (
        ctx.query.get('affiliation') ?? (type === 'owner' ? 'owner' : 'owner,collaborator,organization_member')
      ).split(',')
      const repos = [...ctx.state.repos.values()].filter((r) => {
        if (!visible(ctx, r)) return false
        if (visibility === 'public' && r.visibility !== 'public') return false
        if (visibility === 'private' && r.visibility === 'public') return false
        const owner = ctx.state.ownerOf(r)
        if (owner.id === user.id) return affiliation.includes('owner')
        if (r.collaborators.has(user.id) && affiliation.includes('collaborator')) return true
        return (
          owner.kind === 'Organization' && owner.members.has(user.id) && affiliation.includes('organization_member')
        )
      })
      const page = paginate(ctx, sorted(ctx, repos, 'full_name'))
      return ok(
        page.items.map((r) => repository(ctx.state, ctx.urls, r, user)),
        page.headers,
      )
    },
  },
]
