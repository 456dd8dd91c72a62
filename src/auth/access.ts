// Reads may be answered from the informer cache and actor state (fast), but only for a caller
// whose access to the workspace was checked *as the caller*: one cheap list with their own token,
// remembered briefly per (workspace, token fingerprint). The tenant's RBAC decides, not ours.
import { createHash } from 'node:crypto'
import type { KubeObject } from '../apis/meta.ts'
import { ANNOTATION_CLUSTER } from '../apis/v1alpha1/labels.ts'
import { isClusterError, resourceTypes, type TenantClients, type WorkspaceClient } from '../cluster/cluster.ts'
import type { Caller } from './identity.ts'

export interface Access {
  /** The caller's own client for the workspace (writes always go through it). */
  client: WorkspaceClient
  /** Logical cluster id, as the runtime keys objects (resolved from the workspace when given a path). */
  clusterId: string
}

export type AccessResult = { ok: true; access: Access } | { ok: false; status: 401 | 403 | 503; message: string }

export interface AccessChecker {
  check(caller: Caller): Promise<AccessResult>
}

export function createAccessChecker(
  tenants: TenantClients,
  ttlMs = 30_000,
  now: () => number = Date.now,
  maxEntries = 1024,
): AccessChecker {
  const cache = new Map<string, { until: number; clusterId: string }>()
  return {
    async check(caller) {
      const client = tenants.forCaller({ cluster: caller.cluster, token: caller.token })
      const key = `${caller.cluster}\0${createHash('sha256').update(caller.token).digest('hex').slice(0, 16)}`
      const hit = cache.get(key)
      if (hit && hit.until > now()) return { ok: true, access: { client, clusterId: hit.clusterId } }
      try {
        const items = await client.list<KubeObject>(resourceTypes.Connection)
        const annotated = items[0]?.metadata.annotations?.[ANNOTATION_CLUSTER]
        const clusterId = annotated ?? caller.cluster
        // Addressed by path with nothing yet to read the id from: ask again next time rather than
        // remember the path, or reads and bundles would be keyed apart from the runtime's objects.
        const unresolved = annotated === undefined && caller.cluster === caller.tenant
        if (!unresolved) {
          if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string)
          cache.set(key, { until: now() + ttlMs, clusterId })
        }
        return { ok: true, access: { client, clusterId } }
      } catch (e) {
        if (isClusterError(e, 'unauthorized'))
          return { ok: false, status: 401, message: 'the bearer token was not accepted by the workspace' }
        const where = caller.tenant || caller.cluster
        if (isClusterError(e, 'forbidden'))
          return { ok: false, status: 403, message: `no access to workspace "${where}" with this token` }
        if (isClusterError(e, 'not-found')) {
          return {
            ok: false,
            status: 403,
            message: `the code provider is not enabled in workspace "${where}" (no Connection API there): enable it in the hub`,
          }
        }
        return { ok: false, status: 503, message: `the workspace API is not reachable: ${(e as Error).message}` }
      }
    },
  }
}
