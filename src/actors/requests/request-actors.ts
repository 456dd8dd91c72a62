// The request actors: one per RepositoryCommit, RepositoryCheckout or RepositoryBuildStatus that
// has not finished. Each runs the pure request machine; its snapshots become the object's status
// (through a StatusWriter), a Normal or Warning Event when it finishes, and log lines. When the
// final phase shows up in the informer, the workspace stops the actor and the kind's clean-up runs.
import { type AnyActorRef, fromPromise } from 'xstate'
import type { KubeObject } from '../../apis/meta.ts'
import type { GitBackend } from '../../backend/backend.ts'
import type { BundleStore } from '../../bundles/bundle-store.ts'
import { type ProviderCluster, resourceTypes } from '../../cluster/cluster.ts'
import type { Logger } from '../../log.ts'
import {
  type PrepareOutcome,
  type RequestContext,
  type RequestKey,
  type RequestSettings,
  type RequestStepInput,
  type RunOutcome,
  requestMachine,
  requestState,
} from '../../machines/request.machine.ts'
import { failureMessage, projectRequestStatus } from '../../machines/request-status.ts'
import { type ActorView, newView, recordTransition, responseView, type TransitionListener } from '../actor-view.ts'
import type { CredentialResolver } from '../credentials.ts'
import { createObservedActor } from '../observed-actor.ts'
import type { Semaphore } from '../semaphore.ts'
import { StatusWriter } from '../status-writer.ts'
import type { ObjectStore } from '../store.ts'
import { buildStatusHandler } from './build-status.ts'
import { checkoutHandler } from './checkout.ts'
import { commitHandler } from './commit.ts'
import { prepare, type RequestHandler, type RequestRunContext, runStep } from './context.ts'

const handlers: Record<RequestKey['kind'], RequestHandler> = {
  RepositoryCommit: commitHandler as unknown as RequestHandler,
  RepositoryCheckout: checkoutHandler as unknown as RequestHandler,
  RepositoryBuildStatus: buildStatusHandler as unknown as RequestHandler,
}

type Clock = { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }

export interface RequestActorDeps {
  cluster: ProviderCluster
  backend: GitBackend
  store: ObjectStore
  credentials: CredentialResolver
  bundles?: BundleStore
  settings: RequestSettings
  /** How long a commit waits for its staged bundle to become visible (default 30 s). */
  bundleWaitMs: number
  clock: Clock
  now: () => Date
  logger: Logger
  /** Bounds requests running at once across all workspaces. */
  concurrency: Semaphore
  onTransition: TransitionListener
}

interface RequestRecord {
  key: RequestKey
  actor: AnyActorRef
  view: ActorView
  writer: StatusWriter
  log: Logger
  object: KubeObject
  startedAt: Date
  completedAt?: Date
  final?: 'Succeeded' | 'Failed'
}

const idOf = (k: RequestKey) => `${k.cluster}/${k.kind}/${k.name}`

export class RequestActors {
  private readonly records = new Map<string, RequestRecord>()
  private readonly logic

  constructor(private readonly deps: RequestActorDeps) {
    this.logic = requestMachine.provide({
      actors: {
        prepare: fromPromise<PrepareOutcome, RequestStepInput>(async ({ input }) =>
          prepare({ cluster: input.key.cluster, store: deps.store }, input.object),
        ),
        run: fromPromise<RunOutcome, RequestStepInput>(({ input }) =>
          deps.concurrency.run(() => runStep(handlers[input.key.kind], input.object, this.context(input.key))),
        ),
      },
    })
  }

  get size(): number {
    return this.records.size
  }

  views(): ActorView[] {
    return [...this.records.values()].map((r) => r.view)
  }

  view(key: RequestKey): ActorView | undefined {
    return this.records.get(idOf(key))?.view
  }

  /** Start the request's actor, or hand it the new version of its object. */
  ensure(key: RequestKey, object: KubeObject): void {
    const rec = this.records.get(idOf(key))
    if (rec && rec.object.metadata.uid === object.metadata.uid) {
      rec.object = object
      rec.actor.send({ type: 'object.updated', object })
      return
    }
    if (rec) this.drop(rec)
    this.start(key, object)
  }

