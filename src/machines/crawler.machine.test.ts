import { describe, expect, test } from 'bun:test'
import { createActor, fromPromise, SimulatedClock } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import { type CrawlInput, type CrawlOutcome, crawlerMachine, crawls } from './crawler.machine.ts'
import type { ReconcileFailure } from './events.ts'

const MIN = 60_000
const crawled: CrawlOutcome = { result: 'crawled', summary: { packages: 1, created: 0, updated: 0, deleted: 0 } }
const failure = (f: Partial<ReconcileFailure> = {}): ReconcileFailure => ({
  reason: 'TransientError',
  message: '502 from the host',
  needsHuman: false,
  rateLimited: false,
  ...f,
})

function harness(answers: (CrawlOutcome | ReconcileFailure)[] = [], spreadFirst = false) {
  const calls: CrawlInput[] = []
  const clock = new SimulatedClock()
  const machine = crawlerMachine.provide({
    actors: {
      crawl: fromPromise<CrawlOutcome, CrawlInput>(async ({ input }) => {
        calls.push(input)
        const next = answers.shift() ?? crawled
        if ('needsHuman' in next) throw next
        return next
      }),
    },
  })
  const actor = createActor(machine, {
    clock,
    input: {
      key: { cluster: 'c1', repository: 'web' },
      uid: 'uid-1',
      fullName: 'acme/web',
      intervalMs: 2 * MIN,
      backoff: { baseMs: 5_000, maxMs: 300_000 },
      spreadFirst,
    },
  }).start()
  const settle = () => new Promise((r) => setTimeout(r, 0))
  /** Move time in small steps so chained timers fire as they would. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      clock.increment(1000)
      await settle()
    }
  }
  return { actor, calls, settle, advance, state: () => actor.getSnapshot().value }
}

describe('crawler machine', () => {
  test('crawls at once, then every interval stretched by 0..25%', async () => {
    const h = harness()
    await h.settle()
    expect(h.calls).toHaveLength(1)
    expect(h.state()).toBe('waiting')
    await h.advance(10 * MIN)
    // Four to five crawls in ten minutes at 2 to 2.5 minutes apart.
    expect(h.calls.length).toBeGreaterThanOrEqual(1 + 4)
    expect(h.calls.length).toBeLessThanOrEqual(1 + 5)
  })

  test('on a cold start the first crawl is spread over one interval', async () => {
    const h = harness([], true)
    await h.settle()
    expect(h.calls).toHaveLength(0)
    expect(h.state()).toBe('waiting')
    await h.advance(2 * MIN)
    expect(h.calls).toHaveLength(1)
  })

  test('a failed crawl backs off exponentially, capped by the interval, then recovers', async () => {
    const h = harness([failure(), failure(), failure()])
    await h.settle()
    expect(h.state()).toBe('backoff')
    expect(h.actor.getSnapshot().context.lastError?.message).toBe('502 from the host')
    await h.advance(6_000) // ~5 s
    expect(h.calls).toHaveLength(2)
    await h.advance(11_000) // ~10 s
    expect(h.calls).toHaveLength(3)
    await h.advance(21_000) // ~20 s
    expect(h.calls).toHaveLength(4)
    expect(h.state()).toBe('waiting')
    expect(h.actor.getSnapshot().context.attempts).toBe(0)
  })

  test('a rate limit waits for its retry-after; a scope problem for the interval', async () => {
    const h = harness([failure({ rateLimited: true, retryAfterMs: 40_000 }), failure({ needsHuman: true })])
    await h.settle()
    await h.advance(30_000)
    expect(h.calls).toHaveLength(1)
    await h.advance(15_000)
    expect(h.calls).toHaveLength(2)
    expect(h.state()).toBe('backoff')
    await h.advance(MIN)
    expect(h.calls).toHaveLength(2) // not before the regular interval
    await h.advance(2 * MIN)
    expect(h.calls).toHaveLength(3)
  })

  test('unavailable packages wait, and any change of the Repository looks again', async () => {
    const h = harness([{ result: 'unavailable', reason: 'MissingScope', message: 'missing scope read:packages' }])
    await h.settle()
    expect(h.state()).toBe('unavailable')
    h.actor.send({ type: 'repository.changed', fullName: 'acme/web' })
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.state()).toBe('waiting')
    // While waiting, only a move on the host (or a request) crawls early.
    h.actor.send({ type: 'repository.changed', fullName: 'acme/web' })
    await h.settle()
    expect(h.calls).toHaveLength(2)
    h.actor.send({ type: 'repository.changed', fullName: 'acme/website' })
    await h.settle()
    expect(h.calls).toHaveLength(3)
    h.actor.send({ type: 'crawl.requested' })
    await h.settle()
    expect(h.calls).toHaveLength(4)
  })

  test('which repositories are crawled', () => {
    const repo = (status: unknown, deletionTimestamp?: string) =>
      ({ metadata: { name: 'r', deletionTimestamp }, status }) as unknown as KubeObject
    const ready = [{ type: 'Ready', status: 'True' }]
    expect(crawls(repo({ fullName: 'acme/r', conditions: ready }))).toBe(true)
    expect(crawls(repo({ conditions: ready }))).toBe(false)
    expect(crawls(repo({ fullName: 'acme/r', conditions: [{ type: 'Ready', status: 'False' }] }))).toBe(false)
    expect(crawls(repo({ fullName: 'acme/r', conditions: ready }, '2026-01-01T00:00:00Z'))).toBe(false)
  })
})
