// What operators see, end to end over HTTP: the admin listener's token, /debug's JSON while a
// reconcile is in flight and after, failures with their retry timer, credential gates, the event
// stream, components, /metrics as strict Prometheus text, and no secret anywhere (a canary token
// in the Connection's Secret, a generated private key) in any of it or in the logs.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { ActorDetail, ActorView } from '../../src/actors/actor-view.ts'
import type { KubeObject } from '../../src/apis/meta.ts'
import type { GateSnapshot } from '../../src/backend/backend.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { type AdminStack, startAdminStack } from '../support/admin.ts'
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.ts'
import { codeObject, USER } from '../support/stack.ts'

const ADMIN_TOKEN = 'operators-admin-token-for-tests'
const CANARY = 'ghp_CANARYoperatorsTest0123456789abcdef'
const T = 'root:acme'

interface TreeNode {
  actor: ActorView
  children: TreeNode[]
}
interface Tree {
  summary: { ready: boolean; workspaces: number; actors: number }
  system: ActorView
  workspaces: TreeNode[]
}

let s: AdminStack
let cluster: string
/** Everything /debug/events sent during the suite (unfiltered), and a stream filtered to Repositories. */
const streams = { all: '', repositories: '', inspect: '' }
const abort = new AbortController()

function follow(path: string, into: keyof typeof streams) {
  void fetch(`${s.adminURL}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: abort.signal })
    .then(async (res) => {
      const decoder = new TextDecoder()
      const reader = res.body!.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        streams[into] += decoder.decode(value, { stream: true })
      }
    })
    .catch(() => {})
}

const events = (text: string) =>
  text
    .split('\n\n')
    .map((block) => ({
      event: block.match(/^event: (.*)$/m)?.[1],
      data: block.match(/^data: (.*)$/m)?.[1],
    }))
    .filter((e) => e.event && e.data)
    .map((e) => ({ event: e.event!, data: JSON.parse(e.data!) }))

const getJSON = async <T>(path: string): Promise<T> => {
  const res = await s.admin(path)
  expect(res.status).toBe(200)
  return (await res.json()) as T
}

const find = (nodes: TreeNode[], id: string): TreeNode | undefined => {
  for (const n of nodes) {
    if (n.actor.id === id) return n
    const inner = find(n.children, id)
    if (inner) return inner
  }
  return undefined
}

const id = (kind: string, name: string) => `${cluster}/${kind}/${name}`
const detail = (kind: string, name: string) =>
  getJSON<ActorDetail>(`/debug/actors/${encodeURIComponent(id(kind, name))}`)

beforeAll(async () => {
  s = await startAdminStack({ adminToken: ADMIN_TOKEN })
  cluster = s.clusterOf(T)
  follow('/debug/events', 'all')
  follow(`/debug/events?kind=Repository&workspace=${encodeURIComponent(cluster)}`, 'repositories')
  follow('/debug/inspect', 'inspect')
  s.sandbox.control.issueToken({ user: USER, value: CANARY })
  await s.connect(T, 'github', { token: CANARY })
  await s.waitFor(() => s.ready(T, 'Connection', 'github'), 'Connection Ready')
}, 60_000)

afterAll(async () => {
  abort.abort()
  await s?.stop()
})

describe('the admin listener', () => {
  test('refuses a missing or wrong token with a challenge; accepts Bearer and Basic; probes stay open', async () => {
    for (const token of ['', 'wrong-token']) {
      for (const path of ['/debug', '/debug/tree', '/debug/actors', '/debug/events', '/metrics', '/nowhere']) {
        const res = await s.admin(path, token)
        expect(res.status).toBe(401)
        expect(res.headers.get('www-authenticate')).toContain('Bearer realm=')
        expect(res.headers.get('www-authenticate')).toContain('Basic realm=')
        await res.body?.cancel()
      }
    }
    expect((await s.admin('/debug/tree')).status).toBe(200)
    const basic = await fetch(`${s.adminURL}/debug/tree`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` },
    })
    expect(basic.status).toBe(200)
    expect(await (await s.admin('/healthz', '')).json()).toEqual({ status: 'ok' })
    const ready = await s.admin('/readyz', '')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ok', runtime: 'running' })
  })
})

