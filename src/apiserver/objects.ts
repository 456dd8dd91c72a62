// The object semantics of the API server, independent of HTTP: metadata the server owns,
// generation vs status, optimistic concurrency, finalizers and deletionTimestamp, validation and
// pruning, ownerReference garbage collection, and the watch events each write publishes.
import { ANNOTATION_CLUSTER } from '../apis/v1alpha1/labels.ts'
import { type AdmissionContext, admit } from './admission.ts'
import { BINDINGS_KEY, type Bindings, EXPORTS_KEY } from './bindings.ts'
import type { LogicalClusters } from './logical-clusters.ts'
import { pruneObject } from './prune.ts'
import { apiVersionOf, type JsonObject, keyOf, type Registry, type ResourceDef, resourceKey } from './resources.ts'
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound } from './status.ts'
import type { Row, Store } from './store.ts'
import type { EventType, WatchHub } from './watch-hub.ts'

export interface Scope {
  def: ResourceDef
  /** Logical cluster id. */
  cluster: string
  /** '' for cluster-scoped resources. */
  namespace: string
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

export interface WriteOptions {
  dryRun?: boolean
  fieldValidation?: FieldValidation
}

export interface WriteResult {
  object: JsonObject
  /** Warning headers (unknown fields under fieldValidation=Warn). */
  warnings: string[]
  created?: boolean
}

const NAMESPACES = resourceKey('', 'namespaces')
const WORKSPACES = resourceKey('tenancy.kcp.io', 'workspaces')

const meta = (o: JsonObject): JsonObject => {
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) o.metadata = {}
  return o.metadata as JsonObject
}
const nameSuffixChars = 'bcdfghjklmnpqrstvwxz2456789'
const randomSuffix = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(5)), (b) => nameSuffixChars[b % nameSuffixChars.length]).join('')

