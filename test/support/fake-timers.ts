// HostTimers whose time moves only when the test says so (src/actors/clock.ts HostTimers), plus a
// wall clock that moves with it, and a real-time poll for work that crosses a socket.
import type { HostTimers } from '../../src/actors/clock.ts'

export interface FakeTimers {
  host: HostTimers
  /** Wall clock in step with the fake time. */
  now: () => Date
  /** Move time forward, firing every timer that falls due, in order. */
  advance(ms: number): void
  /** Delays of the timers waiting now, soonest first. */
  pending(): number[]
}

export function fakeTimers(start = Date.UTC(2026, 0, 1)): FakeTimers {
  let t = 0
  let next = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    host: {
      now: () => t,
      setTimeout: (fn, ms) => {
        timers.set(next, { at: t + Math.max(0, ms), fn })
        return next++
      },
      clearTimeout: (h) => void timers.delete(h as number),
    },
    now: () => new Date(start + t),
    advance(ms) {
      const until = t + ms
      for (;;) {
        const due = [...timers].filter(([, x]) => x.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        t = due[1].at
        due[1].fn()
      }
      t = until
    },
    pending: () => [...timers.values()].map((x) => x.at - t).sort((a, b) => a - b),
  }
}

/** Poll (in real time) until `check` returns something truthy. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await Bun.sleep(5)
  }
}
