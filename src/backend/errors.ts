// Backend errors carry a stable code; machines branch on it, routes and MCP map it once.
// Implementations translate their transport errors into these in exactly one place.

export const backendErrorCodes = [
  'unauthorized', // credential rejected (401): fix the token
  'forbidden', // authenticated but not allowed (403 without a scope hint)
  'missing-scope', // the token lacks a scope the call needs (403 with X-Accepted-OAuth-Scopes)
  'not-found', // the target does not exist, or is invisible to this credential
  'conflict', // the state on the host refuses the change (e.g. a key in use elsewhere)
  'invalid', // the request is wrong (422 validation) and will stay wrong until the spec changes
  'rate-limited', // primary or secondary limit: retry after retryAfterMs
  'transient', // 5xx, network, timeouts: retry with backoff
] as const
export type BackendErrorCode = (typeof backendErrorCodes)[number]

export interface BackendErrorDetails {
  /** HTTP status from the host, if any. */
  status?: number
  /** The host's request id (x-github-request-id), for support and /debug. */
  requestId?: string
  /** rate-limited: how long to wait before trying again. */
  retryAfterMs?: number
  /** missing-scope: the scope the call needed. */
  missingScope?: string
  /** A finer, stable reason inside the code, e.g. `key-in-use`, `name-exists`, `archived`, `user-not-found`. */
  reason?: string
}

export class BackendError extends Error {
  override readonly name = 'BackendError'
  readonly code: BackendErrorCode
  readonly status?: number
  readonly requestId?: string
  readonly retryAfterMs?: number
  readonly missingScope?: string
  readonly reason?: string

  constructor(code: BackendErrorCode, message: string, details: BackendErrorDetails = {}) {
    super(message)
    this.code = code
    Object.assign(this, details)
  }

  /** Only a spec or credential change can fix it: retrying alone will not help. */
  get needsHuman(): boolean {
    return ['unauthorized', 'forbidden', 'missing-scope', 'invalid', 'conflict'].includes(this.code)
  }

  /** A plain, serializable form (machine context, /debug, logs): never includes credentials. */
  toJSON(): { code: BackendErrorCode; message: string } & BackendErrorDetails {
    return {
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.missingScope === undefined ? {} : { missingScope: this.missingScope }),
      ...(this.reason === undefined ? {} : { reason: this.reason }),
    }
  }
}

export const isBackendError = (e: unknown): e is BackendError => e instanceof BackendError