/** Kubernetes timestamps have second precision. */
export const timestamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`

/** Everything but metadata and status: what metadata.generation counts changes of. */
const specPart = (o: JsonObject) => {
  const { metadata: _m, status: _s, ...rest } = o
  return JSON.stringify(rest)
}

/** Structural equality, blind to key order: a write that changes nothing is not a write. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => deepEqual((a as JsonObject)[k], (b as JsonObject)[k]))
}

export class Objects {
  private gcQueue: string[] = []
  private gcScheduled = false

  constructor(
    private readonly store: Store,
    private readonly hub: WatchHub,
    readonly registry: Registry,
    readonly clusters: LogicalClusters,
    readonly bindings: Bindings,
    private readonly now: () => Date,
    private readonly baseURL: () => string,
  ) {}

  private row(scope: Scope, name: string): Row | undefined {
    return this.store.get(keyOf(scope.def), scope.cluster, scope.namespace, name)
  }

  get(scope: Scope, name: string): JsonObject {
    const row = this.row(scope, name)
    if (!row) throw notFound(scope.def, name)
    return JSON.parse(row.json)
  }

  getRow(scope: Scope, name: string): Row | undefined {
    return this.row(scope, name)
  }

  private admission(cluster: string): AdmissionContext {
    return {
      cluster,
      path: this.clusters.pathOf(cluster) ?? cluster,
      baseURL: this.baseURL,
      resolve: (path) => this.clusters.resolve(path),
    }
  }

  /** Validate, prune and check the envelope of an incoming object. */
  private prepare(scope: Scope, obj: JsonObject, old: JsonObject | undefined, opts: WriteOptions) {
    const { def } = scope
    const warnings: string[] = []
    if (obj.kind !== undefined && obj.kind !== def.kind) {
      throw badRequest(`the kind of the object (${String(obj.kind)}) does not match the resource (${def.kind})`)
    }
    const apiVersion = obj.apiVersion === undefined ? apiVersionOf(def) : String(obj.apiVersion)
    let next: JsonObject = { ...obj, apiVersion, kind: def.kind }
    if (def.schema.properties) {
      const pruned = pruneObject(def.schema, next)
      if (pruned.unknown.length > 0) {
        if (opts.fieldValidation === 'Strict') {
          throw badRequest(`strict decoding error: ${pruned.unknown.map((f) => `unknown field "${f}"`).join(', ')}`)
        }
        if (opts.fieldValidation !== 'Ignore') warnings.push(...pruned.unknown.map((f) => `unknown field "${f}"`))
      }
      next = pruned.value
    }
    next = admit(def, next, old, this.admission(scope.cluster))
    const errors = def.validate(next, old)
    if (errors.length > 0) throw invalid(def, String(meta(next).name ?? meta(next).generateName ?? ''), errors)
    return { next, warnings }
  }

  create(scope: Scope, body: JsonObject, opts: WriteOptions = {}): WriteResult {
    const obj = structuredClone(body)
    const m = meta(obj)
    if (!m.name && typeof m.generateName === 'string' && m.generateName !== '') m.name = m.generateName + randomSuffix()
    if (scope.def.namespaced) {
      if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== scope.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
      }
      m.namespace = scope.namespace
    } else delete m.namespace
    const { next, warnings } = this.prepare(scope, obj, undefined, opts)
    const nm = meta(next)
    const name = String(nm.name)
    if (this.row(scope, name)) throw alreadyExists(scope.def, name)
    if (scope.def.namespaced && !this.store.get(NAMESPACES, scope.cluster, '', scope.namespace)) {
      throw new ApiError(404, 'NotFound', `namespaces "${scope.namespace}" not found`, {
        name: scope.namespace,
        kind: 'namespaces',
      })
    }
    nm.uid = crypto.randomUUID()
    nm.creationTimestamp = timestamp(this.now())
    delete nm.deletionTimestamp
    delete nm.deletionGracePeriodSeconds
    delete nm.resourceVersion
    if (scope.def.generation) nm.generation = 1
    else delete nm.generation
    nm.annotations = { ...((nm.annotations as JsonObject | undefined) ?? {}), [ANNOTATION_CLUSTER]: scope.cluster }
    if (opts.dryRun) return { object: next, warnings, created: true }
    this.afterAdmit(scope, next, undefined)
    return { object: this.write(scope, next, 'ADDED'), warnings, created: true }
  }

  /** PUT of the main resource or of the status subresource. */
  update(scope: Scope, name: string, body: JsonObject, subresource?: 'status', opts: WriteOptions = {}): WriteResult {
    const oldRow = this.row(scope, name)
    if (!oldRow) throw notFound(scope.def, name)
    const old = JSON.parse(oldRow.json) as JsonObject
    const bm = meta(body)
    if (bm.name !== undefined && bm.name !== name) {
      throw badRequest(`the name of the object (${String(bm.name)}) does not match the name on the URL (${name})`)
    }
    if (
      bm.resourceVersion !== undefined &&
      bm.resourceVersion !== '' &&
      String(bm.resourceVersion) !== String(oldRow.rv)
    ) {
      throw conflict(scope.def, name)
    }
    let candidate: JsonObject
    if (subresource === 'status') {
      candidate = { ...structuredClone(old), status: structuredClone(body.status) }
      if (body.status === undefined) delete candidate.status
    } else {
      candidate = structuredClone(body)
      if (scope.def.statusSubresource) {
        if (old.status === undefined) delete candidate.status
        else candidate.status = structuredClone(old.status)
      }
    }
    const cm = meta(candidate)
    const om = meta(old)
    cm.name = name
    if (scope.def.namespaced) cm.namespace = scope.namespace
    else delete cm.namespace
    const { next, warnings } = this.prepare(scope, candidate, old, opts)
    const nm = meta(next)
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
      if (om[k] === undefined) delete nm[k]
      else nm[k] = om[k]
    }
    nm.annotations = { ...((nm.annotations as JsonObject | undefined) ?? {}), [ANNOTATION_CLUSTER]: scope.cluster }
    if (om.deletionTimestamp) {
      const before = new Set((om.finalizers as string[] | undefined) ?? [])
      const added = ((nm.finalizers as string[] | undefined) ?? []).filter((f) => !before.has(f))
      if (added.length > 0) {
        throw invalid(scope.def, name, [
          {
            field: 'metadata.finalizers',
            type: 'FieldValueInvalid',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          },
        ])
      }
    }
    if (scope.def.generation && specPart(next) !== specPart(old)) nm.generation = Number(om.generation ?? 0) + 1
    nm.resourceVersion = String(oldRow.rv)
    if (deepEqual(next, old)) return { object: old, warnings }
    if (opts.dryRun) return { object: next, warnings }
    this.afterAdmit(scope, next, old)
    if (om.deletionTimestamp && ((nm.finalizers as string[] | undefined) ?? []).length === 0) {
      return { object: this.removeNow(scope, name, next), warnings }
    }
    return { object: this.write(scope, next, 'MODIFIED', old), warnings }
  }

  delete(
    scope: Scope,
    name: string,
    preconditions: { uid?: string; resourceVersion?: string } = {},
    opts: WriteOptions & { propagationPolicy?: string } = {},
  ): JsonObject {
    const row = this.row(scope, name)
    if (!row) throw notFound(scope.def, name)
    const obj = JSON.parse(row.json) as JsonObject
    const m = meta(obj)
    if (preconditions.uid && preconditions.uid !== m.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${String(m.uid)}`,
      )
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== String(row.rv)) {
      throw conflict(scope.def, name)
    }
    if (opts.dryRun) return obj
    if (opts.propagationPolicy === 'Orphan') this.orphanDependents(String(m.uid))
    const finalizers = (m.finalizers as string[] | undefined) ?? []
    if (finalizers.length === 0) return this.removeNow(scope, name, obj)
    if (m.deletionTimestamp) return obj
    m.deletionTimestamp = timestamp(this.now())
    m.deletionGracePeriodSeconds = 0
    if (scope.def.generation) m.generation = Number(m.generation ?? 0) + 1
    return this.write(scope, admit(scope.def, obj, obj, this.admission(scope.cluster)), 'MODIFIED', obj)
  }

  private write(scope: Scope, obj: JsonObject, type: EventType, old?: JsonObject): JsonObject {
    const m = meta(obj)
    const name = String(m.name)
    const owners = ((m.ownerReferences as JsonObject[] | undefined) ?? []).map((o) => String(o.uid))
    const hadOwners = ((old?.metadata as JsonObject | undefined)?.ownerReferences as unknown[] | undefined)?.length ?? 0
    const key = keyOf(scope.def)
    const { rv, json } = this.store.put(
      key,
      scope.cluster,
      scope.namespace,
      name,
      String(m.uid),
      owners,
      hadOwners > 0,
      (rv) => {
        m.resourceVersion = String(rv)
        return JSON.stringify(obj)
      },
    )
    const event = {
      rv,
      type,
      key,
      cluster: scope.cluster,
      namespace: scope.namespace,
      name,
      json,
      parsed: obj,
      previous: old,
    }
    this.store.onCommit(() => this.hub.publish(event))
    this.afterWrite(scope, obj)
    return obj
  }

  private removeNow(scope: Scope, name: string, last: JsonObject): JsonObject {
    const key = keyOf(scope.def)
    const rv = this.store.remove(key, scope.cluster, scope.namespace, name)
    meta(last).resourceVersion = String(rv)
    const json = JSON.stringify(last)
    this.hub.publish({
      rv,
      type: 'DELETED',
      key,
      cluster: scope.cluster,
      namespace: scope.namespace,
      name,
      json,
      parsed: last,
    })
    this.afterRemove(scope, last)
    return last
  }

  /** Side effects that must exist before the object is visible (a Workspace's logical cluster). */
  private afterAdmit(scope: Scope, obj: JsonObject, old: JsonObject | undefined): void {
    if (keyOf(scope.def) === WORKSPACES && !old) {
      const spec = obj.spec as JsonObject
      const path = `${this.clusters.pathOf(scope.cluster) ?? scope.cluster}:${String(meta(obj).name)}`
      this.clusters.add(String(spec.cluster), path)
    }
  }

  private afterWrite(scope: Scope, obj: JsonObject): void {
    const key = keyOf(scope.def)
    if (key === WORKSPACES && !this.store.get(NAMESPACES, String((obj.spec as JsonObject).cluster), '', 'default')) {
      this.ensureNamespace(String((obj.spec as JsonObject).cluster), 'default')
    }
    if (key === BINDINGS_KEY) this.bindings.bindingChanged(scope.cluster)
    if (key === EXPORTS_KEY) this.bindings.exportChanged(scope.cluster, obj)
  }

  private afterRemove(scope: Scope, obj: JsonObject): void {
    const key = keyOf(scope.def)
    const m = meta(obj)
    if (key === BINDINGS_KEY) this.bindings.bindingChanged(scope.cluster)
    if (key === EXPORTS_KEY) this.bindings.exportRemoved(scope.cluster, String(m.name))
    if (key === WORKSPACES) this.removeCluster(String((obj.spec as JsonObject).cluster))
    if (key === NAMESPACES) this.removeNamespace(scope.cluster, String(m.name))
    this.gcQueue.push(String(m.uid))
    if (!this.gcScheduled) {
      this.gcScheduled = true
      setTimeout(() => this.collectGarbage(), 0)
    }
  }

  ensureNamespace(cluster: string, name: string): void {
    const def = this.registry.get('', 'namespaces')!
    if (this.store.get(NAMESPACES, cluster, '', name)) return
    this.create({ def, cluster, namespace: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
  }

  /** Everything inside a deleted workspace goes with it (nested workspaces through their own removal). */
  private removeCluster(cluster: string): void {
    for (const o of this.store.objectsIn(cluster, this.allKeys())) {
      const def = this.registry.byResourceKey(o.key)
      const row = this.store.get(o.key, cluster, o.namespace, o.name)
      if (def && row) this.removeNow({ def, cluster, namespace: o.namespace }, o.name, JSON.parse(row.json))
    }
    this.bindings.bindingChanged(cluster)
    this.clusters.remove(cluster)
  }

  private removeNamespace(cluster: string, namespace: string): void {
    const namespaced = this.registry.all.filter((d) => d.namespaced).map(keyOf)
    for (const o of this.store.objectsIn(cluster, namespaced)) {
      if (o.namespace !== namespace) continue
      const def = this.registry.byResourceKey(o.key)
      const row = this.store.get(o.key, cluster, o.namespace, o.name)
      if (def && row) this.removeNow({ def, cluster, namespace }, o.name, JSON.parse(row.json))
    }
  }

  private allKeys(): string[] {
    return this.registry.all.map(keyOf)
  }

  /** Does the owner still exist? Found by its coordinates, then matched by uid (as Kubernetes' GC does). */
  private ownerExists(cluster: string, namespace: string, ref: JsonObject): boolean {
    const def = this.registry.byKind(String(ref.apiVersion ?? ''), String(ref.kind ?? ''))
    if (!def) return false
    const row = this.store.get(keyOf(def), cluster, def.namespaced ? namespace : '', String(ref.name ?? ''))
    return row !== undefined && (JSON.parse(row.json) as { metadata: { uid?: string } }).metadata.uid === ref.uid
  }

  /** propagationPolicy=Orphan: dependents lose their reference to the owner and stay. */
  private orphanDependents(ownerUid: string): void {
    for (const dep of this.store.dependents(ownerUid)) {
      const def = this.registry.byResourceKey(dep.key)
      const row = this.store.get(dep.key, dep.cluster, dep.namespace, dep.name)
      if (!def || !row) continue
      const obj = JSON.parse(row.json) as JsonObject
      const refs = (meta(obj).ownerReferences as JsonObject[]).filter((r) => r.uid !== ownerUid)
      meta(obj).ownerReferences = refs.length > 0 ? refs : undefined
      this.update({ def, cluster: dep.cluster, namespace: dep.namespace }, dep.name, obj)
    }
  }

  /** Background garbage collection: delete dependents whose owners (by uid) are all gone. */
  collectGarbage(): void {
    this.gcScheduled = false
    while (this.gcQueue.length > 0) {
      const uid = this.gcQueue.shift()!
      for (const dep of this.store.dependents(uid)) {
        const def = this.registry.byResourceKey(dep.key)
        const row = this.store.get(dep.key, dep.cluster, dep.namespace, dep.name)
        if (!def || !row) continue
        const obj = JSON.parse(row.json) as JsonObject
        const owners = (meta(obj).ownerReferences as JsonObject[] | undefined) ?? []
        if (owners.some((o) => this.ownerExists(dep.cluster, dep.namespace, o))) continue
        try {
          this.delete({ def, cluster: dep.cluster, namespace: dep.namespace }, dep.name)
        } catch {
          // Already gone: nothing to collect.
        }
      }
    }
  }
}
