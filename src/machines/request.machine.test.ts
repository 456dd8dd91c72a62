import { describe, expect, test } from 'bun:test'
import { createActor, fromPromise, SimulatedClock } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { ReconcileFailure } from './events.ts'
import {
  defaultRequestSettings,
  type PrepareOutcome,
  type RequestStepInput,
  type RunOutcome,
  requestMachine,
  requestState,
} from './request.machine.ts'
import { projectRequestStatus } from './request-status.ts'

const commit: KubeObject = {
  apiVersion: 'code.kedge.faros.sh/v1alpha1',
  kind: 'RepositoryCommit',
  metadata: { name: 'c1', uid: 'uid-1', generation: 1 },
  spec: { repositoryRef: 'web', source: { bundleRef: { name: 'bundle-x' } } },
}
const done: RunOutcome = { result: 'succeeded', status: { commitSHA: 'abc' }, message: 'Committed 1 file.' }
const waiting: PrepareOutcome = {
  result: 'waiting',
  waitingFor: { kind: 'Repository', name: 'web', message: 'Repository "web" is not ready' },
}
const failure = (f: Partial<ReconcileFailure> = {}): ReconcileFailure => ({
  reason: 'TransientError',
  message: '502 from the host',
  needsHuman: false,
  rateLimited: false,
  ...f,
})

function harness(prepares: PrepareOutcome[], runs: (RunOutcome | ReconcileFailure)[]) {
  const calls = { prepare: 0, run: [] as RequestStepInput[] }
  const clock = new SimulatedClock()
  const machine = requestMachine.provide({
    actors: {
      prepare: fromPromise<PrepareOutcome, RequestStepInput>(async () => {
        calls.prepare++
        return prepares.shift() ?? { result: 'ready' }
      }),
      run: fromPromise<RunOutcome, RequestStepInput>(async ({ input }) => {
        calls.run.push(input)
        const next = runs.shift() ?? done
        if ('needsHuman' in next) throw next
        return next
      }),
    },
  })
  const actor = createActor(machine, {
    clock,
    input: {
      key: { cluster: 'c1', kind: 'RepositoryCommit', name: 'c1' },
      object: commit,
      settings: defaultRequestSettings,
    },
  }).start()
  const settle = () => new Promise((r) => setTimeout(r, 0))
  const state = () => requestState(actor.getSnapshot().value)
  const status = () =>
    projectRequestStatus(state(), actor.getSnapshot().context, { startedAt: 't0', completedAt: 't1' })
  return { actor, clock, calls, settle, state, status }
}

