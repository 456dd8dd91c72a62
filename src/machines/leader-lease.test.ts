import { describe, expect, test } from 'bun:test'
import {
  decide,
  type LeaseSpec,
  leaseSpecFor,
  microTime,
  type Observation,
  observe,
  releasedSpec,
  renewDeadlinePassed,
} from './leader-lease.ts'

const LEASE = 15_000
const held = (holder: string, renewTime = '2026-01-01T00:00:00.000000Z'): LeaseSpec => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: '2026-01-01T00:00:00.000000Z',
  renewTime,
  leaseTransitions: 2,
})
const at = (spec: LeaseSpec, since: number): Observation => ({ spec, since })
const decideAt = (observed: Observation | undefined, now: number, identity = 'me') =>
  decide({ identity, observed, now, leaseDurationMs: LEASE })

describe('decide', () => {
  test('no lease: create it', () => {
    expect(decideAt(undefined, 0)).toEqual({ action: 'create' })
  })

  test('ours: renew, however long ago we last saw it', () => {
    expect(decideAt(at(held('me'), 0), 1_000_000)).toEqual({ action: 'renew' })
  })

  test("another's lease is valid for its duration after we first saw the record, then expires", () => {
    const o = at(held('other'), 5_000)
    expect(decideAt(o, 5_000)).toEqual({ action: 'standby', holder: 'other', expiresAt: 20_000 })
    expect(decideAt(o, 19_999)).toEqual({ action: 'standby', holder: 'other', expiresAt: 20_000 })
    expect(decideAt(o, 20_000)).toEqual({ action: 'acquire', because: 'expired', previousHolder: 'other' })
  })

  test("the record's own duration counts, not ours", () => {
    const o = at({ ...held('other'), leaseDurationSeconds: 60 }, 0)
    expect(decideAt(o, 59_999).action).toBe('standby')
    expect(decideAt(o, 60_000).action).toBe('acquire')
    expect(decideAt(at({ ...held('other'), leaseDurationSeconds: undefined }, 0), 14_999).action).toBe('standby')
  })

  test('a released lease (no holder) is taken at once', () => {
    const released = releasedSpec(held('other'), '2026-01-01T00:00:01.000000Z')
    expect(decideAt(at(released, 1_000), 1_000)).toEqual({ action: 'acquire', because: 'released' })
    expect(decideAt(at({ ...held('other'), holderIdentity: undefined }, 0), 0).action).toBe('acquire')
  })
})

describe('observe', () => {
  test('the clock starts when we first see a record and moves only when the record changes', () => {
    const first = observe(undefined, held('other'), 1_000)
    expect(first).toEqual({ spec: held('other'), since: 1_000 })
    // Renewed by its holder: a new record, so the lease is good for another full duration from now.
    const renewed = observe(first, held('other', '2026-01-01T00:00:02.000000Z'), 3_000)
    expect(renewed?.since).toBe(3_000)
    // The same record read again (its holder stopped renewing): the clock keeps running.
    expect(observe(renewed, held('other', '2026-01-01T00:00:02.000000Z'), 9_000)?.since).toBe(3_000)
    expect(observe(renewed, undefined, 9_000)).toBeUndefined()
  })

  test('a holder that stopped renewing loses its lease a duration after its last renewal was seen', () => {
    let o: Observation | undefined
    for (let now = 0; now <= 10_000; now += 2_000) o = observe(o, held('other', `renew-${now}`), now)
    for (let now = 12_000; now < 25_000; now += 2_000) {
      o = observe(o, held('other', 'renew-10000'), now)
      expect(decideAt(o, now).action).toBe('standby')
    }
    o = observe(o, held('other', 'renew-10000'), 25_000)
    expect(decideAt(o, 25_000).action).toBe('acquire')
  })

  test("a clock far ahead of the holder's never expires a lease that keeps being renewed", () => {
    // The holder's stamps are an hour behind our clock: only changes of the record count.
    let o: Observation | undefined
    for (let now = 3_600_000; now < 3_700_000; now += 2_000) {
      o = observe(o, held('other', `2026-01-01T00:00:${String((now / 2_000) % 60).padStart(2, '0')}.000000Z`), now)
      expect(decideAt(o, now).action).toBe('standby')
    }
  })
})

describe('leaseSpecFor', () => {
  const stamp = '2026-01-01T00:01:00.000000Z'
  test('create: holder, duration, acquire and renew now, no transitions yet', () => {
    expect(
      leaseSpecFor({
        decision: { action: 'create' },
        previous: undefined,
        identity: 'me',
        leaseDurationSeconds: 15,
        stamp,
      }),
    ).toEqual({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 0,
    })
  })

  test('renew: only renewTime moves', () => {
    const previous = held('me')
    expect(
      leaseSpecFor({ decision: { action: 'renew' }, previous, identity: 'me', leaseDurationSeconds: 15, stamp }),
    ).toEqual({ ...previous, renewTime: stamp })
  })

  test('takeover: a new holder, acquired now, one more transition', () => {
    for (const decision of [
      { action: 'acquire', because: 'expired', previousHolder: 'other' },
      { action: 'acquire', because: 'released' },
    ] as const) {
      expect(
        leaseSpecFor({ decision, previous: held('other'), identity: 'me', leaseDurationSeconds: 15, stamp }),
      ).toEqual({
        holderIdentity: 'me',
        leaseDurationSeconds: 15,
        acquireTime: stamp,
        renewTime: stamp,
        leaseTransitions: 3,
      })
    }
  })

  test('release: no holder, one second, transitions kept', () => {
    expect(releasedSpec(held('me'), stamp)).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 2,
    })
  })
})

test('renewDeadlinePassed: a leader stops once it has not renewed for the renew deadline', () => {
  expect(renewDeadlinePassed(1_000, 10_999, 10_000)).toBe(false)
  expect(renewDeadlinePassed(1_000, 11_000, 10_000)).toBe(true)
})

test('microTime: six fractional digits, as Go parses MicroTime', () => {
  expect(microTime('2026-01-01T00:00:00.123Z')).toBe('2026-01-01T00:00:00.123000Z')
  expect(microTime('2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000000Z')
})
