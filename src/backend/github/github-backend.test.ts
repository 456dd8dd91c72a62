// The backend as a whole against the GitHub sandbox over HTTP: conditional requests, the gate under
// GitHub's limits, GitHub App credentials, faults. One virtual clock drives gate and sandbox.

import { afterEach, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox, USER } from '../../../test/support/backend-sandbox.ts'
import type { ResponseInfo } from '../backend.ts'

let env: BackendSandbox | undefined
afterEach(async () => {
  await env?.stop()
  env = undefined
})

describe('conditional requests', () => {
  test('observing unchanged repositories again costs no billed request: every answer is a 304', async () => {
    env = await startBackendSandbox()
    const ids: string[] = []
    for (let i = 0; i < 20; i++)
      ids.push(String(env.sandbox.control.createRepository({ owner: ORG, name: `r${i}` }).id))
    const responses: ResponseInfo[] = []
    const session = env.session({ onResponse: (r) => responses.push(r) })
    const observeAll = () =>
      Promise.all(
        ids.map((id, i) => session.repositories.observe({ owner: ORG, name: `r${i}` }, { name: `r${i}` }, { id })),
      )
    await observeAll()
    env.sandbox.control.clearRequests()
    const again = await observeAll()
    expect(again.every((o) => o.exists && o.upToDate)).toBe(true)
    expect(env.sandbox.control.requestCounts()).toMatchObject({ total: 20, billed: 0, notModified: 20 })
    expect(responses.slice(20).every((r) => r.status === 304 && r.notModified)).toBe(true)
    expect(env.backend.gates()[0]!.requests).toMatchObject({ total: 40, notModified: 20 })

    env.sandbox.control.changeRepository(ORG, 'r3', { description: 'changed' })
    const changed = await session.repositories.observe(
      { owner: ORG, name: 'r3' },
      { name: 'r3', description: '' },
      { id: ids[3] },
    )
    expect(changed).toMatchObject({ exists: true, diff: ['description'] })
  })
})

describe('the gate under GitHub limits', () => {
  test('a secondary limit parks the gate; the create is retried once after retry-after and succeeds', async () => {
    env = await startBackendSandbox({ gate: { writeSpacingMs: 0 } })
    env.sandbox.control.setSecondaryLimits({ contentCreatesPerMinute: 3 })
    const session = env.session()
    const start = env.clock.now()
    for (let i = 0; i < 5; i++) await session.repositories.create(ORG, 'Organization', { name: `burst-${i}` })
    const counts = env.sandbox.control.requestCounts({ route: 'POST /orgs/{org}/repos' })
    expect(counts.byStatus).toEqual({ '201': 5, '403': 1 })
    expect(env.clock.now() - start).toBeGreaterThanOrEqual(60_000)
    expect(env.backend.gates()[0]!.requests.errors).toBe(1)
  })

  test('with the default spacing, a burst stays under GitHub’s 80 a minute without a single 403', async () => {
    env = await startBackendSandbox()
    const session = env.session()
    const start = env.clock.now()
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => session.repositories.create(ORG, 'Organization', { name: `fast-${i}` })),
    )
    expect(env.sandbox.control.requestCounts({ route: 'POST /orgs/{org}/repos' }).byStatus).toEqual({ '201': 100 })
    expect(env.clock.now() - start).toBeGreaterThanOrEqual(99 * 750)
    expect(env.backend.gates()[0]!.writesLastMinute).toBeLessThanOrEqual(80)
  })

  test('an exhausted primary budget: rate-limited with retryAfterMs, held without asking GitHub, free after the reset', async () => {
    env = await startBackendSandbox()
    env.sandbox.control.createRepository({ owner: ORG, name: 'limited' })
    const session = env.session()
    const ref = { owner: ORG, name: 'limited' }
    env.sandbox.control.setRateLimit({ login: USER, remaining: 0, resetAt: env.clock.now() + 30 * 60_000 })
    const first = await session.repositories.observe(ref, { name: 'limited' }).catch((e) => e)
    expect(first).toMatchObject({ code: 'rate-limited', status: 403, reason: 'primary-rate-limit' })
    expect(first.retryAfterMs).toBeGreaterThan(29 * 60_000)
    const gate = env.backend.gates()[0]!
    expect(gate.parkedReason).toBe('primary rate limit exhausted')
    expect(gate.remaining).toBe(0)

    env.sandbox.control.clearRequests()
    const held = await session.repositories.observe(ref, { name: 'limited' }).catch((e) => e)
    expect(held).toMatchObject({ code: 'rate-limited', reason: 'gate-held' })
    expect(env.sandbox.control.requestCounts().total).toBe(0)

    env.clock.advance(31 * 60_000)
    expect(await session.repositories.observe(ref, { name: 'limited' })).toMatchObject({ exists: true })
  })

  test('below 10% of the budget, background polls wait and interactive work goes on', async () => {
    env = await startBackendSandbox()
    env.sandbox.control.createRepository({ owner: ORG, name: 'scarce' })
    const ref = { owner: ORG, name: 'scarce' }
    env.sandbox.control.setRateLimit({ login: USER, remaining: 300, resetAt: env.clock.now() + 20 * 60_000 })
    const background = env.session()
    const interactive = env.session({ priority: 'interactive' })
    await interactive.validate() // the gate learns the budget
    const held = await background.repositories.observe(ref, { name: 'scarce' }).catch((e) => e)
    expect(held).toMatchObject({ code: 'rate-limited', reason: 'gate-held' })
    expect(held.message).toContain('background reads wait for the reset')
    expect(await interactive.repositories.observe(ref, { name: 'scarce' })).toMatchObject({ exists: true })
    expect(await background.repositories.update(ref, { name: 'scarce', description: 'writes go on' })).toMatchObject({
      description: 'writes go on',
    })
  })

  test('5xx answers are retried with backoff; the caller sees the success', async () => {
    env = await startBackendSandbox()
    env.sandbox.control.createRepository({ owner: ORG, name: 'flaky' })
    env.sandbox.control.injectFault({ route: '/repos/{owner}/{repo}', method: 'GET', status: 502, count: 2 })
    const seen = await env.session().repositories.observe({ owner: ORG, name: 'flaky' }, { name: 'flaky' })
    expect(seen.exists).toBe(true)
    expect(env.sandbox.control.requestCounts({ route: 'GET /repos/{owner}/{repo}' }).byStatus).toEqual({
      '200': 1,
      '502': 2,
    })
  })
})

