// Which workspaces are bound to which APIExport, and what each export serves. Kept in memory,
// rebuilt from storage at start and updated on every APIBinding or APIExport write.
import type { LogicalClusters } from './logical-clusters.ts'
import { type JsonObject, type Registry, type ResourceDef, resourceKey } from './resources.ts'
import type { Store } from './store.ts'

export const BINDINGS_KEY = resourceKey('apis.kcp.io', 'apibindings')
export const EXPORTS_KEY = resourceKey('apis.kcp.io', 'apiexports')

/** `<export cluster id>/<export name>` */
export type ExportRef = string

interface ExportShape {
  resources: ResourceDef[]
  /** Claimed resource keys (`core/secrets`). */
  claims: Set<string>
}

export class Bindings {
  private readonly bound = new Map<string, Set<ExportRef>>()
  private readonly exports = new Map<ExportRef, ExportShape>()

  constructor(
    private readonly store: Store,
    private readonly clusters: LogicalClusters,
    private readonly registry: Registry,
  ) {
    this.rebuild()
  }

  rebuild(): void {
    this.bound.clear()
    this.exports.clear()
    for (const row of this.store.list({ key: BINDINGS_KEY })) this.bindingChanged(row.cluster, JSON.parse(row.json))
    for (const row of this.store.list({ key: EXPORTS_KEY })) this.exportChanged(row.cluster, JSON.parse(row.json))
  }

  /** The export a binding references: `spec.reference.export.{path,name}` (path defaults to its own workspace). */
  referenceOf(cluster: string, binding: JsonObject): ExportRef | undefined {
    const ref = ((binding.spec as JsonObject | undefined)?.reference as JsonObject | undefined)?.export as
      | JsonObject
      | undefined
    if (typeof ref?.name !== 'string') return undefined
    const at = typeof ref.path === 'string' && ref.path !== '' ? this.clusters.resolve(ref.path) : cluster
    return at === undefined ? undefined : `${at}/${ref.name}`
  }

  /** Recompute the bindings of one workspace from storage. */
  bindingChanged(cluster: string, _binding?: JsonObject): void {
    const refs = new Set<ExportRef>()
    for (const row of this.store.list({ key: BINDINGS_KEY, cluster })) {
      const ref = this.referenceOf(cluster, JSON.parse(row.json))
      if (ref) refs.add(ref)
    }
    if (refs.size > 0) this.bound.set(cluster, refs)
    else this.bound.delete(cluster)
  }

  exportChanged(cluster: string, apiExport: JsonObject | undefined): void {
    const name = (apiExport?.metadata as JsonObject | undefined)?.name
    if (typeof name !== 'string') return
    const spec = (apiExport?.spec ?? {}) as JsonObject
    const resources = ((spec.resources ?? []) as JsonObject[])
      .map((r) => this.registry.get(String(r.group ?? ''), String(r.name ?? '')))
      .filter((d): d is ResourceDef => d !== undefined)
    const claims = new Set(
      ((spec.permissionClaims ?? []) as JsonObject[]).map((c) =>
        resourceKey(String(c.group ?? ''), String(c.resource)),
      ),
    )
    this.exports.set(`${cluster}/${name}`, { resources, claims })
  }

  exportRemoved(cluster: string, name: string): void {
    this.exports.delete(`${cluster}/${name}`)
  }

  isBound(cluster: string, ref: ExportRef): boolean {
    return this.bound.get(cluster)?.has(ref) ?? false
  }

  /** Exported resources served in a workspace through its bindings. */
  exportedIn(cluster: string): ResourceDef[] {
    const out: ResourceDef[] = []
    for (const ref of this.bound.get(cluster) ?? []) out.push(...(this.exports.get(ref)?.resources ?? []))
    return out
  }

  /** What the virtual workspace of an export serves: its resources plus its claimed builtins. */
  exportShape(ref: ExportRef): ExportShape | undefined {
    return this.exports.get(ref)
  }
}
