// A close look at a live XState actor for /debug: its status, its context with secrets redacted,
// the timer it waits on and its mailbox. XState keeps delayed events in the actor system's
// snapshot (`_scheduledEvents`, stamped with the wall clock) and the mailbox as a linked list;
// neither is public API, so both are read defensively and degrade to "nothing scheduled" / 0.
import type { AnyActorRef } from 'xstate'
import { redact } from '../log.ts'
import type { ActorDetail, ActorView, Wakeup } from './actor-view.ts'

interface ScheduledEvent {
  source: unknown
  event: { type: string }
  delay: number
  startedAt: number
}

const AFTER = 'xstate.after.'

/** The earliest timer `ref` scheduled for itself. `now` is the wall clock XState stamped it with. */
export function nextWakeup(ref: AnyActorRef, now: number): Wakeup | undefined {
  const system = ref.system as { getSnapshot?: () => { _scheduledEvents?: Record<string, ScheduledEvent> } }
  const scheduled = Object.values(system.getSnapshot?.()._scheduledEvents ?? {}).filter((e) => e.source === ref)
  const first = scheduled.sort((a, b) => a.startedAt + a.delay - (b.startedAt + b.delay))[0]
  if (!first) return undefined
  const type = first.event.type
  // `xstate.after.<delay>.<state node id>`: the delay's name says why (poll, retry, blockedRetry…).
  const delay = type.startsWith(AFTER) ? type.slice(AFTER.length).split('.')[0]! : type
  const due = first.startedAt + first.delay
  return { delay, event: type, at: new Date(due).toISOString(), inMs: Math.max(0, due - now) }
}

/** Events waiting in the actor's mailbox. XState processes synchronously, so this is 0 between events. */
export function mailboxDepth(ref: AnyActorRef): number {
  type Item = { next: Item | null } | null
  let item = (ref as unknown as { mailbox?: { _current?: Item } }).mailbox?._current ?? null
  let n = 0
  for (; item; item = item.next) n++
  return n
}

/** Context as operators may see it: no managedFields, no last-applied blobs, secrets redacted. */
export function sanitizeContext(context: unknown): unknown {
  return redact(
    JSON.parse(
      JSON.stringify(context ?? null, (key, value) =>
        key === 'managedFields' || key === 'kubectl.kubernetes.io/last-applied-configuration' ? undefined : value,
      ),
    ),
  )
}

export function describeActor(view: ActorView, ref: AnyActorRef, now: number): ActorDetail {
  const snapshot = ref.getSnapshot() as { status: string; context?: unknown }
  const wakeup = nextWakeup(ref, now)
  return {
    ...view,
    transitions: [...view.transitions],
    status: snapshot.status,
    context: sanitizeContext(snapshot.context),
    ...(wakeup ? { nextWakeup: wakeup } : {}),
    mailboxDepth: mailboxDepth(ref),
  }
}

/** A virtual actor at rest: no machine, only its record, and the timer that will wake it. */
export function describeResting(
  view: ActorView,
  context: unknown,
  wakeup: Pick<Wakeup, 'delay' | 'event'>,
  now: number,
): ActorDetail {
  const at = view.nextWakeAt
  return {
    ...view,
    transitions: [...view.transitions],
    status: 'resting',
    context: sanitizeContext(context),
    ...(at ? { nextWakeup: { ...wakeup, at, inMs: Math.max(0, Date.parse(at) - now) } } : {}),
    mailboxDepth: 0,
  }
}
