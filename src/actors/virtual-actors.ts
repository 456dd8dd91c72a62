// Virtual actors (as in Orleans): a record exists for every object, but holds a live XState actor
// only while there is work. At rest it keeps its view and one deadline in the runtime clock; its
// next poll, an event or a request activates it again, restarted from the record's current facts
// in the state it rested in. 100,000 idle resources so cost a few KiB each, not a live actor each.
import type { AnyActorLogic, AnyActorRef, EventObject } from 'xstate'
import type { ActorView } from './actor-view.ts'
import { createObservedActor } from './observed-actor.ts'

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(id: unknown): void
}

export interface VirtualRecord {
  view: ActorView
  /** Live while set. */
  actor?: AnyActorRef
  /** Resting: until when (monotonic ms) and in which state. */
  rest?: { state: string; at: number; handle: unknown }
  /** The rest it was last woken from (an event may send it back to the same rest). */
  resumed?: { state: string; at: number }
}

export interface VirtualActorsOptions<R extends VirtualRecord, C> {
  logic: AnyActorLogic
  clock: Clock
  /** Monotonic milliseconds (the clock's own time). */
  monotonic: () => number
  now: () => Date
  /** Machine input to start a record's actor; `resumeIn` is the state it rested in, if any. */
  input: (rec: R, resumeIn: string | undefined) => unknown
  /** Every snapshot of a live actor (its own, not its children's), with the event that caused it. */
  onSnapshot: (rec: R, state: string, context: C, cause: string) => void
  /** After a snapshot: how long the actor may rest with no live actor (undefined: it stays live). */
  restFor: (state: string, context: C) => number | undefined
  /** Sent to a record whose rest ran out. */
  wakeEvent: EventObject
}

export class VirtualActors<R extends VirtualRecord, C> {
  private readonly records = new Map<string, R>()

  constructor(private readonly o: VirtualActorsOptions<R, C>) {}

  get size(): number {
    return this.records.size
  }

  /** Records with a live XState actor. */
  get live(): number {
    let n = 0
    for (const r of this.records.values()) if (r.actor) n++
    return n
  }

  get(id: string): R | undefined {
    return this.records.get(id)
  }

  views(): ActorView[] {
    return [...this.records.values()].map((r) => r.view)
  }

  /** Track a record: resting in `rest.state` for `rest.ms`, or live at once. */
  add(rec: R, rest?: { state: string; ms: number }): void {
    this.records.set(rec.view.id, rec)
    if (rest) {
      rec.view.state = rest.state
      this.sleep(rec, rest.state, rest.ms)
    } else this.activate(rec)
  }

  /** The record's live actor; a resting record is restarted in the state it rested in. */
  activate(rec: R): AnyActorRef {
    if (rec.actor) return rec.actor
    const rest = rec.rest
    if (rest) this.o.clock.clearTimeout(rest.handle)
    rec.rest = undefined
    rec.resumed = rest && { state: rest.state, at: rest.at }
    const resumeIn = rest?.state
    rec.view.dormant = false
    rec.view.nextWakeAt = undefined
    const actor = createObservedActor<C>(
      this.o.logic,
      { input: this.o.input(rec, resumeIn), clock: this.o.clock },
      (s, cause) => this.snapshot(rec, String(s.value), s.context, cause),
    )
    rec.actor = actor
    actor.start()
    return actor
  }

  /** Send an event, waking the record if it rests; false when there is no such record. */
  send(id: string, event: EventObject): boolean {
    const rec = this.records.get(id)
    if (!rec) return false
    this.activate(rec).send(event)
    return true
  }

  remove(id: string, lastEvent?: EventObject): R | undefined {
    const rec = this.records.get(id)
    if (!rec) return undefined
    if (rec.actor) {
      if (lastEvent) rec.actor.send(lastEvent)
      rec.actor.stop()
      rec.actor = undefined
    }
    if (rec.rest) this.o.clock.clearTimeout(rec.rest.handle)
    this.records.delete(id)
    return rec
  }

  stopAll(): void {
    for (const id of [...this.records.keys()]) this.remove(id)
  }

  private snapshot(rec: R, state: string, context: C, cause: string): void {
    if (this.records.get(rec.view.id) !== rec) return
    this.o.onSnapshot(rec, state, context, cause)
    const ms = this.o.restFor(state, context)
    if (ms === undefined) return
    // Rest once this snapshot is handled. Back to the rest an event woke it from: keep that deadline.
    const earlier = rec.resumed?.state === state ? rec.resumed.at : undefined
    queueMicrotask(() => {
      if (!rec.actor || String(rec.actor.getSnapshot().value) !== state || this.records.get(rec.view.id) !== rec) return
      rec.actor.stop()
      rec.actor = undefined
      const now = this.o.monotonic()
      // Only a deadline still ahead counts: a record woken by its own deadline rests a full `ms`.
      const keep = earlier !== undefined && earlier > now && earlier < now + ms
      this.sleep(rec, state, keep ? earlier - now : ms)
    })
  }

  private sleep(rec: R, state: string, ms: number): void {
    const delay = Math.max(0, ms)
    const handle = this.o.clock.setTimeout(() => this.activate(rec).send(this.o.wakeEvent), delay)
    rec.rest = { state, at: this.o.monotonic() + delay, handle }
    rec.view.dormant = true
    rec.view.nextWakeAt = new Date(this.o.now().getTime() + delay).toISOString()
  }
}
