// The resource actors of every workspace: where the pure resource machine meets the cluster and
// the git host. Each actor's snapshots are projected into its object's status, Kubernetes Events
// and log lines; its reconcile and finalize steps run the kind's reconciler.
import { fromPromise } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { GitBackend } from '../backend/backend.ts'
import { type ProviderCluster, resourceTypes } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import { dependenciesOf } from '../machines/dependencies.ts'
import type { ReconcileFailure, ReconcileOutcome, ResourceIntervals, ResourceKey } from '../machines/events.ts'
import { keyString } from '../machines/events.ts'
import {
  type FinalizeOutcome,
  firstPollDelay,
  pollDelay,
  type ReconcileInput,
  type ResourceContext,
  resourceMachine,
  settledOnStart,
} from '../machines/resource.machine.ts'
import { projectStatus } from '../machines/status.ts'
import { describeActor, describeResting } from './actor-inspect.ts'
import {
  type ActorDetail,
  type ActorView,
  newView,
  observeState,
  responseView,
  type TransitionListener,
} from './actor-view.ts'
import type { CredentialResolver } from './credentials.ts'
import { toFailure, Waiting } from './failures.ts'
import { ensureFinalizer, removeFinalizer } from './finalizers.ts'
import type { ReconcileReport, RuntimeObserver } from './observer.ts'
import { collaboratorReconciler } from './reconcilers/collaborator.ts'
import { connectionReconciler } from './reconcilers/connection.ts'
import type { ReconcileContext, Reconciler, ReconcilerSettings } from './reconcilers/context.ts'
import { deployKeyReconciler } from './reconcilers/deploykey.ts'
import { repositoryReconciler } from './reconcilers/repository.ts'
import type { Semaphore } from './semaphore.ts'
import { StatusWriter } from './status-writer.ts'
import type { ObjectStore } from './store.ts'
import { VirtualActors, type VirtualRecord } from './virtual-actors.ts'

const reconcilers: Partial<Record<CodeKind, Reconciler>> = {
  Connection: connectionReconciler as unknown as Reconciler,
  Repository: repositoryReconciler as unknown as Reconciler,
  DeployKey: deployKeyReconciler as unknown as Reconciler,
  Collaborator: collaboratorReconciler as unknown as Reconciler,
}

const warningStates = new Set(['backoff', 'blocked', 'deletionBackoff', 'deletionBlocked'])

export interface ResourceActorDeps {
  cluster: ProviderCluster
  backend: GitBackend
  store: ObjectStore
  credentials: CredentialResolver
  settings: ReconcilerSettings
  intervals: ResourceIntervals
  /** XState's clock (setTimeout/clearTimeout): the runtime's single-timer queue. */
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }
  now: () => Date
  logger: Logger
  /** Monotonic milliseconds of `clock`. */
  monotonic: () => number
  /** Bounds reconciles running at once across all workspaces. */
  concurrency: Semaphore
  onTransition: TransitionListener
  observer: Required<RuntimeObserver>
}

type Operation = ReconcileReport['operation']

interface ActorRecord extends VirtualRecord {
  key: ResourceKey
  /** The latest version of the object: what a resting record is restarted from. */
  object: KubeObject
  writer?: StatusWriter
  log?: Logger
  lastWarning?: string
}

const generationOf = (o: KubeObject) => o.metadata.generation ?? 0

/**
 * The resource actors, as virtual actors (see virtual-actors.ts): a resource at rest in `ready`
 * (or found Ready at start: `settled`) keeps no live XState actor until its next poll, a spec
 * change, a dependency change or a reconcile request.
 */
export class ResourceActors {
  private readonly pool: VirtualActors<ActorRecord, ResourceContext>

  constructor(private readonly deps: ResourceActorDeps) {
    const logic = resourceMachine.provide({
      actors: {
        reconcile: fromPromise<ReconcileOutcome, ReconcileInput>(({ input }) =>
          this.run(input.key, 'reconcile', () => this.reconcileStep(input)),
        ),
        finalize: fromPromise<FinalizeOutcome, ReconcileInput>(({ input }) =>
          this.run(input.key, 'finalize', () => this.finalizeStep(input)),
        ),
      },
    })
    this.pool = new VirtualActors<ActorRecord, ResourceContext>({
      logic,
      clock: deps.clock,
      monotonic: deps.monotonic,
      now: deps.now,
      // The object says where to start: Ready for its generation resumes `settled`.
      input: (rec) => ({ key: rec.key, object: rec.object, intervals: deps.intervals }),
      onSnapshot: (rec, state, context, cause) => this.onSnapshot(rec, state, context, cause),
      restFor: (state, context) => (state === 'ready' ? pollDelay(context) : undefined),
      wakeEvent: { type: 'reconcile.requested' },
    })
  }

