// Several `code-provider serve` processes on one API server and one GitHub sandbox, with leader
// election as the product runs it against kcp (on by default with a kubeconfig), on short
// durations (lease 2 s, renew deadline 1 s, retry 200 ms):
//   - one leads, the other stands by: not ready (503 naming the leader), alive, reconciling nothing;
//   - the leader is killed (SIGKILL) in a burst of repository creates: the standby takes over and
//     every Repository ends Ready, with exactly one repository per object on the host;
//   - a leader frozen (SIGSTOP) past its lease loses it to a standby, and on waking exits non-zero
//     without creating anything twice;
//   - a leader stopped cleanly (SIGTERM) releases the Lease as it exits.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes, type WorkspaceClient } from '../../src/cluster/cluster.ts'
import { loadConnection } from '../../src/cluster/kube/connection.ts'
import { createTenantClients } from '../../src/cluster/kube/tenant-clients.ts'
import { workspaceAt } from '../../src/cluster/kube/workspace-client.ts'
import type { LeaseSpec } from '../../src/machines/leader-lease.ts'
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts'
import { eventually } from '../support/fake-timers.ts'
import { collect } from '../support/output.ts'
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts'
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts'
import { serveCommand, serveEnv } from '../support/serve-process.ts'
import { codeObject } from '../support/stack.ts'

const COUNT = 20
const root = join(import.meta.dir, '..', '..')
let api: TestApiServer
let sandbox: TestSandbox
let token: string
let tenant: WorkspaceClient
let home: WorkspaceClient
const started: Provider[] = []

interface Provider {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  out(): string
  err(): string
  url: string
  admin: string
}

beforeAll(async () => {
  api = await startTestApiServer({ tenants: ['root:acme'] })
  sandbox = await startTestSandbox({ clock: { now: () => Date.now() } })
  sandbox.control.createUser({ login: 'developer' })
  sandbox.control.createOrg({ login: 'acme', members: [{ login: 'developer', role: 'admin' }] })
  token = sandbox.control.issueToken({ user: 'developer' })
  const acme = api.tenants['root:acme']!
  tenant = (await createTenantClients({ kubeconfig: { path: api.kubeconfigs.admin } })).forCaller(acme)
  home = workspaceAt(await loadConnection({ path: api.kubeconfigs.admin }), api.workspacePath)
}, 60_000)
afterAll(async () => {
  for (const p of started) p.proc.kill(9)
  await Promise.all(started.map((p) => p.proc.exited))
  await sandbox?.stop()
  await api?.stop()
})

