// The HTTP client of one credential: @octokit/core with plugin-retry and plugin-throttling, with every
// attempt going through a fetch of ours that adds the credential, the API version and conditional
// headers, passes the request gate, and reports each answer.
//
// Who waits, and who decides to retry:
// - The gate does all pacing and all waiting, on the injected clock: concurrency, write spacing,
//   budget, and parks after rate-limit answers. plugin-throttling's own Bottleneck limiters are
//   replaced by pass-throughs (they would pace twice, on the wall clock, and share one global
//   write queue between credentials).
// - plugin-throttling only *decides* whether a rate-limited request is tried again: once, and only
//   when the wait is short (≤ gate maxWaitMs). Its own delay is 0: the retry re-enters the gate,
//   which is parked until retry-after / x-ratelimit-reset, so no retry ever goes blindly into a limit.
// - plugin-retry decides whether a 5xx or a network failure is tried again (429 and 4xx never);
//   its own delay is 0 and the backoff ((n)² × retry.baseDelayMs) is slept here, on the clock.
// - A wait the gate refuses (longer than maxWaitMs) fails the call `rate-limited` with
//   retryAfterMs: the caller backs off; nothing sits in a queue for an hour.

import { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { type ThrottlingOptions, throttling } from '@octokit/plugin-throttling'
import type { ResponseInfo } from '../backend.ts'
import { BackendError } from '../errors.ts'
import type { Clock } from './clock.ts'
import { type ErrorContext, networkFailure, toBackendError } from './errors.ts'
import type { EtagCache } from './etag-cache.ts'
import type { RequestGate } from './gate.ts'

export const API_VERSION = '2022-11-28'

/** The slice of fetch we use (Bun's `typeof fetch` carries extras such as preconnect). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface TransportOptions {
  baseURL: string
  gate: RequestGate
  cache: EtagCache
  clock: Clock
  fetch: Fetch
  /** The bearer token for the next request (static, or a cached installation token). */
  token: () => Promise<string>
  /** Called on a 401, e.g. to drop a cached installation token. */
  onUnauthorized?: () => void
  retries: number
  retryBaseDelayMs: number
  requestTimeoutMs: number
  downloadTimeoutMs: number
  userAgent: string
}

export interface Call {
  /** What is being done, for error messages: `observe repository acme/web`. */
  what: string
  errors?: Omit<ErrorContext, 'what'>
  onResponse?: (info: ResponseInfo) => void
  /** Background reads yield the last part of the budget to interactive work. */
  background: boolean
}

export type Headers_ = Record<string, string | undefined>
export interface Answer<T> {
  status: number
  data: T
  headers: Headers_
}

type Params = Record<string, unknown>

const GitHubOctokit = Octokit.plugin(retry, throttling)
type Throttle = Extract<ThrottlingOptions, { onRateLimit: unknown }>

// Stands in for plugin-throttling's Bottleneck groups: run the job now, the gate has paced it.
const passThrough = {
  key: () => ({
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) => job(...args),
  }),
} as unknown as NonNullable<Throttle['write']>

const cacheableType = /^application\/json\b/i

/** `GET /repos/{owner}/{repo}{?page}` → `/repos/{owner}/{repo}`: never a query string; `{+ref}` → `{ref}`. */
export const templateOf = (route: string) =>
  (route.split(' ')[1] ?? route).replace(/\{\?[^}]*\}|\?.*$/g, '').replaceAll('{+', '{')

export function toRecord(headers: Headers): Headers_ {
  const out: Headers_ = {}
  headers.forEach((value, key) => {
    out[key] = value
  })
  return out
}

/** `Link: <…>; rel="next"` */
export function nextLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = part.match(/<([^>]+)>\s*;\s*rel="?next"?/)
    if (match) return match[1]
  }
  return undefined
}

export class Transport {
  private readonly octokit: InstanceType<typeof GitHubOctokit>
  private readonly origin: string

