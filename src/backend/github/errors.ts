// The one place where GitHub's HTTP answers become BackendErrors. Messages are short, say what was
// being done and what to do about it, and never carry a credential (everything passes `redact`).

import { BackendError, type BackendErrorCode } from '../errors.ts'
import { parseScopes, scopesSatisfy } from './scopes.ts'

export interface ErrorContext {
  /** What was being done, e.g. `create repository acme/web`. Leads the message. */
  what: string
  /** The scope the call needs when GitHub's headers do not say (e.g. `delete_repo`). */
  scope?: string
  /** A 404 here means something finer than not-found (e.g. an unknown user). */
  notFound?: { code: BackendErrorCode; reason: string; message: string; missingScope?: string }
}

interface HttpFailure {
  status: number
  response?: { headers: Record<string, string | undefined>; data: unknown }
}

const isHttpFailure = (e: unknown): e is HttpFailure =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number'

const TOKENISH =
  /\b(gh[pousr]_[A-Za-z0-9_]{10,}|github_pat_[A-Za-z0-9_]{10,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g
const SECRET_PARAM = /\b(token|access_token|jwt|sig|signature|X-Amz-Signature|X-Amz-Credential)=[^&\s"']+/gi

/** Strip anything that looks like a GitHub token, a JWT or a signed-URL secret. */
export function redact(text: string): string {
  return text.replace(TOKENISH, '[redacted]').replace(SECRET_PARAM, '$1=[redacted]')
}

// 409/422 (and archived 403) answers with a finer, stable reason, matched on GitHub's own words.
const reasons: { test: RegExp; code: 'conflict' | 'invalid'; reason: string; say: string }[] = [
  { test: /name already exists/i, code: 'conflict', reason: 'name-exists', say: 'a repository of that name exists' },
  {
    test: /key is already in use/i,
    code: 'conflict',
    reason: 'key-in-use',
    say: 'the key is already in use (a deploy key can sit on one repository only, and cannot also be a user key)',
  },
  {
    test: /archived/i,
    code: 'conflict',
    reason: 'archived',
    say: 'the repository is archived (read-only); unarchive it first',
  },
  { test: /not a fast.?forward/i, code: 'conflict', reason: 'not-fast-forward', say: 'the branch moved meanwhile' },
  { test: /reference already exists/i, code: 'conflict', reason: 'ref-exists', say: 'the branch already exists' },
  {
    test: /repository is empty/i,
    code: 'conflict',
    reason: 'empty-repository',
    say: 'the repository has no commits yet (create it with autoInit)',
  },
  {
    test: /invitation.*limit|limit.*invitation/i,
    code: 'conflict',
    reason: 'invitation-limit',
    say: 'the repository reached its invitation limit (50 per 24 hours)',
  },
  {
    test: /workflow_dispatch/i,
    code: 'invalid',
    reason: 'no-workflow-dispatch',
    say: 'the workflow has no workflow_dispatch trigger',
  },
  {
    test: /no ref found|unknown ref|no commit found/i,
    code: 'invalid',
    reason: 'ref-not-found',
    say: 'the ref does not exist',
  },
  {
    test: /key is invalid|public key format/i,
    code: 'invalid',
    reason: 'key-invalid',
    say: 'the key is not a valid OpenSSH public key',
  },
  {
    test: /default_branch|default branch/i,
    code: 'invalid',
    reason: 'branch-not-found',
    say: 'the default branch must be an existing branch',
  },
]

function githubWords(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 300)
  if (typeof data !== 'object' || data === null) return ''
  const { message, errors } = data as { message?: unknown; errors?: unknown }
  const parts = typeof message === 'string' ? [message] : []
  if (Array.isArray(errors)) {
    for (const e of errors) {
      if (typeof e === 'string') parts.push(e)
      else if (typeof e === 'object' && e !== null) {
        const { message: m, field, code } = e as { message?: unknown; field?: unknown; code?: unknown }
        parts.push(typeof m === 'string' ? m : [field, code].filter((x) => typeof x === 'string').join(' '))
      }
    }
  }
  return parts.filter(Boolean).join('; ').slice(0, 300)
}

const seconds = (ms: number) => `${Math.max(1, Math.ceil(ms / 1000))} s`

/** How long a rate-limit answer asks us to wait: retry-after, else the primary reset, else a minute. */
export function rateLimitWaitMs(headers: Record<string, string | undefined>, now: number): number {
  const retryAfter = Number(headers['retry-after'])
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter * 1000)
  const reset = Number(headers['x-ratelimit-reset'])
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)) return Math.max(1000, reset * 1000 - now)
  return 60_000
}

/** A rate-limit answer (primary or secondary), as opposed to a permission refusal. */
export function isRateLimitAnswer(status: number, headers: Record<string, string | undefined>, words: string): boolean {
  if (status === 429) return true
  if (status !== 403) return false
  return headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(words)
}

