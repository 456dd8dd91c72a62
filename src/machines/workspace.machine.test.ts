import { describe, expect, test } from 'bun:test'
import { createActor, SimulatedClock } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import { dependenciesOf, wakesDependents } from './dependencies.ts'
import { type ObjectChange, workspaceMachine } from './workspace.machine.ts'

const obj = (kind: string, name: string, extra: Partial<KubeObject> = {}, meta: Partial<KubeObject['metadata']> = {}) =>
  ({
    apiVersion: 'v1',
    kind,
    metadata: { name, generation: 1, resourceVersion: '1', ...meta },
    spec: {},
    ...extra,
  }) as KubeObject

function harness() {
  const effects: string[] = []
  const clock = new SimulatedClock()
  const machine = workspaceMachine.provide({
    actions: {
      ensureActor: (_, p) => effects.push(`ensure ${p.kind}/${p.name}`),
      stopActor: (_, p) => effects.push(`stop ${p.kind}/${p.name}`),
      notifyDependents: (_, p) => effects.push(`notify ${p.kind}/${p.name}`),
      ensureCrawler: (_, p) => effects.push(`crawl ${p.name}`),
      stopCrawler: (_, p) => effects.push(`stop crawler ${p.name}`),
      ensureRequest: (_, p) => effects.push(`request ${p.kind}/${p.name}`),
      stopRequest: (_, p) => effects.push(`stop request ${p.kind}/${p.name}`),
    },
  })
  const actor = createActor(machine, { clock, input: { cluster: 'c1', idleGraceMs: 30_000 } }).start()
  const send = (c: ObjectChange) => actor.send({ type: 'object.changed', ...c })
  return { actor, clock, effects, send }
}

describe('workspace machine', () => {
  test('starts, feeds and stops the actors of reconciled kinds', () => {
    const h = harness()
    const conn = obj('Connection', 'gh')
    h.send({ change: 'ADDED', kind: 'Connection', name: 'gh', object: conn })
    h.send({ change: 'MODIFIED', kind: 'Connection', name: 'gh', object: conn, previous: conn })
    h.send({ change: 'DELETED', kind: 'Connection', name: 'gh', object: conn, previous: conn })
    expect(h.effects).toEqual([
      'ensure Connection/gh',
      'notify Connection/gh',
      'ensure Connection/gh',
      'stop Connection/gh',
      'notify Connection/gh',
    ])
  })

  test('wakes dependents when a dependency turns Ready, not on status chatter', () => {
    const h = harness()
    const pending = obj('Connection', 'gh', { status: { conditions: [{ type: 'Ready', status: 'False' }] } })
    const chatter = obj('Connection', 'gh', {
      status: { conditions: [{ type: 'Ready', status: 'False' }], login: 'x' },
    })
    const ready = obj('Connection', 'gh', { status: { conditions: [{ type: 'Ready', status: 'True' }] } })
    h.send({ change: 'ADDED', kind: 'Connection', name: 'gh', object: pending })
    h.effects.length = 0
    h.send({ change: 'MODIFIED', kind: 'Connection', name: 'gh', object: chatter, previous: pending })
    expect(h.effects).toEqual(['ensure Connection/gh'])
    h.send({ change: 'MODIFIED', kind: 'Connection', name: 'gh', object: ready, previous: chatter })
    expect(h.effects).toEqual(['ensure Connection/gh', 'ensure Connection/gh', 'notify Connection/gh'])
  })

  test('a Secret only wakes the Connections that use it', () => {
    const h = harness()
    const s1 = obj('Secret', 'default/gh-token', {}, { resourceVersion: '1' })
    const s2 = obj('Secret', 'default/gh-token', {}, { resourceVersion: '2' })
    h.send({ change: 'MODIFIED', kind: 'Secret', name: 'default/gh-token', object: s2, previous: s1 })
    expect(h.effects).toEqual(['notify Secret/default/gh-token'])
    expect(h.actor.getSnapshot().context.members).toBe(0)
  })

  test('an empty workspace lingers, then stops; a new object keeps it', () => {
    const h = harness()
    const r = obj('Repository', 'web')
    h.send({ change: 'ADDED', kind: 'Repository', name: 'web', object: r })
    h.send({ change: 'DELETED', kind: 'Repository', name: 'web', object: r })
    expect(h.actor.getSnapshot().value).toBe('idle')
    h.clock.increment(20_000)
    h.send({ change: 'ADDED', kind: 'Repository', name: 'web', object: r })
    expect(h.actor.getSnapshot().value).toBe('active')
    h.clock.increment(60_000)
    expect(h.actor.getSnapshot().status).toBe('active')
    h.send({ change: 'DELETED', kind: 'Repository', name: 'web', object: r })
    h.clock.increment(30_000)
    expect(h.actor.getSnapshot().status).toBe('done')
  })
})

