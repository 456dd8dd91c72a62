// Health of the parts that are not actors (the hub heartbeat, the embedded API server, ...), for
// /debug. Each part registers once and reports as it works; /debug lists them and streams changes.
//
//   const heartbeat = board.component('hub-heartbeat', 'POST /heartbeat to the hub every 30 s')
//   heartbeat.ok('accepted by hub')          // after each success
//   heartbeat.failed(error)                  // after each failure (message redacted)
import { redact } from './log.ts'

export type ComponentState = 'starting' | 'ok' | 'failing' | 'stopped'

export interface ComponentStatus {
  name: string
  /** What the component does, in a few words. */
  description?: string
  status: ComponentState
  /** When the status last changed. */
  since: string
  lastSuccess?: string
  lastError?: { at: string; message: string }
  consecutiveFailures: number
  /** A short note about the last report (e.g. "hub answered 200"). */
  detail?: string
}

export interface ComponentReporter {
  ok(detail?: string): void
  failed(error: unknown, detail?: string): void
  stopped(detail?: string): void
}

export class StatusBoard {
  private readonly components = new Map<string, ComponentStatus>()
  private readonly listeners = new Set<(c: ComponentStatus) => void>()

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Register (or re-register) a component; it starts as `starting`. */
  component(name: string, description?: string): ComponentReporter {
    const at = this.now().toISOString()
    this.components.set(name, {
      name,
      ...(description ? { description } : {}),
      status: 'starting',
      since: at,
      consecutiveFailures: 0,
    })
    this.changed(name)
    return {
      ok: (detail) =>
        this.update(name, (c, at) => ({ ...c, status: 'ok', lastSuccess: at, consecutiveFailures: 0, detail })),
      failed: (error, detail) =>
        this.update(name, (c, at) => ({
          ...c,
          status: 'failing',
          lastError: { at, message: String(redact(error instanceof Error ? error.message : String(error))) },
          consecutiveFailures: c.consecutiveFailures + 1,
          detail,
        })),
      stopped: (detail) => this.update(name, (c) => ({ ...c, status: 'stopped', detail })),
    }
  }

  list(): ComponentStatus[] {
    return [...this.components.values()].map((c) => ({ ...c })).sort((a, b) => a.name.localeCompare(b.name))
  }

  /** Called on every report. Returns an unsubscribe function. */
  onChange(listener: (c: ComponentStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private update(name: string, next: (c: ComponentStatus, at: string) => ComponentStatus): void {
    const current = this.components.get(name)
    if (!current) return
    const at = this.now().toISOString()
    const updated = next(current, at)
    if (updated.detail === undefined) delete updated.detail
    if (updated.status !== current.status) updated.since = at
    this.components.set(name, updated)
    this.changed(name)
  }

  private changed(name: string): void {
    const c = this.components.get(name)
    if (!c) return
    for (const l of this.listeners) l({ ...c })
  }
}
