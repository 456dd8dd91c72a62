// The informer cache: the latest version of every watched object, per logical cluster, and the
// reverse dependency index (which objects wait on which). Pages and MCP reads can answer from it.
// Secrets are kept as metadata only: the cache never holds a token.
import type { KubeObject } from '../apis/meta.ts'
import type { ClusterEvent } from '../cluster/cluster.ts'
import { type DependencyKind, type DependencyRef, dependenciesOf, refKey } from '../machines/dependencies.ts'
import type { ObjectChange } from '../machines/workspace.machine.ts'

export interface StoredChange extends ObjectChange {
  cluster: string
}

const objectName = (o: KubeObject) =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name

/** What the cache keeps of a Secret: identity and version, never data. */
function secretMetadata(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, labels, annotations, ownerReferences, creationTimestamp } = o.metadata
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name, namespace, uid, resourceVersion, labels, annotations, ownerReferences, creationTimestamp },
    spec: undefined,
    type: (o as { type?: string }).type,
  } as KubeObject
}

export class ObjectStore {
  /** cluster → kind → name → object (by kind, so a list of one kind never walks the others) */
  private readonly objects = new Map<string, Map<DependencyKind, Map<string, KubeObject>>>()
  /** cluster → dependency key → dependent keys (`Kind/name`) */
  private readonly dependents = new Map<string, Map<string, Set<string>>>()
  /** cluster → dependent key → its dependency keys (to unlink on change) */
  private readonly dependencies = new Map<string, Map<string, string[]>>()

  constructor(private readonly credentialsNamespace: string) {}

  /** Record a watch event; returns the change as the workspace machine sees it. */
  apply(e: ClusterEvent): StoredChange {
    const kind = e.resource.kind as DependencyKind
    const name = objectName(e.object)
    const key = `${kind}/${name}`
    const kinds = this.bucket(this.objects, e.cluster)
    const objects = this.bucket(kinds, kind)
    const previous = objects.get(name)
    const object = kind === 'Secret' ? secretMetadata(e.object) : e.object
    if (e.type === 'DELETED') {
      objects.delete(name)
      if (objects.size === 0) kinds.delete(kind)
      if (kinds.size === 0) this.objects.delete(e.cluster)
      this.link(e.cluster, key, [])
    } else {
      objects.set(name, object)
      this.link(e.cluster, key, dependenciesOf(kind, object, this.credentialsNamespace).map(refKey))
    }
    const change = e.type === 'DELETED' ? 'DELETED' : previous ? 'MODIFIED' : 'ADDED'
    return { cluster: e.cluster, change, kind, name, object, ...(previous ? { previous } : {}) }
  }

  get<T extends KubeObject = KubeObject>(cluster: string, kind: DependencyKind, name: string): T | undefined {
    return this.objects.get(cluster)?.get(kind)?.get(name) as T | undefined
  }

  list<T extends KubeObject = KubeObject>(cluster: string, kind: DependencyKind): T[] {
    const objects = this.objects.get(cluster)?.get(kind)
    return objects ? ([...objects.values()] as T[]) : []
  }

  /** Objects in `cluster` that depend on `ref`, as `{ kind, name }`. */
  dependentsOf(cluster: string, ref: DependencyRef): { kind: DependencyKind; name: string }[] {
    return [...(this.dependents.get(cluster)?.get(refKey(ref)) ?? [])].map((k) => {
      const slash = k.indexOf('/')
      return { kind: k.slice(0, slash) as DependencyKind, name: k.slice(slash + 1) }
    })
  }

  clusters(): string[] {
    return [...this.objects.keys()]
  }

  /** Object count per kind across all clusters (for /debug and metrics). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const kinds of this.objects.values()) {
      for (const [kind, objects] of kinds) counts[kind] = (counts[kind] ?? 0) + objects.size
    }
    return counts
  }

  private link(cluster: string, key: string, deps: string[]): void {
    const forward = this.bucket(this.dependencies, cluster)
    const reverse = this.bucket(this.dependents, cluster)
    for (const old of forward.get(key) ?? []) {
      const set = reverse.get(old)
      set?.delete(key)
      if (set?.size === 0) reverse.delete(old)
    }
    if (deps.length === 0) forward.delete(key)
    else forward.set(key, deps)
    for (const d of deps) {
      const set = reverse.get(d) ?? new Set<string>()
      reverse.set(d, set)
      set.add(key)
    }
  }

  private bucket<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
    let m = map.get(key)
    if (!m) {
      m = new Map()
      map.set(key, m)
    }
    return m
  }
}
