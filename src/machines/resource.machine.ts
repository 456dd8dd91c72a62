// The lifecycle of one reconciled object (Connection, Repository, DeployKey, Collaborator):
//
//   starting ─▶ provisioning ─▶ ready ──(poll)──▶ provisioning
//                 │  │   │                 ▲
//                 │  │   └─▶ waiting ──────┤ (dependency.changed)
//                 │  └─▶ backoff ──(delay)─┤
//                 └─▶ blocked ──(slow)─────┘ (spec, dependency or credential change)
//   any ─(deletionTimestamp)─▶ deleting ─▶ gone
//                               └▶ deletionBackoff / deletionBlocked ─▶ deleting
//
// Pure: the reconcile and finalize steps are named actors the runtime provides. Status and
// Kubernetes Events are projected from the snapshot by the runtime (see status.ts).
import { and, assign, fromPromise, setup } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type {
  DependencyWait,
  HostChange,
  ReconcileFailure,
  ReconcileOutcome,
  ResourceEvent,
  ResourceIntervals,
  ResourceKey,
} from './events.ts'
import { backoffDelay, jittered, spreadDelay } from './timing.ts'

export interface ReconcileInput {
  key: ResourceKey
  object: KubeObject
  attempt: number
}

export interface FinalizeOutcome {
  changed?: HostChange
}

export interface ResourceContext {
  key: ResourceKey
  object: KubeObject
  intervals: ResourceIntervals
  /** Generation the current or last reconcile acted on. */
  generation: number
  /** A dependency changed while the current reconcile ran: what it saw may be out of date. */
  dependencyChanged: boolean
  /** Consecutive failed reconciles (drives backoff). */
  attempts: number
  /** The resource has been usable on the host since it was last created or adopted. */
  available: boolean
  lastError?: ReconcileFailure
  waitingFor?: DependencyWait
  /** Status fields and facts from the last successful reconcile. */
  status: Record<string, unknown>
  detail: Record<string, string | boolean | number>
  nextCheckMs?: number
  /** What the last reconcile or finalize changed on the host (for a Kubernetes Event). */
  changed?: HostChange
}

export interface ResourceInput {
  key: ResourceKey
  object: KubeObject
  intervals: ResourceIntervals
}

const generationOf = (o: KubeObject) => o.metadata.generation ?? 0
const isDeleting = (o: KubeObject) => o.metadata.deletionTimestamp !== undefined
const uidOf = (c: ResourceContext) => c.object.metadata.uid ?? c.key.name

/** The object says it is Ready for its current generation: no need to touch the host at start. */
export function settledOnStart(o: KubeObject): boolean {
  const status = (o.status ?? {}) as { observedGeneration?: number; conditions?: { type: string; status: string }[] }
  const ready = status.conditions?.find((c) => c.type === 'Ready')
  return (
    ready?.status === 'True' &&
    status.observedGeneration === generationOf(o) &&
    (o.metadata.finalizers?.length ?? 0) > 0
  )
}

/** When a ready resource looks at the host again (the drift poll, or sooner for pending work). */
export const pollDelay = (c: Pick<ResourceContext, 'nextCheckMs' | 'intervals' | 'generation' | 'object' | 'key'>) =>
  jittered(c.nextCheckMs ?? c.intervals.driftMs, 0.05, `${c.object.metadata.uid ?? c.key.name}#${c.generation}`)

/** When a resource found Ready at start-up first looks at the host: spread over the drift interval. */
export const firstPollDelay = (c: Pick<ResourceContext, 'intervals' | 'object' | 'key'>) =>
  spreadDelay(c.intervals.driftMs, c.object.metadata.uid ?? c.key.name)

const asFailure = (error: unknown): ReconcileFailure =>
  error && typeof error === 'object' && 'needsHuman' in error
    ? (error as ReconcileFailure)
    : {
        reason: 'TransientError',
        message: String((error as Error)?.message ?? error),
        needsHuman: false,
        rateLimited: false,
      }

