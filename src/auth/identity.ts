// Who is calling: the hub proxies tenants to us with X-Kedge-Tenant (workspace path),
// X-Kedge-Cluster (logical cluster id), X-Kedge-User and the caller's own bearer token. In dev
// (KEDGE_DEV_ALLOW_TENANT_QUERY=true) ?tenant=&cluster=&user=&token= fill in missing headers.

import { createHash } from 'node:crypto'

export interface Caller {
  /** Workspace path, e.g. root:acme (may be empty when only the cluster id is known). */
  tenant: string
  /** Logical cluster id, or the path when no id was given: what /clusters/<x> addresses. */
  cluster: string
  user: string
  /** The caller's own bearer token; used only to act as them, never stored or shown. */
  token: string
}

/** Who a caller is, for comparing callers: the workspace and a fingerprint of the bearer (never the token). */
export const callerKey = (c: Pick<Caller, 'cluster' | 'token'>) =>
  `${c.cluster}\0${createHash('sha256').update(c.token).digest('hex').slice(0, 32)}`

export type CallerResult = { ok: true; caller: Caller } | { ok: false; message: string }

const bearer = (h: string | null) => (h?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '').trim()

export function callerFrom(headers: Headers, url: URL, devAllowQuery: boolean): CallerResult {
  const q = (name: string) => (devAllowQuery ? (url.searchParams.get(name) ?? '') : '')
  const tenant = headers.get('x-kedge-tenant') || q('tenant')
  const cluster = headers.get('x-kedge-cluster') || q('cluster') || tenant
  const user = headers.get('x-kedge-user') || q('user')
  const token = bearer(headers.get('authorization')) || q('token')
  const missing = [!cluster && 'a workspace (X-Kedge-Cluster or X-Kedge-Tenant)', !token && 'a bearer token'].filter(
    Boolean,
  )
  if (missing.length > 0) {
    const dev = devAllowQuery ? ' (dev: or ?tenant=&cluster=&user=&token=)' : ''
    return { ok: false, message: `missing ${missing.join(' and ')}: call through the kedge hub${dev}` }
  }
  return { ok: true, caller: { tenant, cluster, user: user || 'unknown', token } }
}

/** Query parameters that carry a dev identity onto links (dev only; never the hub's headers). */
export function devIdentityQuery(caller: Caller): string {
  const p = new URLSearchParams({
    tenant: caller.tenant,
    cluster: caller.cluster,
    user: caller.user,
    token: caller.token,
  })
  return p.toString()
}
