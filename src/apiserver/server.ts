// startApiServer: the embedded kcp-compatible API server, in process. Opens (or creates) its
// data dir, seeds the provider export and dev tenants, listens (TLS by default), and writes
// kubeconfigs for admin, provider and each tenant.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { EXPORT_NAME } from '../apis/v1alpha1/group.ts'
import { Authenticator, type CertSubject } from './auth.ts'
import { Bindings } from './bindings.ts'
import { createHandler } from './handler.ts'
import { writeKubeconfig } from './kubeconfig.ts'
import { LogicalClusters } from './logical-clusters.ts'
import { RequestMetrics } from './metrics.ts'
import { Objects } from './objects.ts'
import { ensurePki, type Pki } from './pki.ts'
import { ResourceHandler } from './resource-handler.ts'
import { Registry } from './resources.ts'
import { seedProvider, seedTenant } from './seed.ts'
import { Store } from './store.ts'
import { startTlsFront, type TlsFront } from './tls-front.ts'
import { WatchHub } from './watch-hub.ts'

export interface ApiServerOptions {
  /** host:port; port 0 picks a free one. Default 127.0.0.1:6443. */
  addr?: string
  dataDir: string
  /** TLS with client-certificate auth (default true); false serves plain HTTP (tests, benchmarks). */
  tls?: boolean
  /** Provider workspace holding the APIExport. Default root:kedge:providers:code. */
  workspacePath?: string
  /** Dev tenant workspaces, bound to the export, each with a token and kubeconfig. Default [root:acme]. */
  tenants?: string[]
  /** Watch history kept for resuming watches (events). Default 100,000. */
  watchWindow?: number
  bookmarkIntervalMs?: number
  maxBodyBytes?: number
  now?: () => Date
  /** Reuse certificates (tests start many servers; the PKI is the slow part). */
  pki?: Pki
  log?: (line: string) => void
}

export interface TenantInfo {
  path: string
  /** Logical cluster id. */
  cluster: string
  token: string
  kubeconfig: string
  /** `<server>/clusters/<path>` */
  url: string
}

export interface ApiServer {
  /** Base URL, e.g. https://127.0.0.1:6443 */
  url: string
  /** Virtual workspace URL of the code export (what its APIExportEndpointSlice publishes). */
  vwURL: string
  providerCluster: string
  workspacePath: string
  dataDir: string
  /** PEM of the CA that signed the serving certificate (undefined without TLS). */
  ca: string | undefined
  pki: Pki | undefined
  kubeconfigs: { admin: string; provider: string }
  tokens: { admin: string; provider: string }
  tenants: Record<string, TenantInfo>
  /** Create (or return) a dev tenant workspace bound to the export, with its own token. */
  tenant(path: string): TenantInfo
  metrics: RequestMetrics
  /** Serve a request in process (no socket; no client certificate). */
  handle(req: Request): Promise<Response>
  stop(): Promise<void>
}

const token = () => randomBytes(32).toString('base64url')
const tenantFileStem = (path: string) => `tenant-${path.replace(/^root:/, '').replaceAll(':', '-')}`

