import { expect, test } from 'bun:test'
import { setup } from 'xstate'
import { fakeTimers } from '../../test/support/fake-timers.ts'
import { newView } from './actor-view.ts'
import { TimerQueue } from './clock.ts'
import { VirtualActors, type VirtualRecord } from './virtual-actors.ts'

/** waiting (rests 1 s) ⇄ working; `poke` starts work, `done` ends it, `noop` changes nothing. */
const machine = setup({
  types: {
    context: {} as { starts: number },
    input: {} as { resumeIn?: string },
    events: {} as { type: 'poke' } | { type: 'done' } | { type: 'noop' },
  },
  guards: { resting: ({ context }) => (context as { resumeIn?: string }).resumeIn === 'waiting' },
}).createMachine({
  context: ({ input }) => ({ starts: 1, ...input }) as { starts: number },
  initial: 'starting',
  states: {
    starting: { always: [{ guard: 'resting', target: 'waiting' }, { target: 'working' }] },
    working: { on: { done: 'waiting' } },
    waiting: { on: { poke: 'working' } },
  },
})

function harness() {
  const timers = fakeTimers()
  const clock = new TimerQueue(timers.host)
  const seen: string[] = []
  const pool = new VirtualActors<VirtualRecord, { starts: number }>({
    logic: machine,
    clock,
    monotonic: () => clock.now(),
    now: () => new Date(clock.now()),
    input: (_rec, resumeIn) => (resumeIn ? { resumeIn } : {}),
    onSnapshot: (rec, state) => {
      rec.view.state = state
      seen.push(state)
    },
    restFor: (state) => (state === 'waiting' ? 1000 : undefined),
    wakeEvent: { type: 'poke' },
  })
  const advance = async (ms: number) => {
    timers.advance(ms)
    await Promise.resolve()
  }
  return { pool, seen, advance, flush: () => Promise.resolve() }
}

const rec = (): VirtualRecord => ({ view: newView('c/Thing/a', 'c', 'Thing', 'a', new Date(0).toISOString()) })

test('a resting record has no live actor until its deadline; then it resumes where it rested and gets the wake event', async () => {
  const h = harness()
  const r = rec()
  h.pool.add(r, { state: 'waiting', ms: 500 })
  expect(r.actor).toBeUndefined()
  expect(r.view.dormant).toBe(true)
  await h.advance(499)
  expect(r.actor).toBeUndefined()
  await h.advance(1)
  expect(h.seen).toEqual(['waiting', 'working'])
  expect(r.actor).toBeDefined()
  h.pool.send(r.view.id, { type: 'done' })
  await h.flush()
  expect(r.actor).toBeUndefined()
  expect(r.rest?.at).toBe(1500) // a full rest after a deadline wake
})

test('an event that changes nothing sends it back to the same rest, keeping its deadline', async () => {
  const h = harness()
  const r = rec()
  h.pool.add(r, { state: 'waiting', ms: 1000 })
  await h.advance(300)
  h.pool.send(r.view.id, { type: 'noop' })
  expect(r.actor).toBeDefined()
  await h.flush()
  expect(r.actor).toBeUndefined()
  expect(r.rest?.at).toBe(1000)
})

test('states with no rest keep the actor live; removing a record cancels its deadline', async () => {
  const h = harness()
  const live = rec()
  h.pool.add(live)
  await h.flush()
  expect(live.actor).toBeDefined()
  expect(h.pool.live).toBe(1)
  const resting: VirtualRecord = { view: newView('c/Thing/b', 'c', 'Thing', 'b', new Date(0).toISOString()) }
  h.pool.add(resting, { state: 'waiting', ms: 100 })
  h.pool.remove('c/Thing/b')
  await h.advance(1000)
  expect(resting.actor).toBeUndefined()
  expect(h.pool.size).toBe(1)
})
