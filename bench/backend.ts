// The GitHub backend against the GitHub sandbox (over HTTP, on this machine): requests per operation,
// the cost of a steady-state observe of 1,000 unchanged repositories, and a burst of 500 creates
// under GitHub's secondary limits. Gate and sandbox share one virtual clock, so the 750 ms write
// spacing and the per-minute windows are kept exactly without waiting for them in real time.
//
//   npx bun bench/backend.ts

import type { GitSession, ResponseInfo } from '../src/backend/backend.ts'
import { newPublicKey } from '../src/backend/conformance.ts'
import { createGitHubBackend, type GitHubBackendOptions } from '../src/backend/github/github-backend.ts'
import { startSandbox } from '../src/sandbox/server.ts'
import { VirtualClock } from '../test/support/virtual-clock.ts'

const ORG = 'acme'
const USER = 'developer'

async function setup(options: GitHubBackendOptions = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 10, 0, 0))
  const sandbox = await startSandbox({ clock })
  const c = sandbox.control
  c.createUser({ login: USER })
  c.createUser({ login: 'octocat' })
  c.createOrg({ login: ORG, members: [{ login: USER, role: 'admin' }] })
  const token = c.issueToken({ user: USER })
  const backend = createGitHubBackend({ clock, ...options })
  const session = (onResponse?: (r: ResponseInfo) => void) =>
    backend.session({ baseURL: sandbox.url, credential: { kind: 'token', token } }, onResponse ? { onResponse } : {})
  return { clock, sandbox, backend, session }
}

