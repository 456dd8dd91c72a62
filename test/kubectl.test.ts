// kubectl (v1.35, not written here) against the embedded API server, in a tenant workspace over
// HTTPS with the tenant's token: the commands people actually type.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resourceTypes } from '../src/cluster/cluster.ts'
import { createProviderCluster } from '../src/cluster/kube/provider-cluster.ts'
import { startTestApiServer, type TestApiServer } from './support/apiserver.ts'
import { kubectlPath } from './support/tools.ts'

let api: TestApiServer
let home: string
let kubectlBin: string

// Asynchronous on purpose: the server runs in this process, so a blocking spawn would deadlock.
async function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn(
    [kubectlBin, '--kubeconfig', api.tenants['root:acme']!.kubeconfig, '--cache-dir', join(home, 'cache'), ...args],
    {
      env: { HOME: home, PATH: process.env.PATH ?? '' },
      stdout: 'pipe',
      stderr: 'pipe',
    },
  )
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

async function ok(...args: string[]): Promise<string> {
  const r = await kubectl(...args)
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.err}`)
  return r.out
}

function file(name: string, yaml: string): string {
  const path = join(home, name)
  writeFileSync(path, yaml)
  return path
}

const repoYaml = (name: string, extra = '') => `apiVersion: code.kedge.faros.sh/v1alpha1
kind: Repository
metadata:
  name: ${name}
spec:
  connectionRef: github
  name: ${name}
  visibility: private
${extra}`

beforeAll(async () => {
  kubectlBin = kubectlPath()
  home = mkdtempSync(join(tmpdir(), 'kubectl-home-'))
  api = await startTestApiServer()
})
afterAll(() => api.stop())

test('create, get with printer columns, get -o yaml', async () => {
  expect(await ok('create', '-f', file('site.yaml', repoYaml('site')))).toContain(
    'repository.code.kedge.faros.sh/site created',
  )
  const table = await ok('get', 'repositories')
  expect(table.split('\n')[0]!.split(/\s+/)).toEqual([
    'NAME',
    'CONNECTION',
    'REPO',
    'VISIBILITY',
    'URL',
    'READY',
    'SYNCED',
    'AGE',
  ])
  expect(table).toMatch(/site\s+github\s+site\s+private/)
  const yaml = await ok('get', 'grepo', 'site', '-o', 'yaml')
  expect(yaml).toContain(`kcp.io/cluster: ${api.tenants['root:acme']!.cluster}`)
  expect(yaml).toContain('generation: 1')
}, 30_000)

test('apply with validation on: create, configure, and a 422 with the field named', async () => {
  const path = file('applied.yaml', repoYaml('applied'))
  expect(await ok('apply', '-f', path)).toContain('created')
  writeFileSync(path, repoYaml('applied', '  description: now described\n'))
  expect(await ok('apply', '-f', path)).toContain('configured')
  expect(await ok('get', 'repository', 'applied', '-o', 'jsonpath={.spec.description} {.metadata.generation}')).toBe(
    'now described 2',
  )
  const bad = await kubectl('apply', '-f', file('bad.yaml', repoYaml('bad').replace('private', 'secret')))
  expect(bad.code).not.toBe(0)
  expect(bad.err).toContain('spec.visibility: Unsupported value: "secret"')
  const unknown = await kubectl('apply', '-f', file('unknown.yaml', repoYaml('unknown', '  bogus: 1\n')))
  expect(unknown.err).toContain('unknown field "spec.bogus"')
}, 30_000)

test('patch (merge and JSON), label, and the status subresource', async () => {
  await ok('patch', 'repository', 'site', '--type=merge', '-p', '{"spec":{"description":"merged"}}')
  await ok('patch', 'repository', 'site', '--type=json', '-p', '[{"op":"add","path":"/spec/topics","value":["web"]}]')
  await ok('label', 'repository', 'site', 'team=web')
  expect(await ok('get', 'repositories', '-l', 'team=web', '-o', 'name')).toBe('repository.code.kedge.faros.sh/site\n')
  expect(await ok('get', 'repositories', '-l', 'team in (db)', '-o', 'name')).toBe('')
  const status =
    '{"status":{"htmlURL":"https://github.com/acme/site","conditions":[{"type":"Ready","status":"True","reason":"Available","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}'
  await ok('patch', 'repository', 'site', '--subresource=status', '--type=merge', '-p', status)
  expect(
    await ok(
      'get',
      'repository',
      'site',
      '-o',
      'jsonpath={.spec.description} {.spec.topics[0]} {.metadata.generation} {.status.htmlURL}',
    ),
  ).toBe('merged web 3 https://github.com/acme/site')
  expect(await ok('get', 'repositories')).toMatch(
    /site\s+github\s+site\s+private\s+https:\/\/github.com\/acme\/site\s+True/,
  )
}, 30_000)

test('get -w prints changes as they happen', async () => {
  const args = [kubectlBin, '--kubeconfig', api.tenants['root:acme']!.kubeconfig, '--cache-dir', join(home, 'cache')]
  const watch = Bun.spawn(
    [...args, 'get', 'repositories', '-w', '-o', 'custom-columns=NAME:.metadata.name,DESC:.spec.description'],
    {
      env: { HOME: home, PATH: process.env.PATH ?? '' },
      stdout: 'pipe',
    },
  )
  const reader = watch.stdout.getReader()
  let out = ''
  const until = async (text: string) => {
    const deadline = Date.now() + 10_000
    while (!out.includes(text)) {
      if (Date.now() > deadline) throw new Error(`kubectl get -w never printed ${text}; got:\n${out}`)
      const { value, done } = await Promise.race([
        reader.read(),
        Bun.sleep(200).then(() => ({ value: undefined, done: false })),
      ])
      if (done) break
      if (value) out += new TextDecoder().decode(value)
    }
  }
  try {
    await until('site')
    await ok('patch', 'repository', 'site', '--type=merge', '-p', '{"spec":{"description":"watched"}}')
    await until('watched')
  } finally {
    watch.kill()
  }
}, 30_000)

test('delete waits on a finalizer until it is removed; describe shows Events', async () => {
  await ok(
    'apply',
    '-f',
    file('held.yaml', repoYaml('held').replace('metadata:\n', 'metadata:\n  finalizers: [example.com/hold]\n')),
  )
  // The Event comes from the provider's recorder (src/cluster/kube), as the controllers will write it.
  const provider = await createProviderCluster({
    kubeconfig: { path: api.kubeconfigs.provider },
    workspacePath: api.workspacePath,
  })
  const acme = api.tenants['root:acme']!.cluster
  const held = await provider.workspace(acme).get(resourceTypes.Repository, 'held')
  await provider.recordEvent(acme, held!, { type: 'Warning', reason: 'Deleting', message: 'waiting for the finalizer' })
  expect(await ok('describe', 'repository', 'held')).toMatch(
    /Warning\s+Deleting\s+.*code-provider\s+waiting for the finalizer/,
  )
  await ok('delete', 'repository', 'held', '--wait=false')
  expect(await ok('get', 'repository', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}')).toMatch(/^\d{4}-/)
  await ok('patch', 'repository', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]')
  const gone = await kubectl('get', 'repository', 'held')
  expect(gone.code).not.toBe(0)
  expect(gone.err).toContain('NotFound')
  expect(await ok('delete', 'repository', 'applied')).toContain('deleted')
}, 30_000)

test('another workspace is forbidden to the tenant', async () => {
  const r = await kubectl('--server', `${api.url}/clusters/root`, 'get', 'namespaces')
  expect(r.code).not.toBe(0)
  expect(r.err).toContain('Forbidden')
}, 30_000)