function splitAddr(addr: string): { hostname: string; port: number } {
  const i = addr.lastIndexOf(':')
  return { hostname: addr.slice(0, i) || '127.0.0.1', port: Number(addr.slice(i + 1)) }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const dataDir = resolve(options.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const { hostname, port } = splitAddr(options.addr ?? '127.0.0.1:6443')
  const clientHost = ['0.0.0.0', '::', ''].includes(hostname) ? '127.0.0.1' : hostname
  const useTls = options.tls ?? true
  const workspacePath = options.workspacePath ?? 'root:kedge:providers:code'
  const now = options.now ?? (() => new Date())
  const log = options.log ?? (() => {})

  const pki = useTls
    ? (options.pki ?? (await ensurePki(dataDir, [...new Set(['127.0.0.1', 'localhost', '::1', clientHost])], now())))
    : undefined
  const store = new Store(join(dataDir, 'apiserver.db'))
  const hub = new WatchHub(store.rv, options.watchWindow ?? 100_000)
  const registry = new Registry()
  const clusters = new LogicalClusters(store)
  const bindings = new Bindings(store, clusters, registry)
  const metrics = new RequestMetrics()
  let baseURL = ''
  const objects = new Objects(store, hub, registry, clusters, bindings, now, () => baseURL)
  const auth = new Authenticator(store)
  const resources = new ResourceHandler({
    objects,
    store,
    hub,
    now,
    maxBodyBytes: options.maxBodyBytes ?? 3 * 1024 * 1024,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    watchCount: (d) => {
      metrics.watches += d
    },
  })
  let providerCluster = ''
  const handle = createHandler({
    registry,
    clusters,
    bindings,
    auth,
    metrics,
    resources,
    policy: { providerCluster: () => providerCluster, providerExport: () => `${providerCluster}/${EXPORT_NAME}` },
  })

  let front: TlsFront | undefined
  const inner = Bun.serve({
    hostname: useTls ? '127.0.0.1' : hostname,
    port: useTls ? 0 : port,
    idleTimeout: 0,
    maxRequestBodySize: (options.maxBodyBytes ?? 3 * 1024 * 1024) + 1024 * 1024,
    fetch(req, server) {
      if (!useTls) return handle(req)
      const source = server.requestIP(req)?.port
      if (!front || source === undefined || !front.owns(source)) return new Response('use TLS', { status: 403 })
      const cert: CertSubject | undefined = front.subjectOf(source)
      return handle(req, cert)
    },
  })
  if (useTls && pki) {
    front = await startTlsFront({
      hostname,
      port,
      cert: pki.serving.cert,
      key: pki.serving.key,
      ca: pki.ca.cert,
      innerPort: inner.port!,
    })
  }
  const listenPort = front ? front.port : inner.port!
  const host = clientHost.includes(':') ? `[${clientHost}]` : clientHost
  baseURL = `${useTls ? 'https' : 'http'}://${host}:${listenPort}`

  const identities = new Map(store.identities().map((i) => [i.name, i]))
  const identity = (name: string, scope: string): string => {
    const existing = identities.get(name)
    if (existing) return existing.token
    const created = { name, token: token(), scope }
    store.addIdentity(created)
    auth.add(created.name, created.token, created.scope)
    identities.set(name, created)
    return created.token
  }
  const vwURLOf = (cluster: string) => `${baseURL}/services/apiexport/${cluster}/${EXPORT_NAME}`
  providerCluster = seedProvider(objects, workspacePath)
  const ca = pki?.ca.cert ?? ''
  const tokens = { admin: identity('admin', 'admin'), provider: identity('provider', 'provider') }
  const kubeconfigs = {
    admin: writeKubeconfig(
      join(dataDir, 'admin.kubeconfig'),
      'admin',
      `${baseURL}/clusters/root`,
      ca,
      pki ? { cert: pki.clients.admin!.cert, key: pki.clients.admin!.key } : { token: tokens.admin },
    ),
    provider: writeKubeconfig(
      join(dataDir, 'provider.kubeconfig'),
      'provider',
      `${baseURL}/clusters/${workspacePath}`,
      ca,
      {
        token: tokens.provider,
      },
    ),
  }
  const tenants: Record<string, TenantInfo> = {}
  const tenant = (path: string): TenantInfo => {
    if (tenants[path]) return tenants[path]
    const cluster = seedTenant(objects, path, workspacePath)
    const t = identity(`tenant:${path}`, `cluster:${cluster}`)
    const url = `${baseURL}/clusters/${path}`
    const kubeconfig = writeKubeconfig(join(dataDir, `${tenantFileStem(path)}.kubeconfig`), path, url, ca, { token: t })
    tenants[path] = { path, cluster, token: t, kubeconfig, url }
    return tenants[path]
  }
  for (const path of options.tenants ?? ['root:acme']) tenant(path)
  log(`apiserver: listening on ${baseURL} (data in ${dataDir})`)
  log(
    `apiserver: kubeconfigs: ${[kubeconfigs.admin, kubeconfigs.provider, ...Object.values(tenants).map((t) => t.kubeconfig)].join(', ')}`,
  )

  return {
    url: baseURL,
    vwURL: vwURLOf(providerCluster),
    providerCluster,
    workspacePath,
    dataDir,
    ca: pki?.ca.cert,
    pki,
    kubeconfigs,
    tokens,
    tenants,
    tenant,
    metrics,
    handle: (req) => handle(req),
    async stop() {
      await front?.stop()
      inner.stop(true)
      store.close()
    },
  }
}
