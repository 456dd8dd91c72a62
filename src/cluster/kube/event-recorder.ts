// Kubernetes Events about our objects, so `kubectl describe` tells the story. Like client-go's
// recorder, repeats of the same (object, type, reason, message) bump `count` on one Event
// instead of creating new ones. Best effort: failures are reported to onError, never thrown.
import { createHash } from 'node:crypto'
import type { KubeObject } from '../../apis/meta.ts'
import { isClusterError, type RecordedEvent, resourceTypes, type WorkspaceClient } from '../cluster.ts'

const NAMESPACE = 'default'
const MAX_REMEMBERED = 4096

export interface EventRecorderOptions {
  component: string
  now: () => Date
  onError?: (e: unknown) => void
}

const timestamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`

export class EventRecorder {
  /** Event name → count last written, so a repeat is one PATCH. */
  private readonly counts = new Map<string, number>()

  constructor(private readonly o: EventRecorderOptions) {}

  async record(client: WorkspaceClient, regarding: KubeObject, event: RecordedEvent): Promise<void> {
    const m = regarding.metadata
    const digest = createHash('sha256')
      .update(
        [regarding.kind, m.namespace ?? '', m.name, m.uid ?? '', event.type, event.reason, event.message].join('\0'),
      )
      .digest('hex')
      .slice(0, 16)
    const name = `${m.name}.${digest}`
    const now = timestamp(this.o.now())
    try {
      const known = this.counts.get(name)
      if (known !== undefined) {
        try {
          await this.bump(client, name, known + 1, now)
          return
        } catch (e) {
          if (!isClusterError(e, 'not-found')) throw e
        }
      }
      try {
        await client.create(resourceTypes.Event, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: NAMESPACE },
          involvedObject: {
            apiVersion: regarding.apiVersion,
            kind: regarding.kind,
            name: m.name,
            ...(m.namespace ? { namespace: m.namespace } : {}),
            uid: m.uid,
            resourceVersion: m.resourceVersion,
          },
          type: event.type,
          reason: event.reason,
          message: event.message,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
          source: { component: this.o.component },
          reportingComponent: this.o.component,
        } as unknown as KubeObject)
        this.remember(name, 1)
      } catch (e) {
        if (!isClusterError(e, 'already-exists')) throw e
        const current = await client.get<KubeObject & { count?: number }>(resourceTypes.Event, name, NAMESPACE)
        await this.bump(client, name, (current?.count ?? 1) + 1, now)
      }
    } catch (e) {
      this.o.onError?.(e)
    }
  }

  private async bump(client: WorkspaceClient, name: string, count: number, now: string): Promise<void> {
    await client.patch(resourceTypes.Event, name, { count, lastTimestamp: now }, { namespace: NAMESPACE })
    this.remember(name, count)
  }

  private remember(name: string, count: number): void {
    this.counts.delete(name)
    this.counts.set(name, count)
    if (this.counts.size > MAX_REMEMBERED) this.counts.delete(this.counts.keys().next().value!)
  }
}
