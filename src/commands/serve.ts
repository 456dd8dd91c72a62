// `code-provider serve`: the product. With a kubeconfig it runs against kcp; without one it
// starts the embedded API server first. Then the actor runtime, the main listener (portal, MCP,
// OAuth, /healthz) and the admin listener (/healthz, /readyz, /metrics, /debug).
import { createRuntime, type Runtime } from '../actors/runtime.ts'
import { type ApiServer, startApiServer } from '../apiserver/server.ts'
import { createAccessChecker } from '../auth/access.ts'
import { createGitHubBackend } from '../backend/github/github-backend.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import { createFsBundleStore } from '../bundles/fs/fs-bundle-store.ts'
import type { TenantClients } from '../cluster/cluster.ts'
import { createProviderCluster } from '../cluster/kube/provider-cluster.ts'
import { createTenantClients } from '../cluster/kube/tenant-clients.ts'
import type { Config } from '../config.ts'
import { createHeartbeat, type Heartbeat } from '../hub/heartbeat.ts'
import type { Logger } from '../log.ts'
import { createAdminApp, createApp } from '../routes/app.ts'
import { VERSION } from '../version.ts'

export interface Product {
  config: Config
  runtime: Runtime
  tenants: TenantClients
  /** The bundle store MCP stages commits in and reads checkouts from (scope: logical cluster id). */
  bundles: BundleStore
  /** Set when no kubeconfig was given. */
  embedded?: ApiServer
  /** Set when KEDGE_HUB_URL is: `heartbeat.status()` is its state for /debug. */
  heartbeat?: Heartbeat
  kubeconfig: string
  url: string
  adminURL: string
  stop(): Promise<void>
}

const splitAddr = (addr: string) => {
  const i = addr.lastIndexOf(':')
  return { hostname: addr.slice(0, i) || '0.0.0.0', port: Number(addr.slice(i + 1)) }
}

export async function startProduct(config: Config, logger: Logger): Promise<Product> {
  let embedded: ApiServer | undefined
  let kubeconfig = config.kubeconfig
  if (!kubeconfig) {
    embedded = await startApiServer({
      addr: config.apiserverAddr,
      dataDir: config.dataDir,
      workspacePath: config.workspacePath,
      log: (line) => logger.debug(line, { component: 'apiserver' }),
    })
    kubeconfig = embedded.kubeconfigs.provider
    logger.info('embedded API server started', { url: embedded.url, dataDir: embedded.dataDir })
  }

  const cluster = await createProviderCluster({
    kubeconfig: { path: kubeconfig },
    workspacePath: config.workspacePath,
    onError: (e) => logger.warn('cluster watch trouble', { error: (e as Error).message }),
  }).catch((e: Error) => {
    throw new Error(
      `cannot reach the APIExport endpoint slice in ${config.workspacePath}: ${e.message}. Is the provider installed (run \`code-provider init\`)?`,
    )
  })
  const tenants = await createTenantClients({ kubeconfig: { path: kubeconfig } })
  // A directory; several replicas share it on a ReadWriteMany volume (README: the bundle store).
  const bundles = createFsBundleStore({ dir: config.bundleDir })
  const runtime = createRuntime({
    cluster,
    backend: createGitHubBackend({ gate: config.github }),
    logger,
    maxConcurrentReconciles: config.maxConcurrentReconciles,
    intervals: {
      driftMs: config.driftIntervalMs,
      blockedRetryMs: config.driftIntervalMs,
      waitingRetryMs: config.driftIntervalMs,
      backoffBaseMs: 1_000,
      backoffMaxMs: 300_000,
    },
    settings: {
      credentialsNamespace: config.credentialsNamespace,
      revalidateMs: config.revalidateIntervalMs,
      invitationPollMs: config.invitationPollIntervalMs,
      maxReinvitations: 3,
    },
    bundles,
    packages: { intervalMs: config.crawlIntervalMs },
    requests: { bundleTTLMs: config.bundleTTLMs },
  })

  const main = createApp({ config, runtime, access: createAccessChecker(tenants), logger, bundles }).listen({
    hostname: '0.0.0.0',
    port: config.port,
  })
  const admin = createAdminApp({ config, runtime, logger }).listen(splitAddr(config.adminAddr))
  const url = `http://localhost:${main.server?.port}`
  const adminURL = `http://${config.adminAddr.slice(0, config.adminAddr.lastIndexOf(':'))}:${admin.server?.port}`
  logger.info('listening', { url, admin: adminURL })

  await runtime.start()
  // The runtime is still catching up: beats say `degraded` until it is ready, and the change is sent at once.
  const heartbeat = config.hub.url
    ? createHeartbeat({
        hubURL: config.hub.url,
        providerName: config.hub.providerName,
        token: config.hub.token,
        insecure: config.hub.insecure,
        version: VERSION,
        healthy: () => runtime.ready(),
        logger,
      })
    : undefined
  heartbeat?.start()
  return {
    config,
    runtime,
    tenants,
    bundles,
    embedded,
    heartbeat,
    kubeconfig,
    url,
    adminURL,
    async stop() {
      await heartbeat?.stop()
      await main.stop()
      await admin.stop()
      await runtime.stop()
      await embedded?.stop()
    },
  }
}
