// The portal in headless Chromium, through a hub-like proxy (identity headers, the portal under
// /ui/providers/code/ and /services/providers/code/), against the real stack: connections,
// repositories turning ready without a reload, deploy keys, collaborators, packages (a real crawl), deletion,
// markup rendered as text, and axe on every view (light and dark), and "Connect with GitHub" through
// the app's real OAuth routes and the sandbox's consent page in a popup, configured as behind the hub.
// Screenshots go to test-results/portal/.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { loadConfig } from '../../src/config.ts'
import { launchBrowser } from '../support/browser.ts'
import { type PortalServer, startPortal } from '../support/portal.ts'
import { ORG, type Stack, startStack, USER } from '../support/stack.ts'

const T = 'root:acme'
const SHOTS = join(import.meta.dir, '../../test-results/portal')
const AXE = join(import.meta.dir, '../../node_modules/axe-core/axe.min.js')
const UI = '/ui/providers/code'
const SERVICES = '/services/providers/code'
const OAUTH_CLIENT_ID = 'code-provider-portal'
const OAUTH_CLIENT_SECRET = 'oauth-app-secret-for-the-sandbox-only'

let s: Stack
let portal: PortalServer
let hub: ReturnType<typeof Bun.serve>
/** Everything the hub answered: address, status, headers and body (event streams excepted). */
const served: string[] = []
let browser: Browser
let context: BrowserContext
let page: Page

/** The kedge hub in miniature: strips its prefix, adds the caller's identity, passes the rest on. */
function startHub(): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const prefix = [UI, SERVICES].find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))
      if (!prefix) return new Response('not proxied', { status: 404 })
      const headers = new Headers(request.headers)
      headers.delete('accept-encoding')
      for (const [k, v] of Object.entries(portal.headers(T))) headers.set(k, v)
      // The UI route relies on relative links alone; the services route says where it is mounted.
      if (prefix === SERVICES) headers.set('x-forwarded-prefix', SERVICES)
      const inner = url.pathname.slice(prefix.length) || '/'
      const res = await fetch(`${portal.url}${inner}${url.search}`, {
        method: request.method,
        headers,
        body: request.method === 'GET' ? undefined : await request.arrayBuffer(),
        redirect: 'manual',
      })
      const out = new Headers(res.headers)
      out.delete('content-encoding')
      out.delete('content-length')
      if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
        return new Response(res.body, { status: res.status, headers: out })
      }
      const body = new Uint8Array(await res.arrayBuffer())
      served.push(`${request.url} ${res.status} ${JSON.stringify(out.toJSON())}\n${new TextDecoder().decode(body)}`)
      return new Response(body.length > 0 ? body : null, { status: res.status, headers: out })
    },
  })
}

const hubURL = (path: string, prefix = UI) => `http://127.0.0.1:${hub.port}${prefix}${path}`

async function shot(name: string, p: Page = page) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

/** No serious or critical axe violations: every rule in light, colour contrast again in dark. */
async function accessible(p: Page = page) {
  if (!(await p.evaluate(() => 'axe' in window))) await p.addScriptTag({ path: AXE })
  for (const colorScheme of ['light', 'dark'] as const) {
    await p.emulateMedia({ colorScheme })
    const violations = await p.evaluate(async (onlyContrast) => {
      const axe = (window as unknown as { axe: { run(o: object): Promise<{ violations: AxeViolation[] }> } }).axe
      const options = onlyContrast ? { runOnly: { type: 'rule', values: ['color-contrast'] } } : {}
      const result = await axe.run(options)
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))
    }, colorScheme === 'dark')
    expect({ colorScheme, violations }).toEqual({ colorScheme, violations: [] })
  }
  await p.emulateMedia({ colorScheme: 'light' })
}
interface AxeViolation {
  id: string
  impact: string
  nodes: { target: string[] }[]
}

/** Set on the page; still there later means the page was never reloaded. */
const mark = (p: Page = page) => p.evaluate(() => ((window as unknown as { mark: number }).mark = 42))
const marked = (p: Page = page) => p.evaluate(() => (window as unknown as { mark?: number }).mark === 42)

/**
 * The connections page in a context of its own that keeps every Content-Security-Policy (the
 * shared context bypasses them, for axe), so the portal's and the popup's policies apply. `seen`
 * records every response the browser gets: address, status and headers.
 */
async function strictPortal() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const seen: string[] = []
  context.on('response', (r) => seen.push(`${r.url()} ${r.status()} ${JSON.stringify(r.headers())}`))
  const p = await context.newPage()
  p.on('pageerror', (e) => {
    throw e
  })
  await p.goto(hubURL('/connections'))
  return { context, page: p, seen }
}