// Settled, ready and waiting react alike: a deletion, a new spec, a dependency or a request
// sends the resource back to work.
const atRest = {
  'object.updated': [
    { guard: 'deletionRequestedBy', target: 'deleting', actions: 'keepObject' },
    { guard: 'specChanged', target: 'provisioning', actions: 'keepObject' },
    { actions: 'keepObject' },
  ],
  'dependency.changed': 'provisioning',
  'reconcile.requested': 'provisioning',
} as const

export const resourceMachine = setup({
  types: {
    context: {} as ResourceContext,
    events: {} as ResourceEvent,
    input: {} as ResourceInput,
  },
  actors: {
    reconcile: fromPromise<ReconcileOutcome, ReconcileInput>(async () => {
      throw new Error('reconcile is provided by the runtime')
    }),
    finalize: fromPromise<FinalizeOutcome, ReconcileInput>(async () => {
      throw new Error('finalize is provided by the runtime')
    }),
  },
  guards: {
    deletionRequested: ({ context }) => isDeleting(context.object),
    settledOnStart: ({ context }) => settledOnStart(context.object),
    specChanged: ({ context, event }) =>
      event.type === 'object.updated' && generationOf(event.object) !== context.generation,
    deletionRequestedBy: ({ event }) => event.type === 'object.updated' && isDeleting(event.object),
    /** The spec moved on, or a dependency changed, while the last reconcile ran. */
    stale: ({ context }) => generationOf(context.object) !== context.generation || context.dependencyChanged,
    waiting: ({ event }) => (event as { output?: ReconcileOutcome }).output?.result === 'waiting',
    needsHuman: ({ event }) => asFailure((event as { error?: unknown }).error).needsHuman,
  },
  delays: {
    firstPoll: ({ context }) => firstPollDelay(context),
    poll: ({ context }) => pollDelay(context),
    retry: ({ context }) =>
      context.lastError?.rateLimited && context.lastError.retryAfterMs !== undefined
        ? jittered(context.lastError.retryAfterMs, 0.05, `${uidOf(context)}#${context.attempts}`) + 1000
        : backoffDelay(
            context.attempts,
            { baseMs: context.intervals.backoffBaseMs, maxMs: context.intervals.backoffMaxMs },
            uidOf(context),
          ),
    blockedRetry: ({ context }) =>
      jittered(context.intervals.blockedRetryMs, 0.05, `${uidOf(context)}#${context.attempts}`),
    waitingRetry: ({ context }) => context.intervals.waitingRetryMs,
  },
  actions: {
    keepObject: assign({
      object: ({ context, event }) => (event.type === 'object.updated' ? event.object : context.object),
    }),
    startAttempt: assign({
      generation: ({ context }) => generationOf(context.object),
      dependencyChanged: false,
      changed: undefined,
    }),
    noteDependencyChange: assign({ dependencyChanged: true }),
    succeed: assign(({ event }) => {
      const out = (event as unknown as { output: Extract<ReconcileOutcome, { result: 'ready' }> }).output
      return {
        attempts: 0,
        available: true,
        lastError: undefined,
        waitingFor: undefined,
        status: out.status,
        detail: out.detail ?? {},
        nextCheckMs: out.nextCheckMs,
        changed: out.changed,
      }
    }),
    wait: assign(({ event }) => {
      const out = (event as unknown as { output: Extract<ReconcileOutcome, { result: 'waiting' }> }).output
      return { attempts: 0, lastError: undefined, waitingFor: out.waitingFor }
    }),
    fail: assign(({ context, event }) => {
      const failure = asFailure((event as { error?: unknown }).error)
      return {
        attempts: context.attempts + 1,
        lastError: failure,
        available: context.available && !failure.unavailable,
      }
    }),
    finalized: assign(({ event }) => ({
      lastError: undefined,
      changed: (event as unknown as { output: FinalizeOutcome }).output.changed,
    })),
    resetAttempts: assign({ attempts: 0 }),
  },
}).createMachine({
  id: 'resource',
  context: ({ input }) => ({
    key: input.key,
    object: input.object,
    intervals: input.intervals,
    generation: generationOf(input.object),
    dependencyChanged: false,
    attempts: 0,
    available: settledOnStart(input.object),
    status: {},
    detail: {},
  }),
  on: {
    'object.deleted': '.gone',
  },
  initial: 'starting',
  states: {
    starting: {
      always: [
        { guard: 'deletionRequested', target: 'deleting' },
        { guard: 'settledOnStart', target: 'settled' },
        { target: 'provisioning' },
      ],
    },
    /** Ready as found at start: first observation spread over the drift interval. */
    settled: {
      after: { firstPoll: 'provisioning' },
      on: atRest,
    },
    provisioning: {
      entry: 'startAttempt',
      invoke: {
        src: 'reconcile',
        input: ({ context }) => ({ key: context.key, object: context.object, attempt: context.attempts + 1 }),
        onDone: [
          { guard: 'deletionRequested', target: 'deleting' },
          { guard: and(['waiting', 'stale']), target: 'provisioning', reenter: true, actions: 'wait' },
          { guard: 'waiting', target: 'waiting', actions: 'wait' },
          { guard: 'stale', target: 'provisioning', reenter: true, actions: 'succeed' },
          { target: 'ready', actions: 'succeed' },
        ],
        onError: [
          { guard: 'deletionRequested', target: 'deleting', actions: 'fail' },
          { guard: 'stale', target: 'provisioning', reenter: true, actions: 'fail' },
          { guard: 'needsHuman', target: 'blocked', actions: 'fail' },
          { target: 'backoff', actions: 'fail' },
        ],
      },
      // The host call in flight is not interrupted: its outcome decides (see the guards above).
      // A dependency that changes meanwhile (a Secret written just after its Connection) is not
      // lost: the reconcile runs again right after, instead of waiting for a wake-up already past.
      on: {
        'object.updated': { actions: 'keepObject' },
        'dependency.changed': { actions: 'noteDependencyChange' },
      },
    },
    ready: {
      after: { poll: 'provisioning' },
      on: atRest,
    },
    waiting: {
      after: { waitingRetry: 'provisioning' },
      on: atRest,
    },
    backoff: {
      after: { retry: 'provisioning' },
      on: {
        'object.updated': [
          { guard: 'deletionRequestedBy', target: 'deleting', actions: 'keepObject' },
          { guard: 'specChanged', target: 'provisioning', actions: ['keepObject', 'resetAttempts'] },
          { actions: 'keepObject' },
        ],
        'reconcile.requested': { target: 'provisioning', actions: 'resetAttempts' },
      },
    },
    blocked: {
      after: { blockedRetry: 'provisioning' },
      on: {
        'object.updated': [
          { guard: 'deletionRequestedBy', target: 'deleting', actions: 'keepObject' },
          { guard: 'specChanged', target: 'provisioning', actions: ['keepObject', 'resetAttempts'] },
          { actions: 'keepObject' },
        ],
        'dependency.changed': { target: 'provisioning', actions: 'resetAttempts' },
        'reconcile.requested': { target: 'provisioning', actions: 'resetAttempts' },
      },
    },
    deleting: {
      invoke: {
        src: 'finalize',
        input: ({ context }) => ({ key: context.key, object: context.object, attempt: context.attempts + 1 }),
        onDone: { target: 'finalized', actions: 'finalized' },
        onError: [
          { guard: 'needsHuman', target: 'deletionBlocked', actions: 'fail' },
          { target: 'deletionBackoff', actions: 'fail' },
        ],
      },
      on: { 'object.updated': { actions: 'keepObject' } },
    },
    deletionBackoff: {
      after: { retry: 'deleting' },
      on: { 'object.updated': { actions: 'keepObject' }, 'reconcile.requested': 'deleting' },
    },
    deletionBlocked: {
      after: { blockedRetry: 'deleting' },
      on: {
        'object.updated': { actions: 'keepObject' },
        'dependency.changed': { target: 'deleting', actions: 'resetAttempts' },
        'reconcile.requested': { target: 'deleting', actions: 'resetAttempts' },
      },
    },
    /** Host work done and finalizer released; waiting for the API to drop the object. */
    finalized: {
      on: { 'object.updated': { actions: 'keepObject' } },
    },
    gone: { type: 'final' },
  },
})

export type ResourceMachine = typeof resourceMachine
