// Where a kubeconfig points and how to reach it from Bun's fetch. @kubernetes/client-node loads
// the kubeconfig and resolves files, data and auth providers (applyToHTTPSOptions); Bun's fetch
// then takes the TLS material as `tls: {ca, cert, key}`.
import { KubeConfig } from '@kubernetes/client-node'

export interface TlsOptions {
  ca?: string
  cert?: string
  key?: string
  rejectUnauthorized?: boolean
}

export interface Connection {
  /** scheme://host:port, without any /clusters/... path. */
  origin: string
  tls: TlsOptions
  /** Authorization (and impersonation) headers from the kubeconfig user. */
  headers: Record<string, string>
}

export type KubeconfigSource = { path: string } | { yaml: string } | KubeConfig

const text = (v: unknown) =>
  v === undefined || v === null ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)

/** The server URL without a kcp `/clusters/<name>` suffix. */
export function originOf(server: string): string {
  const url = new URL(server)
  const at = url.pathname.indexOf('/clusters/')
  const path = at >= 0 ? url.pathname.slice(0, at) : url.pathname.replace(/\/+$/, '')
  return `${url.protocol}//${url.host}${path}`
}

export async function loadConnection(source: KubeconfigSource): Promise<Connection> {
  let kc: KubeConfig
  if (source instanceof KubeConfig) kc = source
  else {
    kc = new KubeConfig()
    if ('path' in source) kc.loadFromFile(source.path)
    else kc.loadFromString(source.yaml)
  }
  const cluster = kc.getCurrentCluster()
  if (!cluster) throw new Error('kubeconfig has no current cluster')
  const opts: Record<string, unknown> & { headers?: Record<string, string> } = { headers: {} }
  await kc.applyToHTTPSOptions(opts)
  const tls: TlsOptions = {}
  if (opts.ca) tls.ca = text(opts.ca)
  if (opts.cert) tls.cert = text(opts.cert)
  if (opts.key) tls.key = text(opts.key)
  if (cluster.skipTLSVerify) tls.rejectUnauthorized = false
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = String(v)
  return { origin: originOf(cluster.server), tls, headers }
}

/** The same server and CA, another identity: the caller's bearer token, no client certificate. */
export const asBearer = (c: Connection, token: string): Connection => ({
  origin: c.origin,
  tls: { ca: c.tls.ca, rejectUnauthorized: c.tls.rejectUnauthorized },
  headers: { authorization: `Bearer ${token}` },
})
