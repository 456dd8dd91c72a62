// Pure timing policy: backoff and jitter. Jitter is derived from a seed (the object's uid and the
// attempt), not from Math.random, so machines stay deterministic and tests can predict delays.

/** FNV-1a over the seed, mapped to [0, 1). */
export function unitHash(seed: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) / 2 ** 32
}

/** `ms` spread by ±`fraction` (e.g. 0.05 for ±5%), stable for the same seed. */
export const jittered = (ms: number, fraction: number, seed: string): number =>
  Math.round(ms * (1 + fraction * (2 * unitHash(seed) - 1)))

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

/** Exponential backoff with ±10% jitter: base · 2^(attempt-1), capped. attempt starts at 1. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, seed: string): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.min(policy.maxMs, jittered(exp, 0.1, `${seed}#${attempt}`))
}

/** A first poll spread over the whole interval, so a cold start does not observe everything at once. */
export const spreadDelay = (intervalMs: number, seed: string): number =>
  Math.round(intervalMs * unitHash(`${seed}#spread`))
