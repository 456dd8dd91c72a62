// Finalizer and status writes with optimistic concurrency: a merge patch that carries the
// resourceVersion it was computed from, re-read and retried on conflict.
import type { KubeObject } from '../apis/meta.ts'
import { isClusterError, type ResourceType, type WorkspaceClient } from '../cluster/cluster.ts'

const ATTEMPTS = 4

async function withFreshObject<T extends KubeObject>(
  client: WorkspaceClient,
  type: ResourceType,
  obj: T,
  change: (current: T) => unknown | undefined,
): Promise<T | undefined> {
  let current: T | undefined = obj
  for (let attempt = 1; current; attempt++) {
    const patch = change(current)
    if (patch === undefined) return current
    try {
      return await client.patch<T>(type, current.metadata.name, patch)
    } catch (e) {
      if (!isClusterError(e, 'conflict') || attempt >= ATTEMPTS) throw e
      current = await client.get<T>(type, current.metadata.name)
    }
  }
  return undefined
}

/** Add `finalizer` if missing; returns the object as stored. */
export async function ensureFinalizer<T extends KubeObject>(
  client: WorkspaceClient,
  type: ResourceType,
  obj: T,
  finalizer: string,
) {
  return (
    (await withFreshObject(client, type, obj, (cur) => {
      const list = cur.metadata.finalizers ?? []
      if (list.includes(finalizer)) return undefined
      return { metadata: { resourceVersion: cur.metadata.resourceVersion, finalizers: [...list, finalizer] } }
    })) ?? obj
  )
}

/** Drop `finalizer`; an object already gone is fine. */
export async function removeFinalizer<T extends KubeObject>(
  client: WorkspaceClient,
  type: ResourceType,
  obj: T,
  finalizer: string,
) {
  try {
    await withFreshObject(client, type, obj, (cur) => {
      const list = cur.metadata.finalizers ?? []
      if (!list.includes(finalizer)) return undefined
      return {
        metadata: { resourceVersion: cur.metadata.resourceVersion, finalizers: list.filter((f) => f !== finalizer) },
      }
    })
  } catch (e) {
    if (!isClusterError(e, 'not-found')) throw e
  }
}

/** Merge `fields` into status (no resourceVersion: status patches of disjoint fields do not race). */
export function patchStatus(
  client: WorkspaceClient,
  type: ResourceType,
  name: string,
  fields: Record<string, unknown>,
) {
  return client.patch(type, name, { status: fields }, { subresource: 'status' })
}
