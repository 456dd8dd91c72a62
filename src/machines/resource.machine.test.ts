import { describe, expect, test } from 'bun:test'
import { createActor, fromPromise, SimulatedClock } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { ReconcileFailure, ReconcileOutcome, ResourceIntervals } from './events.ts'
import { type FinalizeOutcome, type ReconcileInput, resourceMachine } from './resource.machine.ts'

const intervals: ResourceIntervals = {
  driftMs: 600_000,
  blockedRetryMs: 900_000,
  waitingRetryMs: 300_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 300_000,
}

const repo = (generation = 1, extra: Partial<KubeObject['metadata']> = {}, status?: unknown): KubeObject => ({
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'Repository',
  metadata: { name: 'website', uid: 'uid-1', generation, ...extra },
  spec: { connectionRef: 'github', name: 'website' },
  ...(status === undefined ? {} : { status }),
})

const ready: ReconcileOutcome = { result: 'ready', status: { repoID: '1' } }
const failure = (f: Partial<ReconcileFailure> = {}): ReconcileFailure => ({
  reason: 'TransientError',
  message: 'boom',
  needsHuman: false,
  rateLimited: false,
  ...f,
})

/** A scripted host: each reconcile call takes the next answer (an outcome or a failure to throw). */
function harness(answers: (ReconcileOutcome | ReconcileFailure)[], object = repo()) {
  const calls: ReconcileInput[] = []
  const finalizes: ReconcileInput[] = []
  const clock = new SimulatedClock()
  const machine = resourceMachine.provide({
    actors: {
      reconcile: fromPromise<ReconcileOutcome, ReconcileInput>(async ({ input }) => {
        calls.push(input)
        const next = answers.shift() ?? ready
        if ('needsHuman' in next) throw next
        return next
      }),
      finalize: fromPromise<FinalizeOutcome, ReconcileInput>(async ({ input }) => {
        finalizes.push(input)
        return { changed: { reason: 'Deleted', message: 'deleted' } }
      }),
    },
  })
  const actor = createActor(machine, {
    clock,
    input: { key: { cluster: 'c1', kind: 'Repository', name: 'website' }, object, intervals },
  }).start()
  const state = () => actor.getSnapshot().value
  const settle = () => new Promise((r) => setTimeout(r, 0))
  return { actor, clock, calls, finalizes, state, settle }
}

