// GitHub's rate limits. Primary: a budget per user (or installation, or anonymous caller) that
// resets hourly; 304s are free. Secondary: content-creating requests per minute and per hour, and
// concurrent requests, answered with 403 (or 429) and retry-after.
import type { Clock } from './clock.ts'
import { GitHubError } from './github-error.ts'

export interface PrimaryLimit {
  limit: number
  used: number
  /** Epoch ms when the window resets. */
  resetAt: number
}

export interface SecondaryLimits {
  contentCreatesPerMinute: number
  contentCreatesPerHour: number
  concurrency: number
  status: 403 | 429
}

/** Whose budget a request spends. */
export interface Bucket {
  key: string
  kind: 'user' | 'installation' | 'anonymous' | 'app'
  id?: number
}

const HOUR = 3600_000
const MINUTE = 60_000
const DEFAULT_LIMIT: Record<Bucket['kind'], number> = { user: 5000, installation: 5000, app: 5000, anonymous: 60 }

export const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID'

export class RateLimits {
  private readonly primary = new Map<string, PrimaryLimit>()
  private readonly creates = new Map<string, number[]>()
  private readonly inFlight = new Map<string, number>()
  private userLimit = DEFAULT_LIMIT.user
  secondary: SecondaryLimits = {
    contentCreatesPerMinute: 80,
    contentCreatesPerHour: 500,
    concurrency: 100,
    status: 403,
  }

  constructor(private readonly clock: Clock) {}

  /** The bucket's current window (rolled over when its reset time has passed). */
  window(bucket: Bucket): PrimaryLimit {
    const now = this.clock.now()
    let w = this.primary.get(bucket.key)
    if (!w || now >= w.resetAt) {
      const limit = w?.limit ?? (bucket.kind === 'user' ? this.userLimit : DEFAULT_LIMIT[bucket.kind])
      w = { limit, used: 0, resetAt: now + HOUR }
      this.primary.set(bucket.key, w)
    }
    return w
  }

  /** Control API: change one bucket, or (without a key) the limit of every user bucket. */
  setPrimary(key: string | undefined, change: { limit?: number; remaining?: number; resetAt?: number }): void {
    const targets = key ? [key] : [...this.primary.keys()].filter((k) => k.startsWith('user:'))
    if (!key && change.limit !== undefined) this.userLimit = change.limit
    for (const k of targets) {
      const w = this.window({ key: k, kind: k.startsWith('user:') ? 'user' : 'installation' })
      if (change.limit !== undefined) w.limit = change.limit
      if (change.remaining !== undefined) w.used = Math.max(0, w.limit - change.remaining)
      if (change.resetAt !== undefined) w.resetAt = change.resetAt
    }
  }

  headers(bucket: Bucket): Record<string, string> {
    const w = this.window(bucket)
    return {
      'x-ratelimit-limit': String(w.limit),
      'x-ratelimit-remaining': String(Math.max(0, w.limit - w.used)),
      'x-ratelimit-used': String(w.used),
      'x-ratelimit-reset': String(Math.ceil(w.resetAt / 1000)),
      'x-ratelimit-resource': 'core',
    }
  }

  exhausted(bucket: Bucket): GitHubError | undefined {
    const w = this.window(bucket)
    if (w.used < w.limit) return undefined
    const who =
      bucket.kind === 'anonymous'
        ? "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        : `${bucket.kind === 'installation' ? 'installation' : 'user'} ID ${bucket.id}.`
    return new GitHubError(403, `API rate limit exceeded for ${who}`, {
      documentationURL: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    })
  }

  bill(bucket: Bucket): void {
    this.window(bucket).used += 1
  }

  /** Secondary limits; a content-creating request that passes is counted. */
  secondaryLimited(bucket: Bucket, createsContent: boolean, requestId: string): GitHubError | undefined {
    const now = this.clock.now()
    const limited = (retryAfterSeconds: number) =>
      new GitHubError(this.secondary.status, `${SECONDARY_MESSAGE} ${requestId}.`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
        documentationURL:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      })
    if ((this.inFlight.get(bucket.key) ?? 0) > this.secondary.concurrency) return limited(1)
    if (!createsContent) return undefined
    const times = (this.creates.get(bucket.key) ?? []).filter((t) => now - t < HOUR)
    this.creates.set(bucket.key, times)
    const lastMinute = times.filter((t) => now - t < MINUTE)
    if (lastMinute.length >= this.secondary.contentCreatesPerMinute) {
      return limited((lastMinute[0]! + MINUTE - now) / 1000)
    }
    if (times.length >= this.secondary.contentCreatesPerHour) return limited((times[0]! + HOUR - now) / 1000)
    times.push(now)
    return undefined
  }

  /** Concurrency accounting around a request; the count includes the request itself. */
  enter(bucket: Bucket): void {
    this.inFlight.set(bucket.key, (this.inFlight.get(bucket.key) ?? 0) + 1)
  }

  leave(bucket: Bucket): void {
    this.inFlight.set(bucket.key, Math.max(0, (this.inFlight.get(bucket.key) ?? 1) - 1))
  }

  /** For `GET /rate_limit`. */
  overview(bucket: Bucket) {
    const w = this.window(bucket)
    const core = {
      limit: w.limit,
      used: w.used,
      remaining: Math.max(0, w.limit - w.used),
      reset: Math.ceil(w.resetAt / 1000),
    }
    const reset = Math.ceil((this.clock.now() + MINUTE) / 1000)
    return {
      resources: {
        core,
        search: { limit: 30, used: 0, remaining: 30, reset },
        graphql: { ...core, used: 0, remaining: w.limit },
      },
      rate: core,
    }
  }
}
