import { describe, expect, test } from 'bun:test'
import { VirtualClock } from '../../../test/support/virtual-clock.ts'
import { BackendError } from '../errors.ts'
import { defaultGateLimits, type GateAnswer, type GateLimits, RequestGate } from './gate.ts'

const T0 = Date.UTC(2026, 0, 1)
const read = { write: false, background: true }
const interactive = { write: false, background: false }
const write = { write: true, background: false }

function setup(limits: Partial<GateLimits> = {}) {
  const clock = new VirtualClock(T0)
  const gate = new RequestGate('abc123@api.github.com', 'api.github.com', { ...defaultGateLimits, ...limits }, clock)
  const starts: { at: number; write: boolean }[] = []
  const send =
    (req: { write: boolean }, answer: Partial<GateAnswer> = {}) =>
    async () => {
      starts.push({ at: clock.now(), write: req.write })
      await clock.sleep(100) // the request takes 100 ms
      return { answer: { status: 200, headers: {}, ...answer } }
    }
  return { clock, gate, starts, send }
}

const budget = (remaining: number, resetInSeconds: number, limit = 5000) => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(T0 / 1000 + resetInSeconds),
})

describe('request gate', () => {
  test('bounds concurrency and counts what waits', async () => {
    const { gate, send } = setup({ maxConcurrency: 2 })
    let peak = 0
    const runs = Array.from({ length: 6 }, () =>
      gate.run(read, async () => {
        peak = Math.max(peak, gate.snapshot().inFlight)
        return send(read)()
      }),
    )
    await new Promise((resolve) => setImmediate(resolve)) // let them all reach the gate
    const during = gate.snapshot()
    expect(during.inFlight).toBe(2)
    expect(during.queued).toBe(4)
    await Promise.all(runs)
    expect(peak).toBe(2)
    const after = gate.snapshot()
    expect(after).toMatchObject({ inFlight: 0, queued: 0, requests: { total: 6, notModified: 0, errors: 0 } })
  })

  test('serializes writes and spaces their starts; reads are not spaced', async () => {
    const { gate, starts, send } = setup({ writeSpacingMs: 750 })
    await Promise.all([
      ...Array.from({ length: 4 }, () => gate.run(write, send(write))),
      ...Array.from({ length: 3 }, () => gate.run(read, send(read))),
    ])
    const writes = starts.filter((s) => s.write).map((s) => s.at)
    const reads = starts.filter((s) => !s.write).map((s) => s.at)
    expect(writes.slice(1).map((at, i) => at - writes[i]!)).toEqual([750, 750, 750])
    expect(new Set(reads)).toEqual(new Set([T0]))
    expect(gate.snapshot().writesLastMinute).toBe(4)
  })

  test('parks on retry-after and lets the next request through only after it', async () => {
    const { gate, starts, send, clock } = setup()
    await gate.run(read, send(read, { status: 403, headers: { 'retry-after': '30' }, text: 'secondary rate limit' }))
    const snap = gate.snapshot()
    expect(snap.parkedUntil).toBe(new Date(T0 + 100 + 30_000).toISOString())
    expect(snap.parkedReason).toContain('secondary rate limit')
    await gate.run(read, send(read))
    expect(starts[1]!.at).toBe(T0 + 100 + 30_000)
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 30_100)
    expect(gate.snapshot().requests).toEqual({ total: 2, notModified: 0, errors: 1 })
  })

  test('a secondary limit without retry-after parks for the fallback minute', async () => {
    const { gate, send } = setup()
    await gate.run(read, send(read, { status: 403, headers: {}, text: 'You have exceeded a secondary rate limit' }))
    expect(gate.snapshot().parkedUntil).toBe(new Date(T0 + 100 + 60_000).toISOString())
  })

  test('a 403 that is a permission refusal does not park', async () => {
    const { gate, send } = setup()
    await gate.run(read, send(read, { status: 403, headers: budget(4000, 600), text: 'Resource not accessible' }))
    expect(gate.snapshot().parkedUntil).toBeUndefined()
  })

  test('an exhausted primary budget parks until the reset', async () => {
    const { gate, send, starts } = setup({ maxWaitMs: 120_000 })
    await gate.run(read, send(read, { status: 403, headers: budget(0, 90) }))
    expect(gate.snapshot().parkedReason).toBe('primary rate limit exhausted')
    await gate.run(interactive, send(interactive))
    expect(starts[1]!.at).toBe(T0 + 90_000)
  })

  test('refuses to wait longer than maxWaitMs: rate-limited with retryAfterMs', async () => {
    const { gate, send } = setup({ maxWaitMs: 60_000 })
    await gate.run(read, send(read, { status: 429, headers: { 'retry-after': '3600' } }))
    const err = await gate.run(write, send(write)).catch((e) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect(err.code).toBe('rate-limited')
    expect(err.reason).toBe('gate-held')
    expect(err.retryAfterMs).toBe(3_600_000 - 0)
    // The refused write released the write lock and its place in the queue.
    expect(gate.snapshot()).toMatchObject({ queued: 0, inFlight: 0 })
  })

  test('below 10% of the budget, background reads wait for the reset; interactive reads and writes go on', async () => {
    const { gate, send, starts } = setup({ maxWaitMs: 10 * 60_000 })
    await gate.run(read, send(read, { headers: budget(400, 300) }))
    await gate.run(interactive, send(interactive))
    await gate.run(write, send(write))
    expect(starts.map((s) => s.at)).toEqual([T0, T0 + 100, T0 + 200])
    expect(gate.snapshot().parkedReason).toContain('background reads wait for the reset')
    await gate.run(read, send(read))
    expect(starts[3]!.at).toBe(T0 + 300_000)
  })

  test('never spends the last requests: at the floor everyone waits', async () => {
    const { gate, send } = setup({ maxWaitMs: 1000 })
    await gate.run(read, send(read, { headers: budget(50, 300) }))
    const err = await gate.run(interactive, send(interactive)).catch((e) => e)
    expect(err.code).toBe('rate-limited')
    expect(err.message).toContain('primary budget nearly spent (50 of 5000 left)')
  })

  test('answers out of order: the smallest remaining of a window wins, a new window replaces it', async () => {
    const { gate } = setup()
    const answer = (headers: Record<string, string>) => async () => ({ answer: { status: 200, headers } })
    await gate.run(read, answer(budget(4000, 600)))
    await gate.run(read, answer(budget(4100, 600)))
    expect(gate.snapshot().remaining).toBe(4000)
    await gate.run(read, answer(budget(4999, 4200)))
    expect(gate.snapshot()).toMatchObject({ remaining: 4999, limit: 5000 })
    expect(gate.snapshot().resetAt).toBe(new Date(T0 + 4_200_000).toISOString())
  })

  test('ignores budgets of other resources (search, graphql)', async () => {
    const { gate } = setup()
    await gate.run(read, async () => ({
      answer: { status: 200, headers: { ...budget(3, 60, 30), 'x-ratelimit-resource': 'search' } },
    }))
    expect(gate.snapshot().remaining).toBeUndefined()
  })

  test('a send that throws counts as an error and frees its slot', async () => {
    const { gate } = setup({ maxConcurrency: 1 })
    await expect(
      gate.run(read, async () => {
        throw new Error('connection refused')
      }),
    ).rejects.toThrow('connection refused')
    await gate.run(read, async () => ({ answer: { status: 304, headers: {} } }))
    expect(gate.snapshot()).toMatchObject({ inFlight: 0, requests: { total: 2, notModified: 1, errors: 1 } })
  })
})