describe('credentials', () => {
  test('a GitHub App installation: JWT, one installation token for many calls, the bot as login', async () => {
    env = await startBackendSandbox()
    const app = env.sandbox.control.registerApp({ name: 'Kedge Test', owner: ORG })
    const { installationId } = env.sandbox.control.installApp({ appId: app.appId, account: ORG })
    env.sandbox.control.createRepository({ owner: ORG, name: 'app-repo' })
    // The sandbox has no GET /app yet: answer it as GitHub does (the App, by its JWT).
    env.sandbox.control.injectFault({
      method: 'GET',
      route: '/app',
      status: 200,
      body: { id: app.appId, slug: app.slug, name: 'Kedge Test' },
    })
    const endpoint = {
      baseURL: env.sandbox.url,
      credential: {
        kind: 'github-app' as const,
        appID: app.appId,
        installationID: installationId,
        privateKey: app.privateKey,
      },
    }
    const session = env.backend.session(endpoint)
    expect(await session.validate()).toEqual({
      login: `${app.slug}[bot]`,
      tokenKind: 'github-app-installation',
      scopes: [],
      scopesKnown: false,
    })
    expect(session.packages).toBeUndefined()
    for (let i = 0; i < 3; i++) {
      expect(await session.repositories.observe({ owner: ORG, name: 'app-repo' }, { name: 'app-repo' })).toMatchObject({
        exists: true,
      })
    }
    const created = await session.repositories.create(ORG, 'Organization', { name: 'by-the-app' })
    expect(created.alreadyExisted).toBe(false)
    expect(
      env.sandbox.control.requestCounts({ route: 'POST /app/installations/{installation_id}/access_tokens' }).total,
    ).toBe(1)
    const wrong = env.backend.session({ ...endpoint, credential: { ...endpoint.credential, installationID: 999_999 } })
    expect(await wrong.validate().catch((e) => e)).toMatchObject({ code: 'not-found' })
  })

  test('gates are per credential and host, named by a fingerprint, never by the token', async () => {
    env = await startBackendSandbox()
    const other = env.sandbox.control.issueToken({ user: USER })
    const responses: ResponseInfo[] = []
    await env.session({ onResponse: (r) => responses.push(r) }).validate()
    await env.sessionFor(other, { onResponse: (r) => responses.push(r) }).validate()
    const gates = env.backend.gates()
    expect(gates).toHaveLength(2)
    const dump = JSON.stringify({ gates, responses })
    expect(dump).not.toContain(env.token)
    expect(dump).not.toContain(other)
    for (const gate of gates) expect(gate.id).toMatch(/^[0-9a-f]{12}@127\.0\.0\.1:\d+$/)
    expect(new Set(gates.map((g) => g.id)).size).toBe(2)
  })
})