describe('/debug while reconciles run', () => {
  test('a Repository shows provisioning while its create is in flight, then ready, in the tree', async () => {
    s.sandbox.control.setLatency({ ms: 1_500, method: 'POST', route: '/orgs/{org}/repos' })
    await s
      .tenant(T)
      .create(resourceTypes.Repository, codeObject('Repository', 'web', { connectionRef: 'github', name: 'ops-web' }))
    const during = await s.waitFor(async () => {
      const tree = await getJSON<Tree>('/debug/tree')
      const repo = find(tree.workspaces, id('Repository', 'web'))
      return repo?.actor.state === 'provisioning' && repo.actor.running ? tree : undefined
    }, 'Repository provisioning in /debug/tree')

    expect(during.system).toMatchObject({ id: 'system', kind: 'System', state: 'running' })
    const workspace = during.workspaces.find((w) => w.actor.cluster === cluster)!
    expect(workspace.actor).toMatchObject({ id: cluster, kind: 'Workspace', state: 'active', parent: 'system' })
    const connection = workspace.children.find((c) => c.actor.kind === 'Connection')!
    expect(connection.actor).toMatchObject({ name: 'github', state: 'ready' })
    // The Repository sits under the Connection it uses.
    expect(connection.children.map((c) => c.actor.id)).toEqual([id('Repository', 'web')])
    expect(connection.children[0]!.actor.running).toMatchObject({ operation: 'reconcile', queued: false })
    const listed = await getJSON<{ items: ActorView[]; total: number }>(
      `/debug/actors?kind=Repository&workspace=${encodeURIComponent(cluster)}`,
    )
    expect(listed.total).toBe(1)

    await s.waitFor(async () => {
      const tree = await getJSON<Tree>('/debug/tree')
      return find(tree.workspaces, id('Repository', 'web'))?.actor.state === 'ready'
    }, 'Repository ready in /debug/tree')
    s.sandbox.control.setLatency(undefined)
    // Ready, it rests (a virtual actor: no live XState actor) until its next poll.
    await s.waitFor(async () => (await detail('Repository', 'web')).status === 'resting', 'resting')
    const d = await detail('Repository', 'web')
    expect(d).toMatchObject({
      kind: 'Repository',
      name: 'web',
      state: 'ready',
      status: 'resting',
      attempts: 0,
      dormant: true,
    })
    expect(d.nextWakeup).toMatchObject({ delay: 'poll', event: 'reconcile.requested' })
    expect(d.mailboxDepth).toBe(0)
    expect(d.running).toBeUndefined()
    expect(d.lastRun).toMatchObject({ operation: 'reconcile', result: 'ok' })
    expect(d.lastRun!.durationMs).toBeGreaterThan(1_000)
    expect(d.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['starting>provisioning', 'provisioning>ready'])
    expect(d.transitions[1]!.event).toStartWith('xstate.done.actor')
    expect(Date.parse(d.transitions[1]!.at)).toBeGreaterThanOrEqual(Date.parse(d.transitions[0]!.at))
    expect(d.nextWakeup).toMatchObject({ delay: 'poll' })
    expect(d.nextWakeup!.inMs).toBeGreaterThan(0)
    expect(d.nextWakeup!.inMs).toBeLessThanOrEqual(60_000 * 1.05)
    expect(d.lastResponse?.status).toBeLessThan(300)
    expect(d.lastResponse?.requestId).toBeTruthy()
    const context = d.context as { object: KubeObject; attempts: number }
    expect(context.object.metadata.name).toBe('web')
    expect(context.object.metadata).not.toHaveProperty('managedFields')

    // The filtered stream saw the Repository's transitions, and nothing else.
    const seen = events(streams.repositories)
    expect(seen.map((e) => `${e.data.actor.kind}:${e.data.transition.to}`)).toContain('Repository:ready')
    expect(new Set(seen.map((e) => e.data.actor.kind))).toEqual(new Set(['Repository']))
  }, 30_000)

  test('a failing reconcile shows its consecutive failures, the retry timer and the failed response', async () => {
    s.sandbox.control.injectFault({ method: 'POST', route: '/repos/{owner}/{repo}/keys', status: 500, count: Infinity })
    await s
      .tenant(T)
      .create(resourceTypes.DeployKey, codeObject('DeployKey', 'ci', { repositoryRef: 'web', readOnly: true }))
    const failing = await s.waitFor(async () => {
      const d = await detail('DeployKey', 'ci').catch(() => undefined)
      return d?.state === 'backoff' ? d : undefined
    }, 'DeployKey in backoff')
    s.sandbox.control.clearFaults()
    expect(failing.attempts).toBeGreaterThanOrEqual(1)
    expect(failing.parent).toBe(id('Repository', 'web'))
    expect(failing.nextWakeup).toMatchObject({ delay: 'retry' })
    expect(failing.lastError).toMatchObject({ reason: 'TransientError', status: 500 })
    expect(failing.lastError?.requestId).toBeTruthy()
    expect(failing.lastResponse).toMatchObject({ status: 500, route: 'POST /repos/{owner}/{repo}/keys' })
    expect(failing.lastRun).toMatchObject({ operation: 'reconcile', result: 'error', reason: 'TransientError' })

    await s.waitFor(async () => (await detail('DeployKey', 'ci')).state === 'ready', 'DeployKey ready', 20_000)
    expect((await detail('DeployKey', 'ci')).attempts).toBe(0)
  }, 30_000)

  test('/debug/gates shows the credential by fingerprint with its budget and counts', async () => {
    const gates = await getJSON<GateSnapshot[]>('/debug/gates')
    expect(gates.length).toBe(1)
    const [gate] = gates as [GateSnapshot]
    expect(gate.id).toContain('@')
    expect(gate.remaining).toBeGreaterThan(0)
    expect(gate.remaining).toBeLessThanOrEqual(gate.limit!)
    expect(Date.parse(gate.resetAt!)).toBeGreaterThan(Date.now())
    expect(gate.requests.total).toBeGreaterThan(0)
    expect(gate.requests.errors).toBeGreaterThan(0)
  })

  test('components registered on the status board show and stream, errors redacted', async () => {
    const hub = s.status.component('hub-heartbeat', 'heartbeats to the kedge hub')
    hub.failed(new Error(`hub refused ${CANARY}`))
    const components =
      await getJSON<{ name: string; status: string; lastError: { message: string } }[]>('/debug/components')
    expect(components).toMatchObject([{ name: 'hub-heartbeat', status: 'failing' }])
    expect(components[0]!.lastError.message).toBe('hub refused [redacted]')
    await s.waitFor(() => events(streams.all).some((e) => e.event === 'component'), 'component event')
    const fragment = await (await s.admin('/debug/view/components')).text()
    expect(fragment).toContain('data-component="hub-heartbeat"')
    expect(fragment).toContain('data-status="failing"')
  })

  test('the page and its fragments render the tree on the server; htmx is served from the package', async () => {
    const page = await s.admin(`/debug?kind=Repository`)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toContain(`data-actor="${id('Repository', 'web')}"`)
    expect(html).not.toContain(`data-actor="${id('DeployKey', 'ci')}"`)
    expect(html).toContain('<option value="Repository" selected>')
    expect(html).toContain('src="/debug/assets/htmx.min.js"')
    const htmx = await s.admin('/debug/assets/htmx.min.js')
    expect(htmx.headers.get('content-type')).toContain('javascript')
    expect(await htmx.text()).toContain('htmx')
    const fragment = await (await s.admin(`/debug/view/actors/${encodeURIComponent(id('DeployKey', 'ci'))}`)).text()
    expect(fragment).toContain('consecutive failures')
    expect(fragment).toContain('xstate.after.retry')
    expect((await s.admin('/debug/actors/nope')).status).toBe(404)
  })

  test('/metrics is strict Prometheus text with reconciles, responses (304s apart), budgets and actors', async () => {
    // A second reconcile observes with the ETag it has: a 304 from GitHub.
    s.runtime.requestReconcile(cluster, 'Repository', 'web')
    const scrape = async () => {
      const res = await s.admin('/metrics')
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
      return parsePrometheusText(await res.text())
    }
    const f = await s.waitFor(async () => {
      const f = await scrape()
      const again = sampleValue(f, 'code_reconciles_total', { kind: 'Repository', result: 'ok' }) ?? 0
      return (sampleValue(f, 'code_github_requests_not_modified_total') ?? 0) > 0 && again >= 2 ? f : undefined
    }, 'a second Repository reconcile, with a 304, counted')
    const v = (name: string, labels?: Record<string, string>) => sampleValue(f, name, labels) ?? -1
    expect(
      v('code_reconciles_total', { kind: 'Repository', operation: 'reconcile', result: 'ok' }),
    ).toBeGreaterThanOrEqual(2)
    expect(v('code_reconciles_total', { kind: 'DeployKey', result: 'error' })).toBeGreaterThanOrEqual(1)
    expect(v('code_reconcile_failures_total', { kind: 'DeployKey', reason: 'TransientError' })).toBeGreaterThanOrEqual(
      1,
    )
    expect(
      v('code_reconcile_duration_seconds_count', { kind: 'Connection', operation: 'reconcile' }),
    ).toBeGreaterThanOrEqual(1)
    expect(v('code_reconcile_duration_seconds_sum', { kind: 'Repository' })).toBeGreaterThan(1.5)
    expect(v('code_github_requests_total', { method: 'POST', status: '201' })).toBeGreaterThanOrEqual(2)
    expect(v('code_github_requests_total', { method: 'POST', status: '500' })).toBeGreaterThanOrEqual(1)
    expect(v('code_github_requests_total', { method: 'GET', status: '304' })).toBeGreaterThanOrEqual(1)
    const [gate] = await getJSON<GateSnapshot[]>('/debug/gates')
    const remaining = v('code_github_rate_limit_remaining', { gate: gate!.id })
    expect(remaining).toBeGreaterThan(0)
    expect(remaining).toBeLessThanOrEqual(v('code_github_rate_limit_limit', { gate: gate!.id }))
    expect(v('code_github_gate_in_flight', { gate: gate!.id })).toBeGreaterThanOrEqual(0)
    expect(v('code_actors', { kind: 'System', state: 'running' })).toBe(1)
    expect(v('code_actors', { kind: 'Workspace', state: 'active' })).toBe(1)
    expect(v('code_actors', { kind: 'DeployKey', state: 'ready' })).toBe(1)
    expect(f.get('code_crawl_duration_seconds')?.type).toBe('histogram')
    expect(v('process_resident_memory_bytes')).toBeGreaterThan(0)
  }, 30_000)
})

