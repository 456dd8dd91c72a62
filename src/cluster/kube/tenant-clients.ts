// Clients acting as the caller (portal, MCP): the kubeconfig's server and CA, the caller's own
// bearer token (the provider's client certificate is dropped), one workspace. Cached per
// (cluster, token fingerprint) with an LRU bound; the token itself is never a cache key.
import { createHash } from 'node:crypto'
import type { CallerIdentity, TenantClients, WorkspaceClient } from '../cluster.ts'
import { asBearer, type KubeconfigSource, loadConnection } from './connection.ts'
import { workspaceAt } from './workspace-client.ts'

export interface TenantClientsOptions {
  kubeconfig: KubeconfigSource
  /** Most clients kept (least recently used go first). Default 256. */
  maxEntries?: number
}

export async function createTenantClients(o: TenantClientsOptions): Promise<TenantClients & { size(): number }> {
  const conn = await loadConnection(o.kubeconfig)
  const max = o.maxEntries ?? 256
  const cache = new Map<string, WorkspaceClient>()
  return {
    forCaller({ cluster, token }: CallerIdentity): WorkspaceClient {
      const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 16)
      const key = `${cluster}\0${fingerprint}`
      let client = cache.get(key)
      if (client) cache.delete(key)
      else client = workspaceAt(asBearer(conn, token), cluster)
      cache.set(key, client)
      if (cache.size > max) cache.delete(cache.keys().next().value!)
      return client
    },
    size: () => cache.size,
  }
}
