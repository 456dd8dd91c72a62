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
}

export const MAX_TRANSITIONS = 10

export function recordTransition(view: ActorView, t: Transition): void {
  view.transitions.push(t)
  if (view.transitions.length > MAX_TRANSITIONS) view.transitions.shift()
  view.state = t.to
  view.since = t.at
}

export type TransitionListener = (view: ActorView, transition: Transition) => void