test('/debug/inspect speaks the Stately inspection protocol: actors with their parents, then snapshots', () => {
  const messages = streams.inspect
    .split('\n\n')
    .map((block) => block.match(/^data: (.*)$/m)?.[1])
    .filter((d): d is string => d !== undefined)
    .map((d) => JSON.parse(d) as Record<string, unknown> & { type: string; sessionId: string })
  for (const m of messages) expect(m).toMatchObject({ rootId: 'system', _version: '1.0.0', id: expect.any(String) })
  const actors = new Map(messages.filter((m) => m.type === '@xstate.actor').map((m) => [m.sessionId, m]))
  expect(actors.get('system')).not.toHaveProperty('parentId')
  expect(actors.get(cluster)).toMatchObject({ parentId: 'system', snapshot: { status: 'active' } })
  expect(actors.get(id('Repository', 'web'))).toMatchObject({ parentId: id('Connection', 'github') })
  expect(actors.get(id('DeployKey', 'ci'))).toMatchObject({ parentId: id('Repository', 'web') })
  const snapshots = messages.filter((m) => m.type === '@xstate.snapshot' && m.sessionId === id('Repository', 'web'))
  expect(snapshots.map((m) => (m.snapshot as { value: string }).value)).toEqual(
    expect.arrayContaining(['provisioning', 'ready']),
  )
  expect(messages.some((m) => m.type === '@xstate.event' && m.sessionId === id('DeployKey', 'ci'))).toBe(true)
})

