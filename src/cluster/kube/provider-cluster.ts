// The provider's view of kcp (or the embedded API server): find the code export's endpoint slice
// in the provider workspace, then list+watch every bound workspace through the virtual
// workspace URL(s) it publishes, and act in one workspace through `<vw>/clusters/<id>`.
import type { KubeObject } from '../../apis/meta.ts'
import { EXPORT_NAME } from '../../apis/v1alpha1/group.ts'
import {
  ClusterError,
  type ClusterEvent,
  type ProviderCluster,
  type RecordedEvent,
  type ResourceType,
  type Watcher,
  type WorkspaceClient,
} from '../cluster.ts'
import { type Connection, type KubeconfigSource, loadConnection } from './connection.ts'
import { EventRecorder } from './event-recorder.ts'
import { requestJson } from './http.ts'
import { Informer } from './informer.ts'
import { workspaceAt, workspaceClient } from './workspace-client.ts'

export interface ProviderClusterOptions {
  kubeconfig: KubeconfigSource
  /** Workspace holding the APIExport and its endpoint slice (config.workspacePath). */
  workspacePath: string
  exportName?: string
  /** How long to wait for the endpoint slice to publish a URL. Default 30 s. */
  endpointTimeoutMs?: number
  now?: () => Date
  onError?: (e: unknown) => void
}

interface EndpointSlice {
  status?: { endpoints?: { url: string }[] }
}

/** The virtual workspace URLs the export's APIExportEndpointSlice publishes. */
export async function endpointURLs(
  conn: Connection,
  workspacePath: string,
  exportName: string,
  timeoutMs: number,
): Promise<string[]> {
  const url = `${conn.origin}/clusters/${workspacePath}/apis/apis.kcp.io/v1alpha1/apiexportendpointslices/${exportName}`
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      const slice = await requestJson<EndpointSlice>(
        conn,
        url,
        {},
        `get APIExportEndpointSlice ${exportName} in ${workspacePath}`,
      )
      const urls = (slice.status?.endpoints ?? []).map((e) => e.url.replace(/\/+$/, ''))
      if (urls.length > 0) return urls
      last = new ClusterError(
        'unavailable',
        `APIExportEndpointSlice ${exportName} in ${workspacePath} has no endpoints yet`,
      )
    } catch (e) {
      last = e
    }
    if (Date.now() + wait > deadline) throw last
    await Bun.sleep(wait)
  }
}

export async function createProviderCluster(o: ProviderClusterOptions): Promise<ProviderCluster> {
  const conn = await loadConnection(o.kubeconfig)
  const exportName = o.exportName ?? EXPORT_NAME
  const endpoints = await endpointURLs(conn, o.workspacePath, exportName, o.endpointTimeoutMs ?? 30_000)
  /** Which endpoint (shard) last showed objects of a cluster; the first one otherwise. */
  const endpointOf = new Map<string, string>()
  const clients = new Map<string, WorkspaceClient>()
  const recorder = new EventRecorder({
    component: 'code-provider',
    now: o.now ?? (() => new Date()),
    onError: o.onError,
  })

  const workspace = (cluster: string): WorkspaceClient => {
    const vw = endpointOf.get(cluster) ?? endpoints[0]!
    const key = `${vw}\0${cluster}`
    let client = clients.get(key)
    if (!client) {
      client = workspaceClient(conn, `${vw}/clusters/${cluster}`, cluster)
      clients.set(key, client)
    }
    return client
  }

  return {
    providerWorkspace: workspaceAt(conn, o.workspacePath),
    workspace,
    watch(types: ResourceType[], onEvent: (e: ClusterEvent) => void): Watcher {
      const informers: Informer[] = []
      let resolveReady!: () => void
      const ready = new Promise<void>((r) => {
        resolveReady = r
      })
      const listed = new Set<Informer>()
      for (const vw of endpoints) {
        for (const type of types) {
          const informer: Informer = new Informer({
            conn,
            base: `${vw}/clusters/*`,
            type,
            onEvent: (e) => {
              if (e.cluster) endpointOf.set(e.cluster, vw)
              onEvent(e)
            },
            onListed: () => {
              listed.add(informer)
              if (listed.size === informers.length) resolveReady()
            },
            onError: o.onError,
          })
          informers.push(informer)
        }
      }
      for (const i of informers) i.start()
      return {
        ready,
        synced: () => informers.every((i) => i.synced),
        stop: () => {
          for (const i of informers) i.stop()
        },
      }
    },
    recordEvent(cluster: string, regarding: KubeObject, event: RecordedEvent): Promise<void> {
      return recorder.record(workspace(cluster), regarding, event)
    },
  }
}
