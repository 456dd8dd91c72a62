// The request gate: one per credential and API host. Every HTTP attempt to GitHub passes through it.
//
// - bounded concurrency (GitHub's secondary limit is 100 concurrent; we stay far below);
// - content-creating writes (POST/PATCH/PUT/DELETE) one at a time and at least `writeSpacingMs`
//   apart (GitHub allows about 80 a minute: 750 ms keeps us at 80);
// - a budget guard from x-ratelimit-*: below `reserveRatio` of the hourly limit background reads
//   wait for the reset; at `floorRatio` nobody spends the last requests;
// - a park on a rate-limit answer, until retry-after or x-ratelimit-reset.
// A wait longer than `maxWaitMs` is not waited: the call fails `rate-limited` with retryAfterMs, so
// an actor can back off instead of holding a promise for an hour.

import type { GateSnapshot } from '../backend.ts'
import type { Clock } from './clock.ts'
import { heldByGate, isRateLimitAnswer, rateLimitWaitMs } from './errors.ts'

export interface GateLimits {
  maxConcurrency: number
  writeSpacingMs: number
  /** Below this share of the primary limit, background reads wait for the reset. */
  reserveRatio: number
  /** At this share of the primary limit (at least 1 request), every request waits for the reset. */
  floorRatio: number
  /** Longer waits fail fast with `rate-limited` instead. */
  maxWaitMs: number
  /** Park after a secondary-limit answer that names no retry-after (GitHub: "at least a minute"). */
  secondaryFallbackMs: number
}

export const defaultGateLimits: GateLimits = {
  maxConcurrency: 10,
  writeSpacingMs: 750,
  reserveRatio: 0.1,
  floorRatio: 0.01,
  maxWaitMs: 60_000,
  secondaryFallbackMs: 60_000,
}

export interface GateRequest {
  write: boolean
  /** Background reads (polls, crawls) yield the last tenth of the budget to interactive work. */
  background: boolean
}

/** What the gate learns from one answer. */
export interface GateAnswer {
  status: number
  headers: Record<string, string | undefined>
  /** Body of a 403/429, to tell a secondary limit from a permission refusal. */
  text?: string
}

interface Hold {
  ms: number
  why: string
}

export class RequestGate {
  private inFlight = 0
  private queued = 0
  private readonly slotWaiters: (() => void)[] = []
  private writeTail: Promise<void> = Promise.resolve()
  private lastWriteAt = Number.NEGATIVE_INFINITY
  private writeStarts: number[] = []
  private limit?: number
  private remaining?: number
  private resetAt?: number
  private parkedUntil = 0
  private parkedReason?: string
  private readonly counts = { total: 0, notModified: 0, errors: 0 }

  constructor(
    readonly id: string,
    readonly host: string,
    readonly limits: GateLimits,
    private readonly clock: Clock,
  ) {}

  /** Wait for a turn, send, learn from the answer. `send` must resolve to the answer it got. */
  async run<T extends { answer: GateAnswer }>(req: GateRequest, send: () => Promise<T>): Promise<T> {
    this.queued++
    let releaseWrite = () => {}
    try {
      if (req.write) {
        const previous = this.writeTail
        this.writeTail = new Promise((resolve) => {
          releaseWrite = resolve
        })
        await previous
      }
      await this.turn(req)
    } catch (e) {
      this.queued--
      releaseWrite()
      throw e
    }
    this.queued--
    if (req.write) {
      this.lastWriteAt = this.clock.now()
      this.writeStarts.push(this.lastWriteAt)
    }
    try {
      const result = await send()
      this.learn(result.answer)
      return result
    } catch (e) {
      this.counts.total++
      this.counts.errors++
      throw e
    } finally {
      this.releaseSlot()
      releaseWrite()
    }
  }

  private async turn(req: GateRequest): Promise<void> {
    for (;;) {
      const hold = this.holdFor(req)
      if (hold) {
        if (hold.ms > this.limits.maxWaitMs) throw heldByGate(`${this.id}: ${hold.why}`, hold.ms)
        await this.clock.sleep(hold.ms)
        continue
      }
      await this.acquireSlot()
      // Something may have changed while we waited for the slot (a park, a write started).
      if (this.holdFor(req)) {
        this.releaseSlot()
        continue
      }
      return
    }
  }

  /** How long a request of this kind would wait if it came now (0: it would go at once). */
  waitMs(req: GateRequest): number {
    return this.holdFor(req)?.ms ?? 0
  }

