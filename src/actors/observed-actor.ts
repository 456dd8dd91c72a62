// createActor with a callback for every snapshot of the actor itself (its invoked promise actors
// excluded) and the event that caused it: how the runtime projects status and /debug views.
import { type AnyActorLogic, type AnyActorRef, createActor, type InspectionEvent } from 'xstate'

export interface ObservedOptions {
  input: unknown
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }
}

export function createObservedActor<C>(
  logic: AnyActorLogic,
  options: ObservedOptions,
  onSnapshot: (snapshot: { value: unknown; context: C; status: string }, cause: string) => void,
): AnyActorRef {
  let root = ''
  const inspect = (ev: InspectionEvent) => {
    if (ev.type === '@xstate.snapshot' && ev.actorRef.sessionId === root) {
      onSnapshot(ev.snapshot as unknown as { value: unknown; context: C; status: string }, ev.event.type)
    }
  }
  const actor = createActor(logic, { input: options.input, clock: options.clock, inspect })
  root = actor.sessionId
  return actor
}
