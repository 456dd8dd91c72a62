// One one-shot request (RepositoryCommit, RepositoryCheckout, RepositoryBuildStatus), from
// arrival to a final phase:
//
//   pending ┬ checking ─▶ running ─▶ succeeded
//           └ waiting ◀──┘  │  ▲
//     (dependency.changed)  ▼  │ (retry, a bounded number of times)
//                        retrying
//   pending too long, or a failure a person must fix, or retries used up ─▶ failed
//
// Pure: `prepare` (is the Repository ready? from the informer cache) and `run` (the host work)
// are named actors the runtime provides. Status is projected from the snapshot (request-status.ts).
import { and, assign, fromPromise, setup } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { DependencyWait, ReconcileFailure } from './events.ts'
import { backoffDelay, jittered } from './timing.ts'

export const requestKinds = ['RepositoryCommit', 'RepositoryCheckout', 'RepositoryBuildStatus'] as const
export type RequestKind = (typeof requestKinds)[number]

export const isRequestKind = (kind: string): kind is RequestKind => (requestKinds as readonly string[]).includes(kind)

/** Succeeded and Failed are final: such a request never gets an actor again. */
export function isTerminal(request: KubeObject | undefined): boolean {
  const phase = (request?.status as { phase?: string } | undefined)?.phase
  return phase === 'Succeeded' || phase === 'Failed'
}

export interface RequestKey {
  cluster: string
  kind: RequestKind
  name: string
}

export interface RequestSettings {
  /** Tries of the host work for failures that pass (5xx, rate limits) before Failed. */
  maxAttempts: number
  backoffBaseMs: number
  backoffMaxMs: number
  /** A rate limit that lifts later than this fails the request now (the agent can come back). */
  maxRetryAfterMs: number
  /** How long a request waits for its Repository to become Ready. */
  dependencyTimeoutMs: number
  /** Safety net while waiting (wake-ups are event-driven). */
  waitingRetryMs: number
}

export const defaultRequestSettings: RequestSettings = {
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  maxRetryAfterMs: 300_000,
  dependencyTimeoutMs: 600_000,
  waitingRetryMs: 60_000,
}

export type PrepareOutcome = { result: 'ready' } | { result: 'waiting'; waitingFor: DependencyWait }

export type RunOutcome =
  | {
      result: 'succeeded'
      /** Kind-specific status fields (branch, commitSHA, bundleRef, run, ...). */
      status: Record<string, unknown>
      /** What happened, for the Ready condition and the Event. */
      message: string
    }
  | { result: 'waiting'; waitingFor: DependencyWait }

export interface RequestStepInput {
  key: RequestKey
  object: KubeObject
  attempt: number
}

export interface RequestInput {
  key: RequestKey
  object: KubeObject
  settings: RequestSettings
}

export interface RequestContext extends RequestInput {
  attempts: number
  /** The Repository changed while a step ran: what it saw may be out of date. */
  dependencyChanged: boolean
  waitingFor?: DependencyWait
  lastError?: ReconcileFailure
  /** Why it failed (set on the way to failed). */
  failure?: ReconcileFailure
  result?: Extract<RunOutcome, { result: 'succeeded' }>
}

export type RequestEvent =
  | { type: 'object.updated'; object: KubeObject }
  /** The Repository (or its Connection) changed: check again. */
  | { type: 'dependency.changed'; dependency: string }

const asFailure = (error: unknown): ReconcileFailure =>
  error && typeof error === 'object' && 'needsHuman' in error
    ? (error as ReconcileFailure)
    : {
        reason: 'TransientError',
        message: String((error as Error)?.message ?? error),
        needsHuman: false,
        rateLimited: false,
      }

const uidOf = (c: RequestContext) => c.object.metadata.uid ?? c.key.name

const errorOf = (event: unknown) => asFailure((event as { error?: unknown }).error)

