// `code-provider init` against the embedded API server over HTTPS: a no-op over what the server
// seeds for dev, a full install into an empty workspace, and repair of drift (a deleted schema, a
// slice naming another path, an export that lost a claim), leaving other groups' entries alone.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { type JsonObject, permissionClaims } from '../src/apis/crd.ts'
import { EXPORT_NAME } from '../src/apis/v1alpha1/group.ts'
import { createProviderCluster } from '../src/cluster/kube/provider-cluster.ts'
import { formatInit, runInit } from '../src/commands/init.ts'
import { loadConfig } from '../src/config.ts'
import type { Step } from '../src/install/bootstrap.ts'
import { startTestApiServer, type TestApiServer } from './support/apiserver.ts'

// biome-ignore lint/suspicious/noExplicitAny: responses are free-form JSON in these tests
type Any = any

const root = join(import.meta.dir, '..')
const chartSchemas = join(root, 'chart/files/schemas')
let api: TestApiServer
let scratch: string

const kcpPath = (ws: string, plural: string, name = '') =>
  `/clusters/${ws}/apis/apis.kcp.io/${plural === 'apiexports' ? 'v1alpha2' : 'v1alpha1'}/${plural}${name ? `/${name}` : ''}`
const rbacPath = (ws: string, plural: string, name = '') =>
  `/clusters/${ws}/apis/rbac.authorization.k8s.io/v1/${plural}${name ? `/${name}` : ''}`
const get = async (path: string): Promise<Any> => (await api.fetch(path)).json()
async function must(r: Promise<Response>): Promise<Any> {
  const res = await r
  if (!res.ok) throw new Error(`${res.status}: ${await res.text()}`)
  return res.json()
}

const init = (env: Record<string, string>) =>
  runInit(
    loadConfig({
      KEDGE_PROVIDER_KUBECONFIG: api.kubeconfigs.provider,
      KEDGE_SCHEMAS_DIR: chartSchemas,
      ...env,
    }),
    { pollMs: 10 },
  )
const actions = (steps: Step[]) => steps.map((s) => `${s.action} ${s.kind}${s.name ? ` ${s.name}` : ''}`)
const notUnchanged = (steps: Step[]) => actions(steps.filter((s) => s.action !== 'unchanged' && s.action !== 'skipped'))

beforeAll(async () => {
  api = await startTestApiServer()
  scratch = mkdtempSync(join(tmpdir(), 'code-init-'))
})
afterAll(() => api.stop())

