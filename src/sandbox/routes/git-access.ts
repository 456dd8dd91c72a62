// Shared by the git routes: the repository with the access git reads or writes need, GitHub's 409
// for repositories without commits, and commit signatures from request bodies.
import { type Signature, signatureTime } from '../git/objects.ts'
import { gitRepositoryEmpty, notFound, validationFailed } from '../github-error.ts'
import { viewer } from '../http/auth.ts'
import { findRepo } from '../http/repo-lookup.ts'
import type { Ctx } from '../http/types.ts'
import { assertWritable, signatureOf } from '../model/repos.ts'
import type { Repo } from '../model/state.ts'
import { hasScope } from '../tokens.ts'

export function gitRepo(ctx: Ctx, mode: 'read' | 'write', allowEmpty = false): Repo {
  const repo = findRepo(ctx, mode === 'read' ? 'pull' : 'push', ['contents', mode])
  if (mode === 'write') assertWritable(repo)
  if (!allowEmpty && repo.git.isEmpty) throw gitRepositoryEmpty()
  return repo
}

type Person = { name: string; email: string; date?: string }

/** A signature from the body, defaulting to the authenticated user at the current time. */
export function signatureFrom(ctx: Ctx, person: Person | undefined, fallback?: Signature): Signature {
  if (!person) return fallback ?? signatureOf(viewer(ctx), ctx.now)
  const time = person.date ? signatureTime(person.date) : { seconds: Math.floor(ctx.now / 1000), tzMinutes: 0 }
  if (!time)
    throw validationFailed([{ resource: 'Commit', code: 'invalid', field: 'date', message: 'date is not ISO 8601' }])
  return { name: person.name, email: person.email, ...time }
}

export function touchPushed(ctx: Ctx, repo: Repo): void {
  repo.pushedAt = ctx.now
  repo.updatedAt = ctx.now
}

const isWorkflowFile = (path: string) => path.replace(/^\/+/, '').startsWith('.github/workflows/')

/**
 * Writing under .github/workflows needs the `workflow` scope (classic and OAuth tokens) or the
 * `workflows` write permission; GitHub answers 404 without it, on tree creation and the contents API.
 */
export function requireWorkflowAccess(ctx: Ctx, paths: string[]): void {
  if (!paths.some(isWorkflowFile)) return
  const token = ctx.actor && 'token' in ctx.actor ? ctx.actor.token : undefined
  if (!token) return
  const allowed =
    token.kind === 'classic' || token.kind === 'oauth'
      ? hasScope(token.scopes, ['workflow'])
      : token.permissions.workflows === 'write'
  if (!allowed) throw notFound()
}