  constructor(private readonly o: TransportOptions) {
    this.origin = new URL(o.baseURL).origin
    // The gate has already learned from the answer (it parked): retry only if it would let the retry
    // through soon. The plugin's own retryAfter is computed on the wall clock; the gate's is ours.
    const retryOnce = (_retryAfter: number, options: { method?: string }, _octokit: unknown, retryCount: number) =>
      retryCount === 0 &&
      o.gate.waitMs({ write: options.method !== 'GET' && options.method !== 'HEAD', background: false }) <=
        this.maxWaitMs
    const throttle: Throttle & Record<string, unknown> = {
      id: o.gate.id,
      retryAfterBaseValue: 0,
      global: passThrough,
      auth: passThrough,
      write: passThrough,
      search: passThrough,
      notifications: passThrough,
      onRateLimit: retryOnce,
      onSecondaryRateLimit: retryOnce,
    }
    this.octokit = new GitHubOctokit({
      baseUrl: o.baseURL,
      userAgent: o.userAgent,
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      retry: {
        retries: o.retries,
        retryAfterBaseValue: 0,
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      },
      throttle,
    })
  }

  get gateID(): string {
    return this.o.gate.id
  }

  private get maxWaitMs(): number {
    return this.o.gate.limits.maxWaitMs
  }

  /** One logical request (retries included). Throws BackendError. */
  async request<T>(route: string, params: Params, call: Call, label = templateOf(route)): Promise<Answer<T>> {
    const method = route.split(' ')[0] ?? 'GET'
    const state: Attempts = { count: 0 }
    try {
      const res = await this.octokit.request(route, {
        ...params,
        request: { fetch: this.fetchFor(method, label, call, state, true) },
      })
      return { status: res.status, data: res.data as T, headers: res.headers as Headers_ }
    } catch (e) {
      throw this.translate(e, call, state)
    }
  }

  /** Every page (Link rel=next; 100 per page unless params say otherwise), or the first `max` items. */
  async paginate<T>(
    route: string,
    params: Params,
    call: Call,
    options: { max?: number; items?: (data: unknown) => T[] } = {},
  ): Promise<T[]> {
    const label = templateOf(route)
    const items = options.items ?? ((data: unknown) => data as T[])
    const max = options.max ?? Number.POSITIVE_INFINITY
    const out: T[] = []
    let page = await this.request<unknown>(route, { per_page: 100, ...params }, call, label)
    for (;;) {
      out.push(...items(page.data))
      if (out.length >= max) return out.slice(0, max)
      const next = nextLink(page.headers.link)
      if (!next) return out
      // A Link to another host would carry the token there: refuse it.
      if (new URL(next, this.o.baseURL).origin !== this.origin) {
        throw new BackendError('transient', `${call.what}: GitHub sent a next-page link to another host; stopped`)
      }
      page = await this.request<unknown>(`GET ${next}`, {}, call, label)
    }
  }

  /**
   * A download the API answers with a redirect (tarball, job logs): the API request goes through
   * the gate; the redirect is followed by hand so the credential only goes back to the API origin.
   * Returns the streaming response and the number of HTTP requests it took.
   */
  async download(route: string, params: Params, call: Call): Promise<{ response: Response; requests: number }> {
    const label = templateOf(route)
    const state: Attempts = { count: 0 }
    let first: Answer<ReadableStream<Uint8Array> | null>
    try {
      const res = await this.octokit.request(route, {
        ...params,
        request: {
          fetch: this.fetchFor('GET', label, call, state, false),
          redirect: 'manual',
          parseSuccessResponseBody: false,
        },
      })
      first = {
        status: res.status,
        data: res.data as ReadableStream<Uint8Array> | null,
        headers: res.headers as Headers_,
      }
    } catch (e) {
      throw this.translate(e, call, state)
    }
    const location = first.headers.location
    if (first.status < 300 || first.status >= 400 || !location) {
      return { response: new Response(first.data, { status: first.status }), requests: 1 }
    }
    await first.data?.cancel()
    const target = new URL(location, this.o.baseURL)
    const headers = new Headers({ 'user-agent': this.o.userAgent })
    if (target.origin === this.origin) headers.set('authorization', `Bearer ${await this.o.token()}`)
    const started = this.o.clock.now()
    let response: Response
    try {
      response = await this.o.fetch(target, { headers, signal: AbortSignal.timeout(this.o.downloadTimeoutMs) })
    } catch (e) {
      throw toBackendError(networkFailure(e), { what: call.what })
    }
    this.report(call, 'GET', `${label} (redirect)`, response, started, false)
    if (!response.ok) {
      const failure = { status: response.status, response: { headers: toRecord(response.headers), data: '' } }
      throw toBackendError(failure, { what: call.what, ...call.errors }, this.o.clock.now())
    }
    return { response, requests: 2 }
  }

