import { expect, test } from 'bun:test'
import type { KubeObject } from '../apis/meta.ts'
import { type ClusterEvent, resourceTypes } from '../cluster/cluster.ts'
import { ObjectStore } from './store.ts'

const ev = (
  type: ClusterEvent['type'],
  kind: keyof typeof resourceTypes,
  object: Partial<KubeObject>,
  cluster = 'c1',
) =>
  ({
    type,
    cluster,
    resource: resourceTypes[kind],
    object: { apiVersion: 'v1', kind, spec: {}, ...object },
  }) as ClusterEvent

test('changes come out as ADDED / MODIFIED / DELETED with the previous version', () => {
  const s = new ObjectStore('default')
  const a = s.apply(ev('ADDED', 'Repository', { metadata: { name: 'web', resourceVersion: '1' } }))
  expect(a.change).toBe('ADDED')
  // A relist may replay an object as ADDED: it is a modification for us.
  const b = s.apply(ev('ADDED', 'Repository', { metadata: { name: 'web', resourceVersion: '2' } }))
  expect(b.change).toBe('MODIFIED')
  expect(b.previous?.metadata.resourceVersion).toBe('1')
  const c = s.apply(ev('DELETED', 'Repository', { metadata: { name: 'web', resourceVersion: '3' } }))
  expect(c.change).toBe('DELETED')
  expect(s.get('c1', 'Repository', 'web')).toBeUndefined()
  expect(s.clusters()).toEqual([])
})

test('the reverse index follows spec changes and deletions', () => {
  const s = new ObjectStore('default')
  s.apply(ev('ADDED', 'Repository', { metadata: { name: 'web' }, spec: { connectionRef: 'gh' } }))
  s.apply(ev('ADDED', 'Repository', { metadata: { name: 'api' }, spec: { connectionRef: 'gh' } }))
  s.apply(ev('ADDED', 'Repository', { metadata: { name: 'web' }, spec: { connectionRef: 'gh' } }, 'c2'))
  expect(
    s
      .dependentsOf('c1', { kind: 'Connection', name: 'gh' })
      .map((d) => d.name)
      .sort(),
  ).toEqual(['api', 'web'])
  s.apply(ev('MODIFIED', 'Repository', { metadata: { name: 'web' }, spec: { connectionRef: 'other' } }))
  expect(s.dependentsOf('c1', { kind: 'Connection', name: 'gh' })).toEqual([{ kind: 'Repository', name: 'api' }])
  expect(s.dependentsOf('c1', { kind: 'Connection', name: 'other' })).toEqual([{ kind: 'Repository', name: 'web' }])
  s.apply(ev('DELETED', 'Repository', { metadata: { name: 'api' }, spec: { connectionRef: 'gh' } }))
  expect(s.dependentsOf('c1', { kind: 'Connection', name: 'gh' })).toEqual([])
})

test('Connections depend on their Secret (credentials namespace by default); the cache never holds secret data', () => {
  const s = new ObjectStore('creds')
  s.apply(ev('ADDED', 'Connection', { metadata: { name: 'gh' }, spec: { secretRef: { name: 'tok' } } }))
  expect(s.dependentsOf('c1', { kind: 'Secret', name: 'creds/tok' })).toEqual([{ kind: 'Connection', name: 'gh' }])
  const change = s.apply(
    ev('ADDED', 'Secret', {
      metadata: { name: 'tok', namespace: 'creds' },
      data: { token: 'Z2hwX2NhbmFyeQ==' },
    } as Partial<KubeObject>),
  )
  expect(change.name).toBe('creds/tok')
  expect(JSON.stringify(s.get('c1', 'Secret', 'creds/tok'))).not.toContain('Z2hwX2NhbmFyeQ')
  expect(s.counts()).toEqual({ Connection: 1, Secret: 1 })
})
