// Portal figures: latency of the repositories page and the repository detail page with 1,000
// repositories in the workspace, under concurrent load on loopback. The product runs on the main
// thread (embedded API server, GitHub sandbox, runtime with the product's drift (10 min) and crawl (2 min)
// intervals, portal on a real listener); the load comes from a worker thread, so client and server
// do not share an event loop (they do share the machine's cores).
// Run: npx bun bench/portal.ts [--repositories 1000] [--requests 2000] [--concurrency 32]
import { parseArgs } from 'node:util'

interface LoadRequest {
  url: string
  headers: Record<string, string>
  requests: number
  concurrency: number
}
interface LoadResult {
  p50: number
  p99: number
  rps: number
  bytes: number
  errors: number
}

if (!Bun.isMainThread) {
  // The load generator.
  self.onmessage = async (e: MessageEvent<LoadRequest>) => {
    const { url, headers, requests, concurrency } = e.data
    const latencies: number[] = []
    let bytes = 0
    let errors = 0
    let sent = 0
    const start = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < requests) {
          sent++
          const t0 = performance.now()
          const res = await fetch(url, { headers })
          const body = await res.arrayBuffer()
          latencies.push(performance.now() - t0)
          if (res.status !== 200) errors++
          bytes = body.byteLength
        }
      }),
    )
    const seconds = (performance.now() - start) / 1000
    latencies.sort((a, b) => a - b)
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
    postMessage({ p50: at(0.5), p99: at(0.99), rps: requests / seconds, bytes, errors } satisfies LoadResult)
  }
} else {
  await main()
}

async function main() {
  const { resourceTypes } = await import('../src/cluster/cluster.ts')
  const { startPortal } = await import('../test/support/portal.ts')
  const { codeObject, startStack } = await import('../test/support/stack.ts')
  const { values } = parseArgs({
    options: {
      repositories: { type: 'string', default: '1000' },
      requests: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '32' },
    },
  })
  const REPOS = Number(values.repositories)
  const REQUESTS = Number(values.requests)
  const CONCURRENCY = Number(values.concurrency)
  const T = 'root:acme'

  const s = await startStack({ log: () => {}, intervals: { driftMs: 600_000 }, crawlIntervalMs: 120_000 })
  s.sandbox.control.setSecondaryLimits({ contentCreatesPerMinute: 1e9, contentCreatesPerHour: 1e9, concurrency: 1e9 })
  s.sandbox.control.setRateLimit({ limit: 1e9 })
  await s.connect(T, 'github')
  const acme = s.tenant(T)
  const cluster = s.clusterOf(T)
  const name = (i: number) => `repo-${String(i).padStart(4, '0')}`

  const t = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < REPOS) {
        const i = next++
        await acme.create(
          resourceTypes.Repository,
          codeObject('Repository', name(i), {
            connectionRef: 'github',
            name: name(i),
            description: `Repository number ${i}`,
            topics: ['bench'],
          }),
        )
      }
    }),
  )
  const isReady = (o: { status?: unknown }) =>
    (o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    )
  await s.waitFor(
    () => s.runtime.objects(cluster, 'Repository').filter(isReady).length === REPOS,
    `${REPOS} repositories ready`,
    600_000,
  )
  console.log(
    `${REPOS} repositories declared and ready on the sandbox in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )

  // The detail page's repository also has keys and collaborators to show.
  const detail = name(Math.floor(REPOS / 2))
  for (let i = 0; i < 5; i++) {
    await acme.create(resourceTypes.DeployKey, codeObject('DeployKey', `${detail}-key-${i}`, { repositoryRef: detail }))
    s.sandbox.control.createUser({ login: `user${i}` })
    await acme.create(
      resourceTypes.Collaborator,
      codeObject('Collaborator', `${detail}-user${i}`, {
        repositoryRef: detail,
        username: `user${i}`,
        permission: 'push',
      }),
    )
  }
  await s.waitFor(
    () =>
      s.runtime.objects(cluster, 'DeployKey').filter(isReady).length === 5 &&
      s.runtime.objects(cluster, 'Collaborator').filter(isReady).length === 5,
    'keys and collaborators ready',
  )
  await Bun.sleep(2000) // let the last status writes settle

  const portal = await startPortal(s)
  const worker = new Worker(import.meta.url)
  const load = (path: string, extra: Record<string, string> = {}, concurrency = CONCURRENCY, requests = REQUESTS) =>
    new Promise<LoadResult>((resolve) => {
      worker.onmessage = (e: MessageEvent<LoadResult>) => resolve(e.data)
      worker.postMessage({
        url: `${portal.url}${path}`,
        headers: { ...portal.headers(T), ...extra },
        requests,
        concurrency,
      } satisfies LoadRequest)
    })

  const cases: [string, string, Record<string, string>?][] = [
    [`repositories page (first 50 of ${REPOS})`, '/repositories'],
    ['repositories search (?q=repo-05: first 50 of 100 hits)', '/repositories?q=repo-05'],
    ['repository detail page (5 keys, 5 collaborators)', `/repositories/${detail}`],
    [
      'repository row fragment (an htmx poll)',
      `/repositories/${detail}`,
      { 'hx-request': 'true', 'hx-target': `row-repository-${detail}` },
    ],
  ]
  for (const [, path, extra] of cases) await load(path, extra) // warm up
  const one = Math.ceil(REQUESTS / 4)
  console.log(
    `\nper case: ${one} requests one at a time, then ${REQUESTS} with ${CONCURRENCY} concurrent; loopback, hub-style identity headers\n`,
  )
  console.log(`| case | body | alone p50 | alone p99 | ${CONCURRENCY} concurrent p50 | p99 | requests/s |`)
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  const ms = (n: number) => `${n.toFixed(1)} ms`
  for (const [label, path, extra] of cases) {
    const alone = await load(path, extra, 1, one)
    const f = await load(path, extra)
    if (f.errors + alone.errors > 0) throw new Error(`${label}: ${f.errors + alone.errors} requests failed`)
    const kib = `${(f.bytes / 1024).toFixed(0)} KiB`
    console.log(
      `| ${label} | ${kib} | ${ms(alone.p50)} | ${ms(alone.p99)} | ${ms(f.p50)} | ${ms(f.p99)} | ${f.rps.toFixed(0)} |`,
    )
  }
  worker.terminate()
  await portal.stop()
  await s.stop()
  process.exit(0)
}
