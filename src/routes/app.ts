// The two listeners' apps, composed from plugin factories. They never listen: main does.
// Main port: what the hub proxies to tenants (portal, MCP, OAuth, /healthz).
// Admin port: operators only (/healthz, /readyz, /metrics, /debug), behind CODE_ADMIN_TOKEN when set.
import { Elysia } from 'elysia'
import type { LeaderElector } from '../actors/leader-elector.ts'
import type { Runtime } from '../actors/runtime.ts'
import type { AccessChecker } from '../auth/access.ts'
import type { Fetch } from '../auth/github-oauth.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import { checkToolsets } from '../mcp/registry.ts'
import type { StatusBoard } from '../status-board.ts'
import { adminAuth } from './admin-auth.ts'
import { debugRoutes } from './debug.ts'
import { debugPages } from './debug-pages.ts'
import { healthRoutes, readinessRoutes } from './health.ts'
import { mcpRoutes } from './mcp.ts'
import { defaultMcpOptions, type McpDeps, type McpOptions } from './mcp-gate.ts'
import { mcpSseRoutes } from './mcp-sse.ts'
import { type Metrics, metricsRoutes } from './metrics.ts'
import { oauthRoutes } from './oauth.ts'
import { portalRoutes } from './portal.ts'
import { requestLog } from './request-log.ts'
import { statelyInspectRoutes } from './stately-inspect.ts'

export interface AppDeps {
  config: Config
  runtime: Runtime
  access: AccessChecker
  logger: Logger
  /** Commit files are staged here and checkouts read back, scoped by logical cluster id. */
  bundles: BundleStore
  /** MCP tuning beyond config (tests shorten waits and polls). */
  mcp?: Partial<McpOptions>
  /** Outbound HTTP for the OAuth code exchange (tests may observe it). */
  fetch?: Fetch
  now?: () => Date
}

export function createApp(deps: AppDeps) {
  const { config } = deps
  checkToolsets(config.mcp.toolsets, 'CODE_MCP_TOOLSETS')
  const mcp: McpDeps = {
    runtime: deps.runtime,
    access: deps.access,
    bundles: deps.bundles,
    logger: deps.logger,
    devAllowTenantQuery: config.devAllowTenantQuery,
    credentialsNamespace: config.credentialsNamespace,
    selection: { readOnly: config.mcp.readOnly, ...(config.mcp.toolsets ? { toolsets: config.mcp.toolsets } : {}) },
    options: { ...defaultMcpOptions, waitMs: config.mcp.requestWaitMs, ...deps.mcp },
    ...(deps.now ? { now: deps.now } : {}),
  }
  return new Elysia()
    .use(requestLog(deps.logger.child({ component: 'http' }), 'main'))
    .use(healthRoutes())
    .use(mcpRoutes(mcp))
    .use(mcpSseRoutes(mcp))
    .use(
      oauthRoutes({
        oauth: config.oauth,
        access: deps.access,
        credentialsNamespace: config.credentialsNamespace,
        devAllowTenantQuery: config.devAllowTenantQuery,
        logger: deps.logger,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.now ? { now: () => deps.now!().getTime() } : {}),
      }),
    )
    .use(portalRoutes(deps))
}

export interface AdminDeps {
  config: Pick<Config, 'adminToken'>
  runtime: Runtime
  logger: Logger
  metrics: Metrics
  /** Components that are not actors (hub heartbeat...), shown on /debug. */
  status: StatusBoard
  /** With leader election: a standby answers /readyz 503. */
  leader?: Pick<LeaderElector, 'status'>
}

export function createAdminApp(deps: AdminDeps) {
  const log = deps.logger.child({ component: 'http' })
  return new Elysia()
    .use(requestLog(log, 'admin'))
    .use(adminAuth(deps.config.adminToken, log))
    .use(healthRoutes())
    .use(readinessRoutes(deps.runtime, deps.leader))
    .use(metricsRoutes(deps.metrics))
    .use(debugRoutes(deps))
    .use(debugPages(deps))
    .use(statelyInspectRoutes(deps.runtime))
}
