import { describe, expect, test } from 'bun:test'
import { fakeTimers } from '../../test/support/fake-timers.ts'
import { TimerQueue } from './clock.ts'

/** A host whose time only moves when the test says so; counts real timers armed. */
function fakeHost() {
  const t = fakeTimers()
  return { host: t.host, advance: t.advance, armed: () => t.pending().length }
}

describe('TimerQueue', () => {
  test('fires in deadline order with a single host timer', () => {
    const { host, advance, armed } = fakeHost()
    const q = new TimerQueue(host)
    const fired: string[] = []
    for (const [name, ms] of [
      ['c', 300],
      ['a', 100],
      ['b', 200],
    ] as const)
      q.setTimeout(() => fired.push(name), ms)
    expect(armed()).toBe(1)
    advance(150)
    expect(fired).toEqual(['a'])
    advance(1000)
    expect(fired).toEqual(['a', 'b', 'c'])
    expect(q.size).toBe(0)
  })

  test('cleared deadlines never fire', () => {
    const { host, advance } = fakeHost()
    const q = new TimerQueue(host)
    const fired: number[] = []
    const ids = [1, 2, 3].map((n) => q.setTimeout(() => fired.push(n), n * 10))
    q.clearTimeout(ids[0])
    q.clearTimeout(ids[2])
    advance(100)
    expect(fired).toEqual([2])
  })

  test('an earlier deadline re-arms the host timer; a callback may schedule more', () => {
    const { host, advance, armed } = fakeHost()
    const q = new TimerQueue(host)
    const fired: string[] = []
    q.setTimeout(() => fired.push('late'), 1000)
    q.setTimeout(() => {
      fired.push('early')
      q.setTimeout(() => fired.push('chained'), 10)
    }, 10)
    expect(armed()).toBe(1)
    advance(10)
    advance(10)
    expect(fired).toEqual(['early', 'chained'])
    advance(1000)
    expect(fired).toEqual(['early', 'chained', 'late'])
  })

  test('10,000 random deadlines come out sorted', () => {
    const { host, advance } = fakeHost()
    const q = new TimerQueue(host)
    const fired: number[] = []
    for (let i = 0; i < 10_000; i++) {
      const at = (i * 7919) % 10_007
      q.setTimeout(() => fired.push(at), at)
    }
    advance(20_000)
    expect(fired).toHaveLength(10_000)
    expect(fired.every((v, i) => i === 0 || fired[i - 1]! <= v)).toBe(true)
  })
})
