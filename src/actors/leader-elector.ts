// Leader election: the effects around src/machines/leader-lease.ts. Every retry period it reads the
// Lease in the provider's own workspace, decides, and writes (create, renew or take over) with the
// resourceVersion it read, so of two replicas writing at once one gets 409 and stays a standby.
// A leader that cannot renew within the renew deadline gives up (`lost`): that comes before any
// standby can see the lease expire, so two leaders never act at once. `stop()` releases the lease
// so a standby takes over at its next look. Timers and clocks are injected.
import type { KubeObject } from '../apis/meta.ts'
import { isClusterError, resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import {
  type Decision,
  decide,
  type LeaseSpec,
  leaseSpecFor,
  microTime,
  type Observation,
  observe,
  releasedSpec,
  renewDeadlinePassed,
} from '../machines/leader-lease.ts'
import type { ComponentReporter } from '../status-board.ts'
import { type HostTimers, realTimers } from './clock.ts'

export interface LeaderElectionTimings {
  /** How long a lease is good for without a renewal (whole seconds: the Lease stores seconds). */
  leaseDurationMs: number
  /** A leader that has not renewed for this long stops; shorter than the lease duration. */
  renewDeadlineMs: number
  /** Time between attempts (standbys add up to 1.2× of it as jitter, as client-go does). */
  retryPeriodMs: number
}

export interface LeaderElectorOptions extends LeaderElectionTimings {
  /** The provider's own workspace (ProviderCluster.providerWorkspace). */
  client: WorkspaceClient
  name: string
  namespace: string
  /** Who we are in holderIdentity: unique per process (see electionIdentity). */
  identity: string
  logger: Logger
  /** Told about every look at the lease (/debug's component list). */
  reporter?: ComponentReporter
  timers?: HostTimers
  /** Wall clock for the Lease's MicroTime stamps. */
  now?: () => Date
  random?: () => number
}

export type LeaderState = 'starting' | 'standby' | 'leader' | 'lost' | 'stopped'

export interface LeaderStatus {
  identity: string
  /** `<namespace>/<name>` in `workspace`. */
  lease: string
  workspace: string
  state: LeaderState
  /** Who holds the lease as last seen (this process when leading). */
  holder?: string
  /** When this process became leader. */
  leaderSince?: string
  /** This process's last successful renewal (leader) or look at the lease (standby). */
  lastRenew?: string
  transitions?: number
  lastError?: { at: string; message: string }
}

export interface LeaderElector {
  start(): void
  /** Resolves once this process holds the lease (never, when stopped first). */
  readonly leading: Promise<void>
  /** Resolves, with why, when this process led and can no longer be sure it does: stop acting at once. */
  readonly lost: Promise<string>
  isLeader(): boolean
  status(): LeaderStatus
  /** Stop trying; a leader hands the lease over (bounded by the renew deadline). */
  stop(): Promise<void>
}

type Lease = KubeObject<LeaseSpec>

/** holderIdentity for this process: the host name (the pod's name) and a random suffix, as controller-runtime does. */
export const electionIdentity = (hostname: string, random = crypto.randomUUID()) => `${hostname}_${random.slice(0, 8)}`

export function createLeaderElector(o: LeaderElectorOptions): LeaderElector {
  const timers = o.timers ?? realTimers
  const wallNow = o.now ?? (() => new Date())
  const random = o.random ?? Math.random
  const leaseName = `${o.namespace}/${o.name}`
  const log = o.logger.child({ component: 'leader-election', lease: leaseName, identity: o.identity })
  const stamp = () => microTime(wallNow().toISOString())
  const leaseDurationSeconds = Math.ceil(o.leaseDurationMs / 1000)

  const status: LeaderStatus = {
    identity: o.identity,
    lease: leaseName,
    workspace: o.client.cluster,
    state: 'starting',
  }
  let observed: Observation | undefined
  let lastRenew = 0
  let tick: unknown
  let deadline: unknown
  let inFlight: Promise<void> | undefined
  let done = false
  let failures = 0
  let becameLeader!: () => void
  let gaveUp!: (why: string) => void
  const leading = new Promise<void>((r) => {
    becameLeader = r
  })
  const lost = new Promise<string>((r) => {
    gaveUp = r
  })

  const report = () => {
    const t = status.transitions ?? 0
    const detail =
      status.state === 'leader'
        ? `leading as ${o.identity} since ${status.leaderSince}; ${t} transitions`
        : `standing by: ${status.holder} leads; this is ${o.identity}; ${t} transitions`
    o.reporter?.ok(detail)
  }

  function lose(why: string): void {
    if (done || status.state !== 'leader') return
    done = true
    status.state = 'lost'
    timers.clearTimeout(tick)
    timers.clearTimeout(deadline)
    log.error('leader election lost: stop reconciling now', { reason: why, holder: status.holder })
    o.reporter?.failed(new Error(`lost the lease: ${why}`), 'stopped reconciling')
    gaveUp(why)
  }

  /** Fires renewDeadline after the last renewal began, unless a renewal moves it on first. */
  function armDeadline(): void {
    timers.clearTimeout(deadline)
    const check = () => {
      const now = timers.now()
      if (renewDeadlinePassed(lastRenew, now, o.renewDeadlineMs)) {
        lose(`no renewal within the renew deadline (${o.renewDeadlineMs} ms)`)
      } else deadline = timers.setTimeout(check, lastRenew + o.renewDeadlineMs - now)
    }
    deadline = timers.setTimeout(check, Math.max(0, lastRenew + o.renewDeadlineMs - timers.now()))
  }

  function held(decision: Exclude<Decision, { action: 'standby' }>, written: Lease, startedAt: number): void {
    observed = observe(observed, written.spec, timers.now())
    // The write landed after we sent the read: counting from the send keeps the deadline on the safe side.
    lastRenew = startedAt
    status.holder = o.identity
    status.transitions = written.spec.leaseTransitions ?? 0
    status.lastRenew = wallNow().toISOString()
    if (status.state !== 'leader') {
      status.state = 'leader'
      status.leaderSince = status.lastRenew
      log.info('leader election: leading', {
        action: decision.action,
        ...(decision.action === 'acquire'
          ? { because: decision.because, previousHolder: decision.previousHolder }
          : {}),
        transitions: status.transitions,
      })
      becameLeader()
    }
    armDeadline()
    report()
  }

  function standby(holder: string, transitions: number): void {
    const changed = status.state !== 'standby' || status.holder !== holder
    status.state = 'standby'
    status.holder = holder
    status.transitions = transitions
    status.lastRenew = wallNow().toISOString()
    if (changed) log.info('leader election: standing by', { leader: holder })
    report()
  }

  async function attempt(): Promise<void> {
    const startedAt = timers.now()
    const current = await o.client.get<Lease>(resourceTypes.Lease, o.name, o.namespace)
    if (done) return
    observed = observe(observed, current?.spec, timers.now())
    const decision = decide({ identity: o.identity, observed, now: timers.now(), leaseDurationMs: o.leaseDurationMs })
    if (status.state === 'leader' && decision.action !== 'renew') {
      status.holder = current?.spec.holderIdentity ?? ''
      return lose(`the lease changed hands (holder now "${status.holder}")`)
    }
    if (decision.action === 'standby') return standby(decision.holder, current?.spec.leaseTransitions ?? 0)
    const spec = leaseSpecFor({
      decision,
      previous: current?.spec,
      identity: o.identity,
      leaseDurationSeconds,
      stamp: stamp(),
    })
    const written = current
      ? await o.client.update<Lease>(resourceTypes.Lease, { ...current, spec })
      : await o.client.create<Lease>(resourceTypes.Lease, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: o.name, namespace: o.namespace },
          spec,
        })
    if (done) return
    held(decision, written, startedAt)
  }

  function failed(e: unknown): void {
    if (done) return
    // 409: another replica wrote first (both read the same resourceVersion). It leads; we look again.
    if (isClusterError(e, 'conflict') || isClusterError(e, 'already-exists')) {
      log.debug('leader election: another replica wrote the lease first', { error: (e as Error).message })
      return
    }
    failures++
    const message = (e as Error).message ?? String(e)
    status.lastError = { at: wallNow().toISOString(), message }
    if (failures === 1) log.warn('leader election: cannot reach the lease', { error: message })
    o.reporter?.failed(e, status.state === 'leader' ? 'renewal failed; retrying' : 'retrying')
  }

  function run(): void {
    tick = undefined
    inFlight = attempt()
      .then(() => {
        if (failures > 0 && !done) log.info('leader election: the lease is reachable again', { failures })
        failures = 0
      }, failed)
      .finally(() => {
        inFlight = undefined
        if (done) return
        const jitter = status.state === 'leader' ? 0 : random() * 1.2 * o.retryPeriodMs
        tick = timers.setTimeout(run, o.retryPeriodMs + jitter)
      })
  }

  async function release(): Promise<void> {
    const current = await o.client.get<Lease>(resourceTypes.Lease, o.name, o.namespace)
    if (current?.spec.holderIdentity !== o.identity) return
    await o.client.update<Lease>(resourceTypes.Lease, { ...current, spec: releasedSpec(current.spec, stamp()) })
    log.info('leader election: released the lease')
  }

  return {
    start() {
      if (done || tick !== undefined || inFlight) return
      log.info('leader election: starting', {
        workspace: o.client.cluster,
        leaseDurationMs: o.leaseDurationMs,
        renewDeadlineMs: o.renewDeadlineMs,
        retryPeriodMs: o.retryPeriodMs,
      })
      run()
    },
    leading,
    lost,
    isLeader: () => status.state === 'leader',
    status: () => structuredClone(status),
    async stop() {
      if (done) return
      done = true
      timers.clearTimeout(tick)
      timers.clearTimeout(deadline)
      const wasLeader = status.state === 'leader'
      // Not leading from here on: the caller stopped acting before it stopped us.
      status.state = 'stopped'
      // Bounded: a shutdown never hangs on an unreachable API server (the lease then simply expires).
      // A standby looks too: a write of its own may have landed as it stopped.
      let timeout: unknown
      const waited = new Promise<void>((r) => {
        timeout = timers.setTimeout(r, o.renewDeadlineMs)
      })
      const handOver = (async () => {
        await inFlight
        await release()
      })().catch((e: Error) => log.warn('leader election: could not release the lease', { error: e.message }))
      await Promise.race([handOver, waited])
      timers.clearTimeout(timeout)
      o.reporter?.stopped(wasLeader ? 'released the lease' : 'stopped')
    },
  }
}
