// Sandbox time: an injectable base clock plus an offset that `advanceTime` moves forward, so tests
// can expire invitations, OAuth codes and rate-limit windows without sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export class SandboxClock implements Clock {
  private offsetMs = 0

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offsetMs
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime: ${ms} is not a non-negative number of ms`)
    this.offsetMs += ms
  }
}

/** GitHub's timestamp format: ISO 8601, second precision, UTC. */
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
