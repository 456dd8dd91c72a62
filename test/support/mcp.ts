// The main app (MCP, OAuth) on a real listener in front of a test stack, and MCP clients from the
// SDK itself over either transport, calling as a tenant of the stack's API server.
//
//   const app = await startMainApp(stack, { bundles })
//   const mcp = await app.client('root:acme', 'streamable')     // or 'sse'
//   const r = await mcp.callTool({ name: 'list_repositories', arguments: {} })
//   await mcp.close(); await app.stop()
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createAccessChecker } from '../../src/auth/access.ts'
import type { BundleStore } from '../../src/bundles/bundle-store.ts'
import { createTenantClients } from '../../src/cluster/kube/tenant-clients.ts'
import { type Config, loadConfig, type OAuthConfig } from '../../src/config.ts'
import { createApp } from '../../src/routes/app.ts'
import type { McpOptions } from '../../src/routes/mcp-gate.ts'
import type { Stack } from './stack.ts'

export type TransportKind = 'streamable' | 'sse'

export interface MainAppOptions {
  /** Default: the stack's own store (the one its request actors use). */
  bundles?: BundleStore
  mcp?: Partial<McpOptions>
  config?: Partial<Config>
  /** OAuth settings for the app's own URL (known only once a port is chosen). */
  oauth?: (url: string) => OAuthConfig
  fetch?: typeof fetch
  now?: () => Date
}

/** What the hub sends with every proxied request. */
export type HubHeaders = {
  'x-kedge-tenant': string
  'x-kedge-cluster': string
  'x-kedge-user': string
  authorization: string
}

export interface MainApp {
  url: string
  config: Config
  /** Hub-style identity headers for a tenant of the stack (its own token). */
  headers(tenant: string): HubHeaders
  client(
    tenant: string,
    transport: TransportKind,
    options?: { path?: string; headers?: Record<string, string> },
  ): Promise<Client>
  stop(): Promise<void>
}

/** A port nobody listens on right now (for apps whose config must name their own URL). */
function freePort(): number {
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

export async function startMainApp(stack: Stack, o: MainAppOptions = {}): Promise<MainApp> {
  const tenants = await createTenantClients({ kubeconfig: { path: stack.api.kubeconfigs.admin } })
  const port = o.oauth ? freePort() : 0
  const config: Config = { ...loadConfig({}), oauth: o.oauth?.(`http://127.0.0.1:${port}`), ...o.config }
  const app = createApp({
    config,
    runtime: stack.runtime,
    access: createAccessChecker(tenants),
    logger: stack.logger,
    bundles: o.bundles ?? stack.bundles,
    mcp: { pollMs: 50, waitMs: 20_000, ...o.mcp },
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.now ? { now: o.now } : {}),
  }).listen({ hostname: '127.0.0.1', port })
  const url = `http://127.0.0.1:${app.server!.port}`
  const clients: Client[] = []
  const headers = (tenant: string): HubHeaders => {
    const t = stack.api.tenants[tenant] ?? stack.api.tenant(tenant)
    return {
      'x-kedge-tenant': t.path,
      'x-kedge-cluster': t.cluster,
      'x-kedge-user': 'agent',
      authorization: `Bearer ${t.token}`,
    }
  }
  return {
    url,
    config,
    headers,
    async client(tenant, kind, options = {}) {
      const requestInit = { headers: { ...headers(tenant), ...options.headers } }
      const transport =
        kind === 'sse'
          ? new SSEClientTransport(new URL(`${url}${options.path ?? '/mcp/sse'}`), { requestInit })
          : new StreamableHTTPClientTransport(new URL(`${url}${options.path ?? '/mcp'}`), { requestInit })
      const client = new Client({ name: 'code-provider-test', version: '1.0.0' })
      await client.connect(transport)
      clients.push(client)
      return client
    },
    async stop() {
      for (const c of clients) await c.close().catch(() => undefined)
      await app.stop(true)
    },
  }
}