describe('over the seeded dev server', () => {
  test('changes nothing, with schemas from KEDGE_SCHEMAS_DIR or generated', async () => {
    const fromDir = await init({})
    expect(fromDir.schemaSource.from).toBe('directory')
    expect(notUnchanged(fromDir.steps)).toEqual([])
    expect(fromDir.steps.filter((s) => s.kind === 'APIResourceSchema')).toHaveLength(8)
    const generated = await init({ KEDGE_SCHEMAS_DIR: join(scratch, 'missing') })
    expect(generated.schemaSource.from).toBe('generated')
    expect(notUnchanged(generated.steps)).toEqual([])
    const text = formatInit(generated)
    expect(text).toContain('generated from src/apis')
    expect(text).toMatch(/skipped\s+CatalogEntry\s+\(KEDGE_CATALOGENTRY_FILE not set\)/)
  })

  test('repairs drift: a deleted schema, a slice naming another path, a lost claim, a stale entry, a deleted binding', async () => {
    const ws = api.workspacePath
    const schemas = (await get(kcpPath(ws, 'apiresourceschemas'))).items as Any[]
    const victim = schemas.find((s) => s.spec.names.plural === 'deploykeys').metadata.name
    await must(api.fetch(kcpPath(ws, 'apiresourceschemas', victim), { method: 'DELETE' }))

    await must(api.fetch(kcpPath(ws, 'apiexportendpointslices', EXPORT_NAME), { method: 'DELETE' }))
    await must(
      api.fetch(kcpPath(ws, 'apiexportendpointslices'), {
        method: 'POST',
        json: { metadata: { name: EXPORT_NAME }, spec: { export: { path: 'root:elsewhere', name: EXPORT_NAME } } },
      }),
    )

    const exp = await get(kcpPath(ws, 'apiexports', EXPORT_NAME))
    exp.spec.resources.push(
      { group: 'code.kedge.faros.sh', name: 'widgets', schema: 'v0.widgets.code.kedge.faros.sh', storage: { crd: {} } },
      { group: 'other.example.com', name: 'gadgets', schema: 'v1.gadgets.other.example.com', storage: { crd: {} } },
    )
    exp.spec.permissionClaims = [
      exp.spec.permissionClaims.find((c: Any) => c.resource === 'secrets'),
      { group: '', resource: 'configmaps', verbs: ['get'] },
    ]
    await must(api.fetch(kcpPath(ws, 'apiexports', EXPORT_NAME), { method: 'PUT', json: exp }))
    const binding = `kedge:providers:bind:${EXPORT_NAME}`
    await must(api.fetch(rbacPath(ws, 'clusterrolebindings', binding), { method: 'DELETE' }))

    const repaired = await init({})
    expect(notUnchanged(repaired.steps)).toEqual([
      `created APIResourceSchema ${victim}`,
      `updated APIExport ${EXPORT_NAME}`,
      `recreated APIExportEndpointSlice ${EXPORT_NAME}`,
      `created ClusterRoleBinding ${binding}`,
    ])
    expect(repaired.steps.find((s) => s.kind === 'APIExport')?.detail).toBe(
      'resources: 0 added, 1 pruned; claims set: events',
    )

    const after = await get(kcpPath(ws, 'apiexports', EXPORT_NAME))
    const resources = after.spec.resources.map((r: Any) => `${r.group}/${r.name}`)
    expect(resources).toContain('other.example.com/gadgets')
    expect(resources).toContain('code.kedge.faros.sh/deploykeys')
    expect(resources).not.toContain('code.kedge.faros.sh/widgets')
    expect(resources).toHaveLength(9)
    const claims = Object.fromEntries(after.spec.permissionClaims.map((c: Any) => [c.resource, c.verbs]))
    expect(claims).toEqual({
      secrets: permissionClaims[0]!.verbs,
      events: permissionClaims[1]!.verbs,
      configmaps: ['get'],
    })
    const slice = await get(kcpPath(ws, 'apiexportendpointslices', EXPORT_NAME))
    expect(slice.spec.export).toEqual({ name: EXPORT_NAME, path: ws })
    expect(slice.status.endpoints).toEqual([{ url: api.vwURL }])

    expect(notUnchanged((await init({})).steps)).toEqual([])
    // The provider finds its virtual workspace through the recreated slice.
    const cluster = await createProviderCluster({ kubeconfig: { path: api.kubeconfigs.provider }, workspacePath: ws })
    const watcher = cluster.watch([], () => {})
    watcher.stop()
  })

  test('the CatalogEntry is created from its file, then updated in place (the hub status stays)', async () => {
    const file = join(scratch, 'catalogentry.yaml')
    const manifest = parse(readFileSync(join(root, 'manifest.yaml'), 'utf8')) as JsonObject
    writeFileSync(file, stringify(manifest))
    const first = await init({ KEDGE_CATALOGENTRY_FILE: file })
    expect(notUnchanged(first.steps)).toEqual(['created CatalogEntry code'])
    const entries = `/clusters/${api.workspacePath}/apis/providers.kedge.faros.sh/v1alpha1/catalogentries`
    const stored = await get(`${entries}/code`)
    await must(
      api.fetch(`${entries}/code/status`, {
        method: 'PUT',
        json: { ...stored, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      }),
    )

    expect(notUnchanged((await init({ KEDGE_CATALOGENTRY_FILE: file })).steps)).toEqual([])
    const moved = structuredClone(manifest) as Any
    moved.spec.backend.url = 'http://code.kedge-code.svc.cluster.local:8083'
    writeFileSync(file, stringify(moved))
    expect(notUnchanged((await init({ KEDGE_CATALOGENTRY_FILE: file })).steps)).toEqual(['updated CatalogEntry code'])
    const after = await get(`${entries}/code`)
    expect(after.spec.backend.url).toBe('http://code.kedge-code.svc.cluster.local:8083')
    expect(after.status.conditions[0].type).toBe('Ready')
  })
})

describe('into an empty workspace', () => {
  test('creates everything, and the export is readable when init returns', async () => {
    await must(
      api.fetch('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', {
        method: 'POST',
        json: { metadata: { name: 'fresh' }, spec: {} },
      }),
    )
    const env = { KEDGE_PROVIDER_KUBECONFIG: api.kubeconfigs.admin, CODE_WORKSPACE_PATH: 'root:fresh' }
    const result = await init(env)
    expect(result.steps.filter((s) => s.action === 'created').map((s) => s.kind)).toEqual([
      ...Array(8).fill('APIResourceSchema'),
      'APIExport',
      'APIExportEndpointSlice',
      'ClusterRole',
      'ClusterRoleBinding',
    ])
    const exp = await get(kcpPath('root:fresh', 'apiexports', EXPORT_NAME))
    expect(exp.spec.permissionClaims.map((c: Any) => c.resource)).toEqual(['secrets', 'events'])
    expect(exp.spec.resources).toHaveLength(8)
    const role = await get(rbacPath('root:fresh', 'clusterroles', `kedge:providers:bind:${EXPORT_NAME}`))
    expect(role.rules).toEqual([
      { apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: [EXPORT_NAME], verbs: ['bind'] },
    ])
    const binding = await get(rbacPath('root:fresh', 'clusterrolebindings', `kedge:providers:bind:${EXPORT_NAME}`))
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' },
    ])
    expect(notUnchanged((await init(env)).steps)).toEqual([])
  })
})

describe('bad input is a clear error, and nothing is written', () => {
  test('no kubeconfig', async () => {
    await expect(runInit(loadConfig({}))).rejects.toThrow(/KEDGE_PROVIDER_KUBECONFIG/)
  })
  test('a catalog entry file that is not one CatalogEntry', async () => {
    const file = join(scratch, 'bad-entry.yaml')
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')
    await expect(init({ KEDGE_CATALOGENTRY_FILE: file })).rejects.toThrow(/expected one CatalogEntry/)
  })
  test('a schemas directory without schemas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-init-empty-'))
    writeFileSync(join(dir, 'note.yaml'), 'kind: Nothing\n')
    await expect(init({ KEDGE_SCHEMAS_DIR: dir })).rejects.toThrow(/no APIResourceSchema/)
  })
  test('an unreachable server names the object it was after', async () => {
    const kubeconfig = join(scratch, 'nowhere.kubeconfig')
    writeFileSync(
      kubeconfig,
      readFileSync(api.kubeconfigs.provider, 'utf8').replace(
        /server: \S+/,
        'server: https://127.0.0.1:1/clusters/root',
      ),
    )
    await expect(init({ KEDGE_PROVIDER_KUBECONFIG: kubeconfig })).rejects.toThrow(/apiresourceschemas/)
  })
})
