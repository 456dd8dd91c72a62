// createRuntime: the actor tree, wired. Informers over the APIExport virtual workspace feed the
// object store and the system actor; the system actor spawns one workspace actor per logical
// cluster on first sight; workspace actors start, feed and stop resource actors and wake
// dependents. Everything here is effects; the decisions are in src/machines.
import { type AnyActorRef, createActor, type InspectionEvent } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { GateSnapshot, GitBackend } from '../backend/backend.ts'
import { type ProviderCluster, resourceTypes, type Watcher } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import { type DependencyKind, reconciledKinds } from '../machines/dependencies.ts'
import type { ResourceIntervals } from '../machines/events.ts'
import { systemMachine } from '../machines/system.machine.ts'
import { type ObjectChange, workspaceMachine } from '../machines/workspace.machine.ts'
import { describeActor } from './actor-inspect.ts'
import { type ActorDetail, type ActorView, newView, observeState, type TransitionListener } from './actor-view.ts'
import { type HostTimers, realTimers, TimerQueue } from './clock.ts'
import { createCredentialResolver } from './credentials.ts'
import { guardObserver, observeResponses, type RuntimeObserver } from './observer.ts'
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
  /** Told about reconciles, host responses and crawls (metrics). */
  observer?: RuntimeObserver
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
  /** The workspace members: resource actors (and crawler and request actors). */
  actors(): ActorView[]
  /** The supervisors above them: the system actor, then one actor per workspace. */
  supervisors(): ActorView[]
  /** A close look at any actor by id (`system`, a workspace's cluster, `<cluster>/<Kind>/<name>`). */
  actorDetail(id: string): ActorDetail | undefined
  workspaces(): { cluster: string; state: string; members: number }[]
  systemState(): string
  /** Reconcile now rather than at the next poll; false when no such actor runs. */
  requestReconcile(cluster: string, kind: CodeKind, name: string): boolean
  /** Every state transition of every actor (supervisors included), as it happens. Returns an unsubscribe function. */
  onTransition(listener: TransitionListener): () => void
  gates(): GateSnapshot[]
  /** Deadlines waiting in the runtime clock. */
  pendingTimers(): number
}

const isMember = (kind: DependencyKind) => (reconciledKinds as readonly string[]).includes(kind)

export const SYSTEM_ID = 'system'

interface Supervised {
  ref: AnyActorRef
  view: ActorView
  log: Logger
}

export function createRuntime(o: RuntimeOptions): Runtime {
  const now = o.now ?? (() => new Date())
  const clock = new TimerQueue(o.timers ?? realTimers)
  const store = new ObjectStore(o.settings.credentialsNamespace)
  const listeners = new Set<TransitionListener>()
  const notify: TransitionListener = (view, t) => {
    for (const l of listeners) l(view, t)
  }
  const log = o.logger.child({ component: 'runtime', kind: 'System', name: SYSTEM_ID, actor: SYSTEM_ID })
  const observer = guardObserver(o.observer ?? {}, log)
  const backend = observeResponses(o.backend, observer.onResponse)
  /** An `inspect` callback keeping a supervisor's view in step with its state. */
  const tracking =
    (view: ActorView, logger = log) =>
    (ev: InspectionEvent) => {
      if (ev.type !== '@xstate.snapshot' || ev.actorRef.sessionId !== ev.rootId) return
      const t = observeState(
        view,
        String((ev.snapshot as { value?: unknown }).value),
        ev.event.type,
        now().toISOString(),
      )
      if (!t) return
      logger.debug('transition', { from: t.from, to: t.to, event: t.event })
      notify(view, t)
    }
  const resources = new ResourceActors({
    cluster: o.cluster,
    backend,
    store,
    credentials: createCredentialResolver(o.cluster, store, o.settings.credentialsNamespace),
    settings: o.settings,
    intervals: o.intervals,
    clock,
    now,
    logger: o.logger,
    concurrency: new Semaphore(o.maxConcurrentReconciles ?? 64),
    onTransition: notify,
    observer,
  })
  const workspaces = new Map<string, Supervised>()
  const systemView = newView(SYSTEM_ID, '', 'System', SYSTEM_ID, now().toISOString())

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
          let ws = workspaces.get(cluster)?.ref
          if (ws?.getSnapshot().status !== 'active') {
            // Objects that only matter as dependencies do not wake a workspace that has no actors.
            if (!isMember(change.kind)) return
            const view = { ...newView(cluster, cluster, 'Workspace', cluster, now().toISOString()), parent: SYSTEM_ID }
            const wsLog = o.logger.child({ workspace: cluster, kind: 'Workspace', name: cluster, actor: cluster })
            ws = createActor(workspaceLogic, {
              input: { cluster, idleGraceMs: o.idleGraceMs ?? 30_000 },
              clock,
              inspect: tracking(view, wsLog),
            })
            ws.subscribe({
              complete: () => system.send({ type: 'workspace.done', cluster }),
              error: (e) => wsLog.error('workspace actor failed', { error: String(e) }),
            })
            workspaces.set(cluster, { ref: ws, view, log: wsLog })
            ws.start()
            wsLog.debug('workspace actor started')
          }
          ws.send({ type: 'object.changed', ...change })
        },
        stopWorkspace: (_, { cluster }: { cluster: string }) => {
          const ws = workspaces.get(cluster)
          if (ws && ws.ref.getSnapshot().status !== 'active') {
            workspaces.delete(cluster)
            ws.log.debug('workspace actor stopped')
          }
        },
        stopAll: () => {
          resources.stopAll()
          for (const ws of workspaces.values()) ws.ref.stop()
          workspaces.clear()
        },
      },
    }),
    { clock, inspect: tracking(systemView) },
  )

  let watcher: Watcher | undefined
  const watched = [...reconciledKinds.map((k) => resourceTypes[k]), resourceTypes.Secret]

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
    supervisors: () => [systemView, ...[...workspaces.values()].map((w) => w.view)],
    actorDetail(id) {
      const supervised = id === SYSTEM_ID ? { ref: system, view: systemView } : workspaces.get(id)
      // XState stamps its timers with the wall clock, so wake-ups are computed against it too.
      return supervised ? describeActor(supervised.view, supervised.ref, Date.now()) : resources.detail(id)
    },
    workspaces: () =>
      [...workspaces].map(([cluster, ws]) => {
        const snap = ws.ref.getSnapshot()
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
