// /debug in a real browser (headless Chromium): logged in through the browser's own Basic prompt
// (the admin token as password), the page follows a new Repository live, without a reload, from
// its first appearance through provisioning to ready. Screenshot: test-results/debug-page.png.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { type AdminStack, startAdminStack } from '../support/admin.ts'
import { launchBrowser } from '../support/browser.ts'
import { codeObject } from '../support/stack.ts'

const ADMIN_TOKEN = 'browser-admin-token'
const T = 'root:acme'
let s: AdminStack
let browser: Browser

beforeAll(async () => {
  s = await startAdminStack({ adminToken: ADMIN_TOKEN })
  await s.connect(T, 'github')
  await s.waitFor(() => s.ready(T, 'Connection', 'github'), 'Connection Ready')
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await s?.stop()
})

test('a new Repository appears on /debug and turns ready without a reload', async () => {
  const context = await browser.newContext({
    httpCredentials: { username: 'operator', password: ADMIN_TOKEN },
    viewport: { width: 1400, height: 900 },
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${s.adminURL}/debug`)
  await page.locator('#live[data-state="live"]').waitFor()
  const cluster = s.clusterOf(T)
  const rowSelector = `tr[data-actor="${cluster}/Repository/shown"]`
  expect(await page.locator(rowSelector).count()).toBe(0)
  // Remember this document, and every state the row shows, to prove updates arrive in place.
  await page.evaluate((selector) => {
    const w = window as unknown as { marker: string; states: string[] }
    w.marker = 'same document'
    w.states = []
    new MutationObserver(() => {
      const state = document.querySelector(selector)?.getAttribute('data-state')
      if (state && w.states.at(-1) !== state) w.states.push(state)
    }).observe(document.body, { subtree: true, childList: true, attributes: true })
  }, rowSelector)

  s.sandbox.control.setLatency({ ms: 1_000, method: 'POST', route: '/orgs/{org}/repos' })
  await s
    .tenant(T)
    .create(resourceTypes.Repository, codeObject('Repository', 'shown', { connectionRef: 'github', name: 'shown' }))
  await page.locator(rowSelector).waitFor({ timeout: 10_000 })
  await page.locator(`${rowSelector}[data-state="ready"]`).waitFor({ timeout: 15_000 })
  s.sandbox.control.setLatency(undefined)

  const seen = await page.evaluate(() => {
    const w = window as unknown as { marker: string; states: string[] }
    return { marker: w.marker, states: w.states }
  })
  expect(seen.marker).toBe('same document')
  expect(seen.states).toContain('provisioning')
  expect(seen.states.at(-1)).toBe('ready')

  // The row opens its detail beside the tree, which names the timer it waits on.
  await page.locator(`${rowSelector} a`).click()
  await page.locator('#actor-detail').getByText('poll at').waitFor()
  expect(await page.locator('#actor-detail h2').textContent()).toContain('ready')

  mkdirSync(join(import.meta.dir, '../../test-results'), { recursive: true })
  await page.screenshot({ path: join(import.meta.dir, '../../test-results/debug-page.png'), fullPage: true })
  expect(errors).toEqual([])
  await context.close()
}, 60_000)
