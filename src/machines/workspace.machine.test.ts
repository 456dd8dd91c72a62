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
})
