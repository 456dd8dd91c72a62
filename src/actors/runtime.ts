// createRuntime: the actor tree, wired. Informers over the APIExport virtual workspace feed the
// object store and the system actor; the system actor spawns one workspace actor per logical
// cluster on first sight; workspace actors start, feed and stop resource actors, package
// crawlers and request actors, and wake dependents. Everything here is effects; the decisions
// are in src/machines.
import { type AnyActorRef, createActor } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { GateSnapshot, GitBackend } from '../backend/backend.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import { type ProviderCluster, resourceTypes, type Watcher } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import { type DependencyKind, reconciledKinds } from '../machines/dependencies.ts'
import type { ResourceIntervals } from '../machines/events.ts'
import {
  defaultRequestSettings,
  isRequestKind,
  type RequestSettings,
  requestKinds,
} from '../machines/request.machine.ts'
import { systemMachine } from '../machines/system.machine.ts'
import { type ObjectChange, startsActor, workspaceMachine } from '../machines/workspace.machine.ts'
import type { ActorView, TransitionListener } from './actor-view.ts'
import { type HostTimers, realTimers, TimerQueue } from './clock.ts'
import { Crawlers } from './crawlers.ts'
import { createCredentialResolver } from './credentials.ts'
import { PackageListings } from './package-listings.ts'
import type { ReconcilerSettings } from './reconcilers/context.ts'
import { BundleSweeper } from './requests/bundle-sweeper.ts'
import { RequestActors } from './requests/request-actors.ts'
import { ResourceActors } from './resource-actors.ts'
import { Semaphore } from './semaphore.ts'
import { ObjectStore } from './store.ts'

export interface PackageCrawlOptions {
  /** Between crawls of one Repository, stretched by 0..25% (default 2 min); listings are reused as long. */
  intervalMs?: number
  /** Crawls running at once across all workspaces (default 16). */
  maxConcurrent?: number
}

export interface RequestOptions extends Partial<RequestSettings> {
  /** How long a commit waits for its staged bundle to become visible (default 30 s). */
  bundleWaitMs?: number
  /** Bundles nobody gave back are removed after this (default 1 h). */
  bundleTTLMs?: number
  /** Requests running at once across all workspaces (default 16). */
  maxConcurrent?: number
}

/** Actors of the runtime by kind: a code kind, or `Crawler` for a Repository's package crawler. */
export type ActorKind = CodeKind | 'Crawler'

export interface RuntimeOptions {
  cluster: ProviderCluster
  backend: GitBackend
  logger: Logger
  intervals: ResourceIntervals
  settings: ReconcilerSettings
  /** How long an empty workspace actor lingers (default 30 s). */
  idleGraceMs?: number
  /** Reconciles running at once across all workspaces (default 256): bounds load on the API server. */
  maxConcurrentReconciles?: number
  timers?: HostTimers
  now?: () => Date
  /** Where commit and checkout files live; without it those requests fail with a clear message. */
  bundles?: BundleStore
  packages?: PackageCrawlOptions
  requests?: RequestOptions
}

/** The port routes, MCP and /debug use: reads and nudges, never actor references. */
export interface Runtime {
  start(): Promise<void>
  stop(): Promise<void>
  /** Informers caught up and watching. */
  ready(): boolean
  /** The latest version of an object from the informer cache. */
  object<T extends KubeObject = KubeObject>(cluster: string, kind: DependencyKind, name: string): T | undefined
  objects<T extends KubeObject = KubeObject>(cluster: string, kind: DependencyKind): T[]
  /** Live state of one actor (`Crawler` and the Repository's name for its package crawler). */
  actor(cluster: string, kind: ActorKind, name: string): ActorView | undefined
  /** Resource actors, package crawlers and running requests. */
  actors(): ActorView[]
  workspaces(): { cluster: string; state: string; members: number }[]
  systemState(): string
  /** Reconcile (or crawl) now rather than at the next poll; false when no such actor runs. */
  requestReconcile(cluster: string, kind: ActorKind, name: string): boolean
  /** Every state transition of every actor, as it happens. Returns an unsubscribe function. */
  onTransition(listener: TransitionListener): () => void
  gates(): GateSnapshot[]
  /** Deadlines waiting in the runtime clock. */
  pendingTimers(): number
}