describe('secrets and logs', () => {
  test('neither the canary token nor the generated private key appears in /debug, events, metrics or logs', async () => {
    const key = (await s.get(T, 'DeployKey', 'ci')) as KubeObject & { status: { secretRef: { name: string } } }
    const secret = (await s.tenant(T).get(resourceTypes.Secret, key.status.secretRef.name, 'default')) as KubeObject & {
      data: Record<string, string>
    }
    const privateKey = Buffer.from(secret.data['ssh-privatekey']!, 'base64').toString()
    const keyLine = privateKey.split('\n')[2]!
    expect(keyLine.length).toBeGreaterThan(40)
    // A request that carries a token in its query string is logged without it.
    await (await s.admin(`/debug/gates?token=${CANARY}`)).text()

    const ids = [...(await getJSON<{ items: ActorView[] }>('/debug/actors?limit=1000')).items.map((a) => a.id)]
    expect(ids).toContain(id('DeployKey', 'ci'))
    const paths = [
      '/debug',
      '/debug/tree',
      '/debug/actors?limit=1000',
      '/debug/gates',
      '/debug/components',
      '/debug/view/tree',
      '/debug/view/gates',
      '/metrics',
      ...ids.flatMap((a) => [`/debug/actors/${encodeURIComponent(a)}`, `/debug/view/actors/${encodeURIComponent(a)}`]),
    ]
    const bodies = await Promise.all(paths.map(async (p) => `${p}\n${await (await s.admin(p)).text()}`))
    const logs = s.logs.join('\n')
    expect(logs).toContain('"path":"/debug/gates?token=[redacted]"')
    for (const [what, text] of [
      ['admin responses', bodies.join('\n')],
      ['event stream', streams.all],
      ['inspection stream', streams.inspect],
      ['logs', logs],
    ] as const) {
      expect(text.length, what).toBeGreaterThan(1000)
      expect(text.includes('CANARY'), `${what} contain the canary token`).toBe(false)
      expect(text.includes(keyLine), `${what} contain the private key`).toBe(false)
      expect(text.includes('PRIVATE KEY-----'), `${what} contain a private key`).toBe(false)
    }
  }, 30_000)

  test('every actor log line names its workspace, kind, name and actor', () => {
    const lines = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>)
    const actorLines = lines.filter((l) => l.component !== 'http')
    expect(actorLines.length).toBeGreaterThan(10)
    const kinds = new Set(actorLines.map((l) => l.kind))
    expect([...kinds]).toEqual(expect.arrayContaining(['System', 'Workspace', 'Connection', 'Repository', 'DeployKey']))
    const missing = actorLines.filter(
      (l) => !l.kind || !l.name || !l.actor || (l.kind !== 'System' && l.workspace !== cluster),
    )
    expect(missing).toEqual([])
    const requests = lines.filter((l) => l.component === 'http')
    expect(requests.length).toBeGreaterThan(0)
    expect(
      requests.filter((l) => l.level !== 'debug' || l.listener !== 'admin' || typeof l.status !== 'number'),
    ).toEqual([])
  })
})
