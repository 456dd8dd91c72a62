// Logical clusters, workspaces, bindings, the APIExport virtual workspace, authentication and
// authorization, and discovery: what kcp clients rely on, over real HTTPS.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.ts'

let api: TestApiServer
// biome-ignore lint/suspicious/noExplicitAny: responses are free-form JSON in these tests
type Any = any
const json = async (r: Response | Promise<Response>): Promise<Any> => (await r).json()
const code = 'apis/code.kedge.faros.sh/v1alpha1'
const repo = (name: string) => ({
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'Repository',
  metadata: { name },
  spec: { connectionRef: 'github', name },
})

beforeAll(async () => {
  api = await startTestApiServer({ tenants: ['root:acme', 'root:globex'] })
})
afterAll(() => api.stop())

describe('authentication and authorization', () => {
  test('a tenant token reaches its own workspace only', async () => {
    const { token } = api.tenants['root:acme']!
    expect((await api.fetch(`/clusters/root:acme/${code}/repositories`, { token })).status).toBe(200)
    for (const path of [
      `/clusters/root:globex/${code}/repositories`,
      `/clusters/*/${code}/repositories`,
      '/clusters/root/api/v1/namespaces',
      `/clusters/nowhere/${code}/repositories`,
    ]) {
      const r = await api.fetch(path, { token })
      expect(r.status).toBe(403)
      expect(await json(r)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 })
    }
    expect((await api.fetch(`${api.vwURL}/clusters/*/${code}/repositories`, { token })).status).toBe(403)
    expect((await api.fetch('/clusters/root:globex/version', { token })).status).toBe(200)
  })
  test('unknown or missing credentials are a 401', async () => {
    expect((await api.fetch('/version', { token: 'not-a-token' })).status).toBe(401)
    expect((await fetch(`${api.url}/version`, { tls: api.tls } as RequestInit)).status).toBe(401)
  })
  test('the admin client certificate reaches everything', async () => {
    expect((await api.fetch('/clusters/root:globex/api/v1/namespaces')).status).toBe(200)
    expect((await api.fetch(`/clusters/*/${code}/repositories`)).status).toBe(200)
  })
  test('the provider reaches the virtual workspace and its own workspace, not tenants directly', async () => {
    const token = api.tokens.provider
    expect((await api.fetch(`${api.vwURL}/clusters/*/${code}/repositories`, { token })).status).toBe(200)
    expect(
      (await api.fetch(`/clusters/${api.workspacePath}/apis/apis.kcp.io/v1alpha2/apiexports`, { token })).status,
    ).toBe(200)
    expect((await api.fetch(`/clusters/root:acme/${code}/repositories`, { token })).status).toBe(403)
  })
})

describe('workspaces and logical clusters', () => {
  test('a Workspace in root creates a logical cluster addressable by path and by id', async () => {
    const ws = await json(
      api.fetch('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', {
        method: 'POST',
        json: { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'team' }, spec: {} },
      }),
    )
    expect(ws.status.phase).toBe('Ready')
    expect(ws.spec.URL).toBe(`${api.url}/clusters/root:team`)
    const id = ws.spec.cluster as string
    const ns = await json(api.fetch(`/clusters/${id}/api/v1/namespaces/default`))
    expect(ns.metadata.annotations['kcp.io/cluster']).toBe(id)
    expect((await json(api.fetch('/clusters/root:team/api/v1/namespaces/default'))).metadata.uid).toBe(ns.metadata.uid)
  })
  test('code kinds are served once the workspace binds the export', async () => {
    expect((await api.fetch(`/clusters/root:team/${code}/repositories`)).status).toBe(404)
    const apis = await json(api.fetch('/clusters/root:team/apis'))
    expect(apis.groups.map((g: Any) => g.name)).not.toContain('code.kedge.faros.sh')
    const binding = await api.fetch('/clusters/root:team/apis/apis.kcp.io/v1alpha2/apibindings', {
      method: 'POST',
      json: {
        metadata: { name: 'code' },
        spec: { reference: { export: { path: api.workspacePath, name: 'code.providers.kedge.faros.sh' } } },
      },
    })
    expect((await json(binding)).status.phase).toBe('Bound')
    expect((await api.fetch(`/clusters/root:team/${code}/repositories`)).status).toBe(200)
    await api.fetch('/clusters/root:team/apis/apis.kcp.io/v1alpha2/apibindings/code', { method: 'DELETE' })
    expect((await api.fetch(`/clusters/root:team/${code}/repositories`)).status).toBe(404)
  })
  test('deleting a Workspace deletes its logical cluster and everything in it', async () => {
    await api.fetch('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', {
      method: 'POST',
      json: { metadata: { name: 'doomed' }, spec: {} },
    })
    expect((await api.fetch('/clusters/root:doomed/api/v1/namespaces/default')).status).toBe(200)
    await api.fetch('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/doomed', { method: 'DELETE' })
    expect((await api.fetch('/clusters/root:doomed/api/v1/namespaces/default')).status).toBe(404)
  })
})

