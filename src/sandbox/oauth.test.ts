import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash, randomBytes } from 'node:crypto'
import { launchBrowser } from '../../test/support/browser.ts'
import { startTestSandbox, type TestSandbox } from '../../test/support/sandbox.ts'

let sb: TestSandbox
let app: { clientId: string; clientSecret: string }
const CALLBACK = 'http://127.0.0.1:9/oauth/github/callback'

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

beforeAll(async () => {
  sb = await startTestSandbox()
  sb.control.createUser({ login: 'octo' })
  sb.control.createUser({ login: 'other' })
  app = sb.control.registerOAuthApp({ name: 'Portal', callbackURL: CALLBACK })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

function authorizeURL(params: Record<string, string>): string {
  const url = new URL(`${sb.webURL}/login/oauth/authorize`)
  for (const [k, v] of Object.entries({ client_id: app.clientId, redirect_uri: CALLBACK, ...params }))
    url.searchParams.set(k, v)
  return url.toString()
}

/** The consent page's form, submitted as a browser would. */
async function approve(params: Record<string, string>, login = 'octo', decision = 'approve'): Promise<URL> {
  const page = await fetch(authorizeURL(params))
  const html = await page.text()
  const form = new URLSearchParams()
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1]!, m[2]!.replaceAll('&amp;', '&').replaceAll('&quot;', '"'))
  }
  form.set('login', login)
  form.set('decision', decision)
  const res = await fetch(`${sb.webURL}/login/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' })
  expect(res.status).toBe(302)
  return new URL(res.headers.get('location')!)
}

const exchange = (body: Record<string, string>, json = true) =>
  fetch(`${sb.webURL}/login/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...body }),
  })

describe('authorization code with PKCE S256', () => {
  test('success: code and state come back, the token is gho_ with the granted scopes', async () => {
    const { verifier, challenge } = pkce()
    const back = await approve({
      scope: 'repo read:org user:email user',
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    expect(back.origin + back.pathname).toBe(CALLBACK)
    expect(back.searchParams.get('state')).toBe('s1')
    const res = await exchange({
      code: back.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { access_token: string; token_type: string; scope: string }
    expect(body.access_token).toStartWith('gho_')
    expect(body).toMatchObject({ token_type: 'bearer', scope: 'repo,read:org,user' })
    const user = await sb.call('GET', '/user', { token: body.access_token })
    expect(user.body.login).toBe('octo')
    expect(user.headers.get('x-oauth-scopes')).toBe('repo, read:org, user')
  })

  test('a wrong verifier fails, and the code cannot be replayed afterwards', async () => {
    const { challenge } = pkce()
    const back = await approve({ code_challenge: challenge, code_challenge_method: 'S256' })
    const code = back.searchParams.get('code')!
    const wrong = (await (await exchange({ code, code_verifier: pkce().verifier })).json()) as { error: string }
    expect(wrong.error).toBe('bad_verification_code')
    const replay = (await (await exchange({ code, code_verifier: 'x' })).json()) as { error: string }
    expect(replay.error).toBe('bad_verification_code')
  })

  test('codes are single-use and expire after 10 minutes', async () => {
    const a = (await approve({})).searchParams.get('code')!
    expect(((await (await exchange({ code: a })).json()) as { access_token?: string }).access_token).toBeDefined()
    const replayed = (await (await exchange({ code: a })).json()) as { error: string; error_description: string }
    expect(replayed).toMatchObject({
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
    })
    const b = (await approve({})).searchParams.get('code')!
    sb.control.advanceTime(10 * 60_000)
    expect(((await (await exchange({ code: b })).json()) as { error: string }).error).toBe('bad_verification_code')
  })

  test('client secret required; redirect_uri must match; only S256', async () => {
    const code = (await approve({})).searchParams.get('code')!
    const noSecret = await fetch(`${sb.webURL}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: app.clientId, code }),
    })
    expect(((await noSecret.json()) as { error: string }).error).toBe('incorrect_client_credentials')
    const mismatch = await fetch(authorizeURL({ redirect_uri: 'http://evil.example/cb', state: 'z' }), {
      redirect: 'manual',
    })
    const loc = new URL(mismatch.headers.get('location')!)
    expect(loc.origin + loc.pathname).toBe(CALLBACK)
    expect(loc.searchParams.get('error')).toBe('redirect_uri_mismatch')
    const plain = await fetch(authorizeURL({ code_challenge: 'abc', code_challenge_method: 'plain' }), {
      redirect: 'manual',
    })
    expect(new URL(plain.headers.get('location')!).searchParams.get('error')).toBe('invalid_request')
    expect((await fetch(`${sb.webURL}/login/oauth/authorize?client_id=unknown`)).status).toBe(404)
  })

  test('form-encoded answer by default; the user may deny', async () => {
    const code = (await approve({ scope: 'repo' })).searchParams.get('code')!
    const form = new URLSearchParams(await (await exchange({ code }, false)).text())
    expect(form.get('access_token')).toStartWith('gho_')
    expect(form.get('scope')).toBe('repo')
    const denied = await approve({ state: 'd' }, 'octo', 'deny')
    expect(denied.searchParams.get('error')).toBe('access_denied')
    expect(denied.searchParams.get('state')).toBe('d')
  })

  test('auto-approval for a configured sandbox user redirects immediately', async () => {
    const auto = sb.control.registerOAuthApp({ name: 'Headless', callbackURL: CALLBACK, autoApproveAs: 'other' })
    const res = await fetch(`${sb.webURL}/login/oauth/authorize?client_id=${auto.clientId}&state=q`, {
      redirect: 'manual',
    })
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!
    const token = await fetch(`${sb.webURL}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: auto.clientId, client_secret: auto.clientSecret, code }),
    })
    const { access_token } = (await token.json()) as { access_token: string }
    expect((await sb.call('GET', '/user', { token: access_token })).body.login).toBe('other')
  })
})

test('a headless browser clicks Authorize on the consent page', async () => {
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    let landed = ''
    await page.route(`${CALLBACK}**`, (route) => {
      landed = route.request().url()
      return route.fulfill({ status: 200, body: 'done' })
    })
    await page.goto(authorizeURL({ scope: 'repo', state: 'browser' }))
    await page.selectOption('#login', 'other')
    await page.click('#authorize')
    await page.waitForURL(`${CALLBACK}**`)
    const back = new URL(landed)
    expect(back.searchParams.get('state')).toBe('browser')
    const json = (await (await exchange({ code: back.searchParams.get('code')! })).json()) as { access_token: string }
    expect((await sb.call('GET', '/user', { token: json.access_token })).body.login).toBe('other')
  } finally {
    await browser.close()
  }
})
