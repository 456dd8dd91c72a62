// MCP read latency with 1,000 repositories in one workspace (run: `bun bench/mcp.ts`): the SDK's
// own clients, several at once, against the main app on a real listener, in front of the embedded
// API server, the runtime and the GitHub sandbox, all in this process on the same cores. Prints
// p50/p99 per tool; asserts nothing.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { resourceTypes } from '../src/cluster/cluster.ts'
import { startMainApp, type TransportKind } from '../test/support/mcp.ts'
import { codeObject, startStack } from '../test/support/stack.ts'

const REPOSITORIES = 1000
const CLIENTS = 8
const CALLS_PER_CLIENT = 100
const TENANT = 'root:acme'

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!

async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++)
    }),
  )
}

// Production polling (drift every 10 minutes), so the figures are not mixed with a re-observation wave.
const s = await startStack({
  tenants: [TENANT],
  log: () => undefined,
  intervals: { driftMs: 600_000, blockedRetryMs: 600_000, waitingRetryMs: 600_000 },
})
// Setup speed only: the figures below never reach GitHub (reads come from the informer cache).
s.sandbox.control.setSecondaryLimits({ contentCreatesPerMinute: 100_000, contentCreatesPerHour: 1_000_000 })
s.sandbox.control.setRateLimit({ limit: 1_000_000, remaining: 1_000_000 })
await s.connect(TENANT, 'github')
await s.waitFor(() => s.ready(TENANT, 'Connection', 'github'), 'connection ready')
const acme = s.tenant(TENANT)
let t = performance.now()
await parallel(REPOSITORIES, 16, (i) =>
  acme.create(
    resourceTypes.Repository,
    codeObject('Repository', `repo-${String(i).padStart(4, '0')}`, { connectionRef: 'github', name: `repo-${i}` }),
  ),
)
console.log(`setup: ${REPOSITORIES} Repositories created in ${(performance.now() - t).toFixed(0)} ms`)
const cluster = s.clusterOf(TENANT)
const ready = () =>
  s.runtime
    .objects(cluster, 'Repository')
    .filter((r) =>
      ((r.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length
await s.waitFor(() => ready() === REPOSITORIES, 'all repositories ready', 300_000)
console.log(`setup: all ${REPOSITORIES} Ready on the sandbox after ${(performance.now() - t).toFixed(0)} ms`)

const app = await startMainApp(s)

async function measure(
  kind: TransportKind,
  tool: string,
  args: (i: number) => Record<string, unknown>,
  clientCount = CLIENTS,
) {
  const clients: Client[] = await Promise.all(Array.from({ length: clientCount }, () => app.client(TENANT, kind)))
  for (const c of clients) await c.callTool({ name: tool, arguments: args(0) }) // warm up
  const latencies: number[] = []
  let bytes = 0
  t = performance.now()
  await Promise.all(
    clients.map(async (c, k) => {
      for (let i = 0; i < CALLS_PER_CLIENT; i++) {
        const start = performance.now()
        const r = await c.callTool({ name: tool, arguments: args(k * CALLS_PER_CLIENT + i) })
        latencies.push(performance.now() - start)
        if (r.isError) throw new Error(`${tool}: ${JSON.stringify(r.content)}`)
        bytes = JSON.stringify(r.structuredContent).length
      }
    }),
  )
  const secs = (performance.now() - t) / 1000
  for (const c of clients) await c.close()
  const what = `${tool}(${JSON.stringify(args(1)).replace(/"repo-\d+"/, '"repo-N"')})`
  console.log(
    `${kind.padEnd(10)} ${what.padEnd(44)} ${clientCount} client${clientCount > 1 ? 's' : ' '} × ${CALLS_PER_CLIENT}: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, ${(latencies.length / secs).toFixed(0)} calls/s, result ${(bytes / 1024).toFixed(1)} KiB`,
  )
}

const name = (i: number) => `repo-${String(i % REPOSITORIES).padStart(4, '0')}`
for (const kind of ['streamable', 'sse'] as const) {
  for (const clients of [1, CLIENTS]) {
    await measure(kind, 'get_repository', (i) => ({ name: name(i * 7) }), clients)
    await measure(kind, 'list_repositories', () => ({}), clients)
    await measure(kind, 'list_repositories', () => ({ limit: 1000 }), clients)
  }
}

await app.stop()
await s.stop()