describe('the APIExport virtual workspace', () => {
  test('the endpoint slice publishes its URL', async () => {
    const slice = await json(
      api.fetch(
        `/clusters/${api.workspacePath}/apis/apis.kcp.io/v1alpha1/apiexportendpointslices/code.providers.kedge.faros.sh`,
      ),
    )
    expect(slice.status.endpoints).toEqual([{ url: api.vwURL }])
  })
  test('a new slice gets its URL at once; spec.export cannot change (as in kcp)', async () => {
    const slices = `/clusters/root:globex/apis/apis.kcp.io/v1alpha1/apiexportendpointslices`
    const created = await json(
      api.fetch(slices, {
        method: 'POST',
        json: {
          metadata: { name: 'other' },
          spec: { export: { path: api.workspacePath, name: 'code.providers.kedge.faros.sh' } },
        },
      }),
    )
    expect(created.status.endpoints).toEqual([{ url: api.vwURL }])
    const moved = await api.fetch(`${slices}/other`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      json: { spec: { export: { path: 'root:elsewhere' } } },
    })
    expect(moved.status).toBe(422)
    expect(JSON.stringify(await moved.json())).toContain('spec.export')
  })
  test('lists across bound workspaces, serves CRUD in one, and the claimed secrets', async () => {
    const token = api.tokens.provider
    await api.fetch(`/clusters/root:acme/${code}/repositories`, { method: 'POST', json: repo('in-acme') })
    await api.fetch(`/clusters/root:globex/${code}/repositories`, { method: 'POST', json: repo('in-globex') })
    const all = await json(api.fetch(`${api.vwURL}/clusters/*/${code}/repositories`, { token }))
    const names = all.items.map((o: Any) => `${o.metadata.annotations['kcp.io/cluster']}/${o.metadata.name}`)
    expect(names).toContain(`${api.tenants['root:acme']!.cluster}/in-acme`)
    expect(names).toContain(`${api.tenants['root:globex']!.cluster}/in-globex`)
    const acme = api.tenants['root:acme']!.cluster
    const one = await api.fetch(`${api.vwURL}/clusters/${acme}/${code}/repositories/in-acme/status`, {
      token,
      method: 'PATCH',
      json: { status: { htmlURL: 'https://example/in-acme' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    expect((await json(one)).status.htmlURL).toBe('https://example/in-acme')
    const secret = await api.fetch(`${api.vwURL}/clusters/${acme}/api/v1/namespaces/default/secrets`, {
      token,
      method: 'POST',
      json: { metadata: { name: 'from-provider' }, stringData: { a: 'b' } },
    })
    expect(secret.status).toBe(201)
    expect(
      (await api.fetch(`${api.vwURL}/clusters/${acme}/api/v1/namespaces/default/configmaps`, { token })).status,
    ).toBe(404)
    const discovery = await json(api.fetch(`${api.vwURL}/clusters/*/api/v1`, { token }))
    expect(discovery.resources.map((r: Any) => r.name).sort()).toEqual(['events', 'secrets'])
  })
})

describe('discovery and OpenAPI', () => {
  test('/version (with and without a trailing slash) is a complete VersionInfo', async () => {
    for (const path of ['/version', '/version/']) {
      const v = await json(api.fetch(path))
      for (const k of [
        'major',
        'minor',
        'gitVersion',
        'gitCommit',
        'gitTreeState',
        'buildDate',
        'goVersion',
        'compiler',
        'platform',
      ]) {
        expect(v[k]).toBeString()
      }
    }
  })
  test('aggregated discovery requests get plain lists', async () => {
    const r = await api.fetch('/clusters/root:acme/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' },
    })
    expect((await json(r)).kind).toBe('APIGroupList')
    expect((await json(api.fetch('/clusters/root:acme/api'))).versions).toEqual(['v1'])
  })
  test('resource lists name every resource fully', async () => {
    const list = await json(api.fetch(`/clusters/root:acme/${code}`))
    const repos = list.resources.find((r: Any) => r.name === 'repositories')
    expect(repos).toMatchObject({
      singularName: 'repository',
      namespaced: false,
      kind: 'Repository',
      shortNames: ['grepo'],
      categories: ['kedge'],
    })
    expect(repos.verbs).toContain('watch')
    expect(list.resources.find((r: Any) => r.name === 'repositories/status').verbs).toEqual(['get', 'patch', 'update'])
  })
  test('/openapi/v3 points at documents that declare fieldValidation; /openapi/v2 is 404', async () => {
    const root = await json(api.fetch('/clusters/root:acme/openapi/v3'))
    const ref = root.paths['apis/code.kedge.faros.sh/v1alpha1'].serverRelativeURL as string
    const doc = await json(api.fetch(`/clusters/root:acme${ref}`))
    const post = doc.paths['/apis/code.kedge.faros.sh/v1alpha1/repositories'].post
    expect(post.parameters.map((p: Any) => p.name)).toContain('fieldValidation')
    expect(
      doc.components.schemas['sh.faros.kedge.code.v1alpha1.Repository']['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'code.kedge.faros.sh', version: 'v1alpha1', kind: 'Repository' }])
    expect((await api.fetch('/clusters/root:acme/openapi/v2')).status).toBe(404)
  })
  test('unknown paths and methods are Status objects', async () => {
    expect(await json(api.fetch('/clusters/root:acme/apis/nope/v1/things'))).toMatchObject({
      kind: 'Status',
      code: 404,
    })
    expect((await api.fetch('/version', { method: 'POST' })).status).toBe(405)
    const put = await api.fetch(`/clusters/root:acme/${code}/repositories`, { method: 'PUT', json: {} })
    expect(put.status).toBe(405)
  })
  test('request counts per verb, resource and code', () => {
    const counts = api.metrics.snapshot()
    expect(
      counts.find((c) => c.verb === 'list' && c.resource === 'code.kedge.faros.sh/repositories' && c.code === 200)
        ?.count,
    ).toBeGreaterThan(0)
    expect(counts.some((c) => c.code === 403)).toBe(true)
  })
})
