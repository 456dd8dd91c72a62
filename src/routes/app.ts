// The two listeners' apps, composed from plugin factories. They never listen: main does.
// Main port: what the hub proxies to tenants (portal, MCP, OAuth, /healthz).
// Admin port: operators only (/healthz, /readyz, /metrics, /debug).
import { Elysia } from 'elysia'
import type { Runtime } from '../actors/runtime.ts'
import type { AccessChecker } from '../auth/access.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import { healthRoutes, readinessRoutes } from './health.ts'
import { portalRoutes } from './portal.ts'

export interface AppDeps {
  config: Config
  runtime: Runtime
  access: AccessChecker
  logger: Logger
  /** Commit files are staged here and checkouts read back, scoped by logical cluster id. */
  bundles: BundleStore
}

export function createApp(deps: AppDeps) {
  return new Elysia().use(healthRoutes()).use(portalRoutes(deps))
}

export function createAdminApp(deps: Pick<AppDeps, 'runtime' | 'config' | 'logger'>) {
  return new Elysia().use(healthRoutes()).use(readinessRoutes(deps.runtime))
}