/** Fills the add form, clicks "Connect with GitHub" and returns the popup once GitHub's consent page shows. */
async function consentPopup(p: Page, connection: string): Promise<Page> {
  await p.fill('#connection-name', connection)
  await p.fill('#connection-owner', ORG)
  const opened = p.waitForEvent('popup')
  await p.click('button:has-text("Connect with GitHub")')
  const popup = await opened
  await popup.waitForSelector('#authorize')
  expect(new URL(popup.url()).origin).toBe(new URL(s.sandbox.webURL).origin)
  expect(await popup.textContent('h1')).toBe('Authorize code-provider portal test')
  expect(await p.textContent('#oauth-status')).toBe('Waiting for GitHub…')
  return popup
}

const oauthOutcome = async (p: Page) => {
  await p.waitForFunction(() => document.getElementById('oauth-status')?.textContent !== 'Waiting for GitHub…')
  return p.textContent('#oauth-status')
}

const confirmNext = (expected: string) =>
  page.once('dialog', async (d) => {
    expect(d.message()).toContain(expected)
    await d.accept()
  })

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  s = await startStack({ crawlIntervalMs: 3_000 })
  hub = startHub()
  // Configured as behind the real hub: only the redirect URL (on the hub, under the services
  // prefix) is given; the start URL and the origin the popup posts to follow from it.
  const redirectURL = `http://127.0.0.1:${hub.port}${SERVICES}/oauth/github/callback`
  const { oauth } = loadConfig({
    GITHUB_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
    GITHUB_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
    GITHUB_OAUTH_REDIRECT_URL: redirectURL,
    GITHUB_OAUTH_WEB_URL: s.sandbox.webURL,
    GITHUB_OAUTH_API_URL: s.sandbox.url,
  })
  // No auto-approval: the user picks an account and clicks Authorize on the consent page.
  s.sandbox.control.registerOAuthApp({
    name: 'code-provider portal test',
    callbackURL: redirectURL,
    clientId: OAUTH_CLIENT_ID,
    clientSecret: OAUTH_CLIENT_SECRET,
  })
  portal = await startPortal(s, { oauth })
  browser = await launchBrowser()
  context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hubURL('').replace(UI, '') })
  page = await context.newPage()
  page.on('pageerror', (e) => {
    throw e
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  hub?.stop(true)
  await portal?.stop()
  await s?.stop()
})

