// The idempotent bootstrap of the provider workspace (what `code-provider init` does), through the
// WorkspaceClient port: schemas, the APIExport (merged, never clobbered), its endpoint slice, the
// bind grant and the CatalogEntry. Every run converges: a second run reports only `unchanged`.
import type { JsonObject } from '../apis/crd.ts'
import type { KubeObject } from '../apis/meta.ts'
import { isClusterError, type ResourceType, type WorkspaceClient } from '../cluster/cluster.ts'
import {
  bindGrant,
  canonical,
  desiredEndpointSlice,
  desiredExport,
  kcpTypes,
  mergeExport,
  nameOf,
  specOf,
} from './kcp-objects.ts'

export type Action = 'created' | 'updated' | 'recreated' | 'unchanged' | 'skipped' | 'left'

export interface Step {
  kind: string
  name: string
  action: Action
  detail?: string
}

export interface BootstrapPlan {
  exportName: string
  /** Workspace the endpoint slice names as the export's path (CODE_WORKSPACE_PATH). */
  workspacePath: string
  schemas: readonly JsonObject[]
  /** API groups whose export entries this provider owns. */
  ownedGroups: readonly string[]
  /** From KEDGE_CATALOGENTRY_FILE; undefined skips the step. */
  catalogEntry?: JsonObject
}

export interface BootstrapOptions {
  sleep?: (ms: number) => Promise<void>
  /** How long to wait for a created export to be readable, or a deleted slice to be gone. Default 15 s. */
  settleTimeoutMs?: number
  /** Default 500 ms. */
  pollMs?: number
}

const asKube = (o: JsonObject) => o as unknown as KubeObject
const asJson = (o: KubeObject) => o as unknown as JsonObject

