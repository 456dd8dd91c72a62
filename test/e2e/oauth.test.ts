// "Connect with GitHub" end to end against the sandbox's OAuth endpoints: a browser is played by
// fetch (redirects followed by hand, every response kept), then by headless Chromium for the
// postMessage. The token must end up in the workspace and nowhere the browser can see it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { KubeObject } from '../../src/apis/meta.ts'
import { s256 } from '../../src/auth/github-oauth.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import type { OAuthConfig } from '../../src/config.ts'
import { hasChromium, launchBrowser } from '../support/browser.ts'
import { type MainApp, startMainApp } from '../support/mcp.ts'
import { ORG, type Stack, startStack, USER } from '../support/stack.ts'

const ACME = 'root:acme'
let s: Stack
let app: MainApp
let offsetMs = 0
const clientSecret = 'oauth-app-secret-for-the-sandbox-only'

const oauthFor =
  (clientId: string, portalOrigin?: string) =>
  (url: string): OAuthConfig => ({
    clientId,
    clientSecret,
    redirectURL: `${url}/oauth/github/callback`,
    startURL: `${url}/oauth/github/start`,
    portalOrigin: portalOrigin ?? url,
    scopes: ['repo', 'read:org', 'read:packages'],
    webURL: s.sandbox.webURL,
    apiURL: s.sandbox.url,
  })

beforeAll(async () => {
  s = await startStack({ tenants: [ACME, 'root:globex'] })
  app = await startMainApp(s, { oauth: oauthFor('code-provider-test'), now: () => new Date(Date.now() + offsetMs) })
  s.sandbox.control.registerOAuthApp({
    name: 'code-provider test',
    callbackURL: `${app.url}/oauth/github/callback`,
    clientId: 'code-provider-test',
    clientSecret,
    autoApproveAs: USER,
  })
}, 60_000)
afterAll(async () => {
  await app?.stop()
  await s?.stop()
})

interface Seen {
  url: string
  status: number
  location: string | null
  body: string
}

/** A browser tab: follows redirects by hand and keeps every response it received. */
function browser() {
  const seen: Seen[] = []
  async function get(url: string, headers: Record<string, string> = {}): Promise<Seen> {
    const res = await fetch(url, { redirect: 'manual', headers })
    const s = { url, status: res.status, location: res.headers.get('location'), body: await res.text() }
    seen.push(s)
    return s
  }
  /** GET, then follow Location until a page answers (the hub's headers only on the first request). */
  async function navigate(url: string, hubHeaders: Record<string, string> = {}): Promise<Seen> {
    let r = await get(url, hubHeaders)
    while (r.location) {
      const next = new URL(r.location, r.url).toString()
      r = await get(next)
    }
    return r
  }
  return { seen, get, navigate }
}

const resultOf = (page: Seen) => {
  const m = page.body.match(/data-message="([^"]*)"/)
  if (!m) throw new Error(`no result on the page: ${page.body.slice(0, 300)}`)
  const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" }
  const text = m[1]!.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(Number(e[1] === 'x' ? `0${e.slice(1)}` : e.slice(1))) : (named[e] ?? `&${e};`),
  )
  return JSON.parse(text)
}

const startURL = (connection: string, owner?: string) =>
  `${app.url}/oauth/github/start?connection=${connection}${owner ? `&owner=${owner}` : ''}`

