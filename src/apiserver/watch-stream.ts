// One watch as a newline-delimited JSON stream: initial state or history replay, then live
// events, bookmarks, and a timeout. A watcher that stops reading is cut off (it relists) rather
// than buffering without bound.
import { statusBody } from './status.ts'
import type { Row } from './store.ts'
import type { StoredEvent, WatchHub } from './watch-hub.ts'

export interface WatchSpec {
  key: string
  /**
   * The event this watch sends for a stored one, or undefined: filters by cluster, namespace and
   * selectors, and turns a MODIFIED into ADDED or DELETED when the object enters or leaves the
   * selection.
   */
  select: (e: StoredEvent) => StoredEvent | undefined
  /** undefined: send the current state first (resourceVersion unset or 0, or sendInitialEvents). */
  sinceRV?: number
  initial?: () => Row[]
  /** Bookmark after the initial state, annotated k8s.io/initial-events-end. */
  initialEventsEnd: boolean
  bookmarks: boolean
  bookmarkIntervalMs: number
  timeoutMs?: number
  /** Renders an event object; the default is the stored JSON. */
  render?: (e: StoredEvent) => string
  bookmarkObject: (rv: number, annotations?: Record<string, string>) => string
  currentRV: () => number
}

const MAX_QUEUED_BYTES = 64 * 1024 * 1024
const encoder = new TextEncoder()
const lineCache = new WeakMap<StoredEvent, Uint8Array>()

function eventLine(e: StoredEvent, render?: (e: StoredEvent) => string): Uint8Array {
  if (render) return encoder.encode(`{"type":"${e.type}","object":${render(e)}}\n`)
  let bytes = lineCache.get(e)
  if (!bytes) {
    bytes = encoder.encode(`{"type":"${e.type}","object":${e.json}}\n`)
    lineCache.set(e, bytes)
  }
  return bytes
}

export function watchStream(hub: WatchHub, spec: WatchSpec, onClose: () => void): ReadableStream<Uint8Array> {
  let cleanup = () => {}
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const timers: ReturnType<typeof setTimeout>[] = []
        let unsubscribe = () => {}
        let closed = false
        cleanup = () => {
          if (closed) return
          closed = true
          unsubscribe()
          for (const t of timers) clearTimeout(t)
          onClose()
        }
        const finish = () => {
          cleanup()
          try {
            controller.close()
          } catch {
            // already closed by the client
          }
        }
        let sentAny = false
        const send = (bytes: Uint8Array) => {
          if (closed) return
          sentAny = true
          controller.enqueue(bytes)
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) finish()
        }
        const raw = (type: string, object: string) => send(encoder.encode(`{"type":"${type}","object":${object}}\n`))

        if (spec.sinceRV === undefined) {
          for (const row of spec.initial?.() ?? []) {
            const e: StoredEvent = {
              rv: row.rv,
              type: 'ADDED',
              key: spec.key,
              cluster: row.cluster,
              namespace: row.namespace,
              name: row.name,
              json: row.json,
            }
            const out = spec.select(e)
            if (out) send(eventLine(out, spec.render))
          }
          if (spec.initialEventsEnd) {
            raw('BOOKMARK', spec.bookmarkObject(spec.currentRV(), { 'k8s.io/initial-events-end': 'true' }))
          }
        } else {
          const history = hub.since(spec.key, spec.sinceRV)
          if (!history) {
            const message = `too old resource version: ${spec.sinceRV} (${hub.oldestRV + 1})`
            raw('ERROR', JSON.stringify(statusBody(410, 'Expired', message)))
            finish()
            return
          }
          for (const e of history) {
            const out = spec.select(e)
            if (out) send(eventLine(out, spec.render))
          }
        }
        // Bun sends response headers with the first non-empty chunk; a quiet watch must still
        // answer at once, and whitespace between JSON values is legal for every client.
        if (!sentAny) send(encoder.encode('\n'))
        // Events are published on commit, and reads see uncommitted rows: an initial state
        // covers every write up to the current revision, and a resourceVersion from a list
        // covers every write up to itself. Later events are exactly those above that.
        const upTo = spec.sinceRV ?? spec.currentRV()
        unsubscribe = hub.subscribe(spec.key, (e) => {
          const out = e.rv > upTo ? spec.select(e) : undefined
          if (out) send(eventLine(out, spec.render))
        })
        if (spec.bookmarks) {
          const tick = () => {
            raw('BOOKMARK', spec.bookmarkObject(spec.currentRV()))
            timers[0] = setTimeout(tick, spec.bookmarkIntervalMs)
          }
          timers[0] = setTimeout(tick, spec.bookmarkIntervalMs)
        }
        if (spec.timeoutMs !== undefined) timers[1] = setTimeout(finish, spec.timeoutMs)
      },
      cancel() {
        cleanup()
      },
    },
    { highWaterMark: 1024 * 1024, size: (chunk) => chunk?.byteLength ?? 0 },
  )
}
