// createRuntime: the actor tree, wired. Informers over the APIExport virtual workspace feed the
// object store and the system actor; the system actor spawns one workspace actor per logical
// cluster on first sight; workspace actors start, feed and stop resource actors and wake
// dependents. Everything here is effects; the decisions are in src/machines.
import { type AnyActorRef, createActor } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { GateSnapshot, GitBackend } from '../backend/backend.ts'
import { type ProviderCluster, resourceTypes, type Watcher } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import { type DependencyKind, reconciledKinds } from '../machines/dependencies.ts'
import type { ResourceIntervals } from '../machines/events.ts'
import { systemMachine } from '../machines/system.machine.ts'
import { type ObjectChange, workspaceMachine } from '../machines/workspace.machine.ts'
import type { ActorView, TransitionListener } from './actor-view.ts'
import { type HostTimers, realTimers, TimerQueue } from './clock.ts'
import { createCredentialResolver } from './credentials.ts'
import type { ReconcilerSettings } from './reconcilers/context.ts'
import { ResourceActors } from './resource-actors.ts'
import { Semaphore } from './semaphore.ts'
import { ObjectStore } from './store.ts'

export interface RuntimeOptions {
  cluster: ProviderCluster
  backend: GitBackend
  logger: Logger
  intervals: ResourceIntervals
  settings: ReconcilerSettings
  /** How long an empty workspace actor lingers (default 30 s). */
  idleGraceMs?: number
  /** Reconciles running at once across all workspaces (default 64). */
  maxConcurrentReconciles?: number
  timers?: HostTimers
  now?: () => Date
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
  /** Live state of one actor. */
  actor(cluster: string, kind: CodeKind, name: string): ActorView | undefined
  actors(): ActorView[]
  workspaces(): { cluster: string; state: string; members: number }[]
  systemState(): string
  /** Reconcile now rather than at the next poll; false when no such actor runs. */
  requestReconcile(cluster: string, kind: CodeKind, name: string): boolean
  /** Every state transition of every actor, as it happens. Returns an unsubscribe function. */
  onTransition(listener: TransitionListener): () => void
  gates(): GateSnapshot[]
  /** Deadlines waiting in the runtime clock. */
  pendingTimers(): number
}

const isMember = (kind: DependencyKind) => (reconciledKinds as readonly string[]).includes(kind)

export function createRuntime(o: RuntimeOptions): Runtime {
  const now = o.now ?? (() => new Date())
  const clock = new TimerQueue(o.timers ?? realTimers)
  const store = new ObjectStore(o.settings.credentialsNamespace)
  const listeners = new Set<TransitionListener>()
  const log = o.logger.child({ component: 'runtime' })
  const resources = new ResourceActors({
    cluster: o.cluster,
    backend: o.backend,
    store,
    credentials: createCredentialResolver(o.cluster, store, o.settings.credentialsNamespace),
    settings: o.settings,
    intervals: o.intervals,
    clock,
    now,
    logger: o.logger,
    concurrency: new Semaphore(o.maxConcurrentReconciles ?? 64),
    onTransition: (view, t) => {
      for (const l of listeners) l(view, t)
    },
  })
  const workspaces = new Map<string, AnyActorRef>()

  const workspaceLogic = workspaceMachine.provide({
    actions: {
      ensureActor: ({ context }, p) =>
        resources.ensure({ cluster: context.cluster, kind: p.kind, name: p.name }, p.object),
      stopActor: ({ context }, p) => resources.stop({ cluster: context.cluster, kind: p.kind, name: p.name }),
      notifyDependents: ({ context }, p) => {
        for (const d of store.dependentsOf(context.cluster, { kind: p.kind, name: p.name })) {
          if (isMember(d.kind)) {
            resources.send(
              { cluster: context.cluster, kind: d.kind as CodeKind, name: d.name },
              {
                type: 'dependency.changed',
                dependency: `${p.kind}/${p.name}`,
              },
            )
          }
        }
      },
    },
  })

  const system = createActor(
    systemMachine.provide({
      actions: {
        deliver: (_, { cluster, change }: { cluster: string; change: ObjectChange }) => {
          let ws = workspaces.get(cluster)
          if (ws?.getSnapshot().status !== 'active') {
            // Objects that only matter as dependencies do not wake a workspace that has no actors.
            if (!isMember(change.kind)) return
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
          for (const ws of workspaces.values()) ws.stop()
          workspaces.clear()
        },
      },
    }),
    { clock },
  )

  let watcher: Watcher | undefined
  // Packages are cached too (no actor): pages and MCP read them without an API call.
  const watched = [...reconciledKinds.map((k) => resourceTypes[k]), resourceTypes.Package, resourceTypes.Secret]

  return {
    async start() {
      system.start()
      watcher = o.cluster.watch(watched, (e) => {
        const change = store.apply(e)
        system.send({ type: 'objects.changed', cluster: change.cluster, change })
      })
      await watcher.ready
      system.send({ type: 'watch.synced' })
      log.info('informers synced', { objects: store.counts(), workspaces: workspaces.size, actors: resources.size })
    },
    async stop() {
      watcher?.stop()
      system.send({ type: 'shutdown' })
      system.stop()
      clock.close()
    },
    ready: () => system.getSnapshot().value === 'running' && (watcher?.synced() ?? false),
    object: (cluster, kind, name) => store.get(cluster, kind, name),
    objects: (cluster, kind) => store.list(cluster, kind),
    actor: (cluster, kind, name) => resources.view({ cluster, kind, name }),
    actors: () => [...resources.views()],
    workspaces: () =>
      [...workspaces].map(([cluster, ws]) => {
        const snap = ws.getSnapshot()
        return { cluster, state: String(snap.value), members: snap.context.members as number }
      }),
    systemState: () => String(system.getSnapshot().value),
    requestReconcile: (cluster, kind, name) => resources.send({ cluster, kind, name }, { type: 'reconcile.requested' }),
    onTransition(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    gates: () => o.backend.gates(),
    pendingTimers: () => clock.size,
  }
}