describe('Connect with GitHub', () => {
  test('config tells the portal whether and where to start', async () => {
    const res = await fetch(`${app.url}/oauth/github/config`)
    expect(await res.json()).toEqual({
      enabled: true,
      startURL: `${app.url}/oauth/github/start`,
      scopes: ['repo', 'read:org', 'read:packages'],
    })
  })

  test('start → authorize → callback: a Ready Connection whose Secret holds a working token, none of it in the browser', async () => {
    const tab = browser()
    const first = await tab.get(startURL('github-oauth', ORG), app.headers(ACME))
    expect(first.status).toBe(302)
    const authorize = new URL(first.location!)
    expect(authorize.origin).toBe(new URL(s.sandbox.webURL).origin)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const page = await tab.navigate(first.location!)
    expect(page.status).toBe(200)
    expect(resultOf(page)).toEqual({ type: 'kedge-github-oauth', ok: true, login: USER, connection: 'github-oauth' })

    const connection = await s.get(ACME, 'Connection', 'github-oauth')
    expect(connection?.spec).toEqual({
      provider: 'github',
      type: 'oauth',
      owner: ORG,
      secretRef: { name: 'github-oauth-token', namespace: 'default' },
      baseURL: s.sandbox.url,
    })
    const secret = (await s.tenant(ACME).get(resourceTypes.Secret, 'github-oauth-token', 'default')) as KubeObject & {
      data: Record<string, string>
    }
    expect(secret.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'code.kedge.faros.sh/v1alpha1',
        kind: 'Connection',
        name: 'github-oauth',
        uid: connection!.metadata.uid!,
      },
    ])
    const token = Buffer.from(secret.data.token!, 'base64').toString()
    expect(token).toStartWith('gho_')
    expect((await s.sandbox.call('GET', '/user', { token })).body.login).toBe(USER)
    await s.waitFor(() => s.ready(ACME, 'Connection', 'github-oauth'), 'the OAuth Connection Ready')
    expect((await s.get(ACME, 'Connection', 'github-oauth'))?.status).toMatchObject({ login: USER, tokenKind: 'oauth' })

    for (const r of tab.seen) {
      expect(r.body).not.toContain(token)
      expect(r.location ?? '').not.toContain(token)
      expect(r.body).not.toContain('gho_')
    }
    const callback = tab.seen.at(-1)!
    const res = await fetch(callback.url, { redirect: 'manual' })
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'sha256-/)
    // the replayed callback is refused, and GitHub is not asked again
    expect(resultOf({ ...callback, body: await res.text() })).toEqual({
      type: 'kedge-github-oauth',
      ok: false,
      error: 'this sign-in is unknown or was already used: start again from the portal',
    })
  })

  test('connecting again updates the same Connection and Secret', async () => {
    const tab = browser()
    const first = await tab.get(startURL('github-oauth'), app.headers(ACME))
    const page = await tab.navigate(first.location!)
    expect(resultOf(page)).toMatchObject({ ok: true, connection: 'github-oauth' })
    expect((await s.get(ACME, 'Connection', 'github-oauth'))?.spec).toMatchObject({ owner: USER })
    const secrets = await s.tenant(ACME).list(resourceTypes.Secret, { namespace: 'default' })
    expect(secrets.filter((x) => x.metadata.name === 'github-oauth-token')).toHaveLength(1)
  })

  test('an expired state is refused', async () => {
    const tab = browser()
    const first = await tab.get(startURL('late'), app.headers(ACME))
    const callback = await tab.get(new URL(first.location!).toString())
    offsetMs = 11 * 60_000
    try {
      const page = await tab.get(callback.location!)
      expect(resultOf(page)).toEqual({
        type: 'kedge-github-oauth',
        ok: false,
        error: 'the sign-in took longer than 10 minutes: start again from the portal',
      })
    } finally {
      offsetMs = 0
    }
    expect(await s.get(ACME, 'Connection', 'late')).toBeUndefined()
  })

  test('a code issued for another PKCE challenge fails cleanly, and nothing is written', async () => {
    const tab = browser()
    const first = await tab.get(startURL('tampered'), app.headers(ACME))
    const authorize = new URL(first.location!)
    authorize.searchParams.set('code_challenge', s256('a verifier the provider never made'))
    const page = await tab.navigate(authorize.toString())
    expect(page.status).toBe(502)
    expect(resultOf(page)).toEqual({
      type: 'kedge-github-oauth',
      ok: false,
      error: 'GitHub refused the sign-in (bad_verification_code: The code_verifier does not match the code_challenge.)',
    })
    expect(await s.get(ACME, 'Connection', 'tampered')).toBeUndefined()
  })

  test('refusals: no identity, another site, a Connection of another type, another caller on the callback', async () => {
    const noIdentity = await browser().get(startURL('x'))
    expect(noIdentity.status).toBe(401)
    expect(resultOf(noIdentity).error).toStartWith('not signed in: missing a workspace')

    const crossSite = await browser().get(startURL('x'), { ...app.headers(ACME), 'sec-fetch-site': 'cross-site' })
    expect(crossSite.status).toBe(403)

    await s.connect(ACME, 'pat')
    const taken = await browser().get(startURL('pat'), app.headers(ACME))
    expect(resultOf(taken).error).toBe(
      'Connection "pat" already exists with a pat credential; choose another connection name',
    )

    const badName = await browser().get(startURL('Not_A_Name'), app.headers(ACME))
    expect(resultOf(badName).error).toMatch(/^connection: Invalid value: "Not_A_Name"/)

    const tab = browser()
    const first = await tab.get(startURL('hijack'), app.headers(ACME))
    const toCallback = await tab.get(first.location!)
    const page = await tab.get(toCallback.location!, app.headers('root:globex'))
    expect(page.status).toBe(403)
    expect(resultOf(page).error).toBe('this sign-in was started by someone else')
    expect(await s.get(ACME, 'Connection', 'hijack')).toBeUndefined()
  })
})

describe.skipIf(!hasChromium)('in a browser', () => {
  test('the popup posts {type, ok, login, connection} to the portal origin and closes', async () => {
    // The portal: another origin that opens the popup and records what it is told.
    const portal = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () =>
        new Response(
          `<!doctype html><title>portal</title><script>
          window.got = new Promise((resolve) => addEventListener('message', (e) => resolve({ origin: e.origin, data: e.data })))
          </script>`,
          { headers: { 'content-type': 'text/html' } },
        ),
    })
    const portalOrigin = `http://127.0.0.1:${portal.port}`
    const dev = await startMainApp(s, {
      oauth: oauthFor('code-provider-browser', portalOrigin),
      config: { devAllowTenantQuery: true },
    })
    s.sandbox.control.registerOAuthApp({
      name: 'code-provider browser test',
      callbackURL: `${dev.url}/oauth/github/callback`,
      clientId: 'code-provider-browser',
      clientSecret,
      autoApproveAs: USER,
    })
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.goto(portalOrigin)
      const h = app.headers(ACME)
      const identity = new URLSearchParams({
        tenant: h['x-kedge-tenant'],
        cluster: h['x-kedge-cluster'],
        user: 'alice',
        token: h.authorization.slice('Bearer '.length),
      })
      const popup = page.waitForEvent('popup')
      await page.evaluate(
        (url) => void window.open(url, 'github', 'width=600,height=700'),
        `${dev.url}/oauth/github/start?connection=from-browser&${identity}`,
      )
      const message = await page.evaluate(() => (window as unknown as { got: Promise<unknown> }).got)
      expect(message).toEqual({
        origin: dev.url,
        data: { type: 'kedge-github-oauth', ok: true, login: USER, connection: 'from-browser' },
      })
      const p = await popup
      await p.waitForEvent('close', { timeout: 5_000 })
      expect(await s.get(ACME, 'Connection', 'from-browser')).toBeDefined()
    } finally {
      await browser.close()
      await dev.stop()
      portal.stop(true)
    }
  }, 30_000)
})
