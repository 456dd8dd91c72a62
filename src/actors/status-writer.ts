// Writes an actor's projected status to its object: only when it differs from what was last
// written, at most one write in flight per object (the newest projection wins), merge patches
// on the status subresource (no resourceVersion races), retried with backoff on failure.
import type { Condition, KubeObject } from '../apis/meta.ts'
import { isClusterError, type ResourceType, type WorkspaceClient } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import { type ProjectedStatus, statusDiffers, withTransitionTimes } from '../machines/status.ts'

export interface StatusTarget {
  client: WorkspaceClient
  type: ResourceType
  name: string
  /** The object as last seen (for conditions' previous transition times). */
  current: () => KubeObject | undefined
}

interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown
}

export class StatusWriter {
  private lastWritten: Record<string, unknown> | undefined
  private pending: ProjectedStatus | undefined
  private inFlight = false
  private failures = 0
  private closed = false

  constructor(
    private readonly target: StatusTarget,
    private readonly timers: Scheduler,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  /** Ask for `next` to be written (coalesced with anything not yet written). */
  write(next: ProjectedStatus): void {
    if (this.closed) return
    const baseline = this.lastWritten ?? (this.target.current()?.status as Record<string, unknown> | undefined)
    if (!this.pending && !statusDiffers(next, baseline)) return
    this.pending = next
    if (!this.inFlight) void this.flush()
  }

  close(): void {
    this.closed = true
    this.pending = undefined
  }

  /** Nothing waiting to be written (for tests and graceful shutdown). */
  get idle(): boolean {
    return !this.inFlight && !this.pending
  }

  private async flush(): Promise<void> {
    const next = this.pending
    if (!next || this.closed) return
    this.pending = undefined
    this.inFlight = true
    const previous = (this.lastWritten ?? this.target.current()?.status) as { conditions?: Condition[] } | undefined
    const status = {
      ...next.fields,
      observedGeneration: next.observedGeneration,
      conditions: withTransitionTimes(next.conditions, previous?.conditions, this.now().toISOString()),
    }
    try {
      await this.target.client.patch(this.target.type, this.target.name, { status }, { subresource: 'status' })
      this.lastWritten = { ...(this.lastWritten ?? {}), ...stripNulls(status) }
      this.failures = 0
      this.inFlight = false
      if (this.pending) void this.flush()
    } catch (e) {
      this.inFlight = false
      if (isClusterError(e, 'not-found')) return this.close()
      this.failures++
      this.pending ??= next
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6))
      this.log.warn('status write failed; retrying', { error: (e as Error).message, retryInMs: delay })
      this.timers.setTimeout(() => void this.flush(), delay)
    }
  }
}

const stripNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null))
