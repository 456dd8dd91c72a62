// Object semantics over real HTTP: metadata, generation vs status, concurrency, finalizers,
// garbage collection, validation and pruning, patches, lists.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.ts'

let api: TestApiServer
const repos = '/clusters/root:acme/apis/code.kedge.faros.sh/v1alpha1/repositories'
const secrets = '/clusters/root:acme/api/v1/namespaces/default/secrets'
const repo = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'Repository',
  metadata: { name, ...meta },
  spec: { connectionRef: 'github', name, ...spec },
})
// biome-ignore lint/suspicious/noExplicitAny: responses are free-form JSON in these tests
type Any = any
const body = async (r: Response): Promise<Any> => r.json()
const post = (path: string, json: unknown, query = '') => api.fetch(`${path}${query}`, { method: 'POST', json })
const patch = (path: string, json: unknown, type = 'application/merge-patch+json') =>
  api.fetch(path, { method: 'PATCH', json, headers: { 'content-type': type } })

beforeAll(async () => {
  api = await startTestApiServer()
})
afterAll(() => api.stop())

describe('create', () => {
  test('server-owned metadata: uid, creationTimestamp, generation, resourceVersion, kcp.io/cluster', async () => {
    const r = await post(repos, repo('meta'))
    expect(r.status).toBe(201)
    const o = await body(r)
    expect(o.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(o.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(o.metadata.generation).toBe(1)
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0)
    expect(o.metadata.annotations['kcp.io/cluster']).toBe(api.tenants['root:acme']!.cluster)
  })
  test('generateName', async () => {
    const o = await body(await post(repos, { ...repo('generated'), metadata: { generateName: 'gen-' } }))
    expect(o.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/)
  })
  test('AlreadyExists is a 409 Status', async () => {
    await post(repos, repo('dup'))
    const r = await post(repos, repo('dup'))
    expect(r.status).toBe(409)
    expect(await body(r)).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 })
  })
  test('schema and rule violations are a 422 with field causes', async () => {
    const r = await post(repos, repo('bad', { visibility: 'secret', connectionRef: undefined }))
    expect(r.status).toBe(422)
    const s = await body(r)
    expect(s.reason).toBe('Invalid')
    expect(s.details.causes).toContainEqual({
      reason: 'FieldValueNotSupported',
      field: 'spec.visibility',
      message: 'Unsupported value: "secret": supported values: "private", "public", "internal"',
    })
    expect(s.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      field: 'spec.connectionRef',
      message: 'Required value',
    })
    const rule = await body(await post(repos, repo('dot', { name: '..' })))
    expect(rule.details.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.name', message: 'name cannot be "." or ".."' },
    ])
    const name = await post(repos, repo('Not_A_Name'))
    expect((await body(name)).details.causes[0].field).toBe('metadata.name')
  })
  test('unknown fields: pruned with a warning, refused under fieldValidation=Strict', async () => {
    const r = await post(repos, repo('pruned', { bogus: 1 }))
    expect(r.status).toBe(201)
    expect(r.headers.get('warning')).toContain('unknown field \\"spec.bogus\\"')
    expect((await body(r)).spec.bogus).toBeUndefined()
    const strict = await post(repos, repo('strict', { bogus: 1 }), '?fieldValidation=Strict')
    expect(strict.status).toBe(400)
    expect((await body(strict)).message).toContain('unknown field "spec.bogus"')
  })
  test('malformed JSON is a 400, an oversized body a 413, protobuf a 415', async () => {
    const bad = await api.fetch(repos, {
      method: 'POST',
      body: '{nope',
      headers: { 'content-type': 'application/json' },
    })
    expect(bad.status).toBe(400)
    expect((await body(bad)).kind).toBe('Status')
    const big = await post(repos, repo('big', { description: 'x'.repeat(3.5 * 1024 * 1024) }))
    expect(big.status).toBe(413)
    const proto = await api.fetch(repos, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    })
    expect(proto.status).toBe(415)
  })
  test('namespaced objects need an existing namespace; Secrets fold stringData into data', async () => {
    const missing = await post('/clusters/root:acme/api/v1/namespaces/nope/secrets', { metadata: { name: 's' } })
    expect(missing.status).toBe(404)
    const s = await body(await post(secrets, { metadata: { name: 'tok' }, stringData: { token: 'abc' } }))
    expect(s).toMatchObject({ kind: 'Secret', type: 'Opaque', data: { token: 'YWJj' } })
    expect(s.stringData).toBeUndefined()
  })
})

