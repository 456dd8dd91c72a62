// Packages of an organization, a user, or the authenticated user: listings (package_type
// required), one package, and its versions. Classic or OAuth tokens with read:packages only, as on
// GitHub; installation tokens get 400 "Invalid argument." on listings.
import { GitHubError, notFound } from '../github-error.ts'
import { requirePermission, requireScopes, requireUser, viewer } from '../http/auth.ts'
import { paginate } from '../http/paginate.ts'
import { type Ctx, ok, type Route } from '../http/types.ts'
import { type Account, PACKAGE_TYPES, type Package, type PackageType, type User } from '../model/state.ts'
import { packageJSON, packageVersionJSON } from '../shapes/packages.ts'

type Scope = { prefix: string; kind: 'org' | 'user' | 'self'; ops: { list: string; get: string; versions: string } }

const ops = (who: string, owner: string) => ({
  list: `packages/list-packages-for-${who}`,
  get: `packages/get-package-for-${who}`,
  versions: `packages/get-all-package-versions-for-package-owned-by-${owner}`,
})

const SCOPES: Scope[] = [
  { prefix: '/orgs/{org}', kind: 'org', ops: ops('organization', 'org') },
  { prefix: '/users/{username}', kind: 'user', ops: ops('user', 'user') },
  { prefix: '/user', kind: 'self', ops: ops('authenticated-user', 'authenticated-user') },
]

function ownerOf(ctx: Ctx, scope: Scope): Account {
  const owner =
    scope.kind === 'self'
      ? requireUser(ctx)
      : scope.kind === 'org'
        ? ctx.state.org(ctx.params.org!)
        : ctx.state.account(ctx.params.username!)
  if (!owner) throw notFound()
  return owner
}

/** Packages need a classic PAT or OAuth token with read:packages (installations: the packages permission). */
function authorize(ctx: Ctx, what: string, listing: boolean): void {
  const actor = ctx.actor
  if (!actor) throw new GitHubError(401, 'Requires authentication')
  if (actor.kind === 'app') throw new GitHubError(403, 'Resource not accessible by integration')
  if (actor.kind === 'installation') {
    if (listing) throw new GitHubError(400, 'Invalid argument.')
    requirePermission(ctx, actor.token, ['packages', 'read'])
    return
  }
  if (actor.token.kind === 'fine-grained')
    throw new GitHubError(403, 'Resource not accessible by personal access token')
  requireScopes(ctx, ['read:packages'], `You need at least read:packages scope to ${what}.`)
}

function canSee(ctx: Ctx, pkg: Package, user: User | undefined): boolean {
  if (pkg.visibility === 'public') return true
  const owner = ctx.state.accounts.get(pkg.ownerId)!
  if (ctx.actor?.kind === 'installation') return ctx.actor.installation.accountId === owner.id
  if (!user) return false
  return owner.id === user.id || (owner.kind === 'Organization' && owner.members.has(user.id))
}

function packageType(value: string | null | undefined): PackageType {
  if (value && (PACKAGE_TYPES as readonly string[]).includes(value)) return value as PackageType
  throw new GitHubError(400, `Invalid argument. package_type must be one of: ${PACKAGE_TYPES.join(', ')}.`)
}

function findPackage(ctx: Ctx, scope: Scope): Package {
  const owner = ownerOf(ctx, scope)
  const type = packageType(ctx.params.package_type)
  const pkg = [...ctx.state.packages.values()].find(
    (p) => p.ownerId === owner.id && p.type === type && p.name === ctx.params.package_name,
  )
  if (!pkg || !canSee(ctx, pkg, viewer(ctx))) throw notFound()
  return pkg
}

function routesFor(scope: Scope): Route[] {
  const base = `${scope.prefix}/packages`
  return [
    {
      method: 'GET',
      path: base,
      operationId: scope.ops.list,
      scopes: ['read:packages'],
      handle: (ctx) => {
        authorize(ctx, 'list packages', true)
        const owner = ownerOf(ctx, scope)
        const type = packageType(ctx.query.get('package_type'))
        const visibility = ctx.query.get('visibility')
        const user = viewer(ctx)
        const list = [...ctx.state.packages.values()].filter(
          (p) =>
            p.ownerId === owner.id &&
            p.type === type &&
            (!visibility || p.visibility === visibility) &&
            canSee(ctx, p, user),
        )
        const page = paginate(ctx, list)
        return ok(
          page.items.map((p) => packageJSON(ctx.state, ctx.urls, p)),
          page.headers,
        )
      },
    },
    {
      method: 'GET',
      path: `${base}/{package_type}/{package_name}`,
      operationId: scope.ops.get,
      scopes: ['read:packages'],
      handle: (ctx) => {
        authorize(ctx, 'get a package', false)
        return ok(packageJSON(ctx.state, ctx.urls, findPackage(ctx, scope)))
      },
    },
    {
      method: 'GET',
      path: `${base}/{package_type}/{package_name}/versions`,
      operationId: scope.ops.versions,
      scopes: ['read:packages'],
      handle: (ctx) => {
        authorize(ctx, "get a package's versions", false)
        const pkg = findPackage(ctx, scope)
        const state = ctx.query.get('state') ?? 'active'
        const versions =
          state === 'deleted' ? [] : [...pkg.versions.values()].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
        const page = paginate(ctx, versions)
        return ok(
          page.items.map((v) => packageVersionJSON(ctx.state, ctx.urls, pkg, v)),
          page.headers,
        )
      },
    },
  ]
}

export const packageRoutes: Route[] = SCOPES.flatMap(routesFor)
