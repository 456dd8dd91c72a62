// Watch fan-out and the bounded history window. Writes publish synchronously, so a watcher that
// replays history and subscribes in the same tick misses nothing. Subscribers are indexed by
// resource, so one event costs O(watchers of that resource), never O(all watchers × events).
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface StoredEvent {
  rv: number
  type: EventType
  key: string
  cluster: string
  namespace: string
  name: string
  /** The object as stored (DELETED: the last state, with the deletion's resourceVersion). */
  json: string
  /** Parsed lazily and shared by every watcher that needs fields of the object. */
  parsed?: Record<string, unknown>
  /** MODIFIED: the object before, so selector watches see objects enter and leave. */
  previous?: Record<string, unknown>
}

export type Subscriber = (event: StoredEvent) => void

export const parsedObject = (e: StoredEvent): Record<string, unknown> => {
  e.parsed ??= JSON.parse(e.json) as Record<string, unknown>
  return e.parsed
}

export class WatchHub {
  private events: StoredEvent[] = []
  private readonly subscribers = new Map<string, Set<Subscriber>>()
  /** Every event with rv > windowStart is still in the window. */
  private windowStart: number

  constructor(
    startRV: number,
    private readonly windowSize: number,
  ) {
    this.windowStart = startRV
  }

  get oldestRV(): number {
    return this.windowStart
  }

  publish(event: StoredEvent): void {
    this.events.push(event)
    if (this.events.length >= this.windowSize * 2) {
      const drop = this.events.length - this.windowSize
      this.windowStart = this.events[drop - 1]!.rv
      this.events = this.events.slice(drop)
    }
    const subs = this.subscribers.get(event.key)
    if (subs) for (const s of subs) s(event)
  }

  /** Events of `key` after `rv`, or undefined when the window no longer reaches back that far. */
  since(key: string, rv: number): StoredEvent[] | undefined {
    if (rv < this.windowStart) return undefined
    let lo = 0
    let hi = this.events.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.events[mid]!.rv <= rv) lo = mid + 1
      else hi = mid
    }
    const out: StoredEvent[] = []
    for (let i = lo; i < this.events.length; i++) if (this.events[i]!.key === key) out.push(this.events[i]!)
    return out
  }

  subscribe(key: string, fn: Subscriber): () => void {
    const set = this.subscribers.get(key) ?? new Set<Subscriber>()
    this.subscribers.set(key, set)
    set.add(fn)
    return () => {
      set.delete(fn)
    }
  }
}