describe('update and status', () => {
  test('spec changes bump generation; status writes do not; each ignores the other half', async () => {
    const created = await body(await post(repos, repo('gen')))
    const updated = await body(
      await api.fetch(`${repos}/gen`, {
        method: 'PUT',
        json: { ...created, spec: { ...created.spec, description: 'd' }, status: { htmlURL: 'ignored' } },
      }),
    )
    expect(updated.metadata.generation).toBe(2)
    expect(updated.status).toBeUndefined()
    const status = await body(
      await api.fetch(`${repos}/gen/status`, {
        method: 'PUT',
        json: { ...updated, spec: { connectionRef: 'other', name: 'gen' }, status: { htmlURL: 'https://x' } },
      }),
    )
    expect(status.metadata.generation).toBe(2)
    expect(status.spec.connectionRef).toBe('github')
    expect(status.status.htmlURL).toBe('https://x')
    const labelled = await body(await patch(`${repos}/gen`, { metadata: { labels: { a: 'b' } } }))
    expect(labelled.metadata.generation).toBe(2)
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(status.metadata.resourceVersion))
  })
  test('a write that changes nothing keeps the resourceVersion', async () => {
    const o = await body(await post(repos, repo('same')))
    const again = await body(await api.fetch(`${repos}/same`, { method: 'PUT', json: o }))
    expect(again.metadata.resourceVersion).toBe(o.metadata.resourceVersion)
  })
  test('a stale resourceVersion is a 409 Conflict', async () => {
    const o = await body(await post(repos, repo('cas')))
    await patch(`${repos}/cas`, { spec: { description: 'first' } })
    const r = await api.fetch(`${repos}/cas`, {
      method: 'PUT',
      json: { ...o, spec: { ...o.spec, description: 'second' } },
    })
    expect(r.status).toBe(409)
    expect(await body(r)).toMatchObject({ reason: 'Conflict', details: { name: 'cas', kind: 'repositories' } })
  })
  test('immutable fields (transition rules) are enforced on update', async () => {
    await post('/clusters/root:acme/apis/code.kedge.faros.sh/v1alpha1/deploykeys', {
      apiVersion: 'code.kedge.faros.sh/v1alpha1',
      kind: 'DeployKey',
      metadata: { name: 'k' },
      spec: { repositoryRef: 'a' },
    })
    const r = await patch('/clusters/root:acme/apis/code.kedge.faros.sh/v1alpha1/deploykeys/k', {
      spec: { repositoryRef: 'b' },
    })
    expect(r.status).toBe(422)
    expect((await body(r)).details.causes[0].field).toBe('spec.repositoryRef')
  })
  test('JSON patch and strategic merge patch', async () => {
    await post(repos, repo('patches'))
    const j = await body(
      await patch(
        `${repos}/patches`,
        [{ op: 'add', path: '/spec/topics', value: ['a'] }],
        'application/json-patch+json',
      ),
    )
    expect(j.spec.topics).toEqual(['a'])
    const s = await body(
      await patch(
        `${repos}/patches`,
        { spec: { description: 'smp' }, $setElementOrder: [] },
        'application/strategic-merge-patch+json',
      ),
    )
    expect(s.spec).toMatchObject({ description: 'smp', topics: ['a'] })
    const failed = await patch(
      `${repos}/patches`,
      [{ op: 'test', path: '/spec/name', value: 'x' }],
      'application/json-patch+json',
    )
    expect(failed.status).toBe(422)
    expect((await patch(`${repos}/nope`, { spec: {} })).status).toBe(404)
  })
})

