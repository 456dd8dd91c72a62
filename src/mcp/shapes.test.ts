import { describe, expect, test } from 'bun:test'
import type { ActorView } from '../actors/actor-view.ts'
import { actorOut, actorProblem, readinessMessage } from './shapes.ts'
import type { Obj } from './tool.ts'

const view = (lastError?: ActorView['lastError']): ActorView => ({
  id: 'c/Repository/web',
  cluster: 'c',
  kind: 'Repository',
  name: 'web',
  state: 'backoff',
  since: '2026-01-05T12:02:30.000Z',
  attempts: 2,
  transitions: [],
  ...(lastError ? { lastError } : {}),
})

describe('problems said plainly', () => {
  test('a rate limit says when to retry', () => {
    const v = view({
      reason: 'RateLimited',
      message: 'rate limited',
      needsHuman: false,
      rateLimited: true,
      retryAfterMs: 30_000,
    })
    expect(actorProblem(v)).toBe('GitHub rate limit for this connection; retry after 12:03 UTC')
    expect(actorOut(v)?.lastError).toEqual({
      reason: 'RateLimited',
      message: 'rate limited',
      retryAt: '2026-01-05T12:03:00.000Z',
    })
  })

  test('a permission problem says so; other failures are not problems of this kind', () => {
    const v = view({
      reason: 'MissingScope',
      message: 'the token lacks the delete_repo scope',
      needsHuman: true,
      rateLimited: false,
    })
    expect(actorProblem(v)).toBe('permission problem on GitHub (MissingScope): the token lacks the delete_repo scope')
    expect(
      actorProblem(view({ reason: 'TransientError', message: 'x', needsHuman: false, rateLimited: false })),
    ).toBeUndefined()
    expect(actorProblem(view())).toBeUndefined()
  })

  test('readiness comes from the Ready condition, else says it was not reconciled yet', () => {
    const o = (status?: unknown, deletionTimestamp?: string) =>
      ({ apiVersion: 'v', kind: 'Repository', metadata: { name: 'x', deletionTimestamp }, spec: {}, status }) as Obj
    expect(readinessMessage(o())).toBe('not reconciled yet')
    expect(
      readinessMessage(
        o({
          conditions: [
            { type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: 'waiting for Connection "gh"' },
          ],
        }),
      ),
    ).toBe('waiting for Connection "gh"')
    expect(readinessMessage(o(undefined, '2026-01-01T00:00:00Z'))).toBe('being deleted')
  })
})
