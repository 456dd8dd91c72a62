// Shared by the git routes: the repository with the access git reads or writes need, GitHub's 409
// for repositories without commits, and commit signatures from request bodies.
import { type Signature, signatureTime } from '../git/objects.ts'
import { gitRepositoryEmpty, validationFailed } from '../github-error.ts'
import { viewer } from '../http/auth.ts'
import { findRepo } from '../http/repo-lookup.ts'
import type { Ctx } from '../http/types.ts'
import { assertWritable, signatureOf } from '../model/repos.ts'
import type { Repo } from '../model/state.ts'

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
