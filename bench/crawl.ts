// The package crawl and a checkout, through the whole product (runtime, embedded API server, GitHub
// sandbox over HTTP): GitHub requests per crawl interval for 1, 10 and 100 repositories under one
// owner, next to the upstream's per-repository strategy (6 package types per repository, plus the
// versions of its images) run with the same backend; and the requests of a 300-file checkout.
//
//   npx bun bench/crawl.ts
//
// Each owner has its own bot, token and Connection (so its own request gate and listings), one
// container image per repository, and an npm package on one of them. The crawl interval is shrunk to
// 1 s so that several intervals pass in seconds; the requests per interval do not depend on it.

import { packageTypes } from '../src/apis/v1alpha1/package.ts'
import { createGitHubBackend } from '../src/backend/github/github-backend.ts'
import { resourceTypes } from '../src/cluster/cluster.ts'
import { codeObject, type Stack, startStack } from '../test/support/stack.ts'

const T = 'root:acme'
const INTERVAL_MS = 1_000
const WINDOW_INTERVALS = 30
const SIZES = [1, 10, 100]

const table = (rows: (string | number)[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  for (const r of rows)
    console.log(
      `  ${r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]!) : String(v).padStart(widths[i]!))).join('  ')}`,
    )
}

async function owner(s: Stack, org: string, n: number) {
  const c = s.sandbox.control
  const bot = `${org}-bot`
  c.createUser({ login: bot })
  c.createOrg({ login: org, members: [{ login: bot, role: 'admin' }] })
  const token = c.issueToken({ user: bot })
  for (let i = 0; i < n; i++) {
    c.createRepository({ owner: org, name: `svc-${i}` })
    c.publishPackage({ owner: org, type: 'container', name: `svc-${i}`, repository: `svc-${i}` })
    c.publishVersion({
      owner: org,
      type: 'container',
      name: `svc-${i}`,
      version: `sha256:${'0'.repeat(60)}${String(i).padStart(4, '0')}`,
      tags: ['latest'],
    })
  }
  if (n > 0) c.publishPackage({ owner: org, type: 'npm', name: 'svc-0-client', repository: 'svc-0' })
  await s.connect(T, org, { token, owner: org })
  for (let i = 0; i < n; i++) {
    await s
      .tenant(T)
      .create(
        resourceTypes.Repository,
        codeObject('Repository', `${org}-svc-${i}`, { connectionRef: org, name: `svc-${i}`, adopt: true }),
      )
  }
  return { bot, token }
}

const crawled = (s: Stack, org: string, n: number, rounds: number) =>
  s.runtime
    .actors()
    .filter((a) => a.kind === 'Crawler' && a.name.startsWith(`${org}-`) && Number(a.detail?.crawls ?? 0) >= rounds)
    .length === n

/** The upstream's strategy with the same backend: every repository lists all 6 types, then its images' versions. */
async function upstreamCrawl(s: Stack, org: string, token: string, n: number) {
  const session = createGitHubBackend({ gate: { writeSpacingMs: 0 } }).session({
    baseURL: s.sandbox.url,
    credential: { kind: 'token', token },
  })
  const packages = session.packages!
  let requests = 0
  for (let i = 0; i < n; i++) {
    for (const type of packageTypes) {
      const listed = await packages.list(org, 'Organization', type)
      requests++
      for (const p of listed.filter(
        (l) => l.repository === `svc-${i}` && (type === 'container' || type === 'docker'),
      )) {
        await packages.versions(org, 'Organization', type, p.name)
        requests++
      }
    }
  }
  return requests
}

async function crawlFigures() {
  const s = await startStack({ tenants: [T], crawlIntervalMs: INTERVAL_MS })
  s.sandbox.control.setSecondaryLimits({ contentCreatesPerMinute: 100_000, contentCreatesPerHour: 1_000_000 })
  try {
    const owners: { org: string; n: number; bot: string; token: string }[] = []
    for (const n of SIZES) owners.push({ org: `own${n}`, n, ...(await owner(s, `own${n}`, n)) })
    for (const o of owners) await s.waitFor(() => crawled(s, o.org, o.n, 2), `${o.org} crawled twice`, 120_000)

    // Steady state: count over several intervals, every owner at once.
    s.sandbox.control.clearRequests()
    const started = performance.now()
    await Bun.sleep(WINDOW_INTERVALS * INTERVAL_MS)
    const intervals = (performance.now() - started) / INTERVAL_MS
    const rows: (string | number)[][] = [
      ['repositories', 'listings', 'versions', 'requests', 'billed', 'upstream', 'upstream ÷ ours'],
    ]
    const measured = owners.map((o) => {
      const per = (route?: string) => s.sandbox.control.requestCounts({ login: o.bot, ...(route ? { route } : {}) })
      return {
        ...o,
        all: per(),
        listings: per('GET /orgs/{org}/packages').total,
        versions: per('GET /orgs/{org}/packages/{package_type}/{package_name}/versions').total,
      }
    })
    for (const m of measured) {
      const ours = m.all.total / intervals
      const upstream = await upstreamCrawl(s, m.org, m.token, m.n)
      rows.push([
        m.n,
        (m.listings / intervals).toFixed(1),
        (m.versions / intervals).toFixed(1),
        ours.toFixed(1),
        (m.all.billed / intervals).toFixed(1),
        upstream,
        `${(upstream / ours).toFixed(1)}×`,
      ])
    }
    console.log(
      `\nGitHub requests per crawl interval (steady state, ${WINDOW_INTERVALS} intervals measured; upstream = one pass of its strategy):\n`,
    )
    table(rows)
  } finally {
    await s.stop()
  }
}

async function checkoutFigures() {
  const s = await startStack({ tenants: [T] })
  try {
    const c = s.sandbox.control
    await owner(s, 'reader', 0)
    c.createRepository({ owner: 'reader', name: 'big', autoInit: true })
    const files = Array.from({ length: 300 }, (_, i) => ({
      path: `src/m${i % 20}/f${i}.ts`,
      content: `export const n${i} = ${i}\n`.repeat(20),
    }))
    c.pushCommit('reader', 'big', { message: '300 files', files })
    await s
      .tenant(T)
      .create(
        resourceTypes.Repository,
        codeObject('Repository', 'big', { connectionRef: 'reader', name: 'big', adopt: true }),
      )
    await s.waitFor(() => s.ready(T, 'Repository', 'big'), 'big Ready')
    await s.waitFor(
      () => Number(s.runtime.actor(s.clusterOf(T), 'Crawler', 'big')?.detail?.crawls ?? 0) >= 1,
      'crawled',
    )
    c.clearRequests()
    const started = performance.now()
    await s
      .tenant(T)
      .create(resourceTypes.RepositoryCheckout, codeObject('RepositoryCheckout', 'read', { repositoryRef: 'big' }))
    const done = await s.waitFor(async () => {
      const o = await s.get(T, 'RepositoryCheckout', 'read')
      return (o?.status as { phase?: string } | undefined)?.phase === 'Succeeded' ? o : undefined
    }, 'checkout Succeeded')
    const ms = performance.now() - started
    const counts = c.requestCounts()
    const fileCount = (done.status as { source: { fileCount: number } }).source.fileCount
    console.log('\nCheckout of a repository with 301 files (300 + README), default branch:\n')
    table([
      ['', 'requests', 'billed', 'wall time'],
      ['ours (ref → SHA, one tarball)', counts.total, counts.billed, `${Math.round(ms)} ms`],
      // Upstream: resolve the default branch, the ref, the recursive tree, then one blob per file.
      ['upstream (tree + a blob per file)', 3 + fileCount, 3 + fileCount, ''],
    ])
  } finally {
    await s.stop()
  }
}

await crawlFigures()
await checkoutFigures()
