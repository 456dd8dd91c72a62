import { expect, test } from 'bun:test'
import { StatusBoard } from './status-board.ts'

test('components report successes and failures; changes are told to listeners; errors are redacted', () => {
  let t = Date.parse('2026-11-29T10:00:00Z')
  const board = new StatusBoard(() => new Date(t))
  const seen: string[] = []
  board.onChange((c) => seen.push(`${c.name}:${c.status}`))
  const hub = board.component('hub-heartbeat', 'heartbeats to the hub')
  expect(board.list()).toEqual([
    {
      name: 'hub-heartbeat',
      description: 'heartbeats to the hub',
      status: 'starting',
      since: '2026-11-29T10:00:00.000Z',
      consecutiveFailures: 0,
    },
  ])
  t += 1000
  hub.failed(new Error('401 for token ghp_CANARY0123456789abcdefghijklmnop'))
  t += 1000
  hub.failed(new Error('timeout'), 'retrying in 30s')
  const failing = board.list()[0]!
  expect(failing).toMatchObject({ status: 'failing', since: '2026-11-29T10:00:01.000Z', consecutiveFailures: 2 })
  expect(failing.lastError).toEqual({ at: '2026-11-29T10:00:02.000Z', message: 'timeout' })
  expect(failing.detail).toBe('retrying in 30s')
  t += 1000
  hub.ok()
  expect(board.list()[0]).toMatchObject({
    status: 'ok',
    since: '2026-11-29T10:00:03.000Z',
    lastSuccess: '2026-11-29T10:00:03.000Z',
    consecutiveFailures: 0,
  })
  expect(board.list()[0]!.detail).toBeUndefined()
  expect(seen).toEqual(['hub-heartbeat:starting', 'hub-heartbeat:failing', 'hub-heartbeat:failing', 'hub-heartbeat:ok'])
})

test('a failure message never carries a token', () => {
  const board = new StatusBoard()
  board.component('x').failed('rejected ghp_CANARY0123456789abcdefghijklmnop')
  expect(JSON.stringify(board.list())).not.toContain('CANARY')
})
