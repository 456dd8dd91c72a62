import { describe, expect, test } from 'bun:test'
import { EXPORT_NAME, GROUP } from '../apis/v1alpha1/group.ts'
import { canonical, desiredExport, mergeExport } from './kcp-objects.ts'
import { generatedSchemas } from './schema-source.ts'

const desired = desiredExport(EXPORT_NAME, generatedSchemas())
const spec = (o: object) => (o as { spec: Record<string, unknown[]> }).spec
const foreign = {
  group: 'other.example.com',
  name: 'gadgets',
  schema: 'v1.gadgets.other.example.com',
  storage: { crd: {} },
}

describe('mergeExport', () => {
  test('the same entries and claims in another order are no change', () => {
    const shuffled = {
      spec: {
        resources: [...spec(desired).resources!].reverse(),
        permissionClaims: spec(desired).permissionClaims!.map((c) => ({
          ...(c as object),
          verbs: [...(c as { verbs: string[] }).verbs].reverse(),
        })),
      },
    }
    expect(mergeExport(shuffled, desired, [GROUP])).toMatchObject({ changed: false, changes: [] })
  })

  test('our group is authoritative, other groups, claims and spec fields stay', () => {
    const current = {
      spec: {
        resources: [
          ...spec(desired).resources!.slice(1),
          { group: GROUP, name: 'widgets', schema: `v0.widgets.${GROUP}`, storage: { crd: {} } },
          foreign,
        ],
        permissionClaims: [
          { group: '', resource: 'secrets', verbs: ['get'] },
          { group: '', resource: 'configmaps', verbs: ['get'] },
        ],
        maximalPermissionPolicy: { local: {} },
      },
    }
    const merged = mergeExport(current, desired, [GROUP])
    expect(merged.changes).toEqual(['resources: 1 added, 1 pruned', 'claims set: secrets, events'])
    const resources = merged.spec.resources as { group: string; name: string }[]
    expect(resources.filter((r) => r.group === GROUP).map(canonical)).toEqual(spec(desired).resources!.map(canonical))
    expect(resources).toContainEqual(foreign)
    expect((merged.spec.permissionClaims as { resource: string }[]).map((c) => c.resource)).toEqual([
      'secrets',
      'events',
      'configmaps',
    ])
    expect(merged.spec.maximalPermissionPolicy).toEqual({ local: {} })
  })
})

test('canonical ignores key order and undefined values', () => {
  expect(canonical({ b: 1, a: [{ y: 2, x: undefined, z: 'q' }] })).toBe(canonical({ a: [{ z: 'q', y: 2 }], b: 1 }))
  expect(canonical([1, 2])).not.toBe(canonical([2, 1]))
})
