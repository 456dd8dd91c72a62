// /metrics in the Prometheus text format. Counters and histograms are fed by the runtime's
// observer hooks as work happens; gauges (rate-limit budgets, actors by state, the embedded API
// server's request counts) are read from their sources at scrape time.
import { Elysia } from 'elysia'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { RuntimeObserver } from '../actors/observer.ts'
import type { Runtime } from '../actors/runtime.ts'

export interface ApiRequestCount {
  verb: string
  resource: string
  code: number
  count: number
}

export interface MetricSources {
  runtime: Pick<Runtime, 'gates' | 'actors' | 'supervisors'>
  /** The embedded API server's request counts (only when serve started it). */
  apiserver?: { requests(): ApiRequestCount[]; watches(): number }
  /** True while this process runs the runtime: it holds the lease, or leader election is off. */
  leading?: () => boolean
}

export interface Metrics {
  /** Hand to createRuntime({ observer }). */
  observer: Required<RuntimeObserver>
  /** Where the gauges read from; call once the runtime exists. */
  attach(sources: MetricSources): void
  render(): Promise<string>
  readonly contentType: string
}

const seconds = (ms: number) => ms / 1000
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

// Process metrics (CPU, memory, event loop lag, GC) are per process: collected once, merged into every scrape.
let processRegistry: Registry | undefined
const processMetrics = () => {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

export function createMetrics(): Metrics {
  const registers = [new Registry()]
  const [registry] = registers as [Registry]
  let sources: MetricSources | undefined

  const reconciles = new Counter({
    name: 'code_reconciles_total',
    help: 'Reconciles and finalizes by kind and result (ok, waiting, error).',
    labelNames: ['kind', 'operation', 'result'] as const,
    registers,
  })
  const reconcileFailures = new Counter({
    name: 'code_reconcile_failures_total',
    help: 'Failed reconciles and finalizes by kind and condition reason.',
    labelNames: ['kind', 'reason'] as const,
    registers,
  })
  const reconcileDuration = new Histogram({
    name: 'code_reconcile_duration_seconds',
    help: 'Time a reconcile or finalize took, not counting the wait for a concurrency slot.',
    labelNames: ['kind', 'operation'] as const,
    buckets: durationBuckets,
    registers,
  })
  const requests = new Counter({
    name: 'code_github_requests_total',
    help: 'Responses from the git host by method and HTTP status (304 included).',
    labelNames: ['method', 'status'] as const,
    registers,
  })
  const notModified = new Counter({
    name: 'code_github_requests_not_modified_total',
    help: 'Responses answered 304 from the ETag cache: free against the primary rate limit.',
    registers,
  })
  const requestDuration = new Histogram({
    name: 'code_github_request_duration_seconds',
    help: 'Time from sending a request to the git host to its response.',
    labelNames: ['method'] as const,
    buckets: durationBuckets,
    registers,
  })
  const crawls = new Counter({
    name: 'code_crawls_total',
    help: 'Package crawls by result.',
    labelNames: ['result'] as const,
    registers,
  })
  const crawlDuration = new Histogram({
    name: 'code_crawl_duration_seconds',
    help: 'Time a package crawl of one repository took.',
    labelNames: ['result'] as const,
    buckets: durationBuckets,
    registers,
  })

  /** A gauge whose samples are read from the sources at scrape time. */
  const sampled = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (s: MetricSources) => [Partial<Record<L, string>>, number][],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset()
        if (sources) for (const [labels, value] of read(sources)) this.set(labels, value)
      },
    })

  const gates = (s: MetricSources) => s.runtime.gates()
  sampled(
    'code_github_rate_limit_remaining',
    'Requests left in the primary rate limit, per credential gate.',
    ['gate'],
    (s) => gates(s).flatMap((g) => (g.remaining === undefined ? [] : [[{ gate: g.id }, g.remaining]])),
  )
  sampled('code_github_rate_limit_limit', 'Size of the primary rate limit, per credential gate.', ['gate'], (s) =>
    gates(s).flatMap((g) => (g.limit === undefined ? [] : [[{ gate: g.id }, g.limit]])),
  )
  sampled(
    'code_github_rate_limit_reset_timestamp_seconds',
    'When the primary rate limit resets (Unix time), per credential gate.',
    ['gate'],
    (s) => gates(s).flatMap((g) => (g.resetAt ? [[{ gate: g.id }, Date.parse(g.resetAt) / 1000]] : [])),
  )
  sampled('code_github_gate_in_flight', 'Requests in flight, per credential gate.', ['gate'], (s) =>
    gates(s).map((g) => [{ gate: g.id }, g.inFlight]),
  )
  sampled('code_github_gate_queued', 'Requests waiting for the gate, per credential gate.', ['gate'], (s) =>
    gates(s).map((g) => [{ gate: g.id }, g.queued]),
  )
  sampled(
    'code_github_gate_parked',
    '1 while a gate holds requests back (secondary limit, exhausted budget).',
    ['gate'],
    (s) => gates(s).map((g) => [{ gate: g.id }, g.parkedUntil ? 1 : 0]),
  )
  sampled(
    'code_actors',
    'Live actors by kind and state (System and Workspace supervisors included).',
    ['kind', 'state'],
    (s) => {
      const counts = new Map<string, number>()
      for (const a of [...s.runtime.supervisors(), ...s.runtime.actors()]) {
        const key = `${a.kind}\0${a.state}`
        counts.set(key, (counts.get(key) ?? 0) + 1)
      }
      return [...counts].map(([key, n]) => {
        const [kind, state] = key.split('\0') as [string, string]
        return [{ kind, state }, n]
      })
    },
  )
  sampled(
    'code_leader',
    '1 while this process reconciles (it holds the leader-election Lease, or election is off); 0 while it stands by.',
    [],
    (s) => (s.leading ? [[{}, s.leading() ? 1 : 0]] : []),
  )
  sampled('code_apiserver_watches', 'Open watch streams on the embedded API server.', [], (s) =>
    s.apiserver ? [[{}, s.apiserver.watches()]] : [],
  )
  new Counter({
    name: 'code_apiserver_requests_total',
    help: 'Requests to the embedded API server by verb, resource and status code.',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers,
    collect() {
      this.reset()
      for (const r of sources?.apiserver?.requests() ?? [])
        this.inc({ verb: r.verb, resource: r.resource, code: String(r.code) }, r.count)
    },
  })

  return {
    observer: {
      onReconcile(r) {
        reconciles.inc({ kind: r.kind, operation: r.operation, result: r.result })
        reconcileDuration.observe({ kind: r.kind, operation: r.operation }, seconds(r.durationMs))
        if (r.result === 'error') reconcileFailures.inc({ kind: r.kind, reason: r.reason ?? 'Unknown' })
      },
      onResponse(info) {
        requests.inc({ method: info.method, status: String(info.status) })
        if (info.notModified) notModified.inc()
        requestDuration.observe({ method: info.method }, seconds(info.durationMs))
      },
      onCrawl(r) {
        crawls.inc({ result: r.result })
        crawlDuration.observe({ result: r.result }, seconds(r.durationMs))
      },
    },
    attach(s) {
      sources = s
    },
    render: () => Registry.merge([processMetrics(), registry]).metrics(),
    contentType: registry.contentType,
  }
}

export const metricsRoutes = (metrics: Metrics) =>
  new Elysia().get(
    '/metrics',
    async () => new Response(await metrics.render(), { headers: { 'content-type': metrics.contentType } }),
  )
