// The heartbeat against a tiny local HTTP server standing in for the kedge hub: the request on the
// wire is the protocol boundary (path, JSON body, bearer), so a real socket is what we test. Time
// is fake: timers fire when the test advances them, nothing sleeps for 30 s.
import { afterAll, afterEach, beforeAll, expect, test } from 'bun:test'
import { testPki } from '../../test/support/apiserver.ts'
import { eventually, fakeTimers } from '../../test/support/fake-timers.ts'
import { createLogger } from '../log.ts'
import { VERSION } from '../version.ts'
import { createHeartbeat, type Heartbeat, type HeartbeatOptions, retryDelay } from './heartbeat.ts'

interface Seen {
  method: string
  path: string
  authorization: string | null
  contentType: string | null
  body: unknown
}

type Mode = 'ok' | 'fail' | 'hang' | 'busy'
let mode: Mode = 'ok'
const seen: Seen[] = []
const hanging: (() => void)[] = []

async function hubFetch(req: Request): Promise<Response> {
  seen.push({
    method: req.method,
    path: new URL(req.url).pathname,
    authorization: req.headers.get('authorization'),
    contentType: req.headers.get('content-type'),
    body: await req.json(),
  })
  if (mode === 'fail') return new Response('hub is restarting', { status: 503 })
  if (mode === 'busy') return new Response('slow down', { status: 429, headers: { 'retry-after': '45' } })
  if (mode === 'hang') return new Promise((resolve) => hanging.push(() => resolve(new Response('late'))))
  return Response.json({ ok: true })
}

const hub = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: hubFetch })
let tlsHub: ReturnType<typeof Bun.serve>
const logs: string[] = []
let running: Heartbeat | undefined

beforeAll(async () => {
  const pki = await testPki()
  tlsHub = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    tls: { cert: pki.serving.cert, key: pki.serving.key },
    fetch: hubFetch,
  })
})
afterEach(async () => {
  await running?.stop()
  running = undefined
  for (const release of hanging.splice(0)) release()
  seen.length = 0
  logs.length = 0
  mode = 'ok'
})
afterAll(() => {
  hub.stop(true)
  tlsHub.stop(true)
})

function start(overrides: Partial<HeartbeatOptions> = {}) {
  const clock = fakeTimers()
  const beat = createHeartbeat({
    hubURL: `http://127.0.0.1:${hub.port}/`,
    providerName: 'code',
    token: 'hub-token-CANARY-0123456789abcdef',
    version: VERSION,
    healthy: () => true,
    logger: createLogger('debug', (l) => logs.push(l)),
    timers: clock.host,
    now: clock.now,
    healthCheckMs: 0,
    ...overrides,
  })
  running = beat
  beat.start()
  return { beat, clock }
}

test('beats at once, then every 30 s: POST, JSON version and status, bearer token', async () => {
  const { beat, clock } = start()
  await eventually(() => beat.status().state === 'ok', 'first beat')
  expect(seen).toEqual([
    {
      method: 'POST',
      path: '/api/providers/code/heartbeat',
      authorization: 'Bearer hub-token-CANARY-0123456789abcdef',
      contentType: 'application/json',
      body: { version: VERSION, status: 'healthy' },
    },
  ])
  expect(beat.status()).toMatchObject({
    state: 'ok',
    target: `http://127.0.0.1:${hub.port}/api/providers/code/heartbeat`,
    lastSuccess: '2026-01-01T00:00:00.000Z',
    nextAttempt: '2026-01-01T00:00:30.000Z',
    consecutiveFailures: 0,
    lastSent: 'healthy',
  })
  expect(clock.pending()).toEqual([30_000])
  clock.advance(29_999)
  expect(seen).toHaveLength(1)
  clock.advance(1)
  await eventually(() => seen.length === 2 && beat.status().nextAttempt === '2026-01-01T00:01:00.000Z', 'second beat')
})

test('says degraded while the runtime is not ready; no token, no Authorization header', async () => {
  let ready = false
  const { beat, clock } = start({ token: undefined, healthy: () => ready })
  await eventually(() => beat.status().lastSent === 'degraded', 'degraded beat')
  ready = true
  beat.refresh()
  await eventually(() => beat.status().lastSent === 'healthy', 'healthy beat, at once')
  beat.refresh()
  expect(clock.pending()).toEqual([30_000])
  expect(seen.map((s) => [s.authorization, (s.body as { status: string }).status])).toEqual([
    [null, 'degraded'],
    [null, 'healthy'],
  ])
})