describe('workspace machine: crawlers and requests', () => {
  const readyRepo = (fullName?: string, extra: Partial<KubeObject['metadata']> = {}) =>
    obj(
      'Repository',
      'web',
      { status: { ...(fullName ? { fullName } : {}), conditions: [{ type: 'Ready', status: 'True' }] } },
      extra,
    )

  test('a Repository gets a crawler once Ready with a name on the host, and loses it when it is not', () => {
    const h = harness()
    const fresh = obj('Repository', 'web')
    h.send({ change: 'ADDED', kind: 'Repository', name: 'web', object: fresh })
    expect(h.effects).toEqual(['ensure Repository/web', 'stop crawler web', 'notify Repository/web'])
    h.effects.length = 0
    h.send({ change: 'MODIFIED', kind: 'Repository', name: 'web', object: readyRepo(), previous: fresh })
    expect(h.effects).not.toContain('crawl web') // Ready, but no name on the host yet
    h.effects.length = 0
    h.send({
      change: 'MODIFIED',
      kind: 'Repository',
      name: 'web',
      object: readyRepo('acme/web'),
      previous: readyRepo(),
    })
    expect(h.effects).toContain('crawl web')
    h.effects.length = 0
    const deleting = readyRepo('acme/web', { deletionTimestamp: '2026-01-01T00:00:00Z' })
    h.send({ change: 'MODIFIED', kind: 'Repository', name: 'web', object: deleting, previous: readyRepo('acme/web') })
    expect(h.effects).toContain('stop crawler web')
    h.effects.length = 0
    h.send({ change: 'DELETED', kind: 'Repository', name: 'web', object: deleting, previous: deleting })
    expect(h.effects).toContain('stop crawler web')
  })

  test('requests get an actor until they finish; a finished one arriving gets none', () => {
    const h = harness()
    const commit = (phase?: string) =>
      obj('RepositoryCommit', 'c1', phase ? { status: { phase } } : {}, { uid: 'u1' }) as KubeObject
    h.send({ change: 'ADDED', kind: 'RepositoryCommit', name: 'c1', object: commit() })
    expect(h.actor.getSnapshot().context.members).toBe(1)
    h.send({ change: 'MODIFIED', kind: 'RepositoryCommit', name: 'c1', object: commit('Running'), previous: commit() })
    h.send({
      change: 'MODIFIED',
      kind: 'RepositoryCommit',
      name: 'c1',
      object: commit('Succeeded'),
      previous: commit('Running'),
    })
    expect(h.effects.filter((e) => e.includes('c1'))).toEqual([
      'request RepositoryCommit/c1',
      'request RepositoryCommit/c1',
      'stop request RepositoryCommit/c1',
    ])
    expect(h.actor.getSnapshot().context.members).toBe(0)
    h.effects.length = 0
    h.send({
      change: 'ADDED',
      kind: 'RepositoryCheckout',
      name: 'done',
      object: obj('RepositoryCheckout', 'done', { status: { phase: 'Failed' } }),
    })
    expect(h.effects).toEqual(['stop request RepositoryCheckout/done'])
    expect(h.actor.getSnapshot().context.members).toBe(0)
  })

  test('Packages are watched, but have no actor', () => {
    const h = harness()
    h.send({ change: 'ADDED', kind: 'Package', name: 'p', object: obj('Package', 'p') })
    expect(h.effects).toEqual([])
    expect(h.actor.getSnapshot().context.members).toBe(0)
  })
})

describe('dependencies', () => {
  test('what each kind waits for', () => {
    const ns = 'default'
    expect(dependenciesOf('Connection', obj('Connection', 'gh', { spec: { secretRef: { name: 'tok' } } }), ns)).toEqual(
      [{ kind: 'Secret', name: 'default/tok' }],
    )
    expect(dependenciesOf('Repository', obj('Repository', 'r', { spec: { connectionRef: 'gh' } }), ns)).toEqual([
      { kind: 'Connection', name: 'gh' },
    ])
    expect(dependenciesOf('DeployKey', obj('DeployKey', 'k', { spec: { repositoryRef: 'r' } }), ns)).toEqual([
      { kind: 'Repository', name: 'r' },
    ])
  })

  test('a renamed repository wakes its keys and collaborators', () => {
    const before = obj('Repository', 'r', { status: { fullName: 'acme/a', repoID: '1' } })
    const after = obj('Repository', 'r', { status: { fullName: 'acme/b', repoID: '1' } })
    expect(wakesDependents('Repository', before, after)).toBe(true)
    expect(wakesDependents('Repository', before, before)).toBe(false)
  })

  test("a Connection's disabled features and token kind wake its Repositories", () => {
    const conn = (status: Record<string, unknown>) => obj('Connection', 'gh', { status })
    const base = { tokenKind: 'classic-pat', disabledFeatures: [] }
    const noPackages = { ...base, disabledFeatures: [{ feature: 'packages', reason: 'missing scope read:packages' }] }
    expect(wakesDependents('Connection', conn(base), conn(noPackages))).toBe(true)
    expect(wakesDependents('Connection', conn(base), conn({ ...base, tokenKind: 'fine-grained-pat' }))).toBe(true)
    expect(wakesDependents('Connection', conn(base), conn({ ...base, lastValidatedTime: 'later' }))).toBe(false)
  })
})
