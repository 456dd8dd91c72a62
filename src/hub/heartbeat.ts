// Heartbeats to the kedge hub: `POST <hub>/api/providers/<name>/heartbeat` with
// `{"version","status"}` right away, then every 30 s. The hub marks the CatalogEntry not ready
// after ~90 s of silence, so a failure is retried sooner (2 s, doubling, at most 60 s) and a hub
// that asks for patience (Retry-After) gets it. Health is looked at every second, and a change
// (the runtime became ready, or lost its watch) is sent at once. Timers and clock are injected:
// tests never sleep.
import type { HostTimers } from '../actors/clock.ts'
import { realTimers } from '../actors/clock.ts'
import type { Logger } from '../log.ts'
import { redact } from '../log.ts'

export interface HeartbeatOptions {
  /** Base URL of the hub, e.g. https://kedge-hub.kedge.svc:9443 */
  hubURL: string
  providerName: string
  token?: string
  /** Skip TLS verification of the hub (self-signed in-cluster hubs). */
  insecure?: boolean
  version: string
  /** false → the beat says `degraded` (the runtime is not ready). */
  healthy: () => boolean
  logger: Logger
  /** Also tell a status board (the admin app's component list). */
  reporter?: HeartbeatReporter
  timers?: HostTimers
  now?: () => Date
  fetch?: typeof fetch
  intervalMs?: number
  timeoutMs?: number
  retryBaseMs?: number
  retryMaxMs?: number
  /** How often health is looked at between beats, so a change reaches the hub at once. Default 1 s; 0: never. */
  healthCheckMs?: number
}

/** What a status board takes from a component (structurally the admin app's ComponentReporter). */
export interface HeartbeatReporter {
  ok(detail?: string): void
  failed(error: unknown, detail?: string): void
  stopped(detail?: string): void
}

export type HeartbeatState = 'starting' | 'ok' | 'failing' | 'stopped'

export interface HeartbeatStatus {
  state: HeartbeatState
  /** Where beats go (no credentials in it). */
  target: string
  intervalMs: number
  lastAttempt?: string
  lastSuccess?: string
  lastError?: { at: string; message: string }
  consecutiveFailures: number
  /** When the next beat is due (absent while one is in flight or after stop). */
  nextAttempt?: string
  /** What the last beat said. */
  lastSent?: 'healthy' | 'degraded'
}

export interface Heartbeat {
  start(): void
  /** Beat now if the health to report changed since the last beat (e.g. the runtime just became ready). */
  refresh(): void
  stop(): Promise<void>
  status(): HeartbeatStatus
}

export function heartbeatURL(hubURL: string, providerName: string): string {
  return `${hubURL.replace(/\/+$/, '')}/api/providers/${encodeURIComponent(providerName)}/heartbeat`
}

/** The wait after `failures` consecutive failures: base·2^(n-1), capped; a longer Retry-After wins, up to the cap. */
export function retryDelay(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0): number {
  const backoff = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1))
  return Math.min(maxMs, Math.max(backoff, retryAfterMs))
}

/** Retry-After in seconds or as an HTTP date; 0 when absent or unreadable. */
function retryAfterMs(res: Response, now: Date): number {
  const v = res.headers.get('retry-after')
  if (!v) return 0
  const secs = Number(v)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? 0 : Math.max(0, at - now.getTime())
}

class BeatError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message)
  }
}

