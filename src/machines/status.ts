// Status is a projection of the machine: conditions are derived from the state and context,
// never stored as booleans. The runtime writes the projection when it differs from what the
// object already says (see withTransitionTimes), so a steady state writes nothing.
import type { Condition } from '../apis/meta.ts'
import { ConditionType, Reason } from '../apis/v1alpha1/conditions.ts'
import type { ResourceContext } from './resource.machine.ts'

export type ProjectedCondition = Omit<Condition, 'lastTransitionTime'>

export interface ProjectedStatus {
  observedGeneration: number
  conditions: ProjectedCondition[]
  /** Kind-specific status fields (null removes a field). */
  fields: Record<string, unknown>
}

const cond = (type: string, ok: boolean, reason: string, message: string, generation: number): ProjectedCondition => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
  observedGeneration: generation,
})

const failing = new Set(['backoff', 'blocked', 'deletionBackoff', 'deletionBlocked'])
const deletingStates = new Set(['deleting', 'deletionBackoff', 'deletionBlocked'])

/** What the object's status should say in this state; undefined means "leave it as it is". */
export function projectStatus(state: string, c: ResourceContext): ProjectedStatus | undefined {
  const g = c.generation
  const err = failing.has(state) ? c.lastError : undefined
  const firstAttempt = state === 'provisioning' && !c.available && c.attempts === 0 && !c.lastError
  if (!(state === 'ready' || state === 'waiting' || failing.has(state) || state === 'deleting' || firstAttempt)) {
    return undefined
  }
  const readyMessage = String(c.detail.message ?? `${c.key.kind} is available`)
  const conditions: ProjectedCondition[] = []

  // Ready: usable on the host?
  if (deletingStates.has(state)) conditions.push(cond('Ready', false, Reason.Deleting, err?.message ?? 'Deleting', g))
  else if (state === 'waiting')
    conditions.push(cond('Ready', false, Reason.DependencyNotReady, c.waitingFor!.message, g))
  else if (firstAttempt) conditions.push(cond('Ready', false, Reason.Creating, `Creating ${c.key.kind}`, g))
  else if (c.available) conditions.push(cond('Ready', true, Reason.Available, readyMessage, g))
  else conditions.push(cond('Ready', false, err?.reason ?? Reason.Unavailable, err?.message ?? 'Not available', g))

  // Synced: did the last reconcile reach the host and match the spec?
  if (err) conditions.push(cond('Synced', false, Reason.ReconcileError, err.message, g))
  else if (state === 'waiting') conditions.push(cond('Synced', false, Reason.ReconcilePaused, c.waitingFor!.message, g))
  else if (!firstAttempt) conditions.push(cond('Synced', true, Reason.ReconcileSuccess, 'Reconciled', g))

  if (state === 'waiting')
    conditions.push(cond(ConditionType.DependencyNotReady, true, Reason.DependencyNotReady, c.waitingFor!.message, g))
  if (err?.rateLimited) conditions.push(cond(ConditionType.RateLimited, true, Reason.RateLimited, err.message, g))
  conditions.push(...kindConditions(state, c, err?.reason, err?.message))

  return { observedGeneration: g, conditions, fields: state === 'ready' ? c.status : {} }
}

function kindConditions(
  state: string,
  c: ResourceContext,
  errReason?: string,
  errMessage?: string,
): ProjectedCondition[] {
  const g = c.generation
  switch (c.key.kind) {
    case 'Connection':
      if (state === 'ready')
        return [
          cond(ConditionType.Validated, true, Reason.Authenticated, String(c.detail.message ?? 'Authenticated'), g),
        ]
      if (state === 'waiting')
        return [cond(ConditionType.Validated, false, Reason.CredentialUnavailable, c.waitingFor!.message, g)]
      if (errReason && !c.available) return [cond(ConditionType.Validated, false, errReason, errMessage!, g)]
      return []
    case 'Collaborator': {
      const invited = c.detail.state === 'Invited' || c.detail.state === 'Expired'
      if (state !== 'ready' || c.detail.state === undefined) return []
      return [
        invited
          ? cond(
              ConditionType.InvitationPending,
              true,
              c.detail.state === 'Expired' ? Reason.InvitationExpired : Reason.Invited,
              String(c.detail.invitationMessage ?? 'Invitation sent; waiting for the user to accept'),
              g,
            )
          : cond(ConditionType.InvitationPending, false, Reason.Accepted, 'The user has access', g),
      ]
    }
    case 'Repository':
      if (c.detail.packagesUnavailable === undefined) return []
      return [
        c.detail.packagesUnavailable === false
          ? cond(ConditionType.PackagesUnavailable, false, Reason.Available, 'Packages are crawled', g)
          : cond(
              ConditionType.PackagesUnavailable,
              true,
              String(c.detail.packagesReason ?? Reason.MissingScope),
              String(c.detail.packagesMessage ?? 'Packages cannot be listed with this connection'),
              g,
            ),
      ]
    default:
      return []
  }
}

/**
 * Full conditions for the API: a condition keeps its lastTransitionTime while its status stays
 * the same, and gets `now` when it flips (what apimachinery's SetStatusCondition does).
 */
export function withTransitionTimes(
  next: ProjectedCondition[],
  previous: Condition[] | undefined,
  now: string,
): Condition[] {
  return next.map((c) => {
    const before = previous?.find((p) => p.type === c.type)
    return { ...c, lastTransitionTime: before && before.status === c.status ? before.lastTransitionTime : now }
  })
}

/** True when writing `next` would change what the object says (times aside). */
export function statusDiffers(next: ProjectedStatus, current: Record<string, unknown> | undefined): boolean {
  const cur = current ?? {}
  if (cur.observedGeneration !== next.observedGeneration) return true
  const curConds = ((cur.conditions as Condition[] | undefined) ?? []).map(({ lastTransitionTime: _, ...rest }) => rest)
  if (JSON.stringify(sortByType(curConds)) !== JSON.stringify(sortByType(next.conditions))) return true
  return Object.entries(next.fields).some(([k, v]) =>
    v === null ? k in cur : JSON.stringify(cur[k]) !== JSON.stringify(v),
  )
}

const sortByType = <T extends { type: string }>(cs: T[]) =>
  [...cs]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((c) => Object.fromEntries(Object.entries(c).sort(([a], [b]) => a.localeCompare(b))))
