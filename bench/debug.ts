// /debug and /metrics with many actors: response times of the tree, a filtered page of actors, the
// HTML page and a scrape, with 10,000 and 100,000 actors in 1,000 workspaces, over HTTP; and
// the cost of pushing transitions to SSE clients.
// Run: npx bun bench/debug.ts
import type { ActorView, Transition, TransitionListener } from '../src/actors/actor-view.ts'
import type { Runtime } from '../src/actors/runtime.ts'
import { silentLogger } from '../src/log.ts'
import { createAdminApp } from '../src/routes/app.ts'
import { createMetrics } from '../src/routes/metrics.ts'
import { StatusBoard } from '../src/status-board.ts'

const kinds = ['Connection', 'Repository', 'DeployKey', 'Collaborator'] as const
const states = ['ready', 'ready', 'ready', 'provisioning', 'backoff', 'waiting']

function syntheticRuntime(actors: number, workspaces: number) {
  const at = new Date().toISOString()
  const transition = { at, from: 'provisioning', to: 'ready', event: 'xstate.done.actor.0.resource.provisioning' }
  const view = (cluster: string, kind: string, name: string, state: string, parent?: string): ActorView => ({
    id: `${cluster}/${kind}/${name}`,
    cluster,
    kind,
    name,
    state,
    since: at,
    attempts: state === 'backoff' ? 3 : 0,
    transitions: [transition, transition, transition],
    lastResponse: {
      method: 'GET',
      route: 'GET /repos/{owner}/{repo}',
      status: 304,
      requestId: 'ABCD:1234',
      notModified: true,
      gate: 'f00@api.github.com',
      at,
    },
    ...(parent ? { parent } : {}),
  })
  const members: ActorView[] = []
  for (let i = 0; i < actors; i++) {
    const cluster = `ws${i % workspaces}`
    const kind = kinds[Math.min(3, Math.floor((i / workspaces) % 4))]!
    const parent =
      kind === 'Connection'
        ? undefined
        : kind === 'Repository'
          ? `${cluster}/Connection/c0`
          : `${cluster}/Repository/r0`
    members.push(view(cluster, kind, `n${i}`, states[i % states.length]!, parent))
  }
  const supervisors = [
    { ...view('', 'System', 'system', 'running'), id: 'system' },
    ...Array.from({ length: workspaces }, (_, w) => ({
      ...view(`ws${w}`, 'Workspace', `ws${w}`, 'active', 'system'),
      id: `ws${w}`,
    })),
  ]
  const listeners = new Set<TransitionListener>()
  const runtime = {
    ready: () => true,
    systemState: () => 'running',
    pendingTimers: () => actors,
    actors: () => members,
    supervisors: () => supervisors,
    actorDetail: () => undefined,
    gates: () => [],
    onTransition(l: TransitionListener) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
  } as unknown as Runtime
  const emit = (i: number) => {
    const v = members[i % members.length]!
    const t: Transition = { ...transition }
    for (const l of listeners) l(v, t)
  }
  return { runtime, emit }
}

async function time(label: string, url: string, n = 10): Promise<void> {
  let bytes = 0
  const start = performance.now()
  for (let i = 0; i < n; i++) bytes = (await (await fetch(url)).arrayBuffer()).byteLength
  console.log(`  ${label}: ${((performance.now() - start) / n).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB`)
}

for (const actors of [10_000, 100_000]) {
  const { runtime, emit } = syntheticRuntime(actors, 1_000)
  const metrics = createMetrics()
  metrics.attach({ runtime })
  const app = createAdminApp({
    config: { adminToken: undefined },
    runtime,
    logger: silentLogger,
    metrics,
    status: new StatusBoard(),
  }).listen({ hostname: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${app.server!.port}`
  console.log(`${actors.toLocaleString('en')} actors in 1,000 workspaces:`)
  await time('GET /debug/tree (JSON, 500 shown)', `${base}/debug/tree`)
  await time('GET /debug/tree?workspace=ws7 (JSON)', `${base}/debug/tree?workspace=ws7`)
  await time('GET /debug/actors?state=backoff&limit=100', `${base}/debug/actors?state=backoff&limit=100`)
  await time('GET /debug (HTML page)', `${base}/debug`)
  await time('GET /metrics', `${base}/metrics`)

  // Transitions pushed to 10 SSE clients: how long the runtime spends in the listeners.
  const clients = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/debug/events`)))
  const readers = clients.map((c) => c.body!.getReader())
  for (const r of readers)
    void (async () => {
      for (;;) if ((await r.read()).done) return
    })()
  await Bun.sleep(50)
  const n = 10_000
  const start = performance.now()
  for (let i = 0; i < n; i++) emit(i)
  const perTransition = ((performance.now() - start) * 1000) / n
  console.log(`  a transition pushed to 10 SSE clients: ${perTransition.toFixed(1)} µs of the runtime's time`)
  for (const r of readers) await r.cancel()
  await app.stop(true)
}
process.exit(0)
