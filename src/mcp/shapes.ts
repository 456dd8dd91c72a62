// Shared output pieces: conditions, readiness in one sentence, and the live actor state. Outputs
// carry names, spec and status only: never Secret data, never a credential.
import { z } from 'zod'
import type { ActorView } from '../actors/actor-view.ts'
import type { Condition, KubeObject } from '../apis/meta.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'

export const ConditionOut = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string().optional(),
})

export const ActorOut = z
  .object({
    state: z.string().describe('Machine state: pending, provisioning, ready, waiting, backoff, blocked, deleting...'),
    since: z.string(),
    attempts: z.number().int(),
    lastError: z.object({ reason: z.string(), message: z.string(), retryAt: z.string().optional() }).optional(),
    waitingFor: z.object({ kind: z.string(), name: z.string(), message: z.string() }).optional(),
  })
  .describe('Live state of the actor reconciling the object (from the provider, not the stored status).')

export const Created = z.object({
  name: z.string(),
  kind: z.string(),
  created: z.boolean(),
  message: z.string().describe('What happens next, and which tool shows it.'),
  warnings: z.array(z.string()).optional(),
})

export const Deleted = z.object({
  name: z.string(),
  kind: z.string(),
  deleted: z.boolean(),
  message: z.string(),
})

export const conditionsOf = (o: KubeObject | undefined): Condition[] =>
  ((o?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[]

export const conditionOf = (o: KubeObject | undefined, type: string) => conditionsOf(o).find((c) => c.type === type)

export const isReady = (o: KubeObject | undefined) => conditionOf(o, 'Ready')?.status === 'True'

export const isDeleting = (o: KubeObject) => o.metadata.deletionTimestamp !== undefined

/** Why an object is (not) ready, in one sentence taken from its own status. */
export function readinessMessage(o: KubeObject): string {
  if (isDeleting(o)) return 'being deleted'
  const ready = conditionOf(o, 'Ready')
  if (!ready) return 'not reconciled yet'
  return ready.message || ready.reason
}

export const conditionsOut = (o: KubeObject) =>
  conditionsOf(o).map(({ type, status, reason, message, lastTransitionTime }) => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime,
  }))

const hhmm = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`

/** When a rate-limited actor tries again (its state began `retryAfterMs` before the retry). */
export const retryAt = (v: ActorView) =>
  v.lastError?.retryAfterMs === undefined ? undefined : new Date(Date.parse(v.since) + v.lastError.retryAfterMs)

export function actorOut(v: ActorView | undefined): z.input<typeof ActorOut> | undefined {
  if (!v) return undefined
  const at = retryAt(v)
  return {
    state: v.state,
    since: v.since,
    attempts: v.attempts,
    ...(v.lastError
      ? {
          lastError: {
            reason: v.lastError.reason,
            message: v.lastError.message,
            ...(at ? { retryAt: at.toISOString() } : {}),
          },
        }
      : {}),
    ...(v.waitingFor
      ? { waitingFor: { kind: v.waitingFor.kind, name: v.waitingFor.name, message: v.waitingFor.message } }
      : {}),
  }
}

/** A rate-limit or permission problem said plainly, e.g. "GitHub rate limit for this connection; retry after 12:03 UTC". */
export function actorProblem(v: ActorView | undefined): string | undefined {
  const e = v?.lastError
  if (!v || !e) return undefined
  if (e.rateLimited) {
    const at = retryAt(v)
    return `GitHub rate limit for this connection; retry after ${at ? hhmm(at) : 'a minute'}`
  }
  if (e.reason === 'Forbidden' || e.reason === 'MissingScope' || e.reason === 'Unauthorized') {
    return `permission problem on GitHub (${e.reason}): ${e.message}`
  }
  return undefined
}

export const codeObject = (
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: Partial<KubeObject['metadata']> = {},
): KubeObject<Record<string, unknown>> => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { ...metadata, name },
  spec,
})

/** Drop undefined values so objects validate and merge patches do not send nulls by accident. */
export const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