describe('the portal in a browser, under the hub', () => {
  test('connections: add one with a token, see it validate without a reload', async () => {
    await page.goto(hubURL('/connections'))
    expect(await page.locator('h1').textContent()).toBe('Connections')
    await accessible()
    await shot('connections-empty')

    // A bad name comes back with the error next to the field, and nothing is created.
    await page.fill('#connection-name', 'Bad_Name')
    await page.fill('#connection-owner', ORG)
    await page.fill('#connection-token', s.token)
    await page.click('button:has-text("Add connection")')
    await page.waitForSelector('#connection-name-error')
    expect(await page.getAttribute('#connection-name', 'aria-invalid')).toBe('true')
    expect(await page.inputValue('#connection-token')).toBe('') // never sent back
    await accessible()
    await shot('connections-error')

    await page.fill('#connection-name', 'github')
    await page.fill('#connection-token', s.token)
    await page.fill('#connection-baseURL', s.sandbox.url)
    await page.click('button:has-text("Add connection")')
    await page.waitForURL(`**${UI}/connections/github`)
    await mark()
    await page.waitForSelector('#connection-detail .badge.ready')
    expect(await marked()).toBe(true)
    expect(await page.textContent('#connection-detail')).toContain('Authenticated as developer')
    expect(await page.textContent('#connection-detail')).toContain('points at the GitHub sandbox')
    expect(await page.content()).not.toContain(s.token)
    await accessible()
    await shot('connection-detail')
  })

  test('connections: "Connect with GitHub" goes through GitHub\'s consent page in a popup; the new connection turns ready', async () => {
    const { context: strict, page: p, seen } = await strictPortal()
    await mark(p)
    const popup = await consentPopup(p, 'via-oauth')
    const closed = popup.waitForEvent('close')
    await shot('github-consent', popup)
    await popup.selectOption('#login', USER)
    await popup.click('#authorize')

    // The callback page tells the portal and closes itself; the list refreshes in place.
    await closed
    expect(await oauthOutcome(p)).toBe(`Connected as ${USER}: connection via-oauth was added.`)
    await p.waitForSelector('#row-connection-via-oauth .badge.ready', { timeout: 15_000 })
    expect(await marked(p)).toBe(true)
    await shot('connections', p)

    // The popup went the way the hub serves it: start and callback on the hub, under the services prefix.
    const start = `http://127.0.0.1:${hub.port}${SERVICES}/oauth/github/start?connection=via-oauth&owner=${ORG} 302`
    expect(seen.some((r) => r.startsWith(start))).toBe(true)
    const callback = `http://127.0.0.1:${hub.port}${SERVICES}/oauth/github/callback?`
    expect(seen.filter((r) => r.startsWith(callback)).map((r) => r.split(' ')[1])).toEqual(['200'])

    // The token is in the workspace, works, and reached the browser nowhere.
    const connection = await s.get(T, 'Connection', 'via-oauth')
    expect(connection?.spec).toMatchObject({ type: 'oauth', owner: ORG, secretRef: { name: 'via-oauth-token' } })
    const secret = (await s.tenant(T).get(resourceTypes.Secret, 'via-oauth-token', 'default')) as KubeObject & {
      data: Record<string, string>
    }
    const token = Buffer.from(secret.data.token!, 'base64').toString()
    expect((await s.sandbox.call('GET', '/user', { token })).body.login).toBe(USER)
    const received = [...seen, ...served, await p.content()]
    expect(served.some((r) => r.startsWith(callback) && r.includes('GitHub connected'))).toBe(true)
    expect(received.filter((r) => r.includes(token))).toEqual([])
    await strict.close()
  })

  test('connections: "Cancel" on GitHub\'s consent page is reported in the portal, and nothing is created', async () => {
    const { context: strict, page: p } = await strictPortal()
    const popup = await consentPopup(p, 'declined')
    await popup.click('#cancel')
    expect(await oauthOutcome(p)).toBe(
      'GitHub did not connect: GitHub did not authorize: access_denied (The user has denied your application access.)',
    )
    expect(await popup.textContent('h1')).toBe('GitHub was not connected')
    expect(await s.get(T, 'Connection', 'declined')).toBeUndefined()
    await strict.close()
  })

  test('repositories: create one and watch it turn ready without a reload; markup stays text', async () => {
    // GitHub is slow today: creation takes a moment, so the page shows it happening.
    s.sandbox.control.setLatency({ ms: 1200, method: 'POST', route: '/orgs/{org}/repos' })
    await page.goto(hubURL('/repositories'))
    await accessible()
    await page.selectOption('#repository-connection', 'github')
    await page.fill('#repository-name', 'site')
    await page.fill('#repository-description', '<img src=x onerror="window.pwned=1"><b>bold</b>')
    await page.click('button:has-text("Create repository")')
    await page.waitForURL(`**${UI}/repositories/site`)
    await mark()
    expect(await page.textContent('#repository-status .badge')).toMatch(/Creating|Pending/)
    await shot('repository-creating')
    await page.waitForSelector('#repository-status .badge.ready', { timeout: 15_000 })
    s.sandbox.control.setLatency(undefined)
    expect(await marked()).toBe(true)
    expect(await page.textContent('#repository-status')).toContain('<img src=x onerror="window.pwned=1"><b>bold</b>')
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined()
    expect(await page.locator('#repository-status b').count()).toBe(0)

    // Copy the clone URL.
    await page.click('button[aria-label="Copy SSH clone URL"]')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`git@127.0.0.1:${ORG}/site.git`)
    await accessible()
    await shot('repository-detail')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot('repository-detail-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test('settings: saved in place, and the status shows the update', async () => {
    await page.fill('#settings-topics', 'web docs')
    await page.click('button:has-text("Save settings")')
    await page.waitForSelector('#repository-settings .notice.ok')
    expect(await page.textContent('#repository-settings .notice.ok')).toContain('Saved: topics')
    await s.waitFor(
      () => s.sandbox.control.getRepository(ORG, 'site')?.topics.join(',') === 'web,docs',
      'topics on GitHub',
    )
  })

  test('deploy keys: generate one (read-only by default), see its public key and Secret, delete it', async () => {
    expect(await page.isChecked('#deploy-key-readOnly')).toBe(true)
    await page.fill('#deploy-key-title', 'ci runner')
    await page.click('button:has-text("Add deploy key")')
    await page.waitForSelector('#deploy-key-list tr .badge.ready', { timeout: 15_000 })
    const row = await page.textContent('#deploy-key-list tbody')
    expect(row).toContain('ci runner')
    expect(row).toContain('Read-only')
    expect(row).toMatch(/Private key in Secret default\/\S+/)
    expect(await page.locator('#deploy-key-list details code').textContent()).toStartWith('ssh-ed25519 ')
    expect(s.sandbox.control.getRepository(ORG, 'site')!.deployKeys).toHaveLength(1)
    await accessible()
    await shot('repository-deploy-key')

    confirmNext('Delete deploy key "ci runner"?')
    await page.click('#deploy-key-list a:has-text("Delete")')
    await page.waitForSelector('#deploy-key-list .empty', { timeout: 15_000 })
    expect(s.sandbox.control.getRepository(ORG, 'site')!.deployKeys).toHaveLength(0)
  })

  test('collaborators: invite with a permission, see them invited, remove them', async () => {
    s.sandbox.control.createUser({ login: 'octocat' })
    await page.fill('#collaborator-username', 'octocat')
    await page.selectOption('#collaborator-permission', 'maintain')
    await page.click('button:has-text("Add collaborator")')
    await page.waitForSelector('#collaborator-list tr .badge.ready', { timeout: 15_000 })
    const row = await page.textContent('#collaborator-list tbody')
    expect(row).toContain('octocat')
    expect(row).toContain('Maintain')
    expect(row).toContain('Invited')
    await shot('repository-collaborator')

    confirmNext('Remove octocat from the repository?')
    await page.click('#collaborator-list a:has-text("Remove")')
    await page.waitForSelector('#collaborator-list .empty', { timeout: 15_000 })
    expect(s.sandbox.control.invitations({ repository: `${ORG}/site` })).toHaveLength(0)
  })

  test('packages: a published image shows with its versions, tags, digest and pull commands', async () => {
    const digest = `sha256:${'c'.repeat(64)}`
    s.sandbox.control.publishPackage({ owner: ORG, type: 'container', name: 'site', repository: 'site' })
    s.sandbox.control.publishVersion({
      owner: ORG,
      type: 'container',
      name: 'site',
      version: digest,
      tags: ['v1', 'latest'],
    })
    // The crawler finds it on its next crawl (every few seconds here).
    await s.waitFor(() => s.runtime.objects(s.clusterOf(T), 'Package').length > 0, 'the Package crawled', 30_000)
    await page.click('#package-list a:has-text("Refresh packages")')
    await page.waitForSelector('#package-list article', { timeout: 15_000 })
    const card = await page.textContent('#package-list')
    const image = `${new URL(s.sandbox.url).host}/${ORG}/site` // the sandbox's registry host
    expect(card).toContain(`docker pull ${image}:v1`)
    expect(card).toContain(`docker pull ${image}@${digest}`)
    await accessible()
    await shot('repository-packages')

    await page.click('nav[aria-label="Sections"] a:has-text("Packages")')
    await page.waitForURL(`**${UI}/packages`)
    expect(await page.textContent('main')).toContain(`${new URL(s.sandbox.url).host}/${ORG}/site`)
    await accessible()
    await shot('packages')
  })

  test('under /services/providers/code (X-Forwarded-Prefix) links stay under that prefix', async () => {
    await page.goto(hubURL('/repositories', SERVICES))
    expect(await page.getAttribute('base', 'href')).toBe(`${SERVICES}/`)
    await page.click('#repository-results a:has-text("site")')
    await page.waitForURL(`**${SERVICES}/repositories/site`)
    await page.waitForSelector('#repository-status .badge.ready')
  })

  test('repositories: delete from the list after a question that says what the policy does', async () => {
    await page.goto(hubURL('/repositories'))
    await accessible()
    await shot('repositories')
    confirmNext(`This deletes ${ORG}/site on GitHub`)
    await mark()
    await page.click('#delete-repository-site')
    await page.waitForSelector('#row-repository-site', { state: 'detached', timeout: 15_000 })
    expect(await marked()).toBe(true)
    expect(s.sandbox.control.getRepository(ORG, 'site')).toBeUndefined()
  })

  test('without JavaScript: declare a repository with a plain form, delete it through the question page', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false })
    const p = await plain.newPage()
    await p.goto(hubURL('/repositories'))
    await p.selectOption('#repository-connection', 'github')
    await p.fill('#repository-name', 'plain')
    await p.click('button:has-text("Create repository")')
    await p.waitForURL(`**${UI}/repositories/plain`)
    await s.waitFor(() => s.ready(T, 'Repository', 'plain'), 'plain ready')
    await p.reload()
    expect(await p.textContent('#repository-status .badge')).toBe('Ready')
    await p.click('a:has-text("Delete repository")')
    await p.waitForURL(`**${UI}/repositories/plain/delete`)
    expect(await p.textContent('main')).toContain(`This deletes ${ORG}/plain on GitHub`)
    await page.goto(p.url())
    await accessible()
    await shot('confirm-delete')
    await p.click('button:has-text("Delete repository")')
    await p.waitForURL(`**${UI}/repositories`)
    await s.waitFor(() => !s.sandbox.control.getRepository(ORG, 'plain'), 'plain deleted on GitHub')
    await plain.close()
  })
})
