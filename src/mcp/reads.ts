// Reads for tools: from the runtime's informer cache when it holds the kind (milliseconds, no API
// call), otherwise through the caller's own client. Only ever built for a caller whose access to
// the workspace was just checked as the caller, so the cache never answers for a stranger.
import type { KubeObject } from '../apis/meta.ts'
import { resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'

/** Kinds the runtime's informers watch that tools read (request objects are followed through the API). */
export const cachedKinds = ['Connection', 'Repository', 'DeployKey', 'Collaborator', 'Package'] as const
export type CachedKind = (typeof cachedKinds)[number]

export interface ObjectCache {
  /** Secrets are keyed `namespace/name` and hold metadata only. */
  object<T extends KubeObject = KubeObject>(cluster: string, kind: CachedKind | 'Secret', name: string): T | undefined
  objects<T extends KubeObject = KubeObject>(cluster: string, kind: CachedKind): T[]
}

export interface WorkspaceReader {
  get<T extends KubeObject = KubeObject>(kind: CachedKind, name: string): Promise<T | undefined>
  list<T extends KubeObject = KubeObject>(kind: CachedKind): Promise<T[]>
  /** Whether a Secret exists (undefined: the caller may not read Secrets). Never its data. */
  secretExists(namespace: string, name: string): Promise<boolean | undefined>
}

/**
 * A logical cluster id has no ':' (kcp ids look like `2x6ygf0vmp3tfu7j`); a workspace path does
 * (`root:acme`). The cache is keyed by id, so a caller known only by path reads through the API.
 */
export const isClusterId = (cluster: string) => cluster !== '' && cluster !== 'root' && !cluster.includes(':')

/** Object names are ASCII (RFC 1123): the native string sort orders them, far faster than a comparator. */
function byName<T extends KubeObject>(items: T[]): T[] {
  const byKey = new Map(items.map((o) => [o.metadata.name, o]))
  return [...byKey.keys()].sort().map((name) => byKey.get(name)!)
}

export function workspaceReader(cache: ObjectCache, clusterId: string, client: WorkspaceClient): WorkspaceReader {
  const cached = isClusterId(clusterId)
  return {
    async get<T extends KubeObject>(kind: CachedKind, name: string) {
      return cached ? cache.object<T>(clusterId, kind, name) : client.get<T>(resourceTypes[kind], name)
    },
    async list<T extends KubeObject>(kind: CachedKind) {
      return byName(cached ? cache.objects<T>(clusterId, kind) : await client.list<T>(resourceTypes[kind]))
    },
    async secretExists(namespace, name) {
      if (cached) return cache.object(clusterId, 'Secret', `${namespace}/${name}`) !== undefined
      try {
        return (await client.get(resourceTypes.Secret, name, namespace)) !== undefined
      } catch {
        return undefined
      }
    },
  }
}

/** A Kubernetes label value: at most 63 characters, alphanumeric at both ends. */
export const labelValue = (v: string) => v.length <= 63 && /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v)