  get size(): number {
    return this.pool.size
  }

  /** Records with a live XState actor (the rest are at rest). */
  get live(): number {
    return this.pool.live
  }

  views(): IterableIterator<ActorView> {
    return this.pool.views()[Symbol.iterator]()
  }

  view(key: ResourceKey): ActorView | undefined {
    return this.pool.get(keyString(key))?.view
  }

  /** A close look at one actor, by id (`<cluster>/<Kind>/<name>`). */
  detail(id: string): ActorDetail | undefined {
    const rec = this.pool.get(id)
    if (!rec) return undefined
    // XState stamps its timers with the wall clock, so the wake-up is computed against it too.
    if (rec.actor) return describeActor(rec.view, rec.actor, Date.now())
    // At rest there is no machine context: what it will resume from is the object itself.
    const delay = rec.rest?.state === 'settled' ? 'firstPoll' : 'poll'
    return describeResting(rec.view, { object: rec.object }, { delay, event: 'reconcile.requested' }, Date.now())
  }

  /** Start the actor, or hand it the new version of its object. */
  ensure(key: ResourceKey, object: KubeObject): void {
    const rec = this.pool.get(keyString(key))
    if (!rec) {
      this.create(key, object)
      return
    }
    const before = rec.object
    rec.object = object
    // At rest, status chatter only refreshes the record; a spec change or a deletion wakes it.
    const wakes = generationOf(object) !== generationOf(before) || object.metadata.deletionTimestamp !== undefined
    if (rec.actor || wakes) this.pool.activate(rec).send({ type: 'object.updated', object })
  }

  stop(key: ResourceKey): void {
    this.pool.remove(keyString(key), { type: 'object.deleted' })?.writer?.close()
  }

  send(
    key: ResourceKey,
    event: { type: 'dependency.changed'; dependency: string } | { type: 'reconcile.requested' },
  ): boolean {
    return this.pool.send(keyString(key), event)
  }

  stopAll(): void {
    for (const view of this.pool.views()) this.pool.get(view.id)?.writer?.close()
    this.pool.stopAll()
  }

  private create(key: ResourceKey, object: KubeObject): void {
    const view = newView(keyString(key), key.cluster, key.kind, key.name, this.deps.now().toISOString())
    view.parent = this.parentOf(key, object)
    const rec: ActorRecord = { key, view, object }
    const rest = settledOnStart(object)
      ? { state: 'settled', ms: firstPollDelay({ intervals: this.deps.intervals, object, key }) }
      : undefined
    this.pool.add(rec, rest)
  }

  private logOf(rec: ActorRecord): Logger {
    rec.log ??= this.deps.logger.child({
      workspace: rec.key.cluster,
      kind: rec.key.kind,
      name: rec.key.name,
      actor: rec.view.id,
    })
    return rec.log
  }

  private writerOf(rec: ActorRecord): StatusWriter {
    const d = this.deps
    const { key } = rec
    rec.writer ??= new StatusWriter(
      {
        client: d.cluster.workspace(key.cluster),
        type: resourceTypes[key.kind],
        name: key.name,
        current: () => d.store.get(key.cluster, key.kind, key.name),
      },
      d.clock,
      d.now,
      this.logOf(rec),
    )
    return rec.writer
  }

  private onSnapshot(rec: ActorRecord, state: string, c: ResourceContext, cause: string): void {
    const { view } = rec
    // Resumed from rest in `ready`: the machine restarts `settled`, which is the same thing.
    if (state === 'settled' && view.state === 'ready') return
    view.attempts = c.attempts
    view.lastError = c.lastError
    view.waitingFor = c.waitingFor
    view.parent = this.parentOf(c.key, c.object)
    const t = observeState(view, state, cause, this.deps.now().toISOString())
    if (t) {
      this.logOf(rec).debug('transition', { from: t.from, to: t.to, event: cause })
      this.deps.onTransition(view, t)
      this.tellStory(rec, state, c)
    }
    const projected = projectStatus(state, c)
    if (projected) this.writerOf(rec).write(projected)
  }