export function createHeartbeat(o: HeartbeatOptions): Heartbeat {
  const timers = o.timers ?? realTimers
  const now = o.now ?? (() => new Date())
  const doFetch = o.fetch ?? fetch
  const intervalMs = o.intervalMs ?? 30_000
  const timeoutMs = o.timeoutMs ?? 5_000
  const retryBaseMs = o.retryBaseMs ?? 2_000
  const retryMaxMs = o.retryMaxMs ?? 60_000
  const healthCheckMs = o.healthCheckMs ?? 1_000
  const url = heartbeatURL(o.hubURL, o.providerName)
  const log = o.logger.child({ component: 'heartbeat' })

  const status: HeartbeatStatus = { state: 'starting', target: url, intervalMs, consecutiveFailures: 0 }
  let timer: unknown
  let healthTimer: unknown
  let inFlight: { abort: AbortController; done: Promise<void> } | undefined
  let stopped = false

  async function send(body: { version: string; status: 'healthy' | 'degraded' }, signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (o.token) headers.authorization = `Bearer ${o.token}`
    const init = { method: 'POST', headers, body: JSON.stringify(body), signal } as RequestInit
    if (o.insecure) (init as { tls?: object }).tls = { rejectUnauthorized: false }
    let res: Response
    try {
      res = await doFetch(url, init)
    } catch (e) {
      if (signal.aborted && !stopped) throw new BeatError(`no answer within ${timeoutMs} ms`)
      throw new BeatError(`cannot reach the hub: ${(e as Error).message}`)
    }
    const text = await res.text().catch(() => '')
    if (!res.ok) {
      const said = text.trim().slice(0, 200)
      throw new BeatError(`hub answered ${res.status}${said ? `: ${said}` : ''}`, retryAfterMs(res, now()))
    }
  }

  const health = () => (o.healthy() ? ('healthy' as const) : ('degraded' as const))

  function schedule(delayMs: number): void {
    if (stopped) return
    status.nextAttempt = new Date(now().getTime() + delayMs).toISOString()
    timer = timers.setTimeout(beat, delayMs)
  }

  function beat(): void {
    timer = undefined
    delete status.nextAttempt
    const body = { version: o.version, status: health() }
    const abort = new AbortController()
    const deadline = timers.setTimeout(() => abort.abort(), timeoutMs)
    status.lastAttempt = now().toISOString()
    const done = send(body, abort.signal)
      .then(() => {
        const recovered = status.state === 'failing'
        status.state = 'ok'
        status.lastSuccess = now().toISOString()
        status.lastSent = body.status
        status.consecutiveFailures = 0
        if (recovered) log.info('hub heartbeat recovered', { url })
        else log.debug('hub heartbeat sent', { url, status: body.status })
        o.reporter?.ok(`hub accepted "${body.status}"`)
        // Health changed while this beat was on its way: tell the hub now, not in 30 s.
        schedule(health() === body.status ? intervalMs : 0)
      })
      .catch((e: unknown) => {
        if (stopped) return
        const message = String(redact((e as Error).message))
        status.state = 'failing'
        status.lastError = { at: now().toISOString(), message }
        status.consecutiveFailures++
        const wait = retryDelay(
          status.consecutiveFailures,
          retryBaseMs,
          retryMaxMs,
          e instanceof BeatError ? e.retryAfterMs : 0,
        )
        // One warning when beats start failing, not one per retry.
        if (status.consecutiveFailures === 1) log.warn('hub heartbeat failed', { url, error: message })
        o.reporter?.failed(e, `retrying in ${Math.round(wait / 1000)} s`)
        schedule(wait)
      })
      .finally(() => {
        timers.clearTimeout(deadline)
        inFlight = undefined
      })
    inFlight = { abort, done }
  }

  /** Beat now if the health to report changed since the last accepted beat (never during backoff). */
  function refresh(): void {
    if (stopped || inFlight || timer === undefined) return
    if (status.state !== 'ok' || status.lastSent === health()) return
    timers.clearTimeout(timer)
    beat()
  }

  function watchHealth(): void {
    healthTimer = timers.setTimeout(() => {
      refresh()
      if (!stopped) watchHealth()
    }, healthCheckMs)
  }

  return {
    start() {
      if (stopped || timer !== undefined || inFlight) return
      log.info('hub heartbeats on', { url, intervalMs })
      beat()
      if (healthCheckMs > 0) watchHealth()
    },
    refresh,
    async stop() {
      stopped = true
      if (timer !== undefined) timers.clearTimeout(timer)
      if (healthTimer !== undefined) timers.clearTimeout(healthTimer)
      timer = undefined
      delete status.nextAttempt
      const pending = inFlight
      pending?.abort.abort()
      await pending?.done
      status.state = 'stopped'
      o.reporter?.stopped()
    },
    status: () => structuredClone(status),
  }
}
