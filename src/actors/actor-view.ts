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

export interface ActorView {
  /** `<cluster>/<Kind>/<name>` */
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
  /** Newest last, bounded. */
  transitions: Transition[]
  /** Family-specific facts, e.g. a crawler's package count or a request's phase. */
  detail?: Record<string, string | number | boolean>
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
