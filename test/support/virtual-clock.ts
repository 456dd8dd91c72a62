// A clock for tests: sleeping costs no real time. Whenever the event loop has nothing else to run,
// time jumps to the earliest sleeper and wakes it (one sleeper per turn, in order).

import type { Clock } from '../../src/backend/github/clock.ts'

export class VirtualClock implements Clock {
  private t: number
  private seq = 0
  private timers: { at: number; seq: number; wake: () => void }[] = []
  private pending = false

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start
  }

  now(): number {
    return this.t
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake })
      this.schedule()
    })
  }

  /** Move time forward by hand (e.g. past a rate-limit reset). */
  advance(ms: number): void {
    this.t += ms
  }

  private schedule(): void {
    if (this.pending) return
    this.pending = true
    setImmediate(() => {
      this.pending = false
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.timers.shift()
      if (!next) return
      this.t = Math.max(this.t, next.at)
      next.wake()
      if (this.timers.length > 0) this.schedule()
    })
  }
}
