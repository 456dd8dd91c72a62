// GitHub Apps: an app authenticates with its JWT and mints installation tokens (`ghs_…`, one hour),
// optionally narrowed to some repositories and permissions.
import { isoSeconds } from '../clock.ts'
import { GitHubError, notFound, validationFailed } from '../github-error.ts'
import { type Ctx, created, type Route } from '../http/types.ts'
import type { FineGrainedPermissions, GitHubApp, TokenRecord } from '../model/state.ts'
import { repository } from '../shapes/repos.ts'
import { mintToken } from '../tokens.ts'

const TOKEN_TTL_MS = 3600_000

function requireApp(ctx: Ctx): GitHubApp {
  if (ctx.actor?.kind !== 'app') {
    throw new GitHubError(401, 'A JSON web token could not be decoded', {
      documentationURL: 'https://docs.github.com/rest',
    })
  }
  return ctx.actor.app
}

function narrow(granted: FineGrainedPermissions, requested: unknown): FineGrainedPermissions {
  if (requested === undefined) return granted
  const out: FineGrainedPermissions = {}
  for (const [name, level] of Object.entries(requested as Record<string, unknown>)) {
    const have = granted[name]
    if ((level !== 'read' && level !== 'write') || !have || (level === 'write' && have !== 'write')) {
      throw validationFailed(
        [{ resource: 'Installation', code: 'invalid', field: 'permissions', message: `${name}=${String(level)}` }],
        'The permissions requested are not granted to this installation.',
      )
    }
    out[name] = level
  }
  return out
}

export const appRoutes: Route[] = [
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    operationId: 'apps/create-installation-access-token',
    handle: (ctx) => {
      const app = requireApp(ctx)
      const installation = ctx.state.installations.get(Number(ctx.params.installation_id))
      if (!installation || installation.appId !== app.id) throw notFound()
      const body = (ctx.body ?? {}) as { repositories?: unknown; repository_ids?: unknown; permissions?: unknown }
      const reachable = ctx.state
        .reposOf(installation.accountId)
        .filter((r) => installation.repositoryIds === undefined || installation.repositoryIds.includes(r.id))
      const names = Array.isArray(body.repositories) ? body.repositories.map(String) : undefined
      const ids = Array.isArray(body.repository_ids) ? body.repository_ids.map(Number) : undefined
      const selected =
        names || ids ? reachable.filter((r) => names?.includes(r.name) || ids?.includes(r.id)) : undefined
      if (selected && selected.length !== (names?.length ?? 0) + (ids?.length ?? 0)) {
        throw validationFailed([
          {
            resource: 'Installation',
            code: 'invalid',
            field: 'repositories',
            message:
              'There is at least one repository that does not exist or is not accessible to the parent installation.',
          },
        ])
      }
      const token: TokenRecord = {
        id: ctx.state.nextId(),
        value: mintToken('installation'),
        kind: 'installation',
        installationId: installation.id,
        scopes: [],
        permissions: narrow(installation.permissions, body.permissions),
        ...(selected
          ? { repositoryIds: selected.map((r) => r.id) }
          : installation.repositoryIds
            ? { repositoryIds: installation.repositoryIds }
            : {}),
        createdAt: ctx.now,
        expiresAt: ctx.now + TOKEN_TTL_MS,
      }
      ctx.state.tokens.set(token.value, token)
      return created({
        token: token.value,
        expires_at: isoSeconds(token.expiresAt!),
        permissions: token.permissions,
        repository_selection: token.repositoryIds ? 'selected' : 'all',
        ...(selected ? { repositories: selected.map((r) => repository(ctx.state, ctx.urls, r)) } : {}),
      })
    },
  },
]