describe('delete, finalizers and garbage collection', () => {
  test('a finalizer holds the object with a deletionTimestamp until it is removed', async () => {
    await post(repos, repo('held', {}, { finalizers: ['test/keep'] }))
    const deleting = await body(await api.fetch(`${repos}/held`, { method: 'DELETE' }))
    expect(deleting.metadata.deletionTimestamp).toBeString()
    expect(deleting.metadata.generation).toBe(2)
    expect((await api.fetch(`${repos}/held`)).status).toBe(200)
    const addMore = await patch(`${repos}/held`, { metadata: { finalizers: ['test/keep', 'test/more'] } })
    expect(addMore.status).toBe(422)
    expect((await patch(`${repos}/held`, { metadata: { finalizers: null } })).status).toBe(200)
    expect((await api.fetch(`${repos}/held`)).status).toBe(404)
  })
  test('delete preconditions and 404', async () => {
    await post(repos, repo('pre'))
    const r = await api.fetch(`${repos}/pre`, { method: 'DELETE', json: { preconditions: { resourceVersion: '1' } } })
    expect(r.status).toBe(409)
    expect((await api.fetch(`${repos}/pre`, { method: 'DELETE' })).status).toBe(200)
    expect((await api.fetch(`${repos}/pre`, { method: 'DELETE' })).status).toBe(404)
  })
  test('dependents whose owners are all gone are deleted (owners matched by uid)', async () => {
    const owner = await body(await post(repos, repo('owner')))
    const other = await body(await post(repos, repo('other-owner')))
    const ref = (o: Any) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid })
    await post(secrets, { metadata: { name: 'dep', ownerReferences: [ref(owner)] } })
    await post(secrets, { metadata: { name: 'dep-two-owners', ownerReferences: [ref(owner), ref(other)] } })
    await post(secrets, { metadata: { name: 'dep-finalized', finalizers: ['x/y'], ownerReferences: [ref(owner)] } })
    await api.fetch(`${repos}/owner`, { method: 'DELETE' })
    let gone = false
    for (let i = 0; i < 100 && !gone; i++) {
      gone = (await api.fetch(`${secrets}/dep`)).status === 404
      if (!gone) await Bun.sleep(10)
    }
    expect(gone).toBe(true)
    expect((await api.fetch(`${secrets}/dep-two-owners`)).status).toBe(200)
    const finalized = await body(await api.fetch(`${secrets}/dep-finalized`))
    expect(finalized.metadata.deletionTimestamp).toBeString()
  })
})

test('propagationPolicy=Orphan keeps dependents and drops their reference to the owner', async () => {
  const owner = await body(await post(repos, repo('orphaner')))
  const ref = { apiVersion: owner.apiVersion, kind: owner.kind, name: 'orphaner', uid: owner.metadata.uid }
  await post(secrets, { metadata: { name: 'orphan', ownerReferences: [ref] } })
  await api.fetch(`${repos}/orphaner`, { method: 'DELETE', json: { propagationPolicy: 'Orphan' } })
  await Bun.sleep(20)
  const orphan = await api.fetch(`${secrets}/orphan`)
  expect(orphan.status).toBe(200)
  expect((await body(orphan)).metadata.ownerReferences).toBeUndefined()
})

describe('list', () => {
  const path = '/clusters/root:acme/api/v1/namespaces/default/configmaps'
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) {
      await post(path, { metadata: { name: `cm-${i}`, labels: { tier: i % 2 ? 'web' : 'db', i: String(i) } } })
    }
  })
  test('label and field selectors', async () => {
    const names = async (q: string) =>
      (await body(await api.fetch(`${path}?${q}`))).items.map((o: Any) => o.metadata.name)
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['cm-1', 'cm-3', 'cm-5'])
    expect(await names(`labelSelector=${encodeURIComponent('tier=db,i notin (0,2)')}`)).toEqual(['cm-4', 'cm-6'])
    expect(await names('fieldSelector=metadata.name%3Dcm-2')).toEqual(['cm-2'])
    expect(
      await names('fieldSelector=metadata.namespace%3Ddefault,metadata.name!%3Dcm-0&labelSelector=tier%3Ddb'),
    ).toEqual(['cm-2', 'cm-4', 'cm-6'])
    expect((await api.fetch(`${path}?labelSelector=a%20b%20c`)).status).toBe(400)
  })
  test('limit and continue page through in order, at one resourceVersion', async () => {
    const seen: string[] = []
    let cont = ''
    let rv = ''
    do {
      const page = await body(await api.fetch(`${path}?limit=3${cont ? `&continue=${cont}` : ''}`))
      seen.push(...page.items.map((o: Any) => o.metadata.name))
      rv ||= page.metadata.resourceVersion
      expect(page.metadata.resourceVersion).toBe(rv)
      cont = page.metadata.continue ?? ''
    } while (cont)
    expect(seen).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4', 'cm-5', 'cm-6'])
  })
  test('Table output carries the kind printer columns', async () => {
    await post(repos, repo('tabled', { visibility: 'public' }))
    const t = await body(
      await api.fetch(`${repos}?fieldSelector=metadata.name%3Dtabled`, {
        headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      }),
    )
    expect(t.kind).toBe('Table')
    expect(t.columnDefinitions.map((c: Any) => c.name)).toEqual([
      'Name',
      'Connection',
      'Repo',
      'Visibility',
      'URL',
      'Ready',
      'Synced',
      'Reason',
      'Policy',
      'Age',
    ])
    expect(t.rows[0].cells.slice(0, 4)).toEqual(['tabled', 'github', 'tabled', 'public'])
    expect(t.rows[0].object.kind).toBe('PartialObjectMetadata')
  })
})
