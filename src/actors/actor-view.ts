// What the runtime knows about each live actor, in a plain, secret-free shape: for /debug, the
// portal's live status, and MCP's get_repository.
import type { ResponseInfo } from '../backend/backend.ts'
import type { DependencyWait, ReconcileFailure } from '../machines/events.ts'

export interface Transition {
  at: string
  from: string
  to: string
  /** The event that caused it (e.g. object.updated, xstate.after.poll, xstate.done.actor...). */
  event: string
}

/** How one run of an actor's work (a reconcile, a finalize, a crawl) ended. */
export interface RunSummary {
  operation: string
  at: string
  durationMs: number
  result: 'ok' | 'waiting' | 'error'
  /** Condition reason of a failure (e.g. RateLimited). */
  reason?: string
}

export interface ActorView {
  /** `<cluster>/<Kind>/<name>`; a workspace actor is `<cluster>`, the system actor `system`. */
  id: string
  cluster: string
  /** A code kind for resource and request actors; `Crawler` for a Repository's package crawler. */
  kind: string
  name: string
  state: string
  /** When the actor entered its current state. */
  since: string
  /** Consecutive failed attempts. */
  attempts: number
  /** The actor it sits under in the tree (a DeployKey's Repository, a Repository's Connection), by id. */
  parent?: string
  lastError?: ReconcileFailure
  waitingFor?: DependencyWait
  /** The last response from the git host for this actor (never a credential). */
  lastResponse?: Pick<ResponseInfo, 'method' | 'route' | 'status' | 'requestId' | 'notModified' | 'gate'> & {
    at: string
  }
  /** At rest with no live actor (a virtual actor): it wakes at nextWakeAt or on an event. */
  dormant?: boolean
  /** When it next looks at the host by itself (dormant records; live ones follow their state's delay). */
  nextWakeAt?: string
  /** Work started and not finished yet: since when, and whether it still waits for a concurrency slot. */
  running?: { operation: string; since: string; queued: boolean }
  lastRun?: RunSummary
  /** Newest last, bounded. */
  transitions: Transition[]
  /** Family-specific facts, e.g. a crawler's package count or a request's phase. */
  detail?: Record<string, string | number | boolean>
}

/** An XState timer the actor is waiting on: which delay (poll, retry, blockedRetry…) and when it fires. */
export interface Wakeup {
  delay: string
  event: string
  at: string
  inMs: number
}

/** One actor looked at closely (GET /debug/actors/<id>). */
export interface ActorDetail extends ActorView {
  /** XState's status of the actor: active, done, error or stopped. */
  status: string
  /** The machine's context, secrets redacted and noise (managedFields) removed. */
  context: unknown
  nextWakeup?: Wakeup
  /** Events queued in the actor's mailbox, not yet processed. */
  mailboxDepth: number
}

export const MAX_TRANSITIONS = 10

export function recordTransition(view: ActorView, t: Transition): void {
  view.transitions.push(t)
  if (view.transitions.length > MAX_TRANSITIONS) view.transitions.shift()
  view.state = t.to
  view.since = t.at
}

/** The part of a host response an actor view keeps (never a credential). */
export const responseView = (r: ResponseInfo, at: string): NonNullable<ActorView['lastResponse']> => ({
  method: r.method,
  route: r.route,
  status: r.status,
  requestId: r.requestId,
  notModified: r.notModified,
  gate: r.gate,
  at,
})

/** Record `state` on the view if it changed; the transition, or undefined when nothing changed. */
export function observeState(view: ActorView, state: string, event: string, at: string): Transition | undefined {
  if (state === view.state) return undefined
  const t = { at, from: view.state, to: state, event }
  recordTransition(view, t)
  return t
}

/** A fresh view of an actor that has just started. */
export const newView = (id: string, cluster: string, kind: string, name: string, at: string): ActorView => ({
  id,
  cluster,
  kind,
  name,
  state: 'starting',
  since: at,
  attempts: 0,
  transitions: [],
})

export type TransitionListener = (view: ActorView, transition: Transition) => void
