// The Cluster port against the embedded API server over HTTPS: informers across /clusters/* of
// the virtual workspace (token and client certificate), relist after 410, events, and callers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.ts'
import type { KubeObject } from '../../apis/meta.ts'
import { type ClusterEvent, isClusterError, resourceTypes } from '../cluster.ts'
import { createProviderCluster } from './provider-cluster.ts'
import { createTenantClients } from './tenant-clients.ts'

const repo = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'Repository',
  metadata: { name, ...extra },
  spec: { connectionRef: 'github', name },
})

/** Collects events and waits for the one a test expects. */
function recorder() {
  const events: ClusterEvent[] = []
  const waiters: { pred: (e: ClusterEvent) => boolean; resolve: (e: ClusterEvent) => void }[] = []
  return {
    events,
    onEvent(e: ClusterEvent) {
      events.push(e)
      for (const w of [...waiters]) if (w.pred(e)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(e)
    },
    waitFor(pred: (e: ClusterEvent) => boolean, timeoutMs = 5000): Promise<ClusterEvent> {
      const seen = events.find(pred)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve })
        setTimeout(() => reject(new Error('event did not arrive')), timeoutMs)
      })
    },
  }
}

const is = (type: string, name: string, cluster?: string) => (e: ClusterEvent) =>
  e.type === type && e.object.metadata.name === name && (cluster === undefined || e.cluster === cluster)

describe('ProviderCluster over the virtual workspace', () => {
  let api: TestApiServer
  beforeAll(async () => {
    api = await startTestApiServer({ tenants: ['root:acme', 'root:globex'] })
  })
  afterAll(() => api.stop())

  for (const auth of ['bearer token', 'client certificate'] as const) {
    test(`informers see adds, updates and deletes in several workspaces (${auth})`, async () => {
      const kubeconfig = { path: auth === 'bearer token' ? api.kubeconfigs.provider : api.kubeconfigs.admin }
      const provider = await createProviderCluster({ kubeconfig, workspacePath: api.workspacePath })
      const acme = api.tenants['root:acme']!
      const globex = api.tenants['root:globex']!
      const suffix = auth === 'bearer token' ? 't' : 'c'
      await provider.workspace(acme.cluster).create(resourceTypes.Repository, repo(`before-${suffix}`))
      const r = recorder()
      const watcher = provider.watch([resourceTypes.Repository, resourceTypes.Secret], r.onEvent)
      await watcher.ready
      await r.waitFor(is('ADDED', `before-${suffix}`, acme.cluster))
      const inGlobex = provider.workspace(globex.cluster)
      const created = await inGlobex.create(resourceTypes.Repository, repo(`live-${suffix}`))
      await r.waitFor(is('ADDED', `live-${suffix}`, globex.cluster))
      await inGlobex.patch(resourceTypes.Repository, created.metadata.name, { spec: { description: 'x' } })
      const modified = await r.waitFor(is('MODIFIED', `live-${suffix}`, globex.cluster))
      expect((modified.object.spec as { description: string }).description).toBe('x')
      await inGlobex.delete(resourceTypes.Repository, created.metadata.name)
      await r.waitFor(is('DELETED', `live-${suffix}`, globex.cluster))
      await provider.workspace(acme.cluster).create(resourceTypes.Secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `s-${suffix}`, namespace: 'default' },
      } as unknown as KubeObject)
      const secret = await r.waitFor(is('ADDED', `s-${suffix}`, acme.cluster))
      expect(secret.resource).toBe(resourceTypes.Secret)
      expect(watcher.synced()).toBe(true)
      watcher.stop()
    })
  }

  test('recordEvent writes a core Event and counts repeats on the same one', async () => {
    const provider = await createProviderCluster({
      kubeconfig: { path: api.kubeconfigs.provider },
      workspacePath: api.workspacePath,
    })
    const acme = api.tenants['root:acme']!
    const ws = provider.workspace(acme.cluster)
    const subject = await ws.create(resourceTypes.Repository, repo('evented'))
    const event = { type: 'Warning' as const, reason: 'CreateFailed', message: 'GitHub said no' }
    await provider.recordEvent(acme.cluster, subject, event)
    await provider.recordEvent(acme.cluster, subject, event)
    await provider.recordEvent(acme.cluster, subject, { ...event, reason: 'Created', type: 'Normal' })
    const events = await ws.list<KubeObject & { count: number; reason: string; involvedObject: { uid: string } }>(
      resourceTypes.Event,
      { namespace: 'default', fieldSelector: `involvedObject.uid=${subject.metadata.uid}` },
    )
    expect(events.map((e) => [e.reason, e.count]).sort()).toEqual([
      ['CreateFailed', 2],
      ['Created', 1],
    ])
  })

  test('errors map to ClusterError codes, with field causes for 422', async () => {
    const provider = await createProviderCluster({
      kubeconfig: { path: api.kubeconfigs.provider },
      workspacePath: api.workspacePath,
    })
    const ws = provider.workspace(api.tenants['root:acme']!.cluster)
    const obj = await ws.create(resourceTypes.Repository, repo('errors'))
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(isClusterError(await fail(ws.create(resourceTypes.Repository, repo('errors'))), 'already-exists')).toBe(true)
    await ws.patch(resourceTypes.Repository, 'errors', { spec: { description: 'newer' } })
    expect(isClusterError(await fail(ws.update(resourceTypes.Repository, obj)), 'conflict')).toBe(true)
    const invalid = await fail(ws.create(resourceTypes.Repository, { ...repo('bad'), spec: { name: 'x' } }))
    expect(isClusterError(invalid, 'invalid')).toBe(true)
    expect((invalid as { causes: unknown[] }).causes).toEqual([
      { field: 'spec.connectionRef', type: 'FieldValueRequired', message: 'Required value' },
    ])
    expect(await ws.get(resourceTypes.Repository, 'missing')).toBeUndefined()
    await ws.delete(resourceTypes.Repository, 'missing')
    const notBound = provider.workspace('nope')
    expect(isClusterError(await fail(notBound.list(resourceTypes.Repository)), 'forbidden')).toBe(true)
  })
})

