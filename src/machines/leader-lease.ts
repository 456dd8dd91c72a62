// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the
// decisions only (no I/O, time passed in). src/actors/leader-elector.ts performs them.
//
// A lease held by someone else is valid while its record keeps changing: it expires when we have
// seen the same record for leaseDurationSeconds on OUR clock (client-go's observedTime), so clocks
// that disagree between replicas never let a standby steal a lease its holder still renews.

/** The fields of Lease.spec that election reads and writes. */
export interface LeaseSpec {
  holderIdentity?: string
  leaseDurationSeconds?: number
  /** MicroTime (RFC 3339 with microseconds). */
  acquireTime?: string
  renewTime?: string
  leaseTransitions?: number
}

/** What we last saw of the lease, and since when (our clock, ms) it has looked like that. */
export interface Observation {
  spec: LeaseSpec
  since: number
}

export type Decision =
  /** No lease yet: create it, holding it. */
  | { action: 'create' }
  /** Ours: move renewTime on. */
  | { action: 'renew' }
  /** Free (released, or expired): take it over; leaseTransitions goes up by one. */
  | { action: 'acquire'; because: 'released' | 'expired'; previousHolder?: string }
  /** Someone else holds a valid lease: wait. `expiresAt` is on our clock. */
  | { action: 'standby'; holder: string; expiresAt: number }

const sameRecord = (a: LeaseSpec, b: LeaseSpec) =>
  (a.holderIdentity ?? '') === (b.holderIdentity ?? '') &&
  a.renewTime === b.renewTime &&
  a.acquireTime === b.acquireTime &&
  a.leaseDurationSeconds === b.leaseDurationSeconds &&
  (a.leaseTransitions ?? 0) === (b.leaseTransitions ?? 0)

/** The observation after reading the lease at `now`: `since` moves only when the record changed. */
export function observe(previous: Observation | undefined, spec: LeaseSpec | undefined, now: number) {
  if (!spec) return undefined
  if (previous && sameRecord(previous.spec, spec)) return previous
  return { spec, since: now }
}

export interface DecideInput {
  identity: string
  /** undefined: there is no lease. */
  observed: Observation | undefined
  now: number
  /** Ours, used when the record carries none. */
  leaseDurationMs: number
}

export function decide({ identity, observed, now, leaseDurationMs }: DecideInput): Decision {
  if (!observed) return { action: 'create' }
  const holder = observed.spec.holderIdentity ?? ''
  if (holder === identity) return { action: 'renew' }
  if (holder === '') return { action: 'acquire', because: 'released' }
  const durationMs = (observed.spec.leaseDurationSeconds ?? leaseDurationMs / 1000) * 1000
  const expiresAt = observed.since + durationMs
  if (now < expiresAt) return { action: 'standby', holder, expiresAt }
  return { action: 'acquire', because: 'expired', previousHolder: holder }
}

export interface SpecInput {
  decision: Exclude<Decision, { action: 'standby' }>
  previous: LeaseSpec | undefined
  identity: string
  leaseDurationSeconds: number
  /** Now as a MicroTime (see microTime). */
  stamp: string
}

/** The spec to write for a decision. */
export function leaseSpecFor({ decision, previous, identity, leaseDurationSeconds, stamp }: SpecInput): LeaseSpec {
  const held = { holderIdentity: identity, leaseDurationSeconds, renewTime: stamp }
  if (decision.action === 'renew' && previous) {
    return { ...held, acquireTime: previous.acquireTime ?? stamp, leaseTransitions: previous.leaseTransitions ?? 0 }
  }
  const transitions = decision.action === 'acquire' ? (previous?.leaseTransitions ?? 0) + 1 : 0
  return { ...held, acquireTime: stamp, leaseTransitions: transitions }
}

/**
 * What a leader writes as it steps down (client-go's release): no holder, a one-second duration, so
 * a standby takes over at its next look instead of waiting for the lease to expire.
 */
export const releasedSpec = (previous: LeaseSpec, stamp: string): LeaseSpec => ({
  holderIdentity: '',
  leaseDurationSeconds: 1,
  acquireTime: stamp,
  renewTime: stamp,
  leaseTransitions: previous.leaseTransitions ?? 0,
})

/** A leader that has not renewed for the renew deadline must stop acting: the lease may be someone else's soon. */
export const renewDeadlinePassed = (lastRenew: number, now: number, renewDeadlineMs: number) =>
  now - lastRenew >= renewDeadlineMs

/**
 * Kubernetes MicroTime from an ISO timestamp: six fractional digits (Go parses it with
 * RFC3339Micro, which wants exactly six; JavaScript gives three).
 */
export const microTime = (iso: string) => iso.replace(/\.(\d{3})Z$/, '.$1000Z').replace(/:(\d{2})Z$/, ':$1.000000Z')