describe('resource machine', () => {
  test('a new object is provisioned, then re-observed on the drift interval (±5%)', async () => {
    const h = harness([ready, ready])
    expect(h.state()).toBe('provisioning')
    await h.settle()
    expect(h.state()).toBe('ready')
    expect(h.actor.getSnapshot().context.status).toEqual({ repoID: '1' })
    h.clock.increment(intervals.driftMs * 0.94)
    expect(h.calls).toHaveLength(1)
    h.clock.increment(intervals.driftMs * 0.12)
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.state()).toBe('ready')
  })

  test('transient failures back off exponentially and recover', async () => {
    const h = harness([failure(), failure(), ready])
    await h.settle()
    expect(h.state()).toBe('backoff')
    expect(h.actor.getSnapshot().context.attempts).toBe(1)
    h.clock.increment(1100) // ~1 s (±10%)
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.actor.getSnapshot().context.attempts).toBe(2)
    h.clock.increment(1100) // the second delay is ~2 s: not yet
    await h.settle()
    expect(h.calls).toHaveLength(2)
    h.clock.increment(1100)
    await h.settle()
    expect(h.state()).toBe('ready')
    expect(h.actor.getSnapshot().context.attempts).toBe(0)
  })

  test('a rate-limited failure waits for retry-after, not the backoff curve', async () => {
    const h = harness([failure({ rateLimited: true, retryAfterMs: 60_000, reason: 'RateLimited' })])
    await h.settle()
    expect(h.state()).toBe('backoff')
    h.clock.increment(55_000)
    await h.settle()
    expect(h.calls).toHaveLength(1)
    h.clock.increment(10_000)
    await h.settle()
    expect(h.calls).toHaveLength(2)
  })

  test('an error only a person can fix blocks until the spec changes', async () => {
    const h = harness([failure({ needsHuman: true, reason: 'MissingScope' }), ready])
    await h.settle()
    expect(h.state()).toBe('blocked')
    h.clock.increment(60_000)
    await h.settle()
    expect(h.calls).toHaveLength(1)
    h.actor.send({ type: 'object.updated', object: repo(2) })
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.calls[1]!.object.metadata.generation).toBe(2)
    expect(h.state()).toBe('ready')
  })

  test('a blocked resource still retries slowly, in case the host was fixed by hand', async () => {
    const h = harness([failure({ needsHuman: true })])
    await h.settle()
    h.clock.increment(intervals.blockedRetryMs * 1.06)
    await h.settle()
    expect(h.calls).toHaveLength(2)
  })

  test('a missing dependency waits without polling and wakes on dependency.changed', async () => {
    const h = harness([{ result: 'waiting', waitingFor: { kind: 'Connection', name: 'github', message: 'not ready' } }])
    await h.settle()
    expect(h.state()).toBe('waiting')
    h.clock.increment(60_000)
    expect(h.calls).toHaveLength(1)
    h.actor.send({ type: 'dependency.changed', dependency: 'Connection/github' })
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.state()).toBe('ready')
  })

  test('a dependency change during a reconcile that found it missing is not lost: it runs again', async () => {
    const h = harness([
      { result: 'waiting', waitingFor: { kind: 'Secret', name: 'default/token', message: 'missing' } },
    ])
    expect(h.state()).toBe('provisioning')
    h.actor.send({ type: 'dependency.changed', dependency: 'Secret/default/token' })
    await h.settle()
    await h.settle()
    expect(h.calls).toHaveLength(2)
    expect(h.state()).toBe('ready')
    expect(h.actor.getSnapshot().context.dependencyChanged).toBe(false)
  })

  test('a spec change during a reconcile is reconciled right after it', async () => {
    const h = harness([ready, ready])
    h.actor.send({ type: 'object.updated', object: repo(2) })
    await h.settle()
    await h.settle()
    expect(h.calls.map((c) => c.object.metadata.generation)).toEqual([1, 2])
    expect(h.state()).toBe('ready')
    expect(h.actor.getSnapshot().context.generation).toBe(2)
  })

  test('status-only updates do not trigger a reconcile', async () => {
    const h = harness([ready])
    await h.settle()
    h.actor.send({ type: 'object.updated', object: repo(1, {}, { repoID: '1' }) })
    await h.settle()
    expect(h.calls).toHaveLength(1)
    expect(h.actor.getSnapshot().context.object.status).toEqual({ repoID: '1' })
  })

  test('an object found Ready for its generation at start is not touched until its first poll', async () => {
    const settled = repo(
      3,
      { finalizers: ['f'] },
      {
        observedGeneration: 3,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    )
    const h = harness([ready], settled)
    expect(h.state()).toBe('settled')
    expect(h.actor.getSnapshot().context.available).toBe(true)
    h.clock.increment(intervals.driftMs)
    await h.settle()
    expect(h.calls).toHaveLength(1)
    expect(h.state()).toBe('ready')
  })

  test('deletion finalizes, then waits for the API to drop the object', async () => {
    const h = harness([ready])
    await h.settle()
    h.actor.send({ type: 'object.updated', object: repo(1, { deletionTimestamp: '2026-11-29T10:00:00Z' }) })
    expect(h.state()).toBe('deleting')
    await h.settle()
    expect(h.finalizes).toHaveLength(1)
    expect(h.state()).toBe('finalized')
    h.actor.send({ type: 'object.deleted' })
    expect(h.actor.getSnapshot().status).toBe('done')
  })

  test('deletion requested during a reconcile starts once the reconcile returns', async () => {
    const h = harness([ready])
    h.actor.send({ type: 'object.updated', object: repo(1, { deletionTimestamp: '2026-11-29T10:00:00Z' }) })
    expect(h.state()).toBe('provisioning')
    await h.settle()
    await h.settle()
    expect(h.finalizes).toHaveLength(1)
  })

  test('a failure that finds the thing gone or unusable is no longer available', async () => {
    const h = harness([ready, failure({ unavailable: true, needsHuman: true, reason: 'AlreadyExists' })])
    await h.settle()
    expect(h.actor.getSnapshot().context.available).toBe(true)
    h.actor.send({ type: 'reconcile.requested' })
    await h.settle()
    expect(h.state()).toBe('blocked')
    expect(h.actor.getSnapshot().context.available).toBe(false)
  })
})
