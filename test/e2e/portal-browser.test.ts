// The portal in headless Chromium, through a hub-like proxy (identity headers, the portal under
// /ui/providers/code/ and /services/providers/code/), against the real stack: connections,
// repositories turning ready without a reload, deploy keys, collaborators, packages (a real crawl), deletion,
// markup rendered as text, and axe on every view (light and dark). Screenshots go to
// test-results/portal/.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { type PortalServer, startPortal } from '../support/portal.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

const T = 'root:acme'
const SHOTS = join(import.meta.dir, '../../test-results/portal')
const AXE = join(import.meta.dir, '../../node_modules/axe-core/axe.min.js')
const UI = '/ui/providers/code'
const SERVICES = '/services/providers/code'

let s: Stack
let portal: PortalServer
let hub: ReturnType<typeof Bun.serve>
let oauth: ReturnType<typeof Bun.serve>
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
      return new Response(res.body, { status: res.status, headers: out })
    },
  })
}

/**
 * The OAuth routes are another engineer's; this stands in for them at another origin: it makes
 * the Secret and Connection as the caller, then tells the opener, as the real callback page does.
 */
function startOAuthStub(): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      if (url.pathname !== '/oauth/github/start') return new Response('not found', { status: 404 })
      const name = url.searchParams.get('connection') ?? ''
      const owner = url.searchParams.get('owner') ?? ''
      const acme = s.tenant(T)
      await acme.create(resourceTypes.Secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-oauth`, namespace: 'default' },
        stringData: { token: s.token },
      } as unknown as KubeObject)
      await acme.create(
        resourceTypes.Connection,
        codeObject('Connection', name, {
          provider: 'github',
          type: 'oauth',
          owner,
          secretRef: { name: `${name}-oauth` },
          baseURL: s.sandbox.url,
        }),
      )
      const payload = JSON.stringify({ type: 'kedge-github-oauth', ok: true, login: 'developer', connection: name })
      return new Response(
        `<!doctype html><title>GitHub</title><script>window.opener.postMessage(${payload}, '*'); setTimeout(() => window.close(), 100)</script>`,
        { headers: { 'content-type': 'text/html' } },
      )
    },
  })
}

const hubURL = (path: string, prefix = UI) => `http://127.0.0.1:${hub.port}${prefix}${path}`

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
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
const mark = () => page.evaluate(() => ((window as unknown as { mark: number }).mark = 42))
const marked = () => page.evaluate(() => (window as unknown as { mark?: number }).mark === 42)

const confirmNext = (expected: string) =>
  page.once('dialog', async (d) => {
    expect(d.message()).toContain(expected)
    await d.accept()
  })

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  s = await startStack({ crawlIntervalMs: 3_000 })
  oauth = startOAuthStub()
  portal = await startPortal(s, {
    oauth: {
      clientId: 'test',
      clientSecret: 'test',
      redirectURL: `http://127.0.0.1:${oauth.port}/oauth/github/callback`,
      startURL: `http://127.0.0.1:${oauth.port}/oauth/github/start`,
      portalOrigin: '*',
      scopes: ['repo'],
      webURL: s.sandbox.url,
      apiURL: s.sandbox.url,
    },
  })
  hub = startHub()
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
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
  oauth?.stop(true)
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

  test('connections: "Connect with GitHub" opens the popup and the list refreshes from its message', async () => {
    await page.goto(hubURL('/connections'))
    await page.fill('#connection-name', 'via-oauth')
    await page.fill('#connection-owner', ORG)
    const popup = page.waitForEvent('popup')
    await page.click('button:has-text("Connect with GitHub")')
    const opened = await popup
    expect(opened.url()).toContain('connection=via-oauth')
    expect(opened.url()).toContain(`owner=${ORG}`)
    await page.waitForFunction(() => document.getElementById('oauth-status')?.textContent?.startsWith('Connected as'))
    await page.waitForSelector('#row-connection-via-oauth')
    await page.waitForSelector('#row-connection-via-oauth .badge.ready')
    await shot('connections')
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
