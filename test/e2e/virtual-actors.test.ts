// Resources at rest keep no live XState actor: they sleep until their next poll, a spec change or
// a dependency change, and go back to sleep once ready.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
beforeAll(async () => {
  s = await startStack({ tenants: [T] })
  await s.connect(T, 'github')
}, 60_000)
afterAll(() => s?.stop())

const view = (name: string) => s.runtime.actor(s.clusterOf(T), 'Repository', name)

test('a ready repository sleeps until its next poll; a label change does not wake it; a spec change does', async () => {
  await s
    .tenant(T)
    .create(
      resourceTypes.Repository,
      codeObject('Repository', 'calm', { connectionRef: 'github', name: 'calm', description: 'one' }),
    )
  await s.waitFor(() => view('calm')?.dormant, 'dormant after Ready')
  const wakeAt = Date.parse(view('calm')!.nextWakeAt!)
  expect(wakeAt - Date.now()).toBeGreaterThan(50_000) // the test drift interval is 60 s ±5%

  const transitions = view('calm')!.transitions.length
  await s.tenant(T).patch(resourceTypes.Repository, 'calm', { metadata: { labels: { team: 'web' } } })
  await Bun.sleep(300)
  expect(view('calm')!.dormant).toBe(true)
  expect(view('calm')!.transitions.length).toBe(transitions)

  await s.tenant(T).patch(resourceTypes.Repository, 'calm', { spec: { description: 'two' } })
  await s.waitFor(() => s.sandbox.control.getRepository(ORG, 'calm')?.description === 'two', 'spec change applied')
  await s.waitFor(() => view('calm')?.dormant, 'dormant again')
}, 30_000)

test('a reconcile request wakes a sleeping resource at once', async () => {
  s.sandbox.control.changeRepository(ORG, 'calm', { description: 'changed by hand' })
  expect(s.runtime.requestReconcile(s.clusterOf(T), 'Repository', 'calm')).toBe(true)
  await s.waitFor(() => s.sandbox.control.getRepository(ORG, 'calm')?.description === 'two', 'drift corrected')
}, 30_000)
