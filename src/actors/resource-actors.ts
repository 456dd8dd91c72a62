// The resource actors of every workspace: where the pure resource machine meets the cluster and
// the git host. Each actor's snapshots are projected into its object's status, Kubernetes Events
// and log lines; its reconcile and finalize steps run the kind's reconciler.
import { type AnyActorRef, createActor, fromPromise, type InspectionEvent } from 'xstate'
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
  type ReconcileInput,
  type ResourceContext,
  resourceMachine,
} from '../machines/resource.machine.ts'
import { projectStatus } from '../machines/status.ts'
import { describeActor } from './actor-inspect.ts'
import { type ActorDetail, type ActorView, newView, observeState, type TransitionListener } from './actor-view.ts'
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
  /** XState's clock (setTimeout/clearTimeout): the runtime's single-timer queue; now() is monotonic ms. */
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void; now(): number }
  now: () => Date
  logger: Logger
  /** Bounds reconciles running at once across all workspaces. */
  concurrency: Semaphore
  onTransition: TransitionListener
  observer: Required<RuntimeObserver>
}

type Operation = ReconcileReport['operation']

interface ActorRecord {
  actor: AnyActorRef
  view: ActorView
  writer: StatusWriter
  log: Logger
  lastWarning?: string
}

export class ResourceActors {
  private readonly records = new Map<string, ActorRecord>()
  private readonly logic

  constructor(private readonly deps: ResourceActorDeps) {
    this.logic = resourceMachine.provide({
      actors: {
        reconcile: fromPromise<ReconcileOutcome, ReconcileInput>(({ input }) =>
          this.run(input.key, 'reconcile', () => this.reconcileStep(input)),
        ),
        finalize: fromPromise<FinalizeOutcome, ReconcileInput>(({ input }) =>
          this.run(input.key, 'finalize', () => this.finalizeStep(input)),
        ),
      },
    })
  }

  get size(): number {
    return this.records.size
  }

  views(): IterableIterator<ActorView> {
    return [...this.records.values()].map((r) => r.view)[Symbol.iterator]()
  }

  view(key: ResourceKey): ActorView | undefined {
    return this.records.get(keyString(key))?.view
  }

  /** A close look at one actor, by id (`<cluster>/<Kind>/<name>`). */
  detail(id: string): ActorDetail | undefined {
    const rec = this.records.get(id)
    // XState stamps its timers with the wall clock, so the wake-up is computed against it too.
    return rec && describeActor(rec.view, rec.actor, Date.now())
  }

  /** Start the actor, or hand it the new version of its object. */
  ensure(key: ResourceKey, object: KubeObject): void {
    const existing = this.records.get(keyString(key))
    if (existing) {
      existing.actor.send({ type: 'object.updated', object })
      return
    }
    this.start(key, object)
  }

  stop(key: ResourceKey): void {
    const id = keyString(key)
    const rec = this.records.get(id)
    if (!rec) return
    rec.actor.send({ type: 'object.deleted' })
    rec.actor.stop()
    rec.writer.close()
    this.records.delete(id)
  }

  send(
    key: ResourceKey,
    event: { type: 'dependency.changed'; dependency: string } | { type: 'reconcile.requested' },
  ): boolean {
    const rec = this.records.get(keyString(key))
    rec?.actor.send(event)
    return rec !== undefined
  }

  stopAll(): void {
    for (const rec of this.records.values()) {
      rec.actor.stop()
      rec.writer.close()
    }
    this.records.clear()
  }

  private start(key: ResourceKey, object: KubeObject): void {
    const id = keyString(key)
    const d = this.deps
    const view = newView(id, key.cluster, key.kind, key.name, d.now().toISOString())
    view.parent = this.parentOf(key, object)
    const log = d.logger.child({ workspace: key.cluster, kind: key.kind, name: key.name, actor: id })
    const writer = new StatusWriter(
      {
        client: d.cluster.workspace(key.cluster),
        type: resourceTypes[key.kind],
        name: key.name,
        current: () => d.store.get(key.cluster, key.kind, key.name),
      },
      d.clock,
      d.now,
      log,
    )
    let rootSession = ''
    const inspect = (ev: InspectionEvent) => {
      if (ev.type === '@xstate.snapshot' && ev.actorRef.sessionId === rootSession) {
        this.onSnapshot(id, ev.snapshot as unknown as { value: string; context: ResourceContext }, ev.event.type)
      }
    }
    const actor = createActor(this.logic, { input: { key, object, intervals: d.intervals }, clock: d.clock, inspect })
    rootSession = actor.sessionId
    this.records.set(id, { actor, view, writer, log })
    actor.start()
  }

  private onSnapshot(id: string, snapshot: { value: string; context: ResourceContext }, cause: string): void {
    const rec = this.records.get(id)
    if (!rec) return
    const state = String(snapshot.value)
    const c = snapshot.context
    const { view } = rec
    view.attempts = c.attempts
    view.lastError = c.lastError
    view.waitingFor = c.waitingFor
    view.parent = this.parentOf(c.key, c.object)
    const t = observeState(view, state, cause, this.deps.now().toISOString())
    if (t) {
      rec.log.debug('transition', { from: t.from, to: t.to, event: cause })
      this.deps.onTransition(view, t)
      this.tellStory(rec, state, c)
    }
    const projected = projectStatus(state, c)
    if (projected) rec.writer.write(projected)
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
    const rec = this.records.get(keyString(key))
    const running = { operation, since: d.now().toISOString(), queued: true }
    if (rec) rec.view.running = running
    return d.concurrency.run(async () => {
      running.queued = false
      const started = d.clock.now()
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
        const durationMs = d.clock.now() - started
        const outcome = { operation, result, durationMs, ...(reason ? { reason } : {}) }
        if (rec) {
          if (rec.view.running === running) rec.view.running = undefined
          rec.view.lastRun = { ...outcome, at: d.now().toISOString() }
          rec.log.debug(`${operation} finished`, outcome)
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
        rec.log.debug('could not record event', { error: (e as Error).message })
      })
    if ((state === 'ready' || state === 'finalized') && c.changed) {
      rec.log.info(c.changed.message, { reason: c.changed.reason })
      void record('Normal', c.changed.reason, c.changed.message)
      rec.lastWarning = undefined
    }
    if (warningStates.has(state) && c.lastError) {
      const warning = `${c.lastError.reason}: ${c.lastError.message}`
      if (warning !== rec.lastWarning) {
        rec.lastWarning = warning
        rec.log.warn(c.lastError.message, { reason: c.lastError.reason, state })
        void record('Warning', c.lastError.reason, c.lastError.message)
      }
    }
  }

  private context(key: ResourceKey): ReconcileContext {
    const d = this.deps
    const rec = this.records.get(keyString(key))
    return {
      cluster: key.cluster,
      client: d.cluster.workspace(key.cluster),
      store: d.store,
      backend: d.backend,
      credentials: d.credentials,
      settings: d.settings,
      now: d.now,
      onResponse: (r) => {
        if (rec)
          rec.view.lastResponse = {
            method: r.method,
            route: r.route,
            status: r.status,
            requestId: r.requestId,
            notModified: r.notModified,
            gate: r.gate,
            at: d.now().toISOString(),
          }
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
