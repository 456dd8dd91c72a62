import { describe, expect, test } from 'bun:test'
import type { OAuthConfig } from '../config.ts'
import { authorizeURL, createPkce, exchangeCode, lookUpUser, OAuthStates, s256 } from './github-oauth.ts'

const config: OAuthConfig = {
  clientId: 'cid',
  clientSecret: 'csecret',
  redirectURL: 'https://hub.example.com/oauth/github/callback',
  startURL: 'https://hub.example.com/oauth/github/start',
  portalOrigin: 'https://hub.example.com',
  scopes: ['repo', 'read:org'],
  webURL: 'https://github.com',
  apiURL: 'https://api.github.com',
}
const caller = { tenant: 'root:acme', cluster: 'c1', user: 'alice', token: 'hub-token' }

describe('PKCE', () => {
  test('S256 is unpadded base64url of SHA-256 (value from Python hashlib)', () => {
    expect(s256('dBjftJeZ4CVP-mJ92K9uxZWSUnrMSDs8Fw7z5gIQq4o')).toBe('lDMp7XpJrkJG8RSqBhdYLLIqpFwEB7vyKsJlRBCGXDE')
  })
  test('verifiers are 43 URL-safe characters, fresh each time', () => {
    const a = createPkce()
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.challenge).toBe(s256(a.verifier))
    expect(createPkce().verifier).not.toBe(a.verifier)
  })
  test('the authorize URL carries the challenge, state, scopes and callback', () => {
    const u = new URL(authorizeURL(config, 'st', 'ch'))
    expect(u.origin + u.pathname).toBe('https://github.com/login/oauth/authorize')
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: config.redirectURL,
      scope: 'repo read:org',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    })
  })
})

describe('states', () => {
  test('single use: a second take is unknown', () => {
    const states = new OAuthStates()
    const s = states.issue({ caller, verifier: 'v', connection: 'github' })
    expect(states.take(s)).toEqual({ ok: true, flow: { caller, verifier: 'v', connection: 'github' } })
    expect(states.take(s)).toEqual({ ok: false, reason: 'unknown' })
  })
  test('expire after ten minutes (and are gone then too)', () => {
    let now = 0
    const states = new OAuthStates(undefined, undefined, () => now)
    const s = states.issue({ caller, verifier: 'v', connection: 'github' })
    now = 10 * 60_000
    expect(states.take(s)).toEqual({ ok: false, reason: 'expired' })
    expect(states.size).toBe(0)
  })
  test('bounded: the oldest pending flow goes first', () => {
    const states = new OAuthStates(60_000, 2)
    const first = states.issue({ caller, verifier: '1', connection: 'a' })
    states.issue({ caller, verifier: '2', connection: 'b' })
    states.issue({ caller, verifier: '3', connection: 'c' })
    expect(states.size).toBe(2)
    expect(states.take(first).ok).toBe(false)
  })
})

const answer =
  (body: unknown, init: ResponseInit = {}) =>
  async () =>
    Response.json(body, init)

describe('code exchange and user lookup', () => {
  test('sends the client secret and the verifier; returns the token', async () => {
    let sent: Record<string, string> = {}
    const fetch = async (_: unknown, init?: RequestInit) => {
      sent = JSON.parse(String(init?.body))
      return Response.json({ access_token: 'gho_x', token_type: 'bearer', scope: 'repo' })
    }
    expect(await exchangeCode(config, 'code1', 'ver1', fetch)).toEqual({ ok: true, value: { token: 'gho_x' } })
    expect(sent).toEqual({
      client_id: 'cid',
      client_secret: 'csecret',
      code: 'code1',
      redirect_uri: config.redirectURL,
      code_verifier: 'ver1',
    })
  })
  test("GitHub's refusals become plain words", async () => {
    expect(
      await exchangeCode(
        config,
        'c',
        'v',
        answer({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' }),
      ),
    ).toEqual({
      ok: false,
      error: 'GitHub refused the sign-in (bad_verification_code: The code passed is incorrect or expired.)',
    })
    expect(await exchangeCode(config, 'c', 'v', answer({}, { status: 500 }))).toEqual({
      ok: false,
      error: 'GitHub answered 500 to the code exchange',
    })
    const down = async () => {
      throw new TypeError('fetch failed')
    }
    expect(await exchangeCode(config, 'c', 'v', down)).toEqual({
      ok: false,
      error: 'GitHub could not be reached to finish the sign-in (TypeError)',
    })
  })
  test('GET /user gives the login and the granted scopes', async () => {
    const fetch = answer({ login: 'octo' }, { headers: { 'x-oauth-scopes': 'repo, read:org' } })
    expect(await lookUpUser(config, 'gho_x', fetch)).toEqual({
      ok: true,
      value: { login: 'octo', scopes: ['repo', 'read:org'] },
    })
    expect(await lookUpUser(config, 'gho_x', answer({ message: 'Bad credentials' }, { status: 401 }))).toEqual({
      ok: false,
      error: 'GitHub did not say who signed in (GET /user answered 401)',
    })
  })
})
