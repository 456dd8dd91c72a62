import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { VirtualClock } from '../../../test/support/virtual-clock.ts'
import type { ResponseInfo } from '../backend.ts'
import { BackendError } from '../errors.ts'
import { EtagCache } from './etag-cache.ts'
import { defaultGateLimits, RequestGate } from './gate.ts'
import { type Call, nextLink, Transport, templateOf } from './transport.ts'

const TOKEN = 'ghp_transportTestToken0123456789abcdef'

// A tiny local HTTP server, programmed per path; it records what it was asked.
type Handler = (req: Request, hit: number) => Response | Promise<Response>
const routes = new Map<string, Handler>()
const hits = new Map<string, Request[]>()
let api: ReturnType<typeof Bun.serve>
let blob: ReturnType<typeof Bun.serve>
let blobAuth: (string | null)[] = []

beforeAll(() => {
  api = Bun.serve({
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname
      const seen = hits.get(path) ?? []
      // Keep a copy: Bun does not keep every header of a finished request readable.
      seen.push(new Request(req.url, { method: req.method, headers: new Headers(req.headers) }))
      hits.set(path, seen)
      const handler = routes.get(path)
      return handler ? handler(req, seen.length) : Response.json({ message: 'Not Found' }, { status: 404 })
    },
  })
  blob = Bun.serve({
    port: 0,
    fetch(req) {
      blobAuth.push(req.headers.get('authorization'))
      return new Response('line 1\nline 2\nline 3\n')
    },
  })
})
afterAll(() => {
  api.stop(true)
  blob.stop(true)
})

function setup(basePath = '') {
  routes.clear()
  hits.clear()
  blobAuth = []
  const clock = new VirtualClock()
  const gate = new RequestGate('fp@test', 'test', { ...defaultGateLimits, maxWaitMs: 60_000 }, clock)
  const transport = new Transport({
    baseURL: `http://127.0.0.1:${api.port}${basePath}`,
    gate,
    cache: new EtagCache(),
    clock,
    fetch: (input, init) => fetch(input, init),
    token: async () => TOKEN,
    retries: 2,
    retryBaseDelayMs: 1000,
    requestTimeoutMs: 10_000,
    downloadTimeoutMs: 10_000,
    userAgent: 'test',
  })
  const responses: ResponseInfo[] = []
  const call: Call = { what: 'test call', background: true, onResponse: (r) => responses.push(r) }
  return { clock, gate, transport, responses, call }
}

const budget = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': '1767229200' }

