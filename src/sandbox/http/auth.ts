// Who is calling, and may they: token lookup (401 "Bad credentials"), then per-repository checks
// that answer like GitHub — invisible repositories are 404, visible but not allowed is 403, and
// fine-grained or installation tokens name the permission they lacked.
import { looksLikeJWT, verifyAppJWT } from '../app-jwt.ts'
import { GitHubError, notFound } from '../github-error.ts'
import { effectiveRole } from '../model/access.ts'
import { atLeast, type Repo, type RepoRole, type SandboxState, type TokenRecord, type User } from '../model/state.ts'
import { hasScope } from '../tokens.ts'
import type { Actor, Ctx } from './types.ts'

/** `token X`, `Bearer X`, or Basic auth with the token as the password (as git clients send it). */
function credentialOf(header: string): string | undefined {
  const m = /^(token|bearer|basic)\s+(\S+)$/i.exec(header.trim())
  if (!m) return undefined
  if (m[1]!.toLowerCase() !== 'basic') return m[2]
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8')
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined
}

export function authenticate(state: SandboxState, header: string | null): Actor | undefined {
  if (!header) return undefined
  const value = credentialOf(header)
  if (!value) throw new GitHubError(401, 'Bad credentials')
  if (looksLikeJWT(value)) return { kind: 'app', app: verifyAppJWT(state, value) }
  const token = state.tokens.get(value)
  if (!token || (token.expiresAt !== undefined && token.expiresAt <= state.now())) {
    throw new GitHubError(401, 'Bad credentials')
  }
  if (token.kind === 'installation') {
    const installation = state.installations.get(token.installationId!)
    if (!installation) throw new GitHubError(401, 'Bad credentials')
    return { kind: 'installation', installation, token }
  }
  return { kind: 'user', user: state.userById(token.userId)!, token }
}

const integration = (actor: Actor | undefined) => (actor?.kind === 'user' ? 'personal access token' : 'integration')

/** The authenticated user, for endpoints under /user. */
export function requireUser(ctx: Ctx): User {
  if (!ctx.actor) throw new GitHubError(401, 'Requires authentication')
  if (ctx.actor.kind !== 'user') throw new GitHubError(403, 'Resource not accessible by integration')
  return ctx.actor.user
}

/** The acting user, if any (anonymous and app tokens have none). */
export const viewer = (ctx: Ctx): User | undefined => (ctx.actor?.kind === 'user' ? ctx.actor.user : undefined)

/** Classic/OAuth tokens must carry one of the accepted scopes; others are checked by permission. */
export function requireScopes(ctx: Ctx, accepted: string[], message: string): void {
  const token = ctx.actor && 'token' in ctx.actor ? ctx.actor.token : undefined
  if (!token || (token.kind !== 'classic' && token.kind !== 'oauth')) return
  if (!hasScope(token.scopes, accepted)) {
    throw new GitHubError(403, message, { headers: { 'x-accepted-oauth-scopes': accepted.join(', ') } })
  }
}

export type FineGrained = readonly [permission: string, level: 'read' | 'write']

/** Fine-grained and installation tokens: the permission the endpoint needs (x-accepted-github-permissions). */
export function requirePermission(ctx: Ctx, token: TokenRecord, need: FineGrained): void {
  const have = token.permissions[need[0]]
  if (have === 'write' || have === need[1] || (need[0] === 'metadata' && have === undefined)) return
  throw new GitHubError(403, `Resource not accessible by ${integration(ctx.actor)}`, {
    headers: { 'x-accepted-github-permissions': `${need[0]}=${need[1]}` },
  })
}

function checkFineGrained(ctx: Ctx, token: TokenRecord, repo: Repo, need: FineGrained): void {
  const inSelection = token.repositoryIds === undefined || token.repositoryIds.includes(repo.id)
  const ownerMatches = token.resourceOwnerId === undefined || token.resourceOwnerId === repo.ownerId
  if (!inSelection || !ownerMatches) throw notFound()
  requirePermission(ctx, token, need)
}

/** What the caller may do on this repository, or why not. */
export function authorizeRepo(ctx: Ctx, repo: Repo, need: RepoRole, permission: FineGrained): void {
  const actor = ctx.actor
  const isPublic = repo.visibility === 'public'
  if (!actor || actor.kind === 'app') {
    if (!isPublic) throw notFound()
    if (need !== 'pull')
      throw new GitHubError(
        actor ? 403 : 401,
        actor ? 'Resource not accessible by integration' : 'Requires authentication',
      )
    return
  }
  if (actor.kind === 'installation') {
    if (actor.installation.accountId !== repo.ownerId) throw notFound()
    checkFineGrained(ctx, actor.token, repo, permission)
    return
  }
  const role = effectiveRole(ctx.state, repo, actor.user)
  if (!role) throw notFound()
  const token = actor.token
  if (token.kind === 'fine-grained') checkFineGrained(ctx, token, repo, permission)
  else if (!isPublic && !hasScope(token.scopes, ['repo'])) throw notFound()
  else if (need !== 'pull' && !hasScope(token.scopes, ['public_repo', 'repo'])) throw notFound()
  if (atLeast(role, need)) return
  if (!isPublic && !atLeast(role, 'pull')) throw notFound()
  throw new GitHubError(
    403,
    need === 'admin' ? 'Must have admin rights to Repository.' : 'Must have push access to this repository.',
  )
}
