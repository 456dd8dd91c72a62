// WorkspaceClient over HTTP: CRUD in one logical cluster (a workspace URL, or a cluster under an
// APIExport virtual workspace) with one identity.
import type { KubeObject } from '../../apis/meta.ts'
import {
  apiVersionOf,
  isClusterError,
  type ListOptions,
  type PatchOptions,
  type ResourceType,
  type WorkspaceClient,
} from '../cluster.ts'
import type { Connection } from './connection.ts'
import { requestJson } from './http.ts'
import { resourceURL } from './paths.ts'

interface List<T> {
  metadata?: { continue?: string; resourceVersion?: string }
  items?: T[]
}

const PAGE = 5000

/** List every page of a collection URL; items get apiVersion and kind (core lists omit them). */
export async function listAll<T extends KubeObject>(
  conn: Connection,
  url: string,
  type: ResourceType,
  query: URLSearchParams = new URLSearchParams(),
  signal?: AbortSignal,
): Promise<{ items: T[]; resourceVersion: string }> {
  const items: T[] = []
  let cont = ''
  let resourceVersion = ''
  do {
    const q = new URLSearchParams(query)
    q.set('limit', String(PAGE))
    if (cont) q.set('continue', cont)
    const page = await requestJson<List<T>>(conn, `${url}?${q}`, { signal }, `list ${type.plural}`)
    for (const item of page.items ?? []) {
      item.apiVersion ??= apiVersionOf(type)
      item.kind ??= type.kind
      items.push(item)
    }
    resourceVersion ||= page.metadata?.resourceVersion ?? ''
    cont = page.metadata?.continue ?? ''
  } while (cont)
  return { items, resourceVersion }
}

export function workspaceClient(conn: Connection, base: string, cluster: string): WorkspaceClient {
  const what = (verb: string, type: ResourceType, name = '') =>
    `${verb} ${type.plural}${name ? ` "${name}"` : ''} in ${cluster}`
  return {
    cluster,
    async get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string) {
      try {
        return await requestJson<T>(conn, resourceURL(base, type, namespace, name), {}, what('get', type, name))
      } catch (e) {
        if (isClusterError(e, 'not-found')) return undefined
        throw e
      }
    },
    async list<T extends KubeObject>(type: ResourceType, options: ListOptions = {}) {
      const q = new URLSearchParams()
      if (options.labelSelector) q.set('labelSelector', options.labelSelector)
      if (options.fieldSelector) q.set('fieldSelector', options.fieldSelector)
      return (await listAll<T>(conn, resourceURL(base, type, options.namespace), type, q)).items
    },
    create<T extends KubeObject>(type: ResourceType, obj: T) {
      const url = resourceURL(base, type, obj.metadata.namespace)
      return requestJson<T>(conn, url, { method: 'POST', body: obj }, what('create', type, obj.metadata.name))
    },
    update<T extends KubeObject>(type: ResourceType, obj: T) {
      const url = resourceURL(base, type, obj.metadata.namespace, obj.metadata.name)
      return requestJson<T>(conn, url, { method: 'PUT', body: obj }, what('update', type, obj.metadata.name))
    },
    updateStatus<T extends KubeObject>(type: ResourceType, obj: T) {
      const url = resourceURL(base, type, obj.metadata.namespace, obj.metadata.name, 'status')
      return requestJson<T>(conn, url, { method: 'PUT', body: obj }, what('update status of', type, obj.metadata.name))
    },
    patch<T extends KubeObject>(type: ResourceType, name: string, patch: unknown, options: PatchOptions = {}) {
      const url = resourceURL(base, type, options.namespace, name, options.subresource)
      const contentType = options.patchType === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json'
      return requestJson<T>(conn, url, { method: 'PATCH', body: patch, contentType }, what('patch', type, name))
    },
    async delete(type: ResourceType, name: string, namespace?: string) {
      try {
        await requestJson(
          conn,
          resourceURL(base, type, namespace, name),
          { method: 'DELETE' },
          what('delete', type, name),
        )
      } catch (e) {
        if (!isClusterError(e, 'not-found')) throw e
      }
    },
  }
}

/** One workspace addressed directly by its path or logical cluster id (`<origin>/clusters/<it>`). */
export const workspaceAt = (conn: Connection, cluster: string): WorkspaceClient =>
  workspaceClient(conn, `${conn.origin}/clusters/${cluster}`, cluster)
