// What the runtime reports as it works, for metrics or anything else that counts. A port: the
// runtime and its actors call it; src/routes/metrics.ts implements it with prom-client.
import type { GitBackend, ResponseInfo } from '../backend/backend.ts'
import type { Logger } from '../log.ts'

export interface ReconcileReport {
  cluster: string
  kind: string
  operation: 'reconcile' | 'finalize'
  /** ok: done (ready, finalized); waiting: a dependency is not ready; error: it failed (see reason). */
  result: 'ok' | 'waiting' | 'error'
  /** Condition reason of a failure (e.g. RateLimited, TransientError). */
  reason?: string
  /** The work itself, not the wait for a concurrency slot. */
  durationMs: number
}

export interface CrawlReport {
  cluster: string
  /** The Repository whose packages were crawled. */
  repository: string
  result: 'ok' | 'error'
  durationMs: number
  /** Packages found (on success). */
  packages?: number
}

export interface RuntimeObserver {
  onReconcile?(report: ReconcileReport): void
  /** Every response of every session the runtime opens (resource actors, crawlers, requests). */
  onResponse?(info: ResponseInfo): void
  onCrawl?(report: CrawlReport): void
}

/** The observer with every method present and none able to break the work that reports to it. */
export function guardObserver(observer: RuntimeObserver, log: Logger): Required<RuntimeObserver> {
  const guard =
    <A>(name: string, fn: ((a: A) => void) | undefined) =>
    (a: A) => {
      try {
        fn?.call(observer, a)
      } catch (e) {
        log.warn('runtime observer failed', { hook: name, error: (e as Error).message })
      }
    }
  return {
    onReconcile: guard('onReconcile', observer.onReconcile),
    onResponse: guard('onResponse', observer.onResponse),
    onCrawl: guard('onCrawl', observer.onCrawl),
  }
}

/** The same backend, with `onResponse` told about every response of every session opened through it. */
export function observeResponses(backend: GitBackend, onResponse: (info: ResponseInfo) => void): GitBackend {
  return {
    provider: backend.provider,
    gates: () => backend.gates(),
    session: (endpoint, options = {}) =>
      backend.session(endpoint, {
        ...options,
        onResponse: (info) => {
          onResponse(info)
          options.onResponse?.(info)
        },
      }),
  }
}
