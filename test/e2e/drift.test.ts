// Drift on the host is noticed by the periodic observation and corrected, with no change to the
// objects: settings changed by hand, a repository deleted, a deploy key removed.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
beforeAll(async () => {
  // Observe ready objects every ~0.5 s so drift is seen quickly.
  s = await startStack({ tenants: [T], intervals: { driftMs: 500 } })
  await s.connect(T, 'github')
  const client = s.tenant(T)
  await client.create(
    resourceTypes.Repository,
    codeObject('Repository', 'site', {
      connectionRef: 'github',
      name: 'site',
      description: 'as declared',
      visibility: 'private',
    }),
  )
  await client.create(resourceTypes.DeployKey, codeObject('DeployKey', 'deploy', { repositoryRef: 'site' }))
  await s.waitFor(() => s.ready(T, 'DeployKey', 'deploy'), 'key Ready')
}, 60_000)
afterAll(() => s?.stop())

test('settings changed on the host are put back', async () => {
  s.sandbox.control.changeRepository(ORG, 'site', { description: 'edited by hand', private: false })
  await s.waitFor(() => {
    const r = s.sandbox.control.getRepository(ORG, 'site')
    return r?.description === 'as declared' && r.visibility === 'private'
  }, 'settings restored')
  await s.waitFor(async () => (await s.eventReasons(T, 'site')).includes('Updated'), 'an Updated event')
}, 20_000)

test('a repository deleted on the host is created again, and its key re-installed', async () => {
  const before = (await s.get(T, 'Repository', 'site'))?.status as { repoID: string }
  s.sandbox.control.deleteRepository(ORG, 'site')
  await s.waitFor(async () => {
    const st = (await s.get(T, 'Repository', 'site'))?.status as { repoID?: string } | undefined
    return st?.repoID !== undefined && st.repoID !== before.repoID
  }, 'recreated')
  await s.waitFor(
    () => (s.sandbox.control.getRepository(ORG, 'site')?.deployKeys.length ?? 0) === 1,
    'key re-installed',
  )
  await s.waitFor(async () => (await s.eventReasons(T, 'site')).includes('Recreated'), 'a Recreated event')
}, 20_000)

test('a deploy key removed on the host is installed again', async () => {
  const repo = s.sandbox.control.getRepository(ORG, 'site')!
  s.sandbox.control.removeDeployKey(ORG, 'site', repo.deployKeys[0]!.id)
  await s.waitFor(() => (s.sandbox.control.getRepository(ORG, 'site')?.deployKeys.length ?? 0) === 1, 'key back')
  expect(await s.ready(T, 'DeployKey', 'deploy')).toBe(true)
}, 20_000)

test('a steady state costs no billed requests: observations are answered 304', async () => {
  await Bun.sleep(1_500) // let every actor settle into its poll rhythm
  s.sandbox.control.clearRequests()
  await Bun.sleep(2_000) // several polls of every object
  const counts = s.sandbox.control.requestCounts()
  expect(counts.total).toBeGreaterThan(0)
  expect(counts.billed).toBe(0)
}, 20_000)
