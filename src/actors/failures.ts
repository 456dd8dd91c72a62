// The one place where errors from the git host and the cluster become machine failures: a
// condition reason, a message a person (or an agent) can act on, and the retry policy.
import { Reason } from '../apis/v1alpha1/conditions.ts'
import { isBackendError } from '../backend/errors.ts'
import { isClusterError } from '../cluster/cluster.ts'
import type { DependencyWait, ReconcileFailure } from '../machines/events.ts'

/** Thrown by a step that found a dependency missing or not ready: the machine waits, no retry. */
export class Waiting extends Error {
  constructor(readonly waitingFor: DependencyWait) {
    super(waitingFor.message)
  }
}

/** A failure raised by reconcile logic itself (a spec problem, a missing piece). */
export class Failure extends Error implements ReconcileFailure {
  readonly needsHuman: boolean
  readonly rateLimited = false
  readonly unavailable?: boolean
  constructor(
    readonly reason: Reason,
    message: string,
    options: { needsHuman?: boolean; unavailable?: boolean } = {},
  ) {
    super(message)
    this.needsHuman = options.needsHuman ?? true
    if (options.unavailable !== undefined) this.unavailable = options.unavailable
  }
}

const conflictReasons: Record<string, Reason> = {
  'key-in-use': Reason.KeyInUse,
  'name-exists': Reason.AlreadyExists,
}

const plain = (f: ReconcileFailure): ReconcileFailure => ({
  reason: f.reason,
  message: f.message,
  needsHuman: f.needsHuman,
  rateLimited: f.rateLimited,
  ...(f.retryAfterMs === undefined ? {} : { retryAfterMs: f.retryAfterMs }),
  ...(f.unavailable === undefined ? {} : { unavailable: f.unavailable }),
  ...(f.status === undefined ? {} : { status: f.status }),
  ...(f.requestId === undefined ? {} : { requestId: f.requestId }),
})

/** Translate anything a reconcile step threw. `unavailableOnAuth`: a Connection is unusable when its credential fails. */
export function toFailure(error: unknown, unavailableOnAuth = false): ReconcileFailure {
  if (error instanceof Failure) return plain(error)
  if (isBackendError(error)) {
    const meta = { status: error.status, requestId: error.requestId }
    const human = (reason: Reason, message: string, extra: Partial<ReconcileFailure> = {}) =>
      plain({ reason, message, needsHuman: true, rateLimited: false, ...meta, ...extra })
    switch (error.code) {
      case 'unauthorized':
        return human(
          Reason.Unauthorized,
          `the git host rejected the credential: ${error.message}. Replace the token in the Connection's Secret`,
          {
            unavailable: unavailableOnAuth,
          },
        )
      case 'missing-scope':
        return human(
          Reason.MissingScope,
          `the token lacks the ${error.missingScope ?? 'required'} scope: ${error.message}. Add the scope to the token`,
        )
      case 'forbidden':
        return human(Reason.Forbidden, `the git host refused: ${error.message}`)
      case 'not-found':
        return human(Reason.NotFound, error.message)
      case 'conflict':
        return human(conflictReasons[error.reason ?? ''] ?? Reason.InvalidSpec, error.message)
      case 'invalid':
        return human(Reason.InvalidSpec, error.message)
      case 'rate-limited':
        return plain({
          reason: Reason.RateLimited,
          message: `rate limited by the git host; retrying in ${Math.ceil((error.retryAfterMs ?? 60_000) / 1000)}s`,
          needsHuman: false,
          rateLimited: true,
          retryAfterMs: error.retryAfterMs ?? 60_000,
          ...meta,
        })
      default:
        return plain({
          reason: Reason.TransientError,
          message: error.message,
          needsHuman: false,
          rateLimited: false,
          ...meta,
        })
    }
  }
  if (isClusterError(error)) {
    if (error.code === 'forbidden') {
      return plain({
        reason: Reason.Forbidden,
        message: `the provider may not do this in the workspace (${error.message}); has the workspace accepted the APIExport's permission claims?`,
        needsHuman: true,
        rateLimited: false,
      })
    }
    if (error.code === 'invalid') {
      return plain({ reason: Reason.InvalidSpec, message: error.message, needsHuman: true, rateLimited: false })
    }
    return plain({
      reason: Reason.TransientError,
      message: `cluster: ${error.message}`,
      needsHuman: false,
      rateLimited: false,
    })
  }
  return plain({
    reason: Reason.TransientError,
    message: String((error as Error)?.message ?? error),
    needsHuman: false,
    rateLimited: false,
  })
}
