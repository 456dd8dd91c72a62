// The main app (portal included) on a real listener in front of a test stack, with helpers to
// call it as a tenant: hub-style headers, or the dev query parameters.
//
//   const s = await startStack()
//   const p = await startPortal(s)
//   await fetch(`${p.url}/repositories?${p.query('root:acme')}`)
//   await p.stop()
import type { Runtime } from '../../src/actors/runtime.ts'
import type { TenantInfo } from '../../src/apiserver/server.ts'
import { createAccessChecker } from '../../src/auth/access.ts'
import { devIdentityQuery } from '../../src/auth/identity.ts'
import { createTenantClients } from '../../src/cluster/kube/tenant-clients.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import { createApp } from '../../src/routes/app.ts'
import type { Stack } from './stack.ts'
import { USER } from './stack.ts'

export interface PortalServer {
  url: string
  app: ReturnType<typeof createApp>
  config: Config
  tenant(path: string): TenantInfo
  /** The dev identity as a query string (tenant, cluster, user, token). */
  query(path: string): string
  /** The identity the hub would send. */
  headers(path: string): Record<string, string>
  stop(): Promise<void>
}

export async function startPortal(s: Stack, overrides: Partial<Config> = {}): Promise<PortalServer> {
  const sandbox = new URL(s.sandbox.url)
  const config: Config = {
    ...loadConfig({}),
    devAllowTenantQuery: true,
    sandboxAddr: `${sandbox.hostname}:${sandbox.port}`,
    ...overrides,
  }
  const tenants = await createTenantClients({ kubeconfig: { path: s.api.kubeconfigs.admin } })
  // Always the stack's current runtime, also after s.restart().
  const runtime = new Proxy({} as Runtime, { get: (_, key) => Reflect.get(s.runtime, key) })
  const app = createApp({
    config,
    runtime,
    access: createAccessChecker(tenants),
    logger: s.logger,
    bundles: s.bundles,
  })
  app.listen({ hostname: '127.0.0.1', port: 0 })
  const tenant = (path: string) => s.api.tenants[path] ?? s.api.tenant(path)
  return {
    url: `http://127.0.0.1:${app.server!.port}`,
    app,
    config,
    tenant,
    query: (path) => {
      const t = tenant(path)
      return devIdentityQuery({ tenant: t.path, cluster: t.cluster, user: USER, token: t.token })
    },
    headers: (path) => {
      const t = tenant(path)
      return {
        'x-kedge-tenant': t.path,
        'x-kedge-cluster': t.cluster,
        'x-kedge-user': USER,
        authorization: `Bearer ${t.token}`,
      }
    },
    async stop() {
      await app.stop()
    },
  }
}
