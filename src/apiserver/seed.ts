// What a fresh server holds so that no `init` is needed in dev: the workspace tree, the code
// export with its schemas, endpoint slice and bind grant in the provider workspace, and dev
// tenants bound to it (`init` over it changes nothing). Idempotent: run on every start, it only creates what is missing and updates what moved.
import { apiExport, apiResourceSchema, type JsonObject } from '../apis/crd.ts'
import { EXPORT_NAME } from '../apis/v1alpha1/group.ts'
import { codeKinds } from '../apis/v1alpha1/kinds.ts'
import { bindGrant, desiredEndpointSlice } from '../install/kcp-objects.ts'
import { deepEqual, type Objects, type Scope } from './objects.ts'

const scope = (objects: Objects, group: string, plural: string, cluster: string): Scope => ({
  def: objects.registry.get(group, plural)!,
  cluster,
  namespace: '',
})

/** Create the object, or bring its spec in line; returns the stored object. */
export function apply(objects: Objects, s: Scope, obj: JsonObject): JsonObject {
  const name = String((obj.metadata as JsonObject).name)
  const row = objects.getRow(s, name)
  if (!row) return objects.create(s, obj).object
  const current = JSON.parse(row.json) as JsonObject
  if (deepEqual(current.spec, obj.spec)) return current
  return objects.update(s, name, { ...current, spec: obj.spec }).object
}

/** Ensure every workspace on `path` exists (`root:a:b` creates a in root, then b in a); returns its id. */
export function ensureWorkspace(objects: Objects, path: string): string {
  const segs = path.split(':')
  if (segs[0] !== 'root') throw new Error(`workspace path "${path}" must start with root`)
  let parent = objects.clusters.idOf('root')!
  objects.ensureNamespace(parent, 'default')
  for (let i = 1; i < segs.length; i++) {
    const at = segs.slice(0, i + 1).join(':')
    const existing = objects.clusters.idOf(at)
    if (existing) {
      parent = existing
      continue
    }
    const ws = objects.create(scope(objects, 'tenancy.kcp.io', 'workspaces', parent), {
      apiVersion: 'tenancy.kcp.io/v1alpha1',
      kind: 'Workspace',
      metadata: { name: segs[i] },
      spec: {},
    })
    parent = String((ws.object.spec as JsonObject).cluster)
  }
  return parent
}

/** Create the object unless one of that name exists. */
function ensure(objects: Objects, s: Scope, obj: JsonObject): void {
  if (!objects.getRow(s, String((obj.metadata as JsonObject).name))) objects.create(s, obj)
}

/** The export, its schemas, its endpoint slice and its bind grant, in the provider workspace. */
export function seedProvider(objects: Objects, providerPath: string): string {
  const cluster = ensureWorkspace(objects, providerPath)
  for (const def of codeKinds)
    ensure(objects, scope(objects, 'apis.kcp.io', 'apiresourceschemas', cluster), apiResourceSchema(def))
  apply(objects, scope(objects, 'apis.kcp.io', 'apiexports', cluster), apiExport(EXPORT_NAME, codeKinds))

  const sliceScope = scope(objects, 'apis.kcp.io', 'apiexportendpointslices', cluster)
  const slice = desiredEndpointSlice(EXPORT_NAME, providerPath)
  const existing = objects.getRow(sliceScope, EXPORT_NAME)
  if (!existing) objects.create(sliceScope, slice)
  else if (!deepEqual((JSON.parse(existing.json) as JsonObject).spec, slice.spec)) {
    // spec.export is immutable: a slice pointing elsewhere is replaced.
    objects.delete(sliceScope, EXPORT_NAME)
    objects.create(sliceScope, slice)
  } else {
    // The server's URL may have changed since the last start: a no-op update lets admission refresh the status.
    objects.update(sliceScope, EXPORT_NAME, JSON.parse(existing.json) as JsonObject)
  }

  const grant = bindGrant(EXPORT_NAME)
  ensure(objects, scope(objects, 'rbac.authorization.k8s.io', 'clusterroles', cluster), grant.role)
  ensure(objects, scope(objects, 'rbac.authorization.k8s.io', 'clusterrolebindings', cluster), grant.binding)
  return cluster
}

/** A tenant workspace bound to the code export (its secrets and events claims accepted). */
export function seedTenant(objects: Objects, path: string, providerPath: string): string {
  const cluster = ensureWorkspace(objects, path)
  apply(objects, scope(objects, 'apis.kcp.io', 'apibindings', cluster), {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIBinding',
    metadata: { name: EXPORT_NAME },
    spec: {
      reference: { export: { path: providerPath, name: EXPORT_NAME } },
      permissionClaims: [
        { group: '', resource: 'secrets', state: 'Accepted', selector: { matchAll: true } },
        { group: '', resource: 'events', state: 'Accepted', selector: { matchAll: true } },
      ],
    },
  })
  return cluster
}