  /** The request finished (its final phase is in the API) or is gone: clean up after it. */
  stop(key: RequestKey): void {
    const rec = this.records.get(idOf(key))
    if (!rec) return
    this.drop(rec)
    const finished = handlers[key.kind].finished
    if (rec.final && finished) {
      finished(rec.object, this.context(key), rec.final).catch((e) => {
        rec.log.warn('clean-up after the request failed', { error: (e as Error).message })
      })
    }
  }

  send(key: RequestKey, event: { type: 'dependency.changed'; dependency: string }): boolean {
    const rec = this.records.get(idOf(key))
    rec?.actor.send(event)
    return rec !== undefined
  }

  stopAll(): void {
    for (const rec of this.records.values()) this.drop(rec)
  }

  private drop(rec: RequestRecord): void {
    rec.actor.stop()
    rec.writer.close()
    this.records.delete(idOf(rec.key))
  }

  private start(key: RequestKey, object: KubeObject): void {
    const d = this.deps
    const id = idOf(key)
    const started = (object.status as { startedAt?: string } | undefined)?.startedAt
    const startedAt = started ? new Date(started) : d.now()
    const view = newView(id, key.cluster, key.kind, key.name, d.now().toISOString())
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
    const actor = createObservedActor<RequestContext>(
      this.logic,
      { input: { key, object, settings: d.settings }, clock: d.clock },
      (snapshot, cause) => this.onSnapshot(id, requestState(snapshot.value), snapshot.context, cause),
    )
    this.records.set(id, { key, actor, view, writer, log, object, startedAt })
    actor.start()
  }

  private context(key: RequestKey): RequestRunContext {
    const d = this.deps
    const rec = this.records.get(idOf(key))
    return {
      cluster: key.cluster,
      store: d.store,
      backend: d.backend,
      credentials: d.credentials,
      ...(d.bundles ? { bundles: d.bundles } : {}),
      now: d.now,
      sleep: (ms) => new Promise((resolve) => d.clock.setTimeout(() => resolve(), ms)),
      startedAt: rec?.startedAt ?? d.now(),
      bundleWaitMs: d.bundleWaitMs,
      onResponse: (r) => {
        if (rec) rec.view.lastResponse = responseView(r, d.now().toISOString())
      },
    }
  }

  private onSnapshot(id: string, state: string, c: RequestContext, cause: string): void {
    const rec = this.records.get(id)
    if (!rec) return
    const { view } = rec
    view.attempts = c.attempts
    view.lastError = c.lastError
    view.waitingFor = state === 'waiting' ? c.waitingFor : undefined
    const final = state === 'succeeded' ? 'Succeeded' : state === 'failed' ? 'Failed' : undefined
    if (final && !rec.final) {
      rec.final = final
      rec.completedAt = this.deps.now()
    }
    const projected = projectRequestStatus(state, c, {
      startedAt: rec.startedAt.toISOString(),
      ...(rec.completedAt ? { completedAt: rec.completedAt.toISOString() } : {}),
    })
    if (projected) {
      view.detail = { phase: String(projected.fields.phase) }
      rec.writer.write(projected)
    }
    if (state === view.state) return
    const t = { at: this.deps.now().toISOString(), from: view.state, to: state, event: cause }
    recordTransition(view, t)
    rec.log.debug('transition', { from: t.from, to: t.to, event: cause })
    this.deps.onTransition(view, t)
    if (final) this.tellStory(rec, c, final)
  }

  private tellStory(rec: RequestRecord, c: RequestContext, final: 'Succeeded' | 'Failed'): void {
    const message = final === 'Succeeded' ? (c.result?.message ?? `${c.key.kind} succeeded`) : failureMessage(c)
    if (final === 'Succeeded') rec.log.info(message)
    else rec.log.warn(message, { reason: c.failure?.reason })
    this.deps.cluster
      .recordEvent(c.key.cluster, rec.object, {
        type: final === 'Succeeded' ? 'Normal' : 'Warning',
        reason: final,
        message,
      })
      .catch((e) => rec.log.debug('could not record event', { error: (e as Error).message }))
  }
}