  /** Where the actor sits in the tree: under what it depends on (a Secret is not an actor). */
  private parentOf(key: ResourceKey, object: KubeObject): string | undefined {
    const dep = dependenciesOf(key.kind, object, this.deps.settings.credentialsNamespace).find(
      (r) => r.kind !== 'Secret',
    )
    return dep && keyString({ cluster: key.cluster, kind: dep.kind as CodeKind, name: dep.name })
  }

  /** One reconcile or finalize: waits for a slot, then runs `step`, timed and reported. */
  private run<T extends ReconcileOutcome | FinalizeOutcome>(
    key: ResourceKey,
    operation: Operation,
    step: () => Promise<T>,
  ): Promise<T> {
    const d = this.deps
    const rec = this.pool.get(keyString(key))
    const running = { operation, since: d.now().toISOString(), queued: true }
    if (rec) rec.view.running = running
    return d.concurrency.run(async () => {
      running.queued = false
      const started = d.monotonic()
      let result: ReconcileReport['result'] = 'error'
      let reason: string | undefined
      try {
        const out = await step()
        result = 'result' in out && out.result === 'waiting' ? 'waiting' : 'ok'
        return out
      } catch (e) {
        reason = (e as Partial<ReconcileFailure>).reason
        throw e
      } finally {
        const durationMs = d.monotonic() - started
        const outcome = { operation, result, durationMs, ...(reason ? { reason } : {}) }
        if (rec) {
          if (rec.view.running === running) rec.view.running = undefined
          rec.view.lastRun = { ...outcome, at: d.now().toISOString() }
          this.logOf(rec).debug(`${operation} finished`, outcome)
        }
        d.observer.onReconcile({ cluster: key.cluster, kind: key.kind, ...outcome })
      }
    })
  }

  /** Kubernetes Events for `kubectl describe`: what changed on the host, and why things fail. */
  private tellStory(rec: ActorRecord, state: string, c: ResourceContext): void {
    const object = this.deps.store.get(c.key.cluster, c.key.kind, c.key.name) ?? c.object
    const record = (type: 'Normal' | 'Warning', reason: string, message: string) =>
      this.deps.cluster.recordEvent(c.key.cluster, object, { type, reason, message }).catch((e) => {
        this.logOf(rec).debug('could not record event', { error: (e as Error).message })
      })
    if ((state === 'ready' || state === 'finalized') && c.changed) {
      this.logOf(rec).info(c.changed.message, { reason: c.changed.reason })
      void record('Normal', c.changed.reason, c.changed.message)
      rec.lastWarning = undefined
    }
    if (warningStates.has(state) && c.lastError) {
      const warning = `${c.lastError.reason}: ${c.lastError.message}`
      if (warning !== rec.lastWarning) {
        rec.lastWarning = warning
        this.logOf(rec).warn(c.lastError.message, { reason: c.lastError.reason, state })
        void record('Warning', c.lastError.reason, c.lastError.message)
      }
    }
  }

  private context(key: ResourceKey): ReconcileContext {
    const d = this.deps
    const rec = this.pool.get(keyString(key))
    return {
      cluster: key.cluster,
      client: d.cluster.workspace(key.cluster),
      store: d.store,
      backend: d.backend,
      credentials: d.credentials,
      settings: d.settings,
      now: d.now,
      onResponse: (r) => {
        if (rec) rec.view.lastResponse = responseView(r, d.now().toISOString())
      },
    }
  }

  private async reconcileStep({ key, object }: ReconcileInput): Promise<ReconcileOutcome> {
    const r = reconcilers[key.kind]!
    const ctx = this.context(key)
    try {
      const withFinalizer = await ensureFinalizer(ctx.client, resourceTypes[key.kind], object, r.finalizer)
      return await r.reconcile(withFinalizer, ctx)
    } catch (e) {
      if (e instanceof Waiting) return { result: 'waiting', waitingFor: e.waitingFor }
      throw toFailure(e, key.kind === 'Connection')
    }
  }

  private async finalizeStep({ key, object }: ReconcileInput): Promise<FinalizeOutcome> {
    const r = reconcilers[key.kind]!
    // Host work happens only after our finalizer is on the object: without it there is nothing to undo.
    if (!object.metadata.finalizers?.includes(r.finalizer)) return {}
    const ctx = this.context(key)
    try {
      const out = await r.finalize(object, ctx)
      await removeFinalizer(ctx.client, resourceTypes[key.kind], object, r.finalizer)
      return out
    } catch (e) {
      if (e instanceof Waiting)
        throw toFailure({ ...e.waitingFor, needsHuman: true, rateLimited: false, reason: 'DependencyNotReady' })
      throw toFailure(e, false)
    }
  }
}