  private translate(e: unknown, call: Call, state: Attempts): unknown {
    if (state.held) return state.held
    if ((e as { status?: number }).status === 401) this.o.onUnauthorized?.()
    return toBackendError(e, { what: call.what, ...call.errors }, this.o.clock.now())
  }

  private fetchFor(method: string, label: string, call: Call, state: Attempts, cacheable: boolean): Fetch {
    const { gate, cache, clock } = this.o
    const write = method !== 'GET' && method !== 'HEAD'
    const attempt = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      // The gate refused to wait: every retry plugin-retry attempts fails the same way, at no cost.
      if (state.held) throw state.held
      state.count++
      if (state.count > 1 && state.serverFailed) await clock.sleep((state.count - 1) ** 2 * this.o.retryBaseDelayMs)
      state.serverFailed = false
      const url = String(input instanceof Request ? input.url : input)
      const headers = new Headers(init?.headers)
      headers.set('authorization', `Bearer ${await this.o.token()}`)
      headers.set('x-github-api-version', API_VERSION)
      const key = cacheable && method === 'GET' ? `${headers.get('accept')} ${url}` : undefined
      const cached = key ? cache.get(key) : undefined
      if (cached) headers.set('if-none-match', cached.etag)
      const timeout = cacheable ? this.o.requestTimeoutMs : this.o.downloadTimeoutMs
      const started = clock.now()
      let response: Response
      try {
        ;({ response } = await gate.run({ write, background: call.background }, async () => {
          const response = await this.o.fetch(url, { ...init, headers, signal: AbortSignal.timeout(timeout) })
          const limited = response.status === 403 || response.status === 429
          const text = limited ? await response.clone().text() : undefined
          return { response, answer: { status: response.status, headers: toRecord(response.headers), text } }
        }))
      } catch (e) {
        if (e instanceof BackendError) state.held = e
        else state.serverFailed = true
        throw e
      }
      if (response.status >= 500) state.serverFailed = true
      this.report(call, method, label, response, started, response.status === 304 && cached !== undefined)
      if (response.status === 304 && cached) {
        const replay = new Headers(cached.headers)
        response.headers.forEach((value, name) => {
          if (name.startsWith('x-ratelimit') || name === 'x-github-request-id' || name === 'etag')
            replay.set(name, value)
        })
        return new Response(cached.body, { status: 200, headers: replay })
      }
      const etag = response.headers.get('etag')
      if (key && response.status === 200 && etag && cacheableType.test(response.headers.get('content-type') ?? '')) {
        const body = await response.text()
        const kept: Record<string, string> = {}
        for (const name of ['content-type', 'link', 'x-oauth-scopes', 'x-accepted-oauth-scopes']) {
          const value = response.headers.get(name)
          if (value !== null) kept[name] = value
        }
        cache.set(key, { etag, body, headers: kept })
        return new Response(body, { status: response.status, headers: response.headers })
      }
      return response
    }
    return attempt
  }

  private report(call: Call, method: string, label: string, response: Response, started: number, notModified: boolean) {
    if (!call.onResponse) return
    const info: ResponseInfo = {
      method,
      route: `${method} ${label}`,
      status: response.status,
      requestId: response.headers.get('x-github-request-id') ?? undefined,
      durationMs: Math.max(0, this.o.clock.now() - started),
      notModified,
      gate: this.o.gate.id,
    }
    try {
      call.onResponse(info)
    } catch {
      // An observer's bug must not turn a request GitHub already carried out into a failure
      // (the caller would retry a create that happened).
    }
  }
}

interface Attempts {
  count: number
  serverFailed?: boolean
  held?: BackendError
}
