import { expect, test } from 'bun:test'
import { parsePrometheusText, sampleValue } from '../../test/support/prometheus-text.ts'
import { type ActorView, newView } from '../actors/actor-view.ts'
import type { GateSnapshot } from '../backend/backend.ts'
import { createMetrics } from './metrics.ts'

const view = (kind: string, state: string, name: string): ActorView => ({
  ...newView(`c/${kind}/${name}`, 'c', kind, name, ''),
  state,
})

const gate: GateSnapshot = {
  id: 'sha256:0123abcd@api.github.com',
  host: 'api.github.com',
  maxConcurrency: 10,
  inFlight: 2,
  queued: 1,
  limit: 5000,
  remaining: 4321,
  resetAt: '2026-11-29T11:00:00.000Z',
  parkedUntil: '2026-11-29T10:01:00.000Z',
  parkedReason: 'secondary rate limit',
  writesLastMinute: 3,
  requests: { total: 10, notModified: 4, errors: 1 },
}

test('observer hooks and sources become strictly valid Prometheus text with the values given', async () => {
  const m = createMetrics()
  m.observer.onReconcile({ cluster: 'c', kind: 'Repository', operation: 'reconcile', result: 'ok', durationMs: 120 })
  m.observer.onReconcile({
    cluster: 'c',
    kind: 'Repository',
    operation: 'reconcile',
    result: 'error',
    reason: 'RateLimited',
    durationMs: 40,
  })
  const response = { method: 'GET', route: 'GET /repos/{owner}/{repo}', durationMs: 30, gate: gate.id }
  m.observer.onResponse({ ...response, status: 200, notModified: false })
  m.observer.onResponse({ ...response, status: 304, notModified: true })
  m.observer.onCrawl({ cluster: 'c', repository: 'web', result: 'ok', durationMs: 3_000, packages: 2 })
  m.attach({
    runtime: {
      gates: () => [gate],
      supervisors: () => [view('System', 'running', 'system'), view('Workspace', 'active', 'c')],
      actors: () => [
        view('Repository', 'ready', 'a'),
        view('Repository', 'ready', 'b'),
        view('DeployKey', 'backoff', 'k'),
      ],
    },
    apiserver: { requests: () => [{ verb: 'list', resource: 'repositories', code: 200, count: 7 }], watches: () => 3 },
  })
  const f = parsePrometheusText(await m.render())
  const v = (name: string, labels?: Record<string, string>) => sampleValue(f, name, labels)

  expect(v('code_reconciles_total', { kind: 'Repository', result: 'ok' })).toBe(1)
  expect(v('code_reconciles_total', { kind: 'Repository', result: 'error' })).toBe(1)
  expect(v('code_reconcile_failures_total', { kind: 'Repository', reason: 'RateLimited' })).toBe(1)
  expect(v('code_reconcile_duration_seconds_count', { kind: 'Repository', operation: 'reconcile' })).toBe(2)
  expect(v('code_reconcile_duration_seconds_sum', { kind: 'Repository' })).toBeCloseTo(0.16)
  expect(v('code_github_requests_total', { method: 'GET', status: '200' })).toBe(1)
  expect(v('code_github_requests_total', { method: 'GET', status: '304' })).toBe(1)
  expect(v('code_github_requests_not_modified_total')).toBe(1)
  expect(v('code_github_request_duration_seconds_count', { method: 'GET' })).toBe(2)
  expect(v('code_crawls_total', { result: 'ok' })).toBe(1)
  expect(v('code_crawl_duration_seconds_bucket', { result: 'ok', le: '2.5' })).toBe(0)
  expect(v('code_crawl_duration_seconds_bucket', { result: 'ok', le: '5' })).toBe(1)
  expect(v('code_github_rate_limit_remaining', { gate: gate.id })).toBe(4321)
  expect(v('code_github_rate_limit_limit', { gate: gate.id })).toBe(5000)
  expect(v('code_github_rate_limit_reset_timestamp_seconds', { gate: gate.id })).toBe(Date.parse(gate.resetAt!) / 1000)
  expect(v('code_github_gate_in_flight', { gate: gate.id })).toBe(2)
  expect(v('code_github_gate_queued', { gate: gate.id })).toBe(1)
  expect(v('code_github_gate_parked', { gate: gate.id })).toBe(1)
  expect(v('code_actors', { kind: 'Repository', state: 'ready' })).toBe(2)
  expect(v('code_actors', { kind: 'DeployKey', state: 'backoff' })).toBe(1)
  expect(v('code_actors', { kind: 'Workspace', state: 'active' })).toBe(1)
  expect(v('code_apiserver_requests_total', { verb: 'list', resource: 'repositories', code: '200' })).toBe(7)
  expect(v('code_apiserver_watches')).toBe(3)
  expect(v('process_cpu_seconds_total')).toBeGreaterThan(0)
  expect(f.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge')
})

test('gauges follow their sources between scrapes; two instances do not share counters', async () => {
  let remaining = 10
  const a = createMetrics()
  const b = createMetrics()
  a.attach({ runtime: { gates: () => [{ ...gate, remaining }], supervisors: () => [], actors: () => [] } })
  a.observer.onCrawl({ cluster: 'c', repository: 'r', result: 'error', durationMs: 1 })
  expect(sampleValue(parsePrometheusText(await a.render()), 'code_github_rate_limit_remaining')).toBe(10)
  remaining = 9
  expect(sampleValue(parsePrometheusText(await a.render()), 'code_github_rate_limit_remaining')).toBe(9)
  expect(sampleValue(parsePrometheusText(await b.render()), 'code_crawls_total', { result: 'error' })).toBeUndefined()
})

test('code_leader: 1 while this process reconciles, 0 while it stands by', async () => {
  let leading = false
  const m = createMetrics()
  m.attach({ runtime: { gates: () => [], supervisors: () => [], actors: () => [] }, leading: () => leading })
  const f = parsePrometheusText(await m.render())
  expect(f.get('code_leader')?.type).toBe('gauge')
  expect(sampleValue(f, 'code_leader')).toBe(0)
  leading = true
  expect(sampleValue(parsePrometheusText(await m.render()), 'code_leader')).toBe(1)
})