  private holdFor(req: GateRequest): Hold | undefined {
    const now = this.clock.now()
    if (this.parkedUntil > now) return { ms: this.parkedUntil - now, why: this.parkedReason ?? 'parked' }
    const budget = this.budgetHold(now, req)
    if (budget) return budget
    if (req.write) {
      const gap = this.lastWriteAt + this.limits.writeSpacingMs - now
      if (gap > 0) return { ms: gap, why: 'spacing content-creating writes' }
    }
    return undefined
  }

  private budgetHold(now: number, req: GateRequest): Hold | undefined {
    const { limit, remaining, resetAt } = this
    if (limit === undefined || remaining === undefined || resetAt === undefined || resetAt <= now) return undefined
    const floor = Math.max(1, Math.ceil(limit * this.limits.floorRatio))
    if (remaining <= floor) {
      return {
        ms: resetAt - now,
        why: `primary budget nearly spent (${remaining} of ${limit} left), waiting for the reset`,
      }
    }
    if (req.background && !req.write && remaining < limit * this.limits.reserveRatio) {
      const pct = Math.round(this.limits.reserveRatio * 100)
      return {
        ms: resetAt - now,
        why: `primary budget below ${pct}% (${remaining} of ${limit} left), background reads wait for the reset`,
      }
    }
    return undefined
  }

  private acquireSlot(): Promise<void> {
    if (this.inFlight < this.limits.maxConcurrency && this.slotWaiters.length === 0) {
      this.inFlight++
      return Promise.resolve()
    }
    // The releasing request hands its slot over: inFlight stays counted.
    return new Promise((resolve) => this.slotWaiters.push(resolve))
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift()
    if (next) next()
    else this.inFlight--
  }

  private learn({ status, headers, text = '' }: GateAnswer): void {
    const now = this.clock.now()
    this.counts.total++
    if (status === 304) this.counts.notModified++
    if (status >= 400) this.counts.errors++
    const resource = headers['x-ratelimit-resource']
    const limit = Number(headers['x-ratelimit-limit'])
    const remaining = Number(headers['x-ratelimit-remaining'])
    const reset = Number(headers['x-ratelimit-reset'])
    const known = headers['x-ratelimit-limit'] !== undefined && headers['x-ratelimit-reset'] !== undefined
    if (known && (!resource || resource === 'core') && [limit, remaining, reset].every(Number.isFinite)) {
      const resetAt = reset * 1000
      if (this.resetAt === undefined || resetAt > this.resetAt) {
        Object.assign(this, { limit, remaining, resetAt })
      } else if (resetAt === this.resetAt) {
        // Answers arrive out of order: within one window the smallest remaining is the truth.
        this.limit = limit
        this.remaining = Math.min(this.remaining ?? remaining, remaining)
      }
    }
    if (isRateLimitAnswer(status, headers, text)) {
      const wait =
        headers['retry-after'] === undefined && headers['x-ratelimit-remaining'] !== '0'
          ? this.limits.secondaryFallbackMs
          : rateLimitWaitMs(headers, now)
      const why =
        headers['x-ratelimit-remaining'] === '0'
          ? 'primary rate limit exhausted'
          : `secondary rate limit (GitHub ${status}, waiting ${Math.ceil(wait / 1000)} s)`
      this.park(now + wait, why)
    }
  }

  private park(until: number, why: string): void {
    if (until <= this.parkedUntil) return
    this.parkedUntil = until
    this.parkedReason = why
  }

  snapshot(): GateSnapshot {
    const now = this.clock.now()
    this.writeStarts = this.writeStarts.filter((t) => now - t < 60_000)
    const parked =
      this.parkedUntil > now
        ? { until: this.parkedUntil, why: this.parkedReason }
        : (() => {
            const hold = this.budgetHold(now, { write: false, background: true })
            return hold && { until: now + hold.ms, why: hold.why }
          })()
    return {
      id: this.id,
      host: this.host,
      maxConcurrency: this.limits.maxConcurrency,
      inFlight: this.inFlight,
      queued: this.queued,
      ...(this.limit === undefined ? {} : { limit: this.limit }),
      ...(this.remaining === undefined ? {} : { remaining: this.remaining }),
      ...(this.resetAt === undefined ? {} : { resetAt: new Date(this.resetAt).toISOString() }),
      ...(parked ? { parkedUntil: new Date(parked.until).toISOString(), parkedReason: parked.why } : {}),
      writesLastMinute: this.writeStarts.length,
      requests: { ...this.counts },
    }
  }
}