/** Translate whatever a GitHub call threw. Errors that are not HTTP failures pass through unchanged. */
export function toBackendError(err: unknown, ctx: ErrorContext, now: number = Date.now()): unknown {
  if (err instanceof BackendError) return err
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new BackendError('transient', `${ctx.what}: GitHub did not answer in time; will retry`)
  }
  if (!isHttpFailure(err)) return err
  if (!err.response) {
    const cause = err instanceof Error ? redact(err.message) : 'network error'
    return new BackendError('transient', `${ctx.what}: could not reach GitHub (${cause}); will retry`)
  }
  const { status } = err
  const headers = err.response.headers
  const words = redact(githubWords(err.response.data))
  const details = { status, requestId: headers['x-github-request-id'] }
  const quoted = words ? `: "${words}"` : ''
  const fail = (code: BackendErrorCode, say: string, extra: object = {}) =>
    new BackendError(code, redact(`${ctx.what}: ${say} (GitHub ${status}${quoted})`), { ...details, ...extra })

  if (status === 401) return fail('unauthorized', 'GitHub rejected the credential; it is invalid, expired or revoked')
  if (isRateLimitAnswer(status, headers, words)) {
    const retryAfterMs = rateLimitWaitMs(headers, now)
    const which = headers['x-ratelimit-remaining'] === '0' ? 'primary' : 'secondary'
    return fail('rate-limited', `hit GitHub's ${which} rate limit; retry in ${seconds(retryAfterMs)}`, {
      retryAfterMs,
      reason: `${which}-rate-limit`,
    })
  }
  if (status === 403) return forbidden(ctx, headers, words, fail)
  if (status === 404 || status === 410) {
    if (ctx.notFound) {
      const { code, message, reason, missingScope } = ctx.notFound
      return fail(code, message, { reason, ...(missingScope ? { missingScope } : {}) })
    }
    return fail('not-found', 'not found, or not visible to this credential')
  }
  if (status === 409 || status === 422 || status === 400) {
    const match = reasons.find((r) => r.test.test(words))
    if (match) return fail(match.code, match.say, { reason: match.reason })
    if (status === 409) return fail('conflict', 'the repository state refuses the change', { reason: 'conflict' })
    return fail('invalid', 'GitHub refused the request as invalid', { reason: 'validation-failed' })
  }
  if (status >= 500) return fail('transient', 'GitHub had a server error; will retry')
  return fail('invalid', 'unexpected answer from GitHub')
}

function forbidden(
  ctx: ErrorContext,
  headers: Record<string, string | undefined>,
  words: string,
  fail: (code: BackendErrorCode, say: string, extra?: object) => BackendError,
): BackendError {
  const archived = reasons.find((r) => r.reason === 'archived')!
  if (archived.test.test(words)) return fail('conflict', archived.say, { reason: 'archived' })
  const scopesKnown = headers['x-oauth-scopes'] !== undefined
  const granted = parseScopes(headers['x-oauth-scopes'])
  const accepted = parseScopes(headers['x-accepted-oauth-scopes'])
  if (scopesKnown && !scopesSatisfy(granted, accepted)) {
    const scope = accepted[0]!
    return fail('missing-scope', `the token lacks the "${scope}" scope`, { missingScope: scope })
  }
  if (scopesKnown && ctx.scope && !scopesSatisfy(granted, [ctx.scope])) {
    return fail('missing-scope', `the token lacks the "${ctx.scope}" scope`, { missingScope: ctx.scope })
  }
  const permission = headers['x-accepted-github-permissions']
  if (!scopesKnown && permission) {
    return fail('missing-scope', `the token lacks the permission ${permission}`, { missingScope: permission })
  }
  return fail('forbidden', 'the credential is not allowed to do this')
}

/** A fetch that threw (refused connection, reset, timeout) as the HTTP-less failure toBackendError knows. */
export function networkFailure(e: unknown): unknown {
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) return e
  return Object.assign(new Error(e instanceof Error ? e.message : String(e)), { status: 0 })
}

/** A download that arrived but could not be read (cut short, corrupt): worth another try. */
export function unreadableDownload(what: string, e: unknown): BackendError {
  if (e instanceof BackendError) return e
  const why = e instanceof Error ? e.message : String(e)
  return new BackendError('transient', redact(`${what}: the download could not be read (${why}); will retry`))
}

/** The host changed under us mid-way (a branch deleted while committing): another try will do. */
export function changedMeanwhile(what: string, say: string): BackendError {
  return new BackendError('transient', redact(`${what}: ${say}; will retry`), { reason: 'changed-meanwhile' })
}

/** The caller asked for something that cannot work, before any request was made. */
export function invalidInput(what: string, say: string, reason: string): BackendError {
  return new BackendError('invalid', redact(`${what}: ${say}`), { reason })
}

/** The gate refused to wait that long: the caller should come back after `retryAfterMs`. */
export function heldByGate(why: string, retryAfterMs: number): BackendError {
  return new BackendError('rate-limited', `${why}; retry in ${seconds(retryAfterMs)}`, {
    retryAfterMs,
    reason: 'gate-held',
  })
}
