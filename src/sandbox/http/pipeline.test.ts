import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Octokit } from '@octokit/core'
import { throttling } from '@octokit/plugin-throttling'
import { startTestSandbox, T0, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let tok: string

beforeAll(async () => {
  sb = await startTestSandbox()
  tok = sb.login('pat', { scopes: ['repo', 'read:org'] })
  sb.control.createRepository({ owner: 'pat', name: 'r', autoInit: true })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

describe('headers and errors', () => {
  test('GitHub headers on every API response, scopes for classic and OAuth tokens only', async () => {
    const r = await sb.call('GET', '/user', { token: tok })
    expect(r.headers.get('x-github-request-id')).toMatch(/^[0-9A-F]{4}:[0-9A-F]{6}:/)
    expect(r.headers.get('x-oauth-scopes')).toBe('repo, read:org')
    expect(r.headers.get('x-accepted-oauth-scopes')).toBe('')
    expect(r.headers.get('x-ratelimit-resource')).toBe('core')
    expect(r.headers.get('etag')).toMatch(/^W\/"[0-9a-f]{32}"$/)
    const fg = sb.control.issueToken({ user: 'pat', kind: 'fine-grained' })
    expect(fg).toStartWith('github_pat_')
    const fgAnswer = await sb.call('GET', '/user', { token: fg })
    expect(fgAnswer.status).toBe(200)
    expect(fgAnswer.headers.get('x-oauth-scopes')).toBeNull()
    const missing = await sb.call('GET', '/nope/nothing', { token: tok })
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    })
    expect(missing.headers.get('x-github-request-id')).toBeTruthy()
  })

  test('401 for bad or missing credentials, 400 for bad JSON and unsupported API versions', async () => {
    expect((await sb.call('GET', '/user', { token: 'ghp_nope' })).body.message).toBe('Bad credentials')
    expect((await sb.call('GET', '/user')).body.message).toBe('Requires authentication')
    const basic = Buffer.from(`pat:${tok}`).toString('base64')
    expect((await sb.call('GET', '/user', { headers: { authorization: `Basic ${basic}` } })).body.login).toBe('pat')
    const bad = await fetch(`${sb.url}/user/repos`, {
      method: 'POST',
      headers: { authorization: `token ${tok}`, 'content-type': 'application/json' },
      body: '{nope',
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toBe('Problems parsing JSON')
    const version = await sb.call('GET', '/user', { token: tok, headers: { 'x-github-api-version': '1999-01-01' } })
    expect(version.status).toBe(400)
    expect(
      (await sb.call('GET', '/user', { token: tok, headers: { 'x-github-api-version': '2022-11-28' } })).status,
    ).toBe(200)
  })

  test('HEAD answers like GET without a body', async () => {
    const r = await fetch(`${sb.url}/repos/pat/r`, { method: 'HEAD', headers: { authorization: `token ${tok}` } })
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('')
  })
})

describe('conditional requests', () => {
  test('If-None-Match → 304, not billed; a change gives a new ETag', async () => {
    const first = await sb.call('GET', '/repos/pat/r', { token: tok })
    const etag = first.headers.get('etag')!
    const used = Number(first.headers.get('x-ratelimit-used'))
    const again = await sb.call('GET', '/repos/pat/r', { token: tok, headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.body).toBe('')
    expect(Number(again.headers.get('x-ratelimit-used'))).toBe(used)
    await sb.call('PATCH', '/repos/pat/r', { token: tok, body: { description: 'changed' } })
    const changed = await sb.call('GET', '/repos/pat/r', { token: tok, headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })
})

describe('primary rate limit', () => {
  test('remaining counts down; at 0 it is 403 with GitHub’s message; the window resets', async () => {
    const user = sb.login('limited')
    sb.control.setRateLimit({ login: 'limited', limit: 3, remaining: 2 })
    const a = await sb.call('GET', '/user', { token: user })
    expect(a.headers.get('x-ratelimit-limit')).toBe('3')
    expect(a.headers.get('x-ratelimit-remaining')).toBe('1')
    expect(a.headers.get('x-ratelimit-used')).toBe('2')
    await sb.call('GET', '/user', { token: user })
    const blocked = await sb.call('GET', '/user', { token: user })
    expect(blocked.status).toBe(403)
    expect(blocked.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(blocked.body.message).toBe(`API rate limit exceeded for user ID ${blocked.body.message.match(/\d+/)![0]}.`)
    const reset = Number(blocked.headers.get('x-ratelimit-reset'))
    expect(reset).toBe(Math.ceil((T0 + 3600_000) / 1000))
    // /rate_limit is free even when exhausted
    const rl = await sb.call('GET', '/rate_limit', { token: user })
    expect(rl.status).toBe(200)
    expect(rl.body.resources.core).toMatchObject({ limit: 3, remaining: 0 })
    sb.control.advanceTime(3600_000)
    expect((await sb.call('GET', '/user', { token: user })).status).toBe(200)
  })

  test('anonymous callers get 60 per hour', async () => {
    const r = await sb.call('GET', '/repos/pat/r')
    expect(r.headers.get('x-ratelimit-limit')).toBe('60')
  })
})

describe('secondary rate limits', () => {
  test('content creation beyond N per minute: 403 with retry-after and GitHub’s message', async () => {
    const user = sb.login('burst')
    sb.control.setSecondaryLimits({ contentCreatesPerMinute: 3 })
    try {
      for (let i = 0; i < 3; i++) {
        expect((await sb.call('POST', '/user/repos', { token: user, body: { name: `b${i}` } })).status).toBe(201)
      }
      const limited = await sb.call('POST', '/user/repos', { token: user, body: { name: 'b3' } })
      expect(limited.status).toBe(403)
      expect(limited.headers.get('retry-after')).toBe('60')
      expect(limited.body.message).toStartWith('You have exceeded a secondary rate limit.')
      expect(limited.body.message).toContain(limited.headers.get('x-github-request-id')!)
      // reads are not content creation
      expect((await sb.call('GET', '/user', { token: user })).status).toBe(200)
      sb.control.advanceTime(30_000)
      expect(
        (await sb.call('POST', '/user/repos', { token: user, body: { name: 'b3' } })).headers.get('retry-after'),
      ).toBe('30')
      sb.control.advanceTime(30_000)
      expect((await sb.call('POST', '/user/repos', { token: user, body: { name: 'b3' } })).status).toBe(201)
    } finally {
      sb.control.setSecondaryLimits({ contentCreatesPerMinute: 80 })
    }
  })

  test('@octokit/plugin-throttling recognises it as a secondary limit', async () => {
    const user = sb.login('throttled')
    sb.control.setSecondaryLimits({ contentCreatesPerMinute: 1, status: 429 })
    const seen: number[] = []
    const Throttled = Octokit.plugin(throttling)
    const octokit = new Throttled({
      baseUrl: sb.url,
      auth: user,
      throttle: {
        onRateLimit: () => false,
        onSecondaryRateLimit: (retryAfter: number) => {
          seen.push(retryAfter)
          return false
        },
      },
    })
    try {
      await octokit.request('POST /user/repos', { name: 't1' })
      const error = await octokit.request('POST /user/repos', { name: 't2' }).catch((e: { status: number }) => e)
      expect((error as { status: number }).status).toBe(429)
      expect(seen).toEqual([60])
    } finally {
      sb.control.setSecondaryLimits({ contentCreatesPerMinute: 80, status: 403 })
    }
  })

  test('concurrency beyond M: 403 with retry-after', async () => {
    const user = sb.login('parallel')
    sb.control.setSecondaryLimits({ concurrency: 2 })
    sb.control.setLatency({ ms: 40, route: '/user' })
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => sb.call('GET', '/user', { token: user })))
      const limited = answers.filter((a) => a.status === 403)
      expect(limited.length).toBeGreaterThan(0)
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0)
      expect(limited[0]!.headers.get('retry-after')).toBeTruthy()
    } finally {
      sb.control.setSecondaryLimits({ concurrency: 100 })
      sb.control.setLatency(undefined)
    }
  })
})

describe('fault injection and the request log', () => {
  test('the next N matching requests get the fault, billed like real answers', async () => {
    const id = sb.control.injectFault({
      method: 'GET',
      route: '/repos/{owner}/{repo}',
      status: 502,
      count: 2,
      headers: { 'x-injected': 'yes' },
    })
    expect(id).toBeNumber()
    const a = await sb.call('GET', '/repos/pat/r', { token: tok })
    expect(a.status).toBe(502)
    expect(a.headers.get('x-injected')).toBe('yes')
    expect(a.body.message).toBe('Server Error')
    expect((await sb.call('GET', '/repos/pat/r', { token: tok })).status).toBe(502)
    expect((await sb.call('GET', '/repos/pat/r', { token: tok })).status).toBe(200)
    sb.control.injectFault({ route: '/repos/pat/*', status: 422, body: { message: 'custom' }, count: Infinity })
    expect((await sb.call('GET', '/repos/pat/r/keys', { token: tok })).body).toEqual({ message: 'custom' })
    expect((await sb.call('GET', '/repos/pat/r/topics', { token: tok })).status).toBe(422)
    sb.control.clearFaults()
    expect((await sb.call('GET', '/repos/pat/r/topics', { token: tok })).status).toBe(200)
  })

  test('counts per route and status, 304s separately, billed and unbilled', async () => {
    sb.control.clearRequests()
    const first = await sb.call('GET', '/repos/pat/r', { token: tok })
    await sb.call('GET', '/repos/pat/r', { token: tok, headers: { 'if-none-match': first.headers.get('etag')! } })
    await sb.call('GET', '/repos/pat/nope', { token: tok })
    await sb.call('GET', '/rate_limit', { token: tok })
    const counts = sb.control.requestCounts()
    expect(counts).toEqual({
      total: 4,
      billed: 2,
      unbilled: 2,
      notModified: 1,
      byRoute: { 'GET /repos/{owner}/{repo}': 3, 'GET /rate_limit': 1 },
      byStatus: { '200': 2, '304': 1, '404': 1 },
    })
    expect(sb.control.requestCounts({ route: '/repos/{owner}/{repo}', status: 304 }).total).toBe(1)
    const entries = sb.control.requests({ method: 'GET' })
    expect(entries[0]).toMatchObject({ path: '/repos/pat/r', login: 'pat', tokenKind: 'classic', billed: true })
    expect(JSON.stringify(entries)).not.toContain(tok)
  })
})