/** `code-provider serve` as its own process against the test's API server: leader election on by default. */
async function startProvider(): Promise<Provider> {
  const proc = Bun.spawn(serveCommand(root), {
    cwd: root,
    env: serveEnv(api.kubeconfigs.provider, 'info'),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = collect(proc.stdout)
  const err = collect(proc.stderr)
  const line = await eventually(
    () =>
      out()
        .split('\n')
        .find((l) => l.includes('"msg":"listening"')),
    'the listening line',
    20_000,
  )
  const { url, admin } = JSON.parse(line) as { url: string; admin: string }
  const p = { proc, out, err, url, admin }
  started.push(p)
  return p
}

interface Readiness {
  status: number
  body: { status: string; leader?: string; identity?: string; message?: string }
}
const readyz = async (p: Provider): Promise<Readiness> => {
  const res = await fetch(`${p.admin}/readyz`)
  return { status: res.status, body: await res.json() }
}
const leads = async (p: Provider) => (await readyz(p)).status === 200
const metric = async (p: Provider, name: string, labels?: Record<string, string>) =>
  sampleValue(parsePrometheusText(await (await fetch(`${p.admin}/metrics`)).text()), name, labels)
const lease = async () => (await home.get<KubeObject<LeaseSpec>>(resourceTypes.Lease, 'code-provider', 'default'))!.spec

const created = () => sandbox.control.requestCounts({ method: 'POST', route: '/orgs/{org}/repos', status: 201 }).total
const isReady = (r: KubeObject) =>
  ((r.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  )

async function createRepositories(from: number, to: number) {
  for (let i = from; i < to; i++) {
    await tenant.create(
      resourceTypes.Repository,
      codeObject('Repository', `ha-${i}`, { connectionRef: 'github', name: `ha-${i}` }),
    )
  }
}

/** Every Repository Ready, and on the host exactly the repositories the objects name, each created once. */
async function expectOneRepositoryPerObject(count: number) {
  await eventually(
    async () => {
      const repos = await tenant.list(resourceTypes.Repository)
      return repos.length === count && repos.every(isReady)
    },
    `${count} Repositories Ready`,
    40_000,
  )
  for (const r of await tenant.list(resourceTypes.Repository)) expect(r.status).toMatchObject({ ownership: 'Created' })
  const onHost = await sandbox.call<{ name: string }[]>('GET', '/orgs/acme/repos?per_page=100', { token })
  expect(onHost.body.map((r) => r.name).sort()).toEqual(Array.from({ length: count }, (_, i) => `ha-${i}`).sort())
  expect(created()).toBe(count)
}

test('one leads, a standby waits; kill, freeze and stop the leader: a standby takes over, nothing is done twice', async () => {
  await tenant.create(resourceTypes.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'gh-token', namespace: 'default' },
    stringData: { token },
  } as unknown as KubeObject)
  await tenant.create(
    resourceTypes.Connection,
    codeObject('Connection', 'github', {
      provider: 'github',
      type: 'pat',
      owner: 'acme',
      secretRef: { name: 'gh-token' },
      baseURL: sandbox.url,
    }),
  )

  // Two start at once; one wins the Lease.
  const pair = await Promise.all([startProvider(), startProvider()])
  const first = await eventually(async () => {
    const [a, b] = await Promise.all(pair.map(readyz))
    if (a!.status === 200 && b!.body.status === 'standby') return { leader: pair[0]!, standby: pair[1]!, id: a!.body }
    if (b!.status === 200 && a!.body.status === 'standby') return { leader: pair[1]!, standby: pair[0]!, id: b!.body }
    return undefined
  }, 'one leader and one standby')
  const { leader, standby } = first
  const leaderId = first.id.leader!
  const standing = await readyz(standby)
  expect(standing).toEqual({
    status: 503,
    body: {
      status: 'standby',
      message: `standing by: ${leaderId} leads`,
      leader: leaderId,
      identity: standing.body.identity,
    },
  })
  expect(standing.body.identity).not.toBe(leaderId)
  expect((await fetch(`${standby.admin}/healthz`)).status).toBe(200)
  expect((await fetch(`${standby.url}/healthz`)).status).toBe(200)
  expect(await lease()).toMatchObject({ holderIdentity: leaderId, leaseDurationSeconds: 2, leaseTransitions: 0 })
  const components = async (p: Provider) =>
    (await (await fetch(`${p.admin}/debug/components`)).json()) as { name: string; status: string; detail?: string }[]
  expect((await components(standby)).find((c) => c.name === 'leader-election')).toMatchObject({
    status: 'ok',
    detail: `standing by: ${leaderId} leads; this is ${standing.body.identity}; 0 transitions`,
  })
  expect((await components(leader)).find((c) => c.name === 'leader-election')?.detail).toStartWith(
    `leading as ${leaderId} since `,
  )
  expect(await metric(leader, 'code_leader')).toBe(1)
  expect(await metric(standby, 'code_leader')).toBe(0)

  // A burst of creates, 150 ms each on the host; the leader dies with one in flight.
  sandbox.control.setLatency({ method: 'POST', route: '/orgs/{org}/repos', ms: 150 })
  await createRepositories(0, COUNT)
  await eventually(() => created() >= COUNT / 4, 'a quarter created', 30_000)
  await Bun.sleep(75)
  // Up to now the standby has reconciled nothing and called GitHub for nothing.
  expect(await metric(standby, 'code_reconciles_total', { kind: 'Repository' })).toBeUndefined()
  expect(await metric(standby, 'code_github_requests_total')).toBeUndefined()
  leader.proc.kill(9)
  await leader.proc.exited
  const beforeKill = created()
  expect(beforeKill).toBeLessThan(COUNT)

  await eventually(() => leads(standby), 'the standby leading', 20_000)
  expect(await lease()).toMatchObject({ holderIdentity: standing.body.identity, leaseTransitions: 1 })
  await expectOneRepositoryPerObject(COUNT)
  expect(await metric(standby, 'code_leader')).toBe(1)
  sandbox.control.clearFaults()

  // The new leader freezes past its lease: a third process takes over, and the frozen one, woken,
  // finds its renew deadline long gone and exits non-zero without acting.
  const third = await startProvider()
  await eventually(async () => (await readyz(third)).body.status === 'standby', 'the third standing by')
  standby.proc.kill('SIGSTOP')
  await createRepositories(COUNT, COUNT + 5)
  await eventually(() => leads(third), 'the third leading', 20_000)
  await expectOneRepositoryPerObject(COUNT + 5)
  standby.proc.kill('SIGCONT')
  expect(await standby.proc.exited).toBe(1)
  // Its renew deadline passed while frozen (or, had its look at the Lease come first, another holds it).
  expect(standby.err()).toMatch(/serve stopped: (no renewal within the renew deadline|the lease changed hands)/)
  expect(standby.out()).toContain('"msg":"leader election lost: stop reconciling now"')
  await expectOneRepositoryPerObject(COUNT + 5)
  expect(await lease()).toMatchObject({ leaseTransitions: 2 })

  // A clean stop hands the Lease back as the process exits.
  third.proc.kill('SIGTERM')
  expect(await third.proc.exited).toBe(0)
  expect(await lease()).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 })
  console.log(`  ${beforeKill} of ${COUNT} created before the leader was killed`)
}, 120_000)
