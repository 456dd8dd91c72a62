// Packages end to end: published and unpublished in the sandbox, they appear and vanish as
// Package objects owned by their Repository; a credential that cannot list packages says so in
// the Repository's PackagesUnavailable condition; a failing host keeps what is known.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Package } from '../../src/apis/v1alpha1/package.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack, USER } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
const DIGEST = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`

const packagesOf = async (repository: string) =>
  await s
    .tenant(T)
    .list<Package>(resourceTypes.Package, { labelSelector: `code.kedge.faros.sh/repository=${repository}` })

beforeAll(async () => {
  s = await startStack({ tenants: [T], crawlIntervalMs: 400 })
  await s.connect(T, 'github')
  await s
    .tenant(T)
    .create(resourceTypes.Repository, codeObject('Repository', 'api', { connectionRef: 'github', name: 'api' }))
  await s
    .tenant(T)
    .create(resourceTypes.Repository, codeObject('Repository', 'web', { connectionRef: 'github', name: 'web' }))
  await s.waitFor(() => s.ready(T, 'Repository', 'api'), 'api Ready')
  await s.waitFor(() => s.ready(T, 'Repository', 'web'), 'web Ready')
}, 60_000)
afterAll(() => s?.stop())

describe('package crawl', () => {
  test('a published image appears with its versions, tags, digests and image repository', async () => {
    const c = s.sandbox.control
    c.publishPackage({ owner: ORG, type: 'container', name: 'api', repository: 'api', visibility: 'private' })
    c.publishVersion({
      owner: ORG,
      type: 'container',
      name: 'api',
      version: DIGEST(1),
      tags: ['v1'],
      createdAt: Date.parse('2026-01-01T00:00:00Z'),
    })
    c.publishVersion({
      owner: ORG,
      type: 'container',
      name: 'api',
      version: DIGEST(2),
      tags: ['v2', 'latest'],
      createdAt: Date.parse('2026-01-02T00:00:00Z'),
    })
    c.publishPackage({ owner: ORG, type: 'npm', name: 'api-client', repository: 'api' })
    c.publishPackage({ owner: ORG, type: 'npm', name: 'web-ui', repository: 'web' }) // another repository's

    const [image, npm] = await s.waitFor(async () => {
      const list = await packagesOf('api')
      const image = list.find((p) => p.status?.packageName === 'api')
      const npm = list.find((p) => p.status?.packageName === 'api-client')
      return list.length === 2 && image?.status?.versions?.length === 2 && npm ? ([image, npm] as const) : undefined
    }, 'two Packages of api')

    expect(image.status).toMatchObject({
      type: 'container',
      visibility: 'private',
      versionCount: 2,
      imageRepository: `${new URL(s.sandbox.url).host}/${ORG}/api`,
      versions: [
        { digest: DIGEST(2), tags: ['v2', 'latest'], createdAt: '2026-01-02T00:00:00Z' },
        { digest: DIGEST(1), tags: ['v1'], createdAt: '2026-01-01T00:00:00Z' },
      ],
      conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
    })
    expect(image.status?.htmlURL).toContain('/packages/container/package/api')
    expect(npm.status).toMatchObject({ type: 'npm', packageName: 'api-client' })
    expect(npm.status?.imageRepository).toBeUndefined()
    expect(image.metadata.name).toMatch(/^api-container-api-[0-9a-f]{10}$/)
    const repo = await s.get(T, 'Repository', 'api')
    expect(image.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'code.kedge.faros.sh/v1alpha1',
        kind: 'Repository',
        name: 'api',
        uid: repo!.metadata.uid!,
        controller: true,
        blockOwnerDeletion: true,
      },
    ])
    expect(image.spec).toEqual({ repositoryRef: 'api' })
    await s.waitFor(async () => (await packagesOf('web')).length === 1, 'web has its own Package')
    await s.waitFor(async () => (await s.eventReasons(T, 'api')).includes('PackagesChanged'), 'a PackagesChanged event')
  }, 30_000)

  test('a new version updates the Package; nothing changed writes nothing', async () => {
    const c = s.sandbox.control
    c.publishVersion({
      owner: ORG,
      type: 'container',
      name: 'api',
      version: DIGEST(3),
      tags: ['v3', 'latest'],
      createdAt: Date.parse('2026-01-03T00:00:00Z'),
    })
    const updated = await s.waitFor(async () => {
      const p = (await packagesOf('api')).find((x) => x.status?.packageName === 'api')
      return p?.status?.versions?.length === 3 ? p : undefined
    }, 'third version')
    expect(updated.status?.versions?.map((v) => v.tags)).toEqual([['v3', 'latest'], ['v2'], ['v1']])
    // Steady state: several crawls, no Package written.
    const before = (await packagesOf('api')).map((p) => p.metadata.resourceVersion)
    await Bun.sleep(1_500)
    expect((await packagesOf('api')).map((p) => p.metadata.resourceVersion)).toEqual(before)
  }, 30_000)

  test('an unpublished package vanishes', async () => {
    s.sandbox.control.unpublishPackage(ORG, 'npm', 'api-client')
    await s.waitFor(async () => {
      const list = await packagesOf('api')
      return list.length === 1 && list[0]!.status?.packageName === 'api'
    }, 'api-client gone')
  }, 30_000)

  test('a failing host keeps the Packages, warns once on the Repository, and recovers', async () => {
    const c = s.sandbox.control
    c.injectFault({ method: 'GET', route: '/orgs/{org}/packages', status: 502, count: Number.POSITIVE_INFINITY })
    await s.waitFor(() => s.runtime.actor(s.clusterOf(T), 'Crawler', 'api')?.state === 'backoff', 'crawler in backoff')
    await s.waitFor(async () => (await s.eventReasons(T, 'api')).includes('PackageCrawlFailed'), 'a Warning event')
    expect((await packagesOf('api')).length).toBe(1)
    const view = s.runtime.actor(s.clusterOf(T), 'Crawler', 'api')!
    expect(view.kind).toBe('Crawler')
    expect(view.lastError?.reason).toBe('TransientError')
    expect(view.transitions.map((t) => t.to)).toContain('backoff')
    c.clearFaults()
    await s.waitFor(() => s.runtime.actor(s.clusterOf(T), 'Crawler', 'api')?.state === 'waiting', 'recovered')
    expect((await packagesOf('api')).length).toBe(1)
  }, 30_000)

  test('Packages go with their Repository', async () => {
    await s.tenant(T).delete(resourceTypes.Repository, 'web')
    await s.waitFor(async () => (await packagesOf('web')).length === 0, 'web Packages garbage-collected')
    expect(s.runtime.actor(s.clusterOf(T), 'Crawler', 'web')).toBeUndefined()
  }, 30_000)
})

describe('PackagesUnavailable', () => {
  test('a token without read:packages says MissingScope; adding the scope brings the packages', async () => {
    const noPackages = s.sandbox.control.issueToken({ user: USER, scopes: ['repo', 'delete_repo', 'workflow'] })
    await s.connect(T, 'scoped', { token: noPackages })
    await s
      .tenant(T)
      .create(resourceTypes.Repository, codeObject('Repository', 'tools', { connectionRef: 'scoped', name: 'tools' }))
    const cond = await s.waitFor(
      () => s.condition(T, 'Repository', 'tools', 'PackagesUnavailable'),
      'PackagesUnavailable on tools',
    )
    expect(cond).toMatchObject({ status: 'True', reason: 'MissingScope' })
    expect(cond.message).toContain('read:packages')
    s.sandbox.control.publishPackage({ owner: ORG, type: 'container', name: 'tools', repository: 'tools' })
    expect(await packagesOf('tools')).toEqual([])
    await s.waitFor(
      () => s.runtime.actor(s.clusterOf(T), 'Crawler', 'tools')?.state === 'unavailable',
      'crawler says unavailable',
    )

    // The Secret gets a token with the scope: Connection re-validates, wakes the Repository, the crawler crawls.
    const withPackages = s.sandbox.control.issueToken({ user: USER })
    await s
      .tenant(T)
      .patch(resourceTypes.Secret, 'scoped-token', { stringData: { token: withPackages } }, { namespace: 'default' })
    await s.waitFor(
      async () => (await s.condition(T, 'Repository', 'tools', 'PackagesUnavailable'))?.status === 'False',
      'PackagesUnavailable False',
    )
    await s.waitFor(async () => (await packagesOf('tools')).length === 1, 'tools Package crawled')
  }, 40_000)

  test('a fine-grained token says UnsupportedTokenType', async () => {
    const fine = s.sandbox.control.issueToken({ user: USER, kind: 'fine-grained', owner: ORG })
    await s.connect(T, 'fine', { token: fine })
    s.sandbox.control.createRepository({ owner: ORG, name: 'legacy' })
    await s
      .tenant(T)
      .create(
        resourceTypes.Repository,
        codeObject('Repository', 'legacy', { connectionRef: 'fine', name: 'legacy', adopt: true }),
      )
    const cond = await s.waitFor(
      () => s.condition(T, 'Repository', 'legacy', 'PackagesUnavailable'),
      'PackagesUnavailable on legacy',
    )
    expect(cond).toMatchObject({ status: 'True', reason: 'UnsupportedTokenType' })
    expect(cond.message).toContain('classic personal access token')
    expect(await s.ready(T, 'Repository', 'legacy')).toBe(true) // the repository itself is fine
  }, 40_000)
})
