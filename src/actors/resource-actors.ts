// The resource actors of every workspace: where the pure resource machine meets the cluster and
// the git host. Each actor's snapshots are projected into its object's status, Kubernetes Events
// and log lines; its reconcile and finalize steps run the kind's reconciler.
import { type AnyActorRef, createActor, fromPromise, type InspectionEvent } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { GitBackend } from '../backend/backend.ts'
import { type ProviderCluster, resourceTypes } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import type { ReconcileOutcome, ResourceIntervals, ResourceKey } from '../machines/events.ts'
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
import { type ActorView, recordTransition, responseView, type TransitionListener } from './actor-view.ts'
import type { CredentialResolver } from './credentials.ts'
import { toFailure, Waiting } from './failures.ts'
import { ensureFinalizer, removeFinalizer } from './finalizers.ts'
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
  /** XState's clock (setTimeout/clearTimeout): the runtime's single-timer queue. */
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }
  now: () => Date
  logger: Logger
  /** Bounds reconciles running at once across all workspaces. */
  concurrency: Semaphore
  onTransition: TransitionListener
}

interface ActorRecord {
  key: ResourceKey
  view: ActorView
  /** The latest version of the object (what a dormant record is woken with). */
  object: KubeObject
  /** Live while set; a dormant record has none and waits for `wake`. */
  actor?: AnyActorRef
  /** Dormant: the deadline of its next look at the host. */
  wake?: { at: number; handle: unknown }
  writer?: StatusWriter
  log?: Logger
  lastWarning?: string
}

const generationOf = (o: KubeObject) => o.metadata.generation ?? 0

/**
 * Virtual actors (as in Orleans): a resource at rest keeps no live XState actor, only its record
 * and one deadline in the runtime clock. It is activated by its next poll, a spec change, a
 * dependency change or a reconcile request, and passivated again once it is back in `ready`.
 * So 100,000 idle resources cost a few KiB each, and a cold start creates no actors at all.
 */
export class ResourceActors {
  private readonly records = new Map<string, ActorRecord>()
  private readonly logic

  constructor(private readonly deps: ResourceActorDeps) {
    this.logic = resourceMachine.provide({
      actors: {
        reconcile: fromPromise<ReconcileOutcome, ReconcileInput>(({ input }) =>
          deps.concurrency.run(() => this.reconcileStep(input)),
        ),
        finalize: fromPromise<FinalizeOutcome, ReconcileInput>(({ input }) =>
          deps.concurrency.run(() => this.finalizeStep(input)),
        ),
      },
    })
  }

  get size(): number {
    return this.records.size
  }

  /** Records with a live XState actor (the rest are dormant). */
  get live(): number {
    let n = 0
    for (const r of this.records.values()) if (r.actor) n++
    return n
  }

  views(): IterableIterator<ActorView> {
    return [...this.records.values()].map((r) => r.view)[Symbol.iterator]()
  }

  view(key: ResourceKey): ActorView | undefined {
    return this.records.get(keyString(key))?.view
  }

  /** Start the actor, or hand it the new version of its object. */
  ensure(key: ResourceKey, object: KubeObject): void {
    const rec = this.records.get(keyString(key))
    if (!rec) {
      this.create(key, object)
      return
    }
    const before = rec.object
    rec.object = object
    if (rec.actor) {
      rec.actor.send({ type: 'object.updated', object })
      return
    }
    // Dormant: status chatter only refreshes the record; a spec change or a deletion wakes it.
    if (generationOf(object) !== generationOf(before) || object.metadata.deletionTimestamp) this.activate(rec)
  }

  stop(key: ResourceKey): void {
    const id = keyString(key)
    const rec = this.records.get(id)
    if (!rec) return
    if (rec.actor) {
      rec.actor.send({ type: 'object.deleted' })
      rec.actor.stop()
    }
    if (rec.wake) this.deps.clock.clearTimeout(rec.wake.handle)
    rec.writer?.close()
    this.records.delete(id)
  }

  send(
    key: ResourceKey,
    event: { type: 'dependency.changed'; dependency: string } | { type: 'reconcile.requested' },
  ): boolean {
    const rec = this.records.get(keyString(key))
    if (!rec) return false
    ;(rec.actor ?? this.activate(rec)).send(event)
    return true
  }

  stopAll(): void {
    for (const rec of this.records.values()) {
      rec.actor?.stop()
      if (rec.wake) this.deps.clock.clearTimeout(rec.wake.handle)
      rec.writer?.close()
    }
    this.records.clear()
  }

  private create(key: ResourceKey, object: KubeObject): void {
    const id = keyString(key)
    const view: ActorView = {
      id,
      cluster: key.cluster,
      kind: key.kind,
      name: key.name,
      state: 'starting',
      since: this.deps.now().toISOString(),
      attempts: 0,
      transitions: [],
    }
    const rec: ActorRecord = { key, view, object }
    this.records.set(id, rec)
    if (settledOnStart(object)) {
      view.state = 'settled'
      this.sleep(rec, firstPollDelay({ intervals: this.deps.intervals, object, key }))
    } else this.activate(rec)
  }

  /** Passivate: no live actor until `ms` from now (or an event). */
  private sleep(rec: ActorRecord, ms: number): void {
    const at = performance.now() + ms
    const handle = this.deps.clock.setTimeout(() => {
      rec.wake = undefined
      this.activate(rec).send({ type: 'reconcile.requested' })
    }, ms)
    rec.wake = { at, handle }
    rec.view.dormant = true
    rec.view.nextWakeAt = new Date(this.deps.now().getTime() + ms).toISOString()
  }

  /** Give the record a live actor, started from its latest object. */
  private activate(rec: ActorRecord): AnyActorRef {
    if (rec.actor) return rec.actor
    if (rec.wake) this.deps.clock.clearTimeout(rec.wake.handle)
    rec.wake = undefined
    rec.view.dormant = false
    rec.view.nextWakeAt = undefined
    const d = this.deps
    let rootSession = ''
    const inspect = (ev: InspectionEvent) => {
      if (ev.type === '@xstate.snapshot' && ev.actorRef.sessionId === rootSession) {
        this.onSnapshot(rec, ev.snapshot as unknown as { value: string; context: ResourceContext }, ev.event.type)
      }
    }
    const actor = createActor(this.logic, {
      input: { key: rec.key, object: rec.object, intervals: d.intervals },
      clock: d.clock,
      inspect,
    })
    rootSession = actor.sessionId
    rec.actor = actor
    actor.start()
    return actor
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

  private onSnapshot(rec: ActorRecord, snapshot: { value: string; context: ResourceContext }, cause: string): void {
    if (this.records.get(rec.view.id) !== rec) return
    const state = String(snapshot.value)
    const c = snapshot.context
    const { view } = rec
    view.attempts = c.attempts
    view.lastError = c.lastError
    view.waitingFor = c.waitingFor
    if (state !== view.state) {
      const t = { at: this.deps.now().toISOString(), from: view.state, to: state, event: cause }
      recordTransition(view, t)
      this.logOf(rec).debug('transition', { from: t.from, to: t.to, event: cause })
      this.deps.onTransition(view, t)
      this.tellStory(rec, state, c)
    }
    const projected = projectStatus(state, c)
    if (projected) this.writerOf(rec).write(projected)
    if (state === 'ready') {
      // At rest until the next poll: drop the live actor (after this snapshot is handled).
      const wait = pollDelay(c)
      queueMicrotask(() => {
        if (rec.actor && String(rec.actor.getSnapshot().value) === 'ready') {
          rec.actor.stop()
          rec.actor = undefined
          this.sleep(rec, wait)
        }
      })
    }
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
