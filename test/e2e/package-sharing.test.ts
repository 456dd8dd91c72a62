// Package listings are per (credential, owner, type) and shared by every crawler of that owner:
// one crawl of 100 repositories costs the listing requests of one crawl of 1.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Package } from '../../src/apis/v1alpha1/package.ts'
import { packageTypes } from '../../src/apis/v1alpha1/package.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'

/** An owner with its own bot, token and Connection, and `n` existing repositories adopted. */
async function owner(org: string, n: number) {
  const c = s.sandbox.control
  const bot = `${org}-bot`
  c.createUser({ login: bot })
  c.createOrg({ login: org, members: [{ login: bot, role: 'admin' }] })
  await s.connect(T, org, { token: c.issueToken({ user: bot }), owner: org })
  // Every repository publishes an image; one of them a second package.
  for (let i = 0; i < n; i++) {
    c.createRepository({ owner: org, name: `svc-${i}` })
    c.publishPackage({ owner: org, type: 'container', name: `svc-${i}`, repository: `svc-${i}` })
    c.publishVersion({ owner: org, type: 'container', name: `svc-${i}`, version: `sha256:${'a'.repeat(63)}${i % 10}` })
  }
  c.publishPackage({ owner: org, type: 'npm', name: 'svc-0-client', repository: 'svc-0' })
  for (let i = 0; i < n; i++) {
    await s
      .tenant(T)
      .create(
        resourceTypes.Repository,
        codeObject('Repository', `${org}-svc-${i}`, { connectionRef: org, name: `svc-${i}`, adopt: true }),
      )
  }
  return bot
}

const crawledOnce = (org: string, n: number) => () => {
  const crawlers = s.runtime
    .actors()
    .filter((a) => a.kind === 'Crawler' && a.name.startsWith(`${org}-`) && Number(a.detail?.crawls ?? 0) >= 1)
  return crawlers.length === n
}

beforeAll(async () => {
  // A long interval: each crawler crawls once on start, and every listing stays fresh meanwhile.
  s = await startStack({ tenants: [T], crawlIntervalMs: 600_000 })
}, 60_000)
afterAll(() => s?.stop())

test('a crawl of 100 repositories of one owner makes the listing requests of a crawl of 1', async () => {
  const solo = await owner('solo', 1)
  const many = await owner('many', 100)
  await s.waitFor(crawledOnce('solo', 1), 'the solo crawler crawled', 60_000)
  await s.waitFor(crawledOnce('many', 100), 'all 100 crawlers crawled', 60_000)

  const listings = (login: string) =>
    s.sandbox.control.requestCounts({ route: 'GET /orgs/{org}/packages', login }).total
  const versions = (login: string) =>
    s.sandbox.control.requestCounts({ route: 'GET /orgs/{org}/packages/{package_type}/{package_name}/versions', login })
      .total
  // One request per package type, whatever the number of repositories.
  expect(listings(solo)).toBe(packageTypes.length)
  expect(listings(many)).toBe(listings(solo))
  // Versions: one request per image, however many crawlers look (one image per repository here).
  expect(versions(solo)).toBe(1)
  expect(versions(many)).toBe(100)

  // And every repository got its own Packages from the shared listings.
  const all = await s.tenant(T).list<Package>(resourceTypes.Package)
  expect(all.filter((p) => p.spec.repositoryRef.startsWith('many-')).length).toBe(101)
  expect(all.find((p) => p.status?.packageName === 'svc-0-client')?.spec.repositoryRef).toBe('many-svc-0')
}, 120_000)