test('health is looked at every second: the hub hears of a change at once', async () => {
  let ready = false
  const { beat, clock } = start({ healthy: () => ready, healthCheckMs: 1_000 })
  await eventually(() => beat.status().lastSent === 'degraded', 'degraded beat')
  expect(clock.pending()).toEqual([1_000, 30_000])
  clock.advance(1_000)
  expect(seen).toHaveLength(1)
  ready = true
  clock.advance(1_000)
  await eventually(() => beat.status().lastSent === 'healthy', 'healthy beat after the next look')
  expect(seen).toHaveLength(2)
  await beat.stop()
  expect(clock.pending()).toEqual([])
})

test('health that changes while a beat is on its way is sent right after it', async () => {
  let ready = false
  mode = 'hang'
  const { beat, clock } = start({ healthy: () => ready })
  await eventually(() => hanging.length === 1, 'request reached the hub')
  ready = true
  hanging.shift()!()
  await eventually(() => beat.status().lastSent === 'degraded', 'the degraded beat answered')
  expect(clock.pending()).toEqual([0])
  mode = 'ok'
  clock.advance(0)
  await eventually(() => beat.status().lastSent === 'healthy', 'the healthy beat')
})

test('failures back off (2 s doubling, at most 60 s), are visible in status, and recover to 30 s', async () => {
  mode = 'fail'
  const { beat, clock } = start()
  const waits: number[] = []
  for (let n = 1; n <= 7; n++) {
    await eventually(() => beat.status().consecutiveFailures === n && clock.pending().length === 1, `failure ${n}`)
    waits.push(clock.pending()[0]!)
    clock.advance(clock.pending()[0]!)
  }
  expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
  await eventually(() => beat.status().consecutiveFailures === 8, 'failure 8')
  expect(beat.status()).toMatchObject({
    state: 'failing',
    lastError: { message: 'hub answered 503: hub is restarting' },
  })
  expect(beat.status().lastSuccess).toBeUndefined()
  expect(logs.filter((l) => l.includes('"level":"warn"'))).toHaveLength(1)

  mode = 'ok'
  clock.advance(clock.pending()[0]!)
  await eventually(() => beat.status().state === 'ok', 'recovery')
  expect(beat.status().consecutiveFailures).toBe(0)
  expect(clock.pending()).toEqual([30_000])
  expect(logs.some((l) => l.includes('hub heartbeat recovered'))).toBe(true)
})

test("a hub's Retry-After is honoured, up to the cap", async () => {
  mode = 'busy'
  const { beat, clock } = start()
  await eventually(() => beat.status().state === 'failing' && clock.pending().length === 1, 'busy answer')
  expect(clock.pending()).toEqual([45_000])
  expect(retryDelay(1, 2_000, 60_000, 600_000)).toBe(60_000)
})

test('a hub that does not answer within 5 s is a failure, and the beat is retried', async () => {
  mode = 'hang'
  const { beat, clock } = start()
  await eventually(() => hanging.length === 1, 'request reached the hub')
  expect(clock.pending()).toEqual([5_000])
  clock.advance(5_000)
  await eventually(() => beat.status().state === 'failing', 'timeout')
  expect(beat.status().lastError?.message).toBe('no answer within 5000 ms')
  expect(clock.pending()).toEqual([2_000])
})

test('TLS: a self-signed hub is refused unless insecure is set', async () => {
  const hubURL = `https://127.0.0.1:${tlsHub.port}`
  const strict = start({ hubURL })
  await eventually(() => strict.beat.status().state === 'failing', 'TLS refusal')
  expect(strict.beat.status().lastError?.message).toMatch(/cannot reach the hub/)
  expect(seen).toHaveLength(0)
  await strict.beat.stop()

  const lax = start({ hubURL, insecure: true })
  await eventually(() => lax.beat.status().state === 'ok', 'insecure beat')
  expect(seen).toHaveLength(1)
})

test('stop cancels the next beat; the token appears in no status or log line', async () => {
  const { beat, clock } = start()
  await eventually(() => beat.status().state === 'ok', 'first beat')
  await beat.stop()
  expect(clock.pending()).toEqual([])
  expect(beat.status().state).toBe('stopped')
  expect(beat.status().nextAttempt).toBeUndefined()
  clock.advance(120_000)
  expect(seen).toHaveLength(1)
  expect(JSON.stringify(beat.status()) + logs.join('\n')).not.toContain('CANARY')
})

test('a reporter (the admin status board) hears every outcome', async () => {
  const told: string[] = []
  mode = 'fail'
  const { beat, clock } = start({
    reporter: {
      ok: (d) => told.push(`ok ${d}`),
      failed: (e, d) => told.push(`failed ${(e as Error).message} (${d})`),
      stopped: () => told.push('stopped'),
    },
  })
  await eventually(() => told.length === 1, 'first report')
  mode = 'ok'
  clock.advance(2_000)
  await eventually(() => told.length === 2, 'second report')
  await beat.stop()
  expect(told).toEqual([
    'failed hub answered 503: hub is restarting (retrying in 2 s)',
    'ok hub accepted "healthy"',
    'stopped',
  ])
})
