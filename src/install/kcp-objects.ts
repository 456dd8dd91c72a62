// What `code-provider init` wants to find in the provider workspace, as plain objects: the
// APIResourceSchemas, the APIExport built from them (with our permission claims), its endpoint
// slice and the grant that lets every authenticated user bind it. Pure: no I/O here.
import { type JsonObject, permissionClaims } from '../apis/crd.ts'
import type { ResourceType } from '../cluster/cluster.ts'

const cluster = (group: string, version: string, kind: string, plural: string): ResourceType => ({
  group,
  version,
  kind,
  plural,
  namespaced: false,
})

export const kcpTypes = {
  APIResourceSchema: cluster('apis.kcp.io', 'v1alpha1', 'APIResourceSchema', 'apiresourceschemas'),
  APIExport: cluster('apis.kcp.io', 'v1alpha2', 'APIExport', 'apiexports'),
  APIExportEndpointSlice: cluster('apis.kcp.io', 'v1alpha1', 'APIExportEndpointSlice', 'apiexportendpointslices'),
  ClusterRole: cluster('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles'),
  ClusterRoleBinding: cluster('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings'),
  CatalogEntry: cluster('providers.kedge.faros.sh', 'v1alpha1', 'CatalogEntry', 'catalogentries'),
} as const satisfies Record<string, ResourceType>

const obj = (o: unknown) => (o ?? {}) as JsonObject
export const nameOf = (o: JsonObject): string => String(obj(o.metadata).name ?? '')
export const specOf = (o: JsonObject): JsonObject => obj(o.spec)

/** JSON with sorted keys: equal values give equal strings. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as JsonObject)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}

export interface ExportResource {
  group: string
  name: string
  schema: string
  storage: JsonObject
}

/** One APIExport resource entry per schema: `{group, name: plural, schema, storage: {crd: {}}}`. */
export function exportResources(schemas: readonly JsonObject[]): ExportResource[] {
  return schemas.map((s) => {
    const spec = specOf(s)
    return {
      group: String(spec.group),
      name: String(obj(spec.names).plural),
      schema: nameOf(s),
      storage: { crd: {} },
    }
  })
}

export function desiredExport(name: string, schemas: readonly JsonObject[]): JsonObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIExport',
    metadata: { name },
    spec: {
      resources: exportResources(schemas),
      permissionClaims: permissionClaims.map((c) => ({ ...c, verbs: [...c.verbs] })),
    },
  }
}

/** Claims are equal when they name the same resource with the same verbs, in any order. */
const sameClaim = (a: JsonObject | undefined, b: JsonObject) => {
  const norm = (c: JsonObject) => canonical({ ...c, verbs: [...((c.verbs as string[] | undefined) ?? [])].sort() })
  return a !== undefined && norm(a) === norm(b)
}

const claimKey = (c: JsonObject) => `${String(c.group ?? '')}/${String(c.resource)}`

export interface ExportMerge {
  spec: JsonObject
  changed: boolean
  /** Human-readable, e.g. `resources: 1 added, 0 pruned`, `claims set: events`. */
  changes: string[]
}

/**
 * Bring an existing export in line: resources of the owned groups are authoritative (entries
 * for stale schema names go), other groups' resources stay; our claims replace claims on the
 * same resource, other claims stay. Everything else in the spec is kept.
 */
export function mergeExport(current: JsonObject, desired: JsonObject, ownedGroups: readonly string[]): ExportMerge {
  const cur = specOf(current)
  const want = specOf(desired)
  const owned = (r: JsonObject) => ownedGroups.includes(String(r.group ?? ''))
  const curResources = (cur.resources ?? []) as JsonObject[]
  const wantResources = (want.resources ?? []) as JsonObject[]
  const ours = curResources.filter(owned)
  const resources = [...wantResources, ...curResources.filter((r) => !owned(r))]

  const curClaims = (cur.permissionClaims ?? []) as JsonObject[]
  const wantClaims = (want.permissionClaims ?? []) as JsonObject[]
  const wantKeys = new Set(wantClaims.map(claimKey))
  const claims = [...wantClaims, ...curClaims.filter((c) => !wantKeys.has(claimKey(c)))]

  const changes: string[] = []
  const had = new Set(ours.map(canonical))
  const has = new Set(wantResources.map(canonical))
  const added = wantResources.filter((r) => !had.has(canonical(r))).length
  const pruned = ours.filter((r) => !has.has(canonical(r))).length
  if (added > 0 || pruned > 0) changes.push(`resources: ${added} added, ${pruned} pruned`)
  const curByKey = new Map(curClaims.map((c) => [claimKey(c), c]))
  const claimChanges = wantClaims.filter((c) => !sameClaim(curByKey.get(claimKey(c)), c)).map((c) => String(c.resource))
  if (claimChanges.length > 0) changes.push(`claims set: ${claimChanges.join(', ')}`)
  return { spec: { ...cur, resources, permissionClaims: claims }, changed: changes.length > 0, changes }
}

export function desiredEndpointSlice(exportName: string, workspacePath: string): JsonObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIExportEndpointSlice',
    metadata: { name: exportName },
    spec: { export: { name: exportName, path: workspacePath } },
  }
}

/** `kedge:providers:bind:<export>`: verb `bind` on the export, for every authenticated user. */
export function bindGrant(exportName: string): { role: JsonObject; binding: JsonObject } {
  const name = `kedge:providers:bind:${exportName}`
  return {
    role: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: [exportName], verbs: ['bind'] }],
    },
    binding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
    },
  }
}