export async function bootstrap(
  client: WorkspaceClient,
  plan: BootstrapPlan,
  o: BootstrapOptions = {},
): Promise<Step[]> {
  const sleep = o.sleep ?? ((ms: number) => Bun.sleep(ms))
  const timeoutMs = o.settleTimeoutMs ?? 15_000
  const pollMs = o.pollMs ?? 500
  const steps: Step[] = []
  const step = (type: ResourceType, name: string, action: Action, detail?: string) =>
    steps.push({ kind: type.kind, name, action, ...(detail ? { detail } : {}) })

  const get = async (type: ResourceType, name: string) => {
    const found = await client.get(type, name)
    return found ? asJson(found) : undefined
  }
  const create = (type: ResourceType, body: JsonObject) => client.create(type, asKube(body))

  /** Poll until `done(current)` holds; throws after the timeout. */
  const until = async (
    type: ResourceType,
    name: string,
    done: (o: JsonObject | undefined) => boolean,
    what: string,
  ) => {
    for (let waited = 0; ; waited += pollMs) {
      if (done(await get(type, name))) return
      if (waited >= timeoutMs) throw new Error(`${type.kind} ${name}: not ${what} after ${timeoutMs} ms`)
      await sleep(pollMs)
    }
  }

  /** Read-modify-write with optimistic concurrency: `change` returns the new object, or undefined for no change. */
  const update = async (type: ResourceType, name: string, change: (current: JsonObject) => JsonObject | undefined) => {
    for (let attempt = 1; ; attempt++) {
      const current = await get(type, name)
      if (!current) throw new Error(`${type.kind} ${name} vanished while init was updating it`)
      const next = change(current)
      if (!next) return false
      try {
        await client.update(type, asKube(next))
        return true
      } catch (e) {
        if (!isClusterError(e, 'conflict') || attempt >= 5) throw e
      }
    }
  }

  /** The object already there, or undefined after creating it (a create that loses a race returns the winner). */
  const findOrCreate = async (type: ResourceType, body: JsonObject): Promise<JsonObject | undefined> => {
    const current = await get(type, nameOf(body))
    if (current) return current
    try {
      await create(type, body)
    } catch (e) {
      if (!isClusterError(e, 'already-exists')) throw e
      return get(type, nameOf(body))
    }
    step(type, nameOf(body), 'created')
    return undefined
  }

  // 1. Schemas. Names are content hashes, so a schema that exists by name is the one we want.
  const existing = await client.list(kcpTypes.APIResourceSchema)
  const have = new Set(existing.map((s) => s.metadata.name))
  const want = new Set(plan.schemas.map(nameOf))
  for (const schema of plan.schemas) {
    if (have.has(nameOf(schema))) step(kcpTypes.APIResourceSchema, nameOf(schema), 'unchanged')
    else if (await findOrCreate(kcpTypes.APIResourceSchema, schema))
      step(kcpTypes.APIResourceSchema, nameOf(schema), 'unchanged')
  }
  for (const s of existing) {
    const group = String(specOf(asJson(s)).group ?? '')
    if (plan.ownedGroups.includes(group) && !want.has(s.metadata.name)) {
      step(
        kcpTypes.APIResourceSchema,
        s.metadata.name,
        'left',
        'no longer exported; delete it once no binding needs it',
      )
    }
  }

  // 2. The APIExport: merged, so entries and claims of other groups survive.
  const exportBody = desiredExport(plan.exportName, plan.schemas)
  if (!(await findOrCreate(kcpTypes.APIExport, exportBody))) {
    await until(kcpTypes.APIExport, plan.exportName, (x) => x !== undefined, 'readable')
  } else {
    let changes: string[] = []
    const changed = await update(kcpTypes.APIExport, plan.exportName, (current) => {
      const merged = mergeExport(current, exportBody, plan.ownedGroups)
      changes = merged.changes
      return merged.changed ? { ...current, spec: merged.spec } : undefined
    })
    step(kcpTypes.APIExport, plan.exportName, changed ? 'updated' : 'unchanged', changes.join('; '))
  }

  // 3. The endpoint slice. spec.export is immutable: a slice naming another path is replaced.
  const slice = desiredEndpointSlice(plan.exportName, plan.workspacePath)
  const currentSlice = await findOrCreate(kcpTypes.APIExportEndpointSlice, slice)
  if (currentSlice) {
    const was = specOf(currentSlice).export as JsonObject | undefined
    if (canonical(was) === canonical(specOf(slice).export))
      step(kcpTypes.APIExportEndpointSlice, plan.exportName, 'unchanged')
    else {
      await client.delete(kcpTypes.APIExportEndpointSlice, plan.exportName)
      await until(kcpTypes.APIExportEndpointSlice, plan.exportName, (x) => x === undefined, 'deleted')
      await create(kcpTypes.APIExportEndpointSlice, slice)
      step(
        kcpTypes.APIExportEndpointSlice,
        plan.exportName,
        'recreated',
        `export was ${String(was?.path ?? '(no path)')}:${String(was?.name ?? '')}, now ${plan.workspacePath}:${plan.exportName}`,
      )
    }
  }

  // 4. The bind grant.
  const { role, binding } = bindGrant(plan.exportName)
  if (await findOrCreate(kcpTypes.ClusterRole, role)) {
    const changed = await update(kcpTypes.ClusterRole, nameOf(role), (current) =>
      canonical(current.rules) === canonical(role.rules) ? undefined : { ...current, rules: role.rules },
    )
    step(kcpTypes.ClusterRole, nameOf(role), changed ? 'updated' : 'unchanged')
  }
  const currentBinding = await findOrCreate(kcpTypes.ClusterRoleBinding, binding)
  if (currentBinding) {
    if (canonical(currentBinding.roleRef) !== canonical(binding.roleRef)) {
      // roleRef is immutable in Kubernetes RBAC.
      await client.delete(kcpTypes.ClusterRoleBinding, nameOf(binding))
      await until(kcpTypes.ClusterRoleBinding, nameOf(binding), (x) => x === undefined, 'deleted')
      await create(kcpTypes.ClusterRoleBinding, binding)
      step(kcpTypes.ClusterRoleBinding, nameOf(binding), 'recreated', 'roleRef pointed elsewhere')
    } else {
      const changed = await update(kcpTypes.ClusterRoleBinding, nameOf(binding), (current) =>
        canonical(current.subjects) === canonical(binding.subjects)
          ? undefined
          : { ...current, subjects: binding.subjects },
      )
      step(kcpTypes.ClusterRoleBinding, nameOf(binding), changed ? 'updated' : 'unchanged')
    }
  }

  // 5. The CatalogEntry: the file's spec, labels and annotations win; status is the hub's.
  const entry = plan.catalogEntry
  if (!entry) step(kcpTypes.CatalogEntry, '', 'skipped', 'KEDGE_CATALOGENTRY_FILE not set')
  else if (await findOrCreate(kcpTypes.CatalogEntry, entry)) {
    const meta = (o: JsonObject) => (o.metadata ?? {}) as JsonObject
    const changed = await update(kcpTypes.CatalogEntry, nameOf(entry), (current) => {
      const labels = { ...(meta(current).labels as JsonObject), ...(meta(entry).labels as JsonObject) }
      const annotations = { ...(meta(current).annotations as JsonObject), ...(meta(entry).annotations as JsonObject) }
      const next = { ...current, spec: entry.spec, metadata: { ...meta(current), labels, annotations } }
      const same = (o: JsonObject) => canonical([o.spec, meta(o).labels ?? {}, meta(o).annotations ?? {}])
      return same(next) === same(current) ? undefined : next
    })
    step(kcpTypes.CatalogEntry, nameOf(entry), changed ? 'updated' : 'unchanged')
  }
  return steps
}
