// `code-provider serve`: the product. With a kubeconfig it runs against kcp; without one it
// starts the embedded API server first. Then the main listener (portal, MCP, OAuth, /healthz), the
// admin listener (/healthz, /readyz, /metrics, /debug) and the actor runtime. With leader election
// the runtime and the hub heartbeats wait until this process holds the Lease; a standby serves
// only its listeners (not ready, so the Service sends it no traffic).
import { hostname } from 'node:os'
import { createLeaderElector, electionIdentity, type LeaderElector } from '../actors/leader-elector.ts'
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
import { createMetrics } from '../routes/metrics.ts'
import { StatusBoard } from '../status-board.ts'
import { VERSION } from '../version.ts'

export interface Product {
  config: Config
  runtime: Runtime
  /** Register components that are not actors here (e.g. the hub heartbeat); /debug shows them. */
  status: StatusBoard
  tenants: TenantClients
  /** The bundle store MCP stages commits in and reads checkouts from (scope: logical cluster id). */
  bundles: BundleStore
  /** Set when no kubeconfig was given. */
  embedded?: ApiServer
  /** Set when KEDGE_HUB_URL is: `heartbeat.status()` is its state for /debug. Only a leader beats. */
  heartbeat?: Heartbeat
  /** Set when leader election is on. */
  leader?: LeaderElector
  /**
   * Resolves, with why, when this process must exit: it led and lost the lease (or its runtime
   * failed to start). The runtime has stopped by then; exit non-zero, a restart stands by anew.
   */
  halted: Promise<string>
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
  const metrics = createMetrics()
  const status = new StatusBoard()
  const runtime = createRuntime({
    observer: metrics.observer,
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

  const leader = config.leaderElection.enabled
    ? createLeaderElector({
        client: cluster.providerWorkspace,
        name: config.leaderElection.leaseName,
        namespace: config.leaderElection.namespace,
        identity: electionIdentity(hostname()),
        leaseDurationMs: config.leaderElection.leaseDurationMs,
        renewDeadlineMs: config.leaderElection.renewDeadlineMs,
        retryPeriodMs: config.leaderElection.retryPeriodMs,
        logger,
        reporter: status.component(
          'leader-election',
          `Lease ${config.leaderElection.namespace}/${config.leaderElection.leaseName} in ${config.workspacePath}`,
        ),
      })
    : undefined

  const main = createApp({ config, runtime, access: createAccessChecker(tenants), logger, bundles }).listen({
    hostname: '0.0.0.0',
    port: config.port,
  })
  const apiserver = embedded?.metrics
  metrics.attach({
    runtime,
    leading: () => leader?.isLeader() ?? true,
    ...(apiserver ? { apiserver: { requests: () => apiserver.snapshot(), watches: () => apiserver.watches } } : {}),
  })
  const admin = createAdminApp({ config, runtime, logger, metrics, status, leader }).listen(splitAddr(config.adminAddr))
  const url = `http://localhost:${main.server?.port}`
  const adminURL = `http://${config.adminAddr.slice(0, config.adminAddr.lastIndexOf(':'))}:${admin.server?.port}`
  logger.info('listening', { url, admin: adminURL })

  // The hub keeps one status per provider: only the replica that reconciles reports it, so a
  // standby's "degraded" never flaps the CatalogEntry (a new leader beats within a lease duration).
  const beats = config.hub.url
    ? status.component(
        'hub-heartbeat',
        `POST ${config.hub.url}/api/providers/${config.hub.providerName}/heartbeat every 30 s`,
      )
    : undefined
  const heartbeat = config.hub.url
    ? createHeartbeat({
        hubURL: config.hub.url,
        providerName: config.hub.providerName,
        token: config.hub.token,
        insecure: config.hub.insecure,
        version: VERSION,
        healthy: () => runtime.ready(),
        logger,
        reporter: beats,
      })
    : undefined
  let stopping = false
  const lead = async () => {
    await runtime.start()
    // The runtime is still catching up: beats say `degraded` until it is ready, and the change is sent at once.
    if (!stopping) heartbeat?.start()
  }
  let halted = new Promise<string>(() => {})
  if (leader) {
    beats?.stopped('only the leader sends heartbeats')
    const failedToStart = leader.leading
      .then(() => (stopping ? undefined : lead()))
      .then(
        () => new Promise<string>(() => {}),
        (e: Error) => `the runtime failed to start: ${e.message}`,
      )
    halted = Promise.race([leader.lost, failedToStart]).then(async (why) => {
      // Stop acting at once: another replica may hold the lease soon.
      await runtime.stop()
      await heartbeat?.stop()
      return why
    })
    leader.start()
  } else await lead()
  return {
    config,
    runtime,
    status,
    tenants,
    bundles,
    embedded,
    heartbeat,
    leader,
    halted,
    kubeconfig,
    url,
    adminURL,
    async stop() {
      stopping = true
      await heartbeat?.stop()
      await main.stop()
      await admin.stop()
      await runtime.stop()
      // After the runtime: the lease is handed over only once this process stopped acting.
      await leader?.stop()
      await embedded?.stop()
    },
  }
}