export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    events: {} as RequestEvent,
    input: {} as RequestInput,
  },
  actors: {
    prepare: fromPromise<PrepareOutcome, RequestStepInput>(async () => {
      throw new Error('prepare is provided by the runtime')
    }),
    run: fromPromise<RunOutcome, RequestStepInput>(async () => {
      throw new Error('run is provided by the runtime')
    }),
  },
  guards: {
    waiting: ({ event }) => (event as { output?: { result: string } }).output?.result === 'waiting',
    dependencyChanged: ({ context }) => context.dependencyChanged,
    /** It may pass by itself, and there are tries left (a long rate limit does not count as passing). */
    retryable: ({ context, event }) => {
      const f = errorOf(event)
      if (f.needsHuman || context.attempts + 1 >= context.settings.maxAttempts) return false
      return !f.rateLimited || (f.retryAfterMs ?? 0) <= context.settings.maxRetryAfterMs
    },
  },
  delays: {
    retry: ({ context }) => {
      const e = context.lastError
      if (e?.rateLimited && e.retryAfterMs !== undefined) {
        return jittered(e.retryAfterMs, 0.05, `${uidOf(context)}#${context.attempts}`) + 500
      }
      return backoffDelay(
        context.attempts,
        { baseMs: context.settings.backoffBaseMs, maxMs: context.settings.backoffMaxMs },
        uidOf(context),
      )
    },
    waitingRetry: ({ context }) => context.settings.waitingRetryMs,
    dependencyTimeout: ({ context }) => context.settings.dependencyTimeoutMs,
  },
  actions: {
    startStep: assign({ dependencyChanged: false }),
    noteDependencyChange: assign({ dependencyChanged: true }),
    keepObject: assign({
      object: ({ context, event }) => (event.type === 'object.updated' ? event.object : context.object),
    }),
    wait: assign({
      waitingFor: ({ event }) => (event as unknown as { output: { waitingFor: DependencyWait } }).output.waitingFor,
    }),
    succeed: assign({
      result: ({ event }) => (event as unknown as { output: Extract<RunOutcome, { result: 'succeeded' }> }).output,
      waitingFor: undefined,
      lastError: undefined,
    }),
    retryLater: assign(({ context, event }) => ({ attempts: context.attempts + 1, lastError: errorOf(event) })),
    fail: assign(({ context, event }) => {
      const f = errorOf(event)
      return { attempts: context.attempts + 1, lastError: f, failure: f }
    }),
    timeOut: assign(({ context }) => ({
      failure: {
        reason: 'DependencyNotReady',
        message: `${context.waitingFor?.message ?? 'the Repository is not ready'} (waited ${Math.round(context.settings.dependencyTimeoutMs / 1000)} s)`,
        needsHuman: true,
        rateLimited: false,
      } satisfies ReconcileFailure,
    })),
  },
}).createMachine({
  id: 'request',
  context: ({ input }) => ({ ...input, attempts: 0, dependencyChanged: false }),
  on: { 'object.updated': { actions: 'keepObject' } },
  initial: 'pending',
  states: {
    pending: {
      after: { dependencyTimeout: { target: 'failed', actions: 'timeOut' } },
      initial: 'checking',
      states: {
        checking: {
          entry: 'startStep',
          invoke: {
            src: 'prepare',
            input: ({ context }) => ({ key: context.key, object: context.object, attempt: context.attempts + 1 }),
            onDone: [
              // The wake-up it waits for may have come while it looked: look again rather than miss it.
              { guard: and(['waiting', 'dependencyChanged']), target: 'checking', reenter: true, actions: 'wait' },
              { guard: 'waiting', target: 'waiting', actions: 'wait' },
              { target: '#request.running' },
            ],
            onError: { target: '#request.failed', actions: 'fail' },
          },
          on: { 'dependency.changed': { actions: 'noteDependencyChange' } },
        },
        waiting: {
          after: { waitingRetry: 'checking' },
          on: { 'dependency.changed': 'checking' },
        },
      },
    },
    running: {
      entry: 'startStep',
      invoke: {
        src: 'run',
        input: ({ context }) => ({ key: context.key, object: context.object, attempt: context.attempts + 1 }),
        onDone: [
          { guard: and(['waiting', 'dependencyChanged']), target: '#request.pending.checking', actions: 'wait' },
          { guard: 'waiting', target: '#request.pending.waiting', actions: 'wait' },
          { target: 'succeeded', actions: 'succeed' },
        ],
        onError: [
          { guard: 'retryable', target: 'retrying', actions: 'retryLater' },
          { target: 'failed', actions: 'fail' },
        ],
      },
      on: { 'dependency.changed': { actions: 'noteDependencyChange' } },
    },
    retrying: { after: { retry: 'running' } },
    succeeded: { type: 'final' },
    failed: { type: 'final' },
  },
})

/** The leaf state's name: `waiting` for `{ pending: 'waiting' }`. */
export function requestState(value: unknown): string {
  if (typeof value === 'string') return value
  const [parent, child] = Object.entries(value as Record<string, unknown>)[0] ?? ['', '']
  return child === undefined ? parent : requestState(child)
}

export type RequestMachine = typeof requestMachine
