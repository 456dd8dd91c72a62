// Leader election against the real embedded API server: several electors on one Lease in the
// provider workspace, with real time and short durations (lease 1 s, renew deadline 600 ms, retry
// 100 ms). The client between an elector and the server can be cut or made to hang (a partition),
// and its reads can be held at a barrier so that electors write from the same resourceVersion.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.ts'
import { eventually } from '../../test/support/fake-timers.ts'
import type { KubeObject } from '../apis/meta.ts'
import { ClusterError, isClusterError, resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'
import { loadConnection } from '../cluster/kube/connection.ts'
import { workspaceAt } from '../cluster/kube/workspace-client.ts'
import { silentLogger } from '../log.ts'
import type { LeaseSpec } from '../machines/leader-lease.ts'
import { createLeaderElector, type LeaderElectionTimings, type LeaderElector } from './leader-elector.ts'

let api: TestApiServer
let workspace: WorkspaceClient
let leaseNumber = 0
const fast: LeaderElectionTimings = { leaseDurationMs: 1_000, renewDeadlineMs: 600, retryPeriodMs: 100 }

beforeAll(async () => {
  api = await startTestApiServer()
  workspace = workspaceAt(await loadConnection({ path: api.kubeconfigs.provider }), api.workspacePath)
})
afterAll(() => api?.stop())

/** The client an elector uses, with a switch for a partition and a barrier for reads. */
class Link implements WorkspaceClient {
  mode: 'up' | 'down' | 'hang' = 'up'
  /** 409s the server answered through this link. */
  conflicts = 0
  readonly cluster = workspace.cluster
  constructor(private readonly barrier?: Barrier) {}
  private async via<T>(call: () => Promise<T>): Promise<T> {
    if (this.mode === 'hang') return new Promise<T>(() => {})
    if (this.mode === 'down') throw new ClusterError('unavailable', 'connection refused (test partition)')
    try {
      return await call()
    } catch (e) {
      if (isClusterError(e, 'conflict') || isClusterError(e, 'already-exists')) this.conflicts++
      throw e
    }
  }
  get = <T extends KubeObject>(...a: Parameters<WorkspaceClient['get']>) =>
    this.via(async () => {
      const lease = await workspace.get<T>(...a)
      await this.barrier?.arrive(lease as KubeObject<LeaseSpec> | undefined)
      return lease
    })
  list = <T extends KubeObject>(...a: Parameters<WorkspaceClient['list']>) => this.via(() => workspace.list<T>(...a))
  create = <T extends KubeObject>(type: Parameters<WorkspaceClient['create']>[0], obj: T) =>
    this.via(() => workspace.create(type, obj))
  update = <T extends KubeObject>(type: Parameters<WorkspaceClient['update']>[0], obj: T) =>
    this.via(() => workspace.update(type, obj))
  updateStatus = <T extends KubeObject>(type: Parameters<WorkspaceClient['updateStatus']>[0], obj: T) =>
    this.via(() => workspace.updateStatus(type, obj))
  patch = <T extends KubeObject>(...a: Parameters<WorkspaceClient['patch']>) => this.via(() => workspace.patch<T>(...a))
  delete = (...a: Parameters<WorkspaceClient['delete']>) => this.via(() => workspace.delete(...a))
}

/**
 * Holds the next `n` reads that see the lease as `when` says until all `n` have their answer, so
 * their writes race from one resourceVersion.
 */
class Barrier {
  private waiting: (() => void)[] = []
  private armed = 0
  private when: (lease: KubeObject<LeaseSpec> | undefined) => boolean = () => true
  arm(n: number, when: (lease: KubeObject<LeaseSpec> | undefined) => boolean) {
    this.armed = n
    this.when = when
  }
  arrive(lease: KubeObject<LeaseSpec> | undefined): Promise<void> {
    if (this.armed === 0 || !this.when(lease)) return Promise.resolve()
    const held = new Promise<void>((r) => this.waiting.push(r))
    if (this.waiting.length === this.armed) {
      this.armed = 0
      for (const release of this.waiting.splice(0)) release()
    }
    return held
  }
}

interface Elector {
  id: string
  elector: LeaderElector
  link: Link
}

let running: Elector[] = []
/** What happened, in order: `<id> leads`, `<id> lost`. */
let events: string[] = []
/** Sampled every few ms while electors run: the most that led at one moment. */
let mostLeadersAtOnce = 0
let sampler: ReturnType<typeof setInterval> | undefined

function electors(n: number, timings = fast, barrier?: Barrier): Elector[] {
  const name = `lease-${++leaseNumber}`
  const made = Array.from({ length: n }, (_, i) => {
    const id = `replica-${i}`
    const link = new Link(barrier)
    const elector = createLeaderElector({
      client: link,
      name,
      namespace: 'default',
      identity: id,
      ...timings,
      logger: silentLogger,
    })
    elector.leading.then(() => events.push(`${id} leads`))
    elector.lost.then(() => events.push(`${id} lost`))
    return { id, elector, link }
  })
  running.push(...made)
  sampler ??= setInterval(() => {
    mostLeadersAtOnce = Math.max(mostLeadersAtOnce, running.filter((e) => e.elector.isLeader()).length)
  }, 2)
  return made
}

const lease = async (name: string) => workspace.get<KubeObject<LeaseSpec>>(resourceTypes.Lease, name, 'default')
const leaseName = () => `lease-${leaseNumber}`
const leaders = (es: Elector[]) => es.filter((e) => e.elector.isLeader())
const theLeader = (es: Elector[]) =>
  eventually(() => (leaders(es).length === 1 ? leaders(es)[0] : undefined), 'a leader')

afterEach(async () => {
  for (const e of running) e.link.mode = 'up'
  await Promise.all(running.map((e) => e.elector.stop()))
  running = []
  events = []
  mostLeadersAtOnce = 0
  clearInterval(sampler)
  sampler = undefined
})

describe('leader election on the embedded API server', () => {
  test('of two electors one leads, the other stands by naming it; the Lease says so', async () => {
    const pair = electors(2)
    for (const e of pair) e.elector.start()
    const leader = await theLeader(pair)
    const standby = pair.find((e) => e !== leader)!
    await eventually(() => standby.elector.status().state === 'standby', 'the standby')
    expect(standby.elector.status()).toMatchObject({ state: 'standby', holder: leader.id })
    // A few renewals later, nothing changed hands.
    const renewed = (await lease(leaseName()))!.spec.renewTime
    await eventually(async () => (await lease(leaseName()))!.spec.renewTime !== renewed, 'a renewal')
    expect(leaders(pair)).toEqual([leader])
    const spec = (await lease(leaseName()))!.spec
    expect(spec).toMatchObject({ holderIdentity: leader.id, leaseDurationSeconds: 1, leaseTransitions: 0 })
    expect(spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(leader.elector.status()).toMatchObject({ state: 'leader', holder: leader.id, transitions: 0 })
    expect(mostLeadersAtOnce).toBe(1)
  })

  for (const partition of ['down', 'hang'] as const) {
    test(`a leader cut off (${partition}) stops at its renew deadline; the standby takes over only after the lease expired`, async () => {
      const pair = electors(2)
      for (const e of pair) e.elector.start()
      const leader = await theLeader(pair)
      const standby = pair.find((e) => e !== leader)!
      await eventually(() => standby.elector.status().state === 'standby', 'the standby')
      leader.link.mode = partition
      expect(await leader.elector.lost).toMatch(/renew deadline/)
      await standby.elector.leading
      // The old leader gave up before the new one began: never two at once.
      expect(events).toEqual([`${leader.id} leads`, `${leader.id} lost`, `${standby.id} leads`])
      expect(mostLeadersAtOnce).toBe(1)
      expect((await lease(leaseName()))!.spec).toMatchObject({ holderIdentity: standby.id, leaseTransitions: 1 })
      expect(leader.elector.status().state).toBe('lost')
    })
  }

  test('a clean stop hands the lease over at once, long before it would expire', async () => {
    // A 30 s lease: a takeover by expiry would take 30 s, and the wait below gives up after 10.
    const pair = electors(2, { leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 100 })
    for (const e of pair) e.elector.start()
    const leader = await theLeader(pair)
    const standby = pair.find((e) => e !== leader)!
    await eventually(() => standby.elector.status().state === 'standby', 'the standby')
    await leader.elector.stop()
    expect(leader.elector.status().state).toBe('stopped')
    await eventually(() => standby.elector.isLeader(), 'the handover', 10_000)
    expect((await lease(leaseName()))!.spec).toMatchObject({ holderIdentity: standby.id, leaseTransitions: 1 })
    expect(events).toEqual([`${leader.id} leads`, `${standby.id} leads`])
  })

  test('electors that all read the same resourceVersion race; the 409s leave exactly one leader', async () => {
    const barrier = new Barrier()
    const five = electors(5, fast, barrier)
    // Round one: no lease. All five read "absent" before any creates; one create wins.
    barrier.arm(5, (lease) => lease === undefined)
    for (const e of five) e.elector.start()
    const first = await theLeader(five)
    const conflicts = () => five.reduce((n, e) => n + e.link.conflicts, 0)
    await eventually(() => conflicts() === 4, 'four 409s')
    await eventually(() => five.every((e) => e === first || e.elector.status().holder === first.id), 'four standbys')

    // Round two: the leader steps down; the four read the released lease, all update from it, one wins.
    const rest = five.filter((e) => e !== first)
    barrier.arm(4, (lease) => lease?.spec.holderIdentity === '')
    await first.elector.stop()
    const second = await theLeader(rest)
    await eventually(() => conflicts() === 4 + 3, 'three more 409s')
    expect((await lease(leaseName()))!.spec).toMatchObject({ holderIdentity: second.id, leaseTransitions: 1 })
    // Some rounds later still one, and everyone agrees who.
    await eventually(
      () =>
        rest.every(
          (e) => e === second || (e.elector.status().state === 'standby' && e.elector.status().holder === second.id),
        ),
      'three standbys naming the new leader',
    )
    expect(leaders(rest)).toEqual([second])
    expect(conflicts()).toBe(7)
    expect(mostLeadersAtOnce).toBe(1)
  })

  test('a leader that sees someone else in the lease stops at once', async () => {
    const [only] = electors(1, { leaseDurationMs: 30_000, renewDeadlineMs: 20_000, retryPeriodMs: 100 })
    only!.elector.start()
    await only!.elector.leading
    const current = (await lease(leaseName()))!
    await workspace.update(resourceTypes.Lease, { ...current, spec: { ...current.spec, holderIdentity: 'intruder' } })
    expect(await only!.elector.lost).toMatch(/changed hands.*intruder/)
  })
})