describe('transport', () => {
  test('sends the credential, the API version and our user agent; reports the route template', async () => {
    const { transport, responses, call } = setup()
    routes.set('/repos/acme/web', () => Response.json({ id: 1 }, { headers: { 'x-github-request-id': 'R1' } }))
    const res = await transport.request<{ id: number }>(
      'GET /repos/{owner}/{repo}',
      { owner: 'acme', repo: 'web' },
      call,
    )
    expect(res.data).toEqual({ id: 1 })
    const req = hits.get('/repos/acme/web')![0]!
    expect(req.headers.get('authorization')).toBe(`Bearer ${TOKEN}`)
    expect(req.headers.get('x-github-api-version')).toBe('2022-11-28')
    expect(req.headers.get('user-agent')).toStartWith('test')
    expect(responses).toEqual([
      {
        method: 'GET',
        route: 'GET /repos/{owner}/{repo}',
        status: 200,
        requestId: 'R1',
        durationMs: 0,
        notModified: false,
        gate: 'fp@test',
      },
    ])
  })

  test('an onResponse hook that throws does not fail the request it reports', async () => {
    const { transport, call } = setup()
    routes.set('/user/repos', () => Response.json({ id: 1 }, { status: 201 }))
    const hook: Call = {
      ...call,
      onResponse: () => {
        throw new Error('observer bug')
      },
    }
    expect((await transport.request('POST /user/repos', { name: 'x' }, hook)).status).toBe(201)
    expect(hits.get('/user/repos')).toHaveLength(1)
  })

  test('GHES: the base path prefixes every request', async () => {
    const { transport, call } = setup('/api/v3')
    routes.set('/api/v3/user', () => Response.json({ login: 'me' }))
    expect((await transport.request<{ login: string }>('GET /user', {}, call)).data.login).toBe('me')
  })

  test('follows Link rel=next to the end, 100 per page', async () => {
    const { transport, responses, call } = setup()
    routes.set('/orgs/acme/packages', (req) => {
      const url = new URL(req.url)
      const page = Number(url.searchParams.get('page') ?? '1')
      const next = new URL(url)
      next.searchParams.set('page', String(page + 1))
      const link = page < 3 ? `<${next}>; rel="next", <${next}>; rel="last"` : `<${url}>; rel="first"`
      return Response.json([{ name: `p${page}` }], { headers: { link } })
    })
    const all = await transport.paginate<{ name: string }>(
      'GET /orgs/{org}/packages',
      { org: 'acme', package_type: 'container' },
      call,
    )
    expect(all.map((p) => p.name)).toEqual(['p1', 'p2', 'p3'])
    const asked = hits.get('/orgs/acme/packages')!.map((r) => new URL(r.url).searchParams)
    expect(asked.map((q) => q.get('per_page'))).toEqual(['100', '100', '100'])
    expect(asked.map((q) => q.get('package_type'))).toEqual(['container', 'container', 'container'])
    expect(responses.map((r) => r.route)).toEqual(Array(3).fill('GET /orgs/{org}/packages'))
    expect(await transport.paginate('GET /orgs/{org}/packages', { org: 'acme' }, call, { max: 2 })).toHaveLength(2)
  })

  test('refuses a next-page link to another host (the token would follow it)', async () => {
    const { transport, call } = setup()
    routes.set('/list', () =>
      Response.json([1], { headers: { link: '<https://evil.example/list?page=2>; rel="next"' } }),
    )
    const err = await transport.paginate('GET /list', {}, call).catch((e) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect(err.message).toContain('another host')
  })

  test('conditional requests: a 304 reuses the cached body and is reported notModified', async () => {
    const { transport, responses, call, gate } = setup()
    routes.set('/repos/acme/web', (req) =>
      req.headers.get('if-none-match') === '"v1"'
        ? new Response(null, { status: 304, headers: { etag: '"v1"', ...budget } })
        : Response.json({ id: 7, name: 'web' }, { headers: { etag: '"v1"', ...budget } }),
    )
    const first = await transport.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'web' }, call)
    const second = await transport.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'web' }, call)
    expect(second.data).toEqual(first.data)
    expect(hits.get('/repos/acme/web')!.map((r) => r.headers.get('if-none-match'))).toEqual([null, '"v1"'])
    expect(responses.map((r) => [r.status, r.notModified])).toEqual([
      [200, false],
      [304, true],
    ])
    expect(gate.snapshot().requests).toEqual({ total: 2, notModified: 1, errors: 0 })
  })

  test('conditional pagination: every page 304 still yields every item', async () => {
    const { transport, responses, call } = setup()
    routes.set('/items', (req) => {
      const page = new URL(req.url).searchParams.get('page') ?? '1'
      const etag = `"p${page}"`
      if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } })
      const link = page === '1' ? `<http://127.0.0.1:${api.port}/items?page=2&per_page=100>; rel="next"` : ''
      return Response.json([`item${page}`], { headers: { etag, ...(link ? { link } : {}) } })
    })
    expect(await transport.paginate('GET /items', {}, call)).toEqual(['item1', 'item2'])
    expect(await transport.paginate('GET /items', {}, call)).toEqual(['item1', 'item2'])
    expect(responses.map((r) => r.notModified)).toEqual([false, false, true, true])
  })

  test('5xx is retried with backoff on the injected clock, then succeeds', async () => {
    const { transport, clock, call } = setup()
    const start = clock.now()
    routes.set('/flaky', (_req, hit) =>
      hit < 3 ? Response.json({ message: 'Server Error' }, { status: 502 }) : Response.json({ ok: true }),
    )
    const res = await transport.request('GET /flaky', {}, call)
    expect(res.data).toEqual({ ok: true })
    expect(hits.get('/flaky')).toHaveLength(3)
    expect(clock.now() - start).toBe(1000 + 4000)
  })

  test('5xx every time: transient after 1 + 2 tries', async () => {
    const { transport, call } = setup()
    routes.set('/down', () => Response.json({ message: 'Service Unavailable' }, { status: 503 }))
    const err = await transport.request('GET /down', {}, call).catch((e) => e)
    expect(err).toMatchObject({ code: 'transient', status: 503 })
    expect(hits.get('/down')).toHaveLength(3)
  })

  test('a refused connection is transient', async () => {
    const { call } = setup()
    const dead = new Transport({
      baseURL: 'http://127.0.0.1:1',
      gate: new RequestGate('x@dead', 'dead', defaultGateLimits, new VirtualClock()),
      cache: new EtagCache(),
      clock: new VirtualClock(),
      fetch: (input, init) => fetch(input, init),
      token: async () => TOKEN,
      retries: 0,
      retryBaseDelayMs: 0,
      requestTimeoutMs: 5000,
      downloadTimeoutMs: 5000,
      userAgent: 'test',
    })
    const err = await dead.request('GET /user', {}, call).catch((e) => e)
    expect(err).toMatchObject({ code: 'transient' })
    expect(err.message).not.toContain(TOKEN)
  })

  test('4xx and 429 are never retried by plugin-retry', async () => {
    const { transport, call } = setup()
    routes.set('/gone', () => Response.json({ message: 'Not Found' }, { status: 404 }))
    routes.set('/busy', () => Response.json({ message: 'Too Many Requests' }, { status: 429 }))
    expect(await transport.request('GET /gone', {}, call).catch((e) => e.code)).toBe('not-found')
    expect(await transport.request('GET /busy', {}, call).catch((e) => e.code)).toBe('rate-limited')
    expect(hits.get('/gone')).toHaveLength(1)
    expect(hits.get('/busy')).toHaveLength(1)
  })

  test('secondary limit with a short retry-after: the gate parks, plugin-throttling retries once after it', async () => {
    const { transport, clock, call, gate } = setup()
    const at: number[] = []
    routes.set('/user/repos', (_req, hit) => {
      at.push(clock.now())
      return hit === 1
        ? Response.json(
            { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
            { status: 403, headers: { 'retry-after': '5', ...budget } },
          )
        : Response.json({ id: 1 }, { status: 201 })
    })
    const res = await transport.request('POST /user/repos', { name: 'x' }, { ...call, background: false })
    expect(res.status).toBe(201)
    expect(at).toHaveLength(2)
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(5000)
    expect(gate.snapshot().requests.errors).toBe(1)
  })

  test('a long retry-after: no retry into the limit; later calls are refused without reaching GitHub', async () => {
    const { transport, call } = setup()
    routes.set('/user/repos', () =>
      Response.json(
        { message: 'You have exceeded a secondary rate limit.' },
        { status: 403, headers: { 'retry-after': '600' } },
      ),
    )
    routes.set('/user', () => Response.json({ login: 'me' }))
    const first = await transport.request('POST /user/repos', { name: 'x' }, call).catch((e) => e)
    expect(first).toMatchObject({ code: 'rate-limited', retryAfterMs: 600_000, status: 403 })
    const second = await transport.request('GET /user', {}, call).catch((e) => e)
    expect(second).toMatchObject({ code: 'rate-limited', reason: 'gate-held' })
    expect(hits.get('/user/repos')).toHaveLength(1)
    expect(hits.get('/user')).toBeUndefined()
  })

  test('downloads follow the redirect by hand; the token never leaves the API origin', async () => {
    const { transport, responses, call } = setup()
    routes.set(
      '/repos/acme/web/actions/jobs/9/logs',
      () => new Response(null, { status: 302, headers: { location: `http://localhost:${blob.port}/logs/9?sig=abc` } }),
    )
    const { response, requests } = await transport.download(
      'GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
      { owner: 'acme', repo: 'web', job_id: 9 },
      call,
    )
    expect(await response.text()).toBe('line 1\nline 2\nline 3\n')
    expect(requests).toBe(2)
    expect(blobAuth).toEqual([null])
    expect(hits.get('/repos/acme/web/actions/jobs/9/logs')![0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`)
    expect(responses.map((r) => `${r.route} ${r.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs 302',
      'GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs (redirect) 200',
    ])
  })

  test('a redirect within the API origin keeps the credential', async () => {
    const { transport, call } = setup()
    routes.set(
      '/repos/acme/web/tarball/abc',
      () => new Response(null, { status: 302, headers: { location: '/codeload/abc' } }),
    )
    routes.set('/codeload/abc', (req) => new Response(req.headers.get('authorization')))
    const { response } = await transport.download(
      'GET /repos/{owner}/{repo}/tarball/{ref}',
      { owner: 'acme', repo: 'web', ref: 'abc' },
      call,
    )
    expect(await response.text()).toBe(`Bearer ${TOKEN}`)
  })
})

describe('helpers', () => {
  test('nextLink and route templates', () => {
    expect(nextLink('<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"')).toBe('https://a/x?page=2')
    expect(nextLink('<https://a/x?page=1>; rel="prev"')).toBeUndefined()
    expect(nextLink(undefined)).toBeUndefined()
    expect(templateOf('GET /repos/{owner}/{repo}')).toBe('/repos/{owner}/{repo}')
    expect(templateOf('GET /search/code{?q,per_page}')).toBe('/search/code')
    expect(templateOf('GET /x?page=2')).toBe('/x')
    expect(templateOf('PATCH /repos/{owner}/{repo}/git/refs/{+ref}')).toBe('/repos/{owner}/{repo}/git/refs/{ref}')
  })
})
