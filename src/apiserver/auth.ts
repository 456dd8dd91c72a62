// Who is calling (bearer token or client certificate) and what they may reach. The policy is
// deliberately small: admins reach everything; the provider reaches its export's virtual
// workspace and its own workspace; a tenant reaches its own workspace; anyone authenticated may
// read discovery, /version and /openapi.
import type { Store } from './store.ts'

export type Scope = { kind: 'admin' } | { kind: 'provider' } | { kind: 'cluster'; cluster: string } | { kind: 'none' }

export interface User {
  name: string
  groups: string[]
  scope: Scope
}

/** Subject of a verified client certificate, handed over by the TLS front. */
export interface CertSubject {
  cn: string
  groups: string[]
}

export const parseScope = (scope: string): Scope =>
  scope === 'admin'
    ? { kind: 'admin' }
    : scope === 'provider'
      ? { kind: 'provider' }
      : scope.startsWith('cluster:')
        ? { kind: 'cluster', cluster: scope.slice('cluster:'.length) }
        : { kind: 'none' }

export class Authenticator {
  private readonly byToken = new Map<string, User>()
  private readonly byName = new Map<string, Scope>()

  constructor(store: Store) {
    for (const id of store.identities()) this.add(id.name, id.token, id.scope)
  }

  add(name: string, token: string, scope: string): void {
    const user = { name, groups: ['system:authenticated'], scope: parseScope(scope) }
    this.byToken.set(token, user)
    this.byName.set(name, user.scope)
  }

  /** undefined: no credentials, or wrong ones (401). */
  authenticate(authorization: string | null, cert: CertSubject | undefined): User | undefined {
    if (authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization)
      return m ? this.byToken.get(m[1]!) : undefined
    }
    if (cert) {
      const scope: Scope = cert.groups.includes('system:masters')
        ? { kind: 'admin' }
        : (this.byName.get(cert.cn) ?? { kind: 'none' })
      return { name: cert.cn, groups: [...cert.groups, 'system:authenticated'], scope }
    }
    return undefined
  }
}

export interface Target {
  /** The export whose virtual workspace is addressed, `<cluster id>/<name>`. */
  vwExport?: string
  /** Logical cluster id, or `*`. */
  cluster: string
  /** Discovery, /version, /openapi: readable by any authenticated user. */
  nonResource: boolean
}

export interface Policy {
  providerCluster: () => string | undefined
  providerExport: () => string | undefined
}

export function authorize(user: User, target: Target, policy: Policy): boolean {
  const scope = user.scope
  if (scope.kind === 'admin') return true
  if (target.nonResource) return true
  if (scope.kind === 'none') return false
  if (scope.kind === 'provider') {
    if (target.vwExport !== undefined) return target.vwExport === policy.providerExport()
    return target.cluster === policy.providerCluster()
  }
  return target.vwExport === undefined && target.cluster === scope.cluster
}
