// nextWakeup and mailboxDepth read XState internals: these tests fail loudly if an upgrade moves them.
import { expect, test } from 'bun:test'
import { assign, createActor, setup } from 'xstate'
import { describeActor, mailboxDepth, nextWakeup, sanitizeContext } from './actor-inspect.ts'
import { newView } from './actor-view.ts'

const machine = setup({
  types: { context: {} as { token: string; seen: number }, events: {} as { type: 'go' } | { type: 'ping' } },
  delays: { poll: 60_000, retry: 1_000 },
}).createMachine({
  context: { token: 'ghp_CANARY0123456789abcdefghijklmnop', seen: 0 },
  initial: 'ready',
  states: {
    ready: { after: { poll: 'busy' }, on: { go: 'backoff' } },
    backoff: { after: { retry: 'ready' } },
    busy: {},
  },
  on: { ping: { actions: assign({ seen: ({ context }) => context.seen + 1 }) } },
})

test('the next wake-up names the delay and when it fires; it follows the state', () => {
  const actor = createActor(machine).start()
  const now = Date.now()
  expect(nextWakeup(actor, now)).toMatchObject({ delay: 'poll', event: expect.stringContaining('xstate.after.poll') })
  expect(nextWakeup(actor, now)!.inMs).toBeGreaterThan(59_000)
  actor.send({ type: 'go' })
  const retry = nextWakeup(actor, now)!
  expect(retry.delay).toBe('retry')
  expect(Date.parse(retry.at) - now).toBeLessThanOrEqual(1_000 + 50)
  actor.stop()
  expect(nextWakeup(actor, Date.now())).toBeUndefined()
})

test('the mailbox holds events sent while the actor is busy with another', () => {
  const depths: number[] = []
  const actor = createActor(machine)
  actor.subscribe(() => depths.push(mailboxDepth(actor)))
  actor.start()
  expect(mailboxDepth(actor)).toBe(0)
  // Sending from inside a listener queues behind the event being processed.
  let once = true
  actor.subscribe(() => {
    if (once) {
      once = false
      actor.send({ type: 'ping' })
      actor.send({ type: 'ping' })
    }
  })
  actor.send({ type: 'ping' })
  expect(Math.max(...depths)).toBeGreaterThanOrEqual(2)
  expect(mailboxDepth(actor)).toBe(0)
  expect(actor.getSnapshot().context.seen).toBe(3)
  actor.stop()
})

test('context is shown without secrets or managedFields', () => {
  const actor = createActor(machine).start()
  const detail = describeActor(newView('x', 'c', 'Test', 'x', ''), actor, Date.now())
  expect(detail.context).toEqual({ token: '[redacted]', seen: 0 })
  expect(detail.status).toBe('active')
  expect(sanitizeContext({ object: { metadata: { name: 'n', managedFields: [{ manager: 'kubectl' }] } } })).toEqual({
    object: { metadata: { name: 'n' } },
  })
  actor.stop()
})
