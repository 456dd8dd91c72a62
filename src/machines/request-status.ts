// A request's status, projected from its machine: phase, times, the Ready condition (reasons
// Pending, Running, Succeeded, Failed) with a message that says what happened or what to do,
// and the kind's result fields once it succeeded.
import { ConditionType, Reason, type RequestPhase } from '../apis/v1alpha1/conditions.ts'
import type { RequestContext } from './request.machine.ts'
import type { ProjectedCondition, ProjectedStatus } from './status.ts'

export interface RequestTimes {
  startedAt?: string
  completedAt?: string
}

const MAX_MESSAGE = 4096

const cond = (type: string, ok: boolean, reason: string, message: string, g: number): ProjectedCondition => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
  observedGeneration: g,
})

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`)

/** The failure, then what to do about it: requests run once, so the answer ends in "create a new one". */
export function failureMessage(c: RequestContext): string {
  const f = c.failure
  if (!f) return `${c.key.kind} failed.`
  const what = sentence(`${f.reason}: ${f.message}`)
  if (f.needsHuman) return `${what} Requests run once: fix this, then create a new ${c.key.kind}.`
  if (f.rateLimited) return `${what} Create a new ${c.key.kind} once the limit has lifted.`
  return `${what} Gave up after ${c.attempts} attempts; create a new ${c.key.kind} to try again.`
}

/** What the object should say in this state; undefined leaves it as it is. */
export function projectRequestStatus(
  state: string,
  c: RequestContext,
  times: RequestTimes,
): ProjectedStatus | undefined {
  const g = c.object.metadata.generation ?? 1
  const kind = c.key.kind
  const project = (phase: RequestPhase, conditions: ProjectedCondition[], fields: Record<string, unknown> = {}) => ({
    observedGeneration: g,
    conditions,
    fields: {
      phase,
      ...(times.startedAt ? { startedAt: times.startedAt } : {}),
      ...(times.completedAt ? { completedAt: times.completedAt } : {}),
      ...fields,
    },
  })
  switch (state) {
    case 'waiting': {
      const why = c.waitingFor?.message ?? 'waiting for the Repository'
      return project('Pending', [
        cond(ConditionType.Ready, false, Reason.Pending, `Waiting: ${why}`, g),
        cond(ConditionType.DependencyNotReady, true, Reason.DependencyNotReady, why, g),
      ])
    }
    case 'running':
      return project('Running', [
        cond(
          ConditionType.Ready,
          false,
          Reason.Running,
          c.attempts === 0
            ? `${kind} is running.`
            : `${kind} is running (attempt ${c.attempts + 1} of ${c.settings.maxAttempts}).`,
          g,
        ),
      ])
    case 'retrying': {
      const e = c.lastError!
      const conditions = [
        cond(
          ConditionType.Ready,
          false,
          Reason.Running,
          `Attempt ${c.attempts} of ${c.settings.maxAttempts} failed (${e.reason}: ${e.message}); trying again.`,
          g,
        ),
      ]
      if (e.rateLimited) conditions.push(cond(ConditionType.RateLimited, true, Reason.RateLimited, e.message, g))
      return project('Running', conditions)
    }
    case 'succeeded':
      return project(
        'Succeeded',
        [cond(ConditionType.Ready, true, Reason.Succeeded, c.result?.message ?? `${kind} succeeded.`, g)],
        c.result?.status ?? {},
      )
    case 'failed':
      return project('Failed', [cond(ConditionType.Ready, false, Reason.Failed, failureMessage(c), g)])
    default:
      return undefined
  }
}