test('after a 410 the informer relists and emits only the difference, DELETED included', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'code-apiserver-relist-'))
  const first = await startTestApiServer({ dataDir, watchWindow: 5 })
  const port = new URL(first.url).port
  const acme = first.tenants['root:acme']!
  const tenant = await createTenantClients({ kubeconfig: { path: first.kubeconfigs.admin } })
  const ws = tenant.forCaller({ cluster: 'root:acme', token: acme.token })
  for (const name of ['keep', 'change', 'vanish']) await ws.create(resourceTypes.Repository, repo(name))
  const provider = await createProviderCluster({
    kubeconfig: { path: first.kubeconfigs.provider },
    workspacePath: first.workspacePath,
  })
  const r = recorder()
  const watcher = provider.watch([resourceTypes.Repository], r.onEvent)
  await watcher.ready
  await first.stop()
  // Meanwhile, on a server the informer cannot see: changes, and enough churn to leave the window.
  const hidden = await startTestApiServer({ dataDir, watchWindow: 5 })
  const hiddenWs = (await createTenantClients({ kubeconfig: { path: hidden.kubeconfigs.admin } })).forCaller({
    cluster: 'root:acme',
    token: acme.token,
  })
  await hiddenWs.patch(resourceTypes.Repository, 'change', { spec: { description: 'changed' } })
  await hiddenWs.delete(resourceTypes.Repository, 'vanish')
  await hiddenWs.create(resourceTypes.Repository, repo('appeared'))
  for (let i = 0; i < 12; i++) {
    await hiddenWs.create(resourceTypes.Secret, {
      metadata: { name: `churn-${i}`, namespace: 'default' },
    } as unknown as KubeObject)
  }
  await hidden.stop()
  const before = r.events.length
  const back = await startTestApiServer({ dataDir, watchWindow: 5, addr: `127.0.0.1:${port}` })
  try {
    await r.waitFor(is('DELETED', 'vanish'), 15_000)
    await r.waitFor(is('ADDED', 'appeared'), 15_000)
    await r.waitFor(is('MODIFIED', 'change'), 15_000)
    const after = r.events.slice(before).map((e) => `${e.type} ${e.object.metadata.name}`)
    expect(after).not.toContain('ADDED keep')
    expect(after).not.toContain('MODIFIED keep')
  } finally {
    watcher.stop()
    await back.stop()
  }
})

describe('TenantClients', () => {
  let api: TestApiServer
  beforeAll(async () => {
    api = await startTestApiServer({ tenants: ['root:acme', 'root:globex'] })
  })
  afterAll(() => api.stop())

  test('act as the caller: their workspace works, another is forbidden', async () => {
    const clients = await createTenantClients({ kubeconfig: { path: api.kubeconfigs.admin } })
    const acme = api.tenants['root:acme']!
    const mine = clients.forCaller({ cluster: acme.cluster, token: acme.token })
    await mine.create(resourceTypes.Repository, repo('mine'))
    expect((await mine.list(resourceTypes.Repository)).map((o) => o.metadata.name)).toContain('mine')
    const theirs = clients.forCaller({ cluster: 'root:globex', token: acme.token })
    const err = await theirs.list(resourceTypes.Repository).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isClusterError(err, 'forbidden')).toBe(true)
    expect(String((err as Error).message)).not.toContain(acme.token)
    const wrong = clients.forCaller({ cluster: acme.cluster, token: 'wrong' })
    expect(isClusterError(await wrong.get(resourceTypes.Repository, 'mine').catch((e) => e), 'unauthorized')).toBe(true)
  })
  test('clients are cached per (cluster, token) with an LRU bound', async () => {
    const clients = await createTenantClients({ kubeconfig: { path: api.kubeconfigs.provider }, maxEntries: 2 })
    const a = clients.forCaller({ cluster: 'root:acme', token: 't1' })
    expect(clients.forCaller({ cluster: 'root:acme', token: 't1' })).toBe(a)
    clients.forCaller({ cluster: 'root:acme', token: 't2' })
    clients.forCaller({ cluster: 'root:acme', token: 't3' })
    expect(clients.size()).toBe(2)
    expect(clients.forCaller({ cluster: 'root:acme', token: 't1' })).not.toBe(a)
  })
})