describe('request machine', () => {
  test('runs once and succeeds; the result is in status', async () => {
    const h = harness([], [])
    await h.settle()
    expect(h.state()).toBe('succeeded')
    expect(h.actor.getSnapshot().status).toBe('done')
    expect(h.calls.run).toHaveLength(1)
    expect(h.status()).toMatchObject({
      fields: { phase: 'Succeeded', commitSHA: 'abc', startedAt: 't0', completedAt: 't1' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Committed 1 file.' }],
    })
  })

  test('waits for its Repository (Pending), wakes on the change, then runs', async () => {
    const h = harness([waiting], [])
    await h.settle()
    expect(h.state()).toBe('waiting')
    expect(h.status()).toMatchObject({
      fields: { phase: 'Pending' },
      conditions: [
        { type: 'Ready', status: 'False', reason: 'Pending' },
        { type: 'DependencyNotReady', status: 'True' },
      ],
    })
    h.actor.send({ type: 'dependency.changed', dependency: 'Repository/web' })
    await h.settle()
    expect(h.state()).toBe('succeeded')
  })

  test('a Repository change that arrives while it looks is not lost: it looks again at once', async () => {
    const h = harness([waiting], [])
    // prepare is in flight (it resolves on a later tick) when the wake-up comes.
    h.actor.send({ type: 'dependency.changed', dependency: 'Repository/web' })
    await h.settle()
    await h.settle()
    expect(h.calls.prepare).toBe(2)
    expect(h.state()).toBe('succeeded')
  })

  test('a Repository change while the host work runs and ends waiting: it looks again at once', async () => {
    let finishRun: (outcome: RunOutcome) => void = () => {}
    let runs = 0
    const machine = requestMachine.provide({
      actors: {
        prepare: fromPromise<PrepareOutcome, RequestStepInput>(async () => ({ result: 'ready' })),
        run: fromPromise<RunOutcome, RequestStepInput>(() => {
          runs++
          return runs === 1 ? new Promise((resolve) => (finishRun = resolve)) : Promise.resolve(done)
        }),
      },
    })
    const key = { cluster: 'c1', kind: 'RepositoryCommit', name: 'c1' } as const
    const actor = createActor(machine, { input: { key, object: commit, settings: defaultRequestSettings } }).start()
    const settle = () => new Promise((r) => setTimeout(r, 0))
    await settle()
    expect(requestState(actor.getSnapshot().value)).toBe('running')
    actor.send({ type: 'dependency.changed', dependency: 'Repository/web' })
    finishRun({ result: 'waiting', waitingFor: waiting.waitingFor })
    await settle()
    await settle()
    expect(runs).toBe(2)
    expect(requestState(actor.getSnapshot().value)).toBe('succeeded')
  })

  test('a dependency that never comes fails after the timeout with what to do', async () => {
    const h = harness(
      [waiting, waiting, waiting, waiting, waiting, waiting, waiting, waiting, waiting, waiting, waiting],
      [],
    )
    await h.settle()
    for (let i = 0; i < 11; i++) {
      h.clock.increment(defaultRequestSettings.waitingRetryMs)
      await h.settle()
    }
    expect(h.state()).toBe('failed')
    const ready = h.status()!.conditions[0]!
    expect(ready).toMatchObject({ status: 'False', reason: 'Failed' })
    expect(ready.message).toContain('Repository "web" is not ready')
    expect(ready.message).toContain('create a new RepositoryCommit')
    expect(h.calls.run).toHaveLength(0)
  })

  test('transient failures are retried a bounded number of times, then Failed', async () => {
    const h = harness([], [failure(), failure(), failure(), failure(), failure()])
    await h.settle()
    expect(h.state()).toBe('retrying')
    expect(h.status()!.conditions[0]!.message).toContain('Attempt 1 of 4 failed')
    for (let i = 0; i < 4; i++) {
      h.clock.increment(60_000)
      await h.settle()
    }
    expect(h.state()).toBe('failed')
    expect(h.calls.run).toHaveLength(4)
    expect(h.status()!.conditions[0]!.message).toContain('Gave up after 4 attempts')
  })

  test('a failure a person must fix is not retried; a long rate limit is not waited for', async () => {
    const scope = harness(
      [],
      [failure({ reason: 'MissingScope', message: 'the token lacks the workflow scope', needsHuman: true })],
    )
    await scope.settle()
    expect(scope.state()).toBe('failed')
    expect(scope.status()!.conditions[0]!.message).toBe(
      'MissingScope: the token lacks the workflow scope. Requests run once: fix this, then create a new RepositoryCommit.',
    )
    const limited = harness([], [failure({ reason: 'RateLimited', rateLimited: true, retryAfterMs: 3_600_000 })])
    await limited.settle()
    expect(limited.state()).toBe('failed')
    const short = harness([], [failure({ reason: 'RateLimited', rateLimited: true, retryAfterMs: 20_000 })])
    await short.settle()
    expect(short.state()).toBe('retrying')
    expect(short.status()!.conditions.map((c) => c.type)).toEqual(['Ready', 'RateLimited'])
    short.clock.increment(10_000)
    await short.settle()
    expect(short.calls.run).toHaveLength(1)
    short.clock.increment(15_000)
    await short.settle()
    expect(short.state()).toBe('succeeded')
  })
})