const isReconciled = (kind: DependencyKind) => (reconciledKinds as readonly string[]).includes(kind)

export function createRuntime(o: RuntimeOptions): Runtime {
  const now = o.now ?? (() => new Date())
  const clock = new TimerQueue(o.timers ?? realTimers)
  const store = new ObjectStore(o.settings.credentialsNamespace)
  const listeners = new Set<TransitionListener>()
  const log = o.logger.child({ component: 'runtime' })
  const onTransition: TransitionListener = (view, t) => {
    for (const l of listeners) l(view, t)
  }
  const credentials = createCredentialResolver(o.cluster, store, o.settings.credentialsNamespace)
  const resources = new ResourceActors({
    cluster: o.cluster,
    backend: o.backend,
    store,
    credentials,
    settings: o.settings,
    intervals: o.intervals,
    clock,
    now,
    logger: o.logger,
    monotonic: () => clock.now(),
    concurrency: new Semaphore(o.maxConcurrentReconciles ?? 256),
    onTransition,
  })
  const crawlIntervalMs = o.packages?.intervalMs ?? 120_000
  const crawlers = new Crawlers({
    cluster: o.cluster,
    backend: o.backend,
    store,
    credentials,
    listings: new PackageListings({
      ttlMs: crawlIntervalMs,
      failureTtlMs: Math.min(30_000, crawlIntervalMs),
      now: () => clock.now(),
    }),
    intervalMs: crawlIntervalMs,
    backoff: { baseMs: Math.min(5_000, crawlIntervalMs), maxMs: o.intervals.backoffMaxMs },
    clock,
    monotonic: () => clock.now(),
    now,
    logger: o.logger,
    concurrency: new Semaphore(o.packages?.maxConcurrent ?? 16),
    onTransition,
    coldStart: () => system.getSnapshot().value === 'starting',
    revalidate: (cluster, connection) =>
      resources.send({ cluster, kind: 'Connection', name: connection }, { type: 'reconcile.requested' }),
  })
  const { bundleWaitMs, bundleTTLMs, maxConcurrent, ...requestSettings } = o.requests ?? {}
  const requests = new RequestActors({
    cluster: o.cluster,
    backend: o.backend,
    store,
    credentials,
    ...(o.bundles ? { bundles: o.bundles } : {}),
    settings: { ...defaultRequestSettings, ...requestSettings },
    bundleWaitMs: bundleWaitMs ?? 30_000,
    clock,
    now,
    logger: o.logger,
    concurrency: new Semaphore(maxConcurrent ?? 16),
    onTransition,
  })
  const ttlMs = bundleTTLMs ?? 3_600_000
  const sweeper =
    o.bundles &&
    new BundleSweeper({
      bundles: o.bundles,
      store,
      ttlMs,
      intervalMs: Math.max(1_000, Math.min(600_000, ttlMs / 4)),
      clock,
      now,
      logger: log,
    })
  const workspaces = new Map<string, AnyActorRef>()

  const workspaceLogic = workspaceMachine.provide({
    actions: {
      ensureActor: ({ context }, p) =>
        resources.ensure({ cluster: context.cluster, kind: p.kind, name: p.name }, p.object),
      stopActor: ({ context }, p) => resources.stop({ cluster: context.cluster, kind: p.kind, name: p.name }),
      notifyDependents: ({ context }, p) => {
        const event = { type: 'dependency.changed' as const, dependency: `${p.kind}/${p.name}` }
        for (const d of store.dependentsOf(context.cluster, { kind: p.kind, name: p.name })) {
          if (isReconciled(d.kind))
            resources.send({ cluster: context.cluster, kind: d.kind as CodeKind, name: d.name }, event)
          else if (isRequestKind(d.kind)) requests.send({ cluster: context.cluster, kind: d.kind, name: d.name }, event)
        }
      },
      ensureCrawler: ({ context }, p) => crawlers.ensure(context.cluster, p.object),
      stopCrawler: ({ context }, p) => crawlers.stop({ cluster: context.cluster, repository: p.name }),
      ensureRequest: ({ context }, p) =>
        requests.ensure({ cluster: context.cluster, kind: p.kind, name: p.name }, p.object),
      stopRequest: ({ context }, p) => requests.stop({ cluster: context.cluster, kind: p.kind, name: p.name }),
    },
  })

  const system = createActor(
    systemMachine.provide({
      actions: {
        deliver: (_, { cluster, change }: { cluster: string; change: ObjectChange }) => {
          let ws = workspaces.get(cluster)
          if (ws?.getSnapshot().status !== 'active') {
            // Objects that only matter as dependencies do not wake a workspace that has no actors.
            if (!startsActor(change)) return
            ws = createActor(workspaceLogic, { input: { cluster, idleGraceMs: o.idleGraceMs ?? 30_000 }, clock })
            ws.subscribe({
              complete: () => system.send({ type: 'workspace.done', cluster }),
              error: (e) => log.error('workspace actor failed', { workspace: cluster, error: String(e) }),
            })
            workspaces.set(cluster, ws)
            ws.start()
            log.debug('workspace actor started', { workspace: cluster })
          }
          ws.send({ type: 'object.changed', ...change })
        },
        stopWorkspace: (_, { cluster }: { cluster: string }) => {
          const ws = workspaces.get(cluster)
          if (ws && ws.getSnapshot().status !== 'active') {
            workspaces.delete(cluster)
            log.debug('workspace actor stopped', { workspace: cluster })
          }
        },
        stopAll: () => {
          resources.stopAll()
          crawlers.stopAll()
          requests.stopAll()
          for (const ws of workspaces.values()) ws.stop()
          workspaces.clear()
        },
      },
    }),
    { clock },
  )

  let watcher: Watcher | undefined
  const watched = [
    ...reconciledKinds.map((k) => resourceTypes[k]),
    resourceTypes.Package,
    ...requestKinds.map((k) => resourceTypes[k]),
    resourceTypes.Secret,
  ]

  return {
    async start() {
      system.start()
      watcher = o.cluster.watch(watched, (e) => {
        const change = store.apply(e)
        system.send({ type: 'objects.changed', cluster: change.cluster, change })
      })
      await watcher.ready
      system.send({ type: 'watch.synced' })
      sweeper?.start()
      log.info('informers synced', { objects: store.counts(), workspaces: workspaces.size, actors: resources.size })
    },
    async stop() {
      watcher?.stop()
      sweeper?.stop()
      system.send({ type: 'shutdown' })
      system.stop()
      clock.close()
    },
    ready: () => system.getSnapshot().value === 'running' && (watcher?.synced() ?? false),
    object: (cluster, kind, name) => store.get(cluster, kind, name),
    objects: (cluster, kind) => store.list(cluster, kind),
    actor: (cluster, kind, name) =>
      kind === 'Crawler'
        ? crawlers.view({ cluster, repository: name })
        : isRequestKind(kind)
          ? requests.view({ cluster, kind, name })
          : resources.view({ cluster, kind, name }),
    actors: () => [...resources.views(), ...crawlers.views(), ...requests.views()],
    workspaces: () =>
      [...workspaces].map(([cluster, ws]) => {
        const snap = ws.getSnapshot()
        return { cluster, state: String(snap.value), members: snap.context.members as number }
      }),
    systemState: () => String(system.getSnapshot().value),
    requestReconcile: (cluster, kind, name) =>
      kind === 'Crawler'
        ? crawlers.request({ cluster, repository: name })
        : !isRequestKind(kind) && resources.send({ cluster, kind, name }, { type: 'reconcile.requested' }),
    onTransition(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    gates: () => o.backend.gates(),
    pendingTimers: () => clock.size,
  }
}
