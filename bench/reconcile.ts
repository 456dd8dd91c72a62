// Benchmarks of the actor runtime (prints figures, asserts nothing).
//   npx bun bench/reconcile.ts           1,000 repositories + 1,000 deploy keys + 1,000 collaborators
//                                        across 100 workspaces: time to all Ready, create→Ready p50/p99,
//                                        GitHub requests per resource (GitHub-paced gates, as in production)
//   npx bun bench/reconcile.ts --idle    100,000 idle (Ready) resources in 10,000 workspaces: cold start
//                                        from a full list and the runtime's memory (API server in its own process)
//   npx bun bench/reconcile.ts --one-workspace   the same for 10,000 resources in one workspace
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRuntime } from '../src/actors/runtime.ts'
import type { KubeObject } from '../src/apis/meta.ts'
import { API_VERSION } from '../src/apis/v1alpha1/group.ts'
import { FINALIZERS } from '../src/apis/v1alpha1/labels.ts'
import { createGitHubBackend } from '../src/backend/github/github-backend.ts'
import { resourceTypes } from '../src/cluster/cluster.ts'
import { createProviderCluster } from '../src/cluster/kube/provider-cluster.ts'
import { createTenantClients } from '../src/cluster/kube/tenant-clients.ts'
import { silentLogger } from '../src/log.ts'
import { startTestApiServer } from '../test/support/apiserver.ts'
import { startTestSandbox } from '../test/support/sandbox.ts'

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
const obj = (kind: string, name: string, spec: unknown, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name, ...extra },
  spec,
})

async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++)
    }),
  )
}

const intervals = {
  driftMs: 600_000,
  blockedRetryMs: 600_000,
  waitingRetryMs: 600_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 300_000,
}
const settings = {
  credentialsNamespace: 'default',
  revalidateMs: 3_600_000,
  invitationPollMs: 300_000,
  maxReinvitations: 3,
}

async function active() {
  const W = 100
  const PER = 10
  const tenants = Array.from({ length: W }, (_, i) => `root:w${i}`)
  const api = await startTestApiServer({ tenants })
  const sandbox = await startTestSandbox({ clock: { now: () => Date.now() } })
  sandbox.control.createOrg({ login: 'acme' })
  for (let i = 0; i < W; i++) {
    sandbox.control.createUser({ login: `dev-${i}` })
    sandbox.control.setOrgMember('acme', `dev-${i}`, 'admin')
  }
  for (let i = 0; i < W * PER; i++) sandbox.control.createUser({ login: `guest-${i}` })
  const cluster = await createProviderCluster({
    kubeconfig: { path: api.kubeconfigs.provider },
    workspacePath: api.workspacePath,
  })
  const limit = Number(process.argv.find((a) => a.startsWith('--concurrency='))?.split('=')[1] ?? 0) || undefined
  const runtime = createRuntime({
    cluster,
    backend: createGitHubBackend(),
    logger: silentLogger,
    intervals,
    settings,
    maxConcurrentReconciles: limit,
  })
  await runtime.start()
  const clients = await createTenantClients({ kubeconfig: { path: api.kubeconfigs.admin } })

  const createdAt = new Map<string, number>()
  const readyAt = new Map<string, number>()
  runtime.onTransition((view, t) => {
    if (t.to === 'ready' && !readyAt.has(view.id)) readyAt.set(view.id, performance.now())
  })
  const t0 = performance.now()
  await parallel(W, 10, async (w) => {
    const t = api.tenants[tenants[w]!]!
    const c = clients.forCaller({ cluster: t.cluster, token: t.token })
    const token = sandbox.control.issueToken({ user: `dev-${w}` })
    await c.create(resourceTypes.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'gh', namespace: 'default' },
      stringData: { token },
    } as unknown as KubeObject)
    await c.create(
      resourceTypes.Connection,
      obj('Connection', 'github', {
        provider: 'github',
        type: 'pat',
        owner: 'acme',
        secretRef: { name: 'gh' },
        baseURL: sandbox.url,
      }),
    )
    for (let i = 0; i < PER; i++) {
      const n = w * PER + i
      for (const [kind, name, spec] of [
        ['Repository', `r${i}`, { connectionRef: 'github', name: `repo-${n}` }],
        ['DeployKey', `k${i}`, { repositoryRef: `r${i}` }],
        ['Collaborator', `c${i}`, { repositoryRef: `r${i}`, username: `guest-${n}` }],
      ] as const) {
        createdAt.set(`${t.cluster}/${kind}/${name}`, performance.now())
        await c.create(resourceTypes[kind], obj(kind, name, spec))
      }
    }
  })
  const total = W * PER * 3
  console.log(`active: ${total} resources (+${W} connections) created in ${W} workspaces in ${secs(t0)}`)
  sandbox.control.clearRequests()
  while ([...createdAt.keys()].filter((k) => readyAt.has(k)).length < total) await Bun.sleep(100)
  const latencies = [...createdAt].map(([k, at]) => readyAt.get(k)! - at)
  const requests = sandbox.control.requestCounts()
  console.log(
    `active: all ${total} Ready ${secs(t0)} after the first create (GitHub-paced gates: 750 ms between writes per credential)`,
  )
  console.log(
    `active: create→Ready p50 ${(pct(latencies, 50) / 1000).toFixed(1)} s, p99 ${(pct(latencies, 99) / 1000).toFixed(1)} s`,
  )
  const byVerb: Record<string, number> = {}
  for (const m of api.metrics.snapshot())
    byVerb[`${m.verb} ${m.resource}`] = (byVerb[`${m.verb} ${m.resource}`] ?? 0) + m.count
  const top = Object.entries(byVerb)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, v]) => `${k} ${(v / total).toFixed(2)}`)
  console.log(`active: API server requests per resource (top): ${top.join(', ')}`)
  console.log(
    `active: GitHub requests per resource ${(requests.total / total).toFixed(2)} (${requests.billed} billed, ${requests.notModified} answered 304)`,
  )
  await runtime.stop()
  await sandbox.stop()
  await api.stop()
}

