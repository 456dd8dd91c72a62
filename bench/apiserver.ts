// Benchmarks of the embedded API server over HTTPS (run: `bun bench/apiserver.ts`; `--scale`
// adds the 100,000 objects in 10,000 workspaces run). Prints figures; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resourceTypes } from '../src/cluster/cluster.ts'
import { createProviderCluster } from '../src/cluster/kube/provider-cluster.ts'
import { startTestApiServer, type TestApiServer } from '../test/support/apiserver.ts'
import { watchEvents } from '../test/support/watch.ts'

const scale = process.argv.includes('--scale')
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!
const cms = (ws: string) => `/clusters/${ws}/api/v1/namespaces/default/configmaps`
const repos = (ws: string) => `/clusters/${ws}/apis/code.kedge.faros.sh/v1alpha1/repositories`
const repo = (name: string) => ({
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'Repository',
  metadata: { name },
  spec: { connectionRef: 'github', name },
})

async function parallel(n: number, concurrency: number, fn: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++)
    }),
  )
}

async function creates(api: TestApiServer) {
  const n = 5000
  const t = performance.now()
  await parallel(n, 16, async (i) => {
    const r = await api.fetch(cms('root:acme'), {
      method: 'POST',
      json: { metadata: { name: `c-${i}` }, data: { i: String(i) } },
    })
    if (r.status !== 201) throw new Error(`create: ${r.status}`)
  })
  const secs = (performance.now() - t) / 1000
  console.log(`creates: ${n} ConfigMaps, 16 concurrent: ${(n / secs).toFixed(0)}/s`)
}

async function list10k(api: TestApiServer) {
  await parallel(5000, 16, (i) =>
    api.fetch(cms('root:acme'), { method: 'POST', json: { metadata: { name: `d-${i}` } } }),
  )
  let t = performance.now()
  const all = await (await api.fetch(cms('root:acme'))).json()
  console.log(`list: ${all.items.length} objects in one response: ${ms(t)}`)
  t = performance.now()
  let count = 0
  let cont = ''
  do {
    const page = await (await api.fetch(`${cms('root:acme')}?limit=500${cont ? `&continue=${cont}` : ''}`)).json()
    count += page.items.length
    cont = page.metadata.continue ?? ''
  } while (cont)
  console.log(`list: ${count} objects in pages of 500: ${ms(t)}`)
}

async function watchLatency(api: TestApiServer) {
  const watchers = 100
  const events = 200
  const rv = (await (await api.fetch(repos('root:acme'))).json()).metadata.resourceVersion
  const streams = await Promise.all(
    Array.from({ length: watchers }, async () =>
      watchEvents(
        await api.fetch(
          `${api.vwURL}/clusters/*/apis/code.kedge.faros.sh/v1alpha1/repositories?watch=true&resourceVersion=${rv}`,
          { token: api.tokens.provider },
        ),
      ),
    ),
  )
  const sent = new Map<string, number>()
  const latencies: number[] = []
  const readers = streams.map(async (w) => {
    for (let i = 0; i < events; i++) {
      const e = await w.next(30_000)
      latencies.push(performance.now() - sent.get(e.object.metadata.name)!)
    }
  })
  for (let i = 0; i < events; i++) {
    const name = `w-${i}`
    sent.set(name, performance.now())
    await api.fetch(repos('root:acme'), { method: 'POST', json: repo(name) })
    await Bun.sleep(2)
  }
  await Promise.all(readers)
  for (const w of streams) w.cancel()
  console.log(
    `watch: ${watchers} watchers × ${events} events over HTTPS: latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`,
  )
}

async function scaleRun() {
  const dataDir = mkdtempSync(join(tmpdir(), 'code-apiserver-scale-'))
  const api = await startTestApiServer({ dataDir, tenants: [] })
  try {
    const workspaces = 10_000
    let t = performance.now()
    for (let i = 0; i < workspaces; i++) api.tenant(`root:t${i}`)
    console.log(`scale: ${workspaces} bound tenant workspaces: ${ms(t)}`)
    t = performance.now()
    await parallel(100_000, 32, async (i) => {
      const r = await api.fetch(repos(`root:t${i % workspaces}`), {
        method: 'POST',
        json: repo(`r-${Math.floor(i / workspaces)}`),
      })
      if (r.status !== 201) throw new Error(`create: ${r.status} ${await r.text()}`)
    })
    console.log(`scale: 100,000 Repositories created over HTTPS: ${ms(t)}`)
    t = performance.now()
    const res = await api.fetch(`${api.vwURL}/clusters/*/apis/code.kedge.faros.sh/v1alpha1/repositories`, {
      token: api.tokens.provider,
    })
    const text = await res.text()
    console.log(
      `scale: /clusters/* list of 100,000 (${(text.length / 1e6).toFixed(0)} MB) through the virtual workspace: ${ms(t)}`,
    )
    t = performance.now()
    const provider = await createProviderCluster({
      kubeconfig: { path: api.kubeconfigs.provider },
      workspacePath: api.workspacePath,
    })
    let seen = 0
    const watcher = provider.watch([resourceTypes.Repository], () => {
      seen++
    })
    await watcher.ready
    console.log(`scale: ProviderCluster.watch cold start (paged list + parse of ${seen} objects): ${ms(t)}`)
    watcher.stop()
  } finally {
    await api.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const api = await startTestApiServer()
try {
  await creates(api)
  await list10k(api)
  await watchLatency(api)
} finally {
  await api.stop()
}
if (scale) await scaleRun()
process.exit(0)