const table = (rows: (string | number)[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  for (const r of rows)
    console.log(
      `  ${r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]!) : String(v).padStart(widths[i]!))).join('  ')}`,
    )
}

async function requestsPerOperation() {
  const env = await setup()
  const c = env.sandbox.control
  let seen: ResponseInfo[] = []
  const s: GitSession = env.session((r) => seen.push(r))
  const rows: (string | number)[][] = [['operation', 'requests', 'billed', '304s']]
  const measure = async (name: string, op: () => Promise<unknown>) => {
    seen = []
    c.clearRequests()
    await op()
    const counts = c.requestCounts()
    rows.push([name, seen.length, counts.billed, counts.notModified])
  }
  const repo = { owner: ORG, name: 'bench' }
  const key = { title: 'deploy', publicKey: newPublicKey(), readOnly: true }
  let id = ''
  let keyID = ''
  await measure('validate', () => s.validate())
  await measure('ownerKind (first; then cached)', () => s.ownerKind(ORG))
  await measure('repository create (+ topics)', async () => {
    id = (await s.repositories.create(ORG, 'Organization', { name: 'bench', autoInit: true, topics: ['x'] })).observed
      .id
  })
  await measure('repository observe by id (cold)', () => s.repositories.observe(repo, { name: 'bench' }, { id }))
  await measure('repository observe by id (unchanged)', () => s.repositories.observe(repo, { name: 'bench' }, { id }))
  await measure('repository update (2 settings + topics)', () =>
    s.repositories.update(repo, { name: 'bench', description: 'd', hasWiki: false, topics: ['y'] }),
  )
  await measure('deploy key create', async () => {
    keyID = (await s.deployKeys.create(repo, key)).id
  })
  await measure('deploy key observe by id (unchanged, after one read)', async () => {
    await s.deployKeys.observe(repo, key, { id: keyID })
    seen = []
    c.clearRequests()
    await s.deployKeys.observe(repo, key, { id: keyID })
  })
  await measure('collaborator create (invite)', () => s.collaborators.create(repo, 'octocat', 'push'))
  await measure('collaborator observe (invited)', () =>
    s.collaborators.observe(repo, 'octocat', { permission: 'push' }),
  )
  await measure('collaborator observe (invited, unchanged)', () =>
    s.collaborators.observe(repo, 'octocat', { permission: 'push' }),
  )
  const files = Array.from({ length: 300 }, (_, i) => ({ path: `src/f${i}.ts`, content: `export const n = ${i}\n` }))
  await measure('commit 300 text files', () =>
    s.commits!.commitFiles(repo, { message: 'bench', files, idempotencyKey: 'bench-1' }),
  )
  await measure('commit replay', () =>
    s.commits!.commitFiles(repo, { message: 'bench', files, idempotencyKey: 'bench-1' }),
  )
  await measure('checkout (301 files, default branch)', () =>
    s.checkout!.read(repo, { maxFiles: 500, maxFileBytes: 256 * 1024, maxTotalBytes: 16 * 1024 * 1024 }),
  )
  c.publishVersion({
    owner: ORG,
    type: 'container',
    name: 'bench',
    version: `sha256:${'a'.repeat(64)}`,
    tags: ['latest'],
  })
  c.publishPackage({ owner: ORG, type: 'container', name: 'bench', repository: 'bench' })
  await measure('packages list (one type)', () => s.packages!.list(ORG, 'Organization', 'container'))
  await measure('packages list (unchanged)', () => s.packages!.list(ORG, 'Organization', 'container'))
  await measure('package versions', () => s.packages!.versions(ORG, 'Organization', 'container', 'bench'))
  c.addWorkflow(ORG, 'bench', { path: '.github/workflows/ci.yml' })
  const run = c.addRun(ORG, 'bench', { workflow: 'ci.yml', status: 'completed', conclusion: 'failure' })
  c.addJob(run.id, { name: 'ok', status: 'completed', conclusion: 'success' })
  c.addJob(run.id, { name: 'test', status: 'completed', conclusion: 'failure', log: 'a\nb\nboom\n' })
  await measure('latest run, 2 jobs, 1 failed (with log tail)', () =>
    s.workflows!.latestRun(repo, { workflowFileName: 'ci.yml', maxLogLines: 50 }),
  )
  await measure('repository delete', () => s.repositories.delete(repo))
  await env.sandbox.stop()
  console.log('\nRequests per operation (HTTP requests the backend sent; billed = counted against the hourly limit):')
  table(rows)
}

async function steadyStateObserve() {
  const env = await setup()
  const c = env.sandbox.control
  const repos = Array.from({ length: 1000 }, (_, i) => ({
    name: `repo-${i}`,
    id: String(c.createRepository({ owner: ORG, name: `repo-${i}` }).id),
  }))
  const session = env.session()
  const observeAll = () =>
    Promise.all(
      repos.map((r) => session.repositories.observe({ owner: ORG, name: r.name }, { name: r.name }, { id: r.id })),
    )
  let started = performance.now()
  await observeAll()
  const coldMs = performance.now() - started
  const cold = c.requestCounts()
  c.clearRequests()
  started = performance.now()
  const results = await observeAll()
  const warmMs = performance.now() - started
  const warm = c.requestCounts()
  await env.sandbox.stop()
  console.log('\nSteady-state observe of 1,000 unchanged repositories (GET /repositories/{id}, concurrency 10):')
  table([
    ['pass', 'requests', 'billed', '304s', 'up to date', 'wall time'],
    ['first (cold cache)', cold.total, cold.billed, cold.notModified, '', `${coldMs.toFixed(0)} ms`],
    [
      'second (unchanged)',
      warm.total,
      warm.billed,
      warm.notModified,
      results.filter((r) => r.exists && r.upToDate).length,
      `${warmMs.toFixed(0)} ms`,
    ],
  ])
}

async function burst(label: string, options: GitHubBackendOptions) {
  const env = await setup(options)
  const c = env.sandbox.control
  // GitHub's documented numbers: 80 content-creating requests a minute, 500 an hour, 100 concurrent.
  c.setSecondaryLimits({ contentCreatesPerMinute: 80, contentCreatesPerHour: 500, concurrency: 100, status: 403 })
  const session = env.session()
  const start = env.clock.now()
  const realStart = performance.now()
  const outcomes = await Promise.allSettled(
    Array.from({ length: 500 }, (_, i) => session.repositories.create(ORG, 'Organization', { name: `burst-${i}` })),
  )
  const virtualS = (env.clock.now() - start) / 1000
  const realMs = performance.now() - realStart
  const posts = c.requests({ route: 'POST /orgs/{org}/repos' })
  const times = posts.filter((p) => p.status === 201).map((p) => Date.parse(p.at))
  let peak = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++
    peak = Math.max(peak, i - j + 1)
  }
  const created = outcomes.filter((o) => o.status === 'fulfilled').length
  await env.sandbox.stop()
  return [
    label,
    created,
    posts.filter((p) => p.status === 403).length,
    outcomes.length - created,
    peak,
    `${virtualS.toFixed(0)} s`,
    `${((created / virtualS) * 60).toFixed(1)}/min`,
    `${(realMs / 1000).toFixed(1)} s`,
  ]
}

console.log(`GitHub backend on the GitHub sandbox — ${new Date().toISOString()}, Bun ${Bun.version}`)
await requestsPerOperation()
await steadyStateObserve()
console.log(
  '\nBurst of 500 repository creates, sandbox secondary limits at GitHub’s numbers (80/min, 500/h, 100 concurrent);',
)
console.log('time is virtual (gate and sandbox share one clock), so minutes pass without waiting:')
table([
  ['gate', 'created', '403s', 'failed', 'peak/60 s', 'virtual time', 'rate', 'real time'],
  await burst('default (writes 750 ms apart)', {}),
  await burst('no write spacing (for contrast)', { gate: { writeSpacingMs: 0 } }),
])