async function idle(W: number, PER: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'code-reconcile-idle-'))
  try {
    // 1. Fill a data dir: 10,000 workspaces, each a Connection and 9 Repositories, all Ready.
    let t = performance.now()
    const seeded = await startTestApiServer({ dataDir, tenants: [] })
    const tenantInfo = Array.from({ length: W }, (_, i) => seeded.tenant(`root:t${i}`))
    const ready = (g: number) => ({
      observedGeneration: g,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Available',
          message: 'ok',
          lastTransitionTime: new Date().toISOString(),
          observedGeneration: g,
        },
      ],
    })
    const call = (path: string, method: string, body: unknown) =>
      seeded.handle(
        new Request(`${seeded.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${seeded.tokens.admin}`,
            'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
          },
          body: JSON.stringify(body),
        }),
      )
    await parallel(W * PER, 32, async (n) => {
      const ws = tenantInfo[n % W]!.path
      const i = Math.floor(n / W)
      const [kind, plural, name, spec, finalizer] =
        i === 0
          ? [
              'Connection',
              'connections',
              'github',
              { provider: 'github', type: 'pat', owner: 'acme', secretRef: { name: 'gh' } },
              FINALIZERS.Connection,
            ]
          : ['Repository', 'repositories', `r${i}`, { connectionRef: 'github', name: `r${i}` }, FINALIZERS.Repository]
      const base = `/clusters/${ws}/apis/code.kedge.faros.sh/v1alpha1/${plural}`
      const created = await call(base, 'POST', obj(kind, name, spec, { finalizers: [finalizer] }))
      if (created.status !== 201) throw new Error(`create ${created.status}: ${await created.text()}`)
      const res = await call(`${base}/${name}/status`, 'PATCH', { status: ready(1) })
      if (res.status !== 200) throw new Error(`status ${res.status}`)
    })
    console.log(`idle: seeded ${W * PER} Ready resources in ${W} workspaces in ${secs(t)}`)
    await seeded.stop()

    // 2. The API server again, in its own process, on that data dir.
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const server = Bun.spawn([process.execPath, 'src/main.ts', 'apiserver'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        CODE_DATA_DIR: dataDir,
        CODE_APISERVER_ADDR: `127.0.0.1:${port}`,
        LOG_LEVEL: 'error',
      },
      stdout: 'ignore',
      stderr: 'inherit',
    })
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`https://127.0.0.1:${port}/healthz`, {
        tls: { rejectUnauthorized: false },
      } as RequestInit).catch(() => undefined)
      if (up) break
      await Bun.sleep(100)
    }
    try {
      // 3. The runtime alone in this process: cold start from the full list, and what it costs.
      Bun.gc(true)
      const rssBefore = process.memoryUsage().rss
      const heapBefore = process.memoryUsage().heapUsed
      t = performance.now()
      const cluster = await createProviderCluster({
        kubeconfig: { path: join(dataDir, 'provider.kubeconfig') },
        workspacePath: 'root:kedge:providers:code',
      })
      const runtime = createRuntime({
        cluster,
        backend: createGitHubBackend(),
        logger: silentLogger,
        intervals,
        settings,
      })
      await runtime.start()
      const coldStart = secs(t)
      const actors = runtime.actors()
      Bun.gc(true)
      const { rss, heapUsed } = process.memoryUsage()
      const settled = actors.filter((a) => a.state === 'settled').length
      console.log(
        `idle: cold start from a full list of ${W * PER} objects in ${W} workspaces: ${coldStart} (${actors.length} actors, ${settled} settled without touching GitHub, ${runtime.workspaces().length} workspace actors)`,
      )
      console.log(
        `idle: runtime memory: RSS +${mb(rss - rssBefore)} (${((rss - rssBefore) / actors.length / 1024).toFixed(1)} KiB per actor, object cache included), heap +${mb(heapUsed - heapBefore)}; ${runtime.pendingTimers()} timers behind one host timer`,
      )
      await runtime.stop()
    } finally {
      server.kill()
      await server.exited
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

// --idle: 100,000 in 10,000 workspaces; --one-workspace: 10,000 in a single workspace (no O(n²) spawning).
if (process.argv.includes('--idle')) await idle(10_000, 10)
else if (process.argv.includes('--one-workspace')) await idle(1, 10_000)
else await active()
process.exit(0)
