// Packages against the GitHub sandbox over HTTP.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox, USER } from '../../../test/support/backend-sandbox.ts'
import type { ResponseInfo } from '../backend.ts'

let env: BackendSandbox
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`

beforeAll(async () => {
  env = await startBackendSandbox()
  const c = env.sandbox.control
  c.createRepository({ owner: ORG, name: 'web' })
  for (let i = 1; i <= 3; i++) {
    c.publishVersion({
      owner: ORG,
      type: 'container',
      name: 'web',
      version: digest(i),
      tags: i === 3 ? ['latest', 'v3'] : [`v${i}`],
      createdAt: Date.UTC(2026, 0, i),
    })
  }
  c.publishPackage({ owner: ORG, type: 'container', name: 'web', repository: 'web' })
  c.publishVersion({ owner: ORG, type: 'container', name: 'tools/builder', version: digest(9) })
  c.publishPackage({ owner: ORG, type: 'container', name: 'tools/builder', repository: 'web' })
  c.publishVersion({ owner: ORG, type: 'npm', name: 'web-sdk', version: '1.0.0' })
  c.publishPackage({ owner: ORG, type: 'npm', name: 'web-sdk' })
  for (let i = 0; i < 120; i++) {
    c.publishVersion({ owner: ORG, type: 'container', name: `img-${i}`, version: digest(1000 + i) })
    c.publishPackage({ owner: ORG, type: 'container', name: `img-${i}` })
  }
  c.publishVersion({ owner: USER, type: 'container', name: 'personal', version: digest(77), tags: ['dev'] })
  c.publishPackage({ owner: USER, type: 'container', name: 'personal', visibility: 'private' })
})
afterAll(() => env.stop())

describe('packages on the sandbox', () => {
  test('every package of a type, across pages, with the repository it came from', async () => {
    const packages = env.session().packages!
    const all = await packages.list(ORG, 'Organization', 'container')
    expect(all).toHaveLength(122)
    const web = all.find((p) => p.name === 'web')
    expect(web).toMatchObject({ type: 'container', repository: 'web', versionCount: 3 })
    expect(all.find((p) => p.name === 'img-0')?.repository).toBeUndefined()
    expect((await packages.list(ORG, 'Organization', 'npm')).map((p) => p.name)).toEqual(['web-sdk'])
  })

  test('versions newest first: digest and tags; a name with "/" is escaped once', async () => {
    const packages = env.session().packages!
    const versions = await packages.versions(ORG, 'Organization', 'container', 'web')
    expect(versions.map((v) => [v.digest, v.tags])).toEqual([
      [digest(3), ['latest', 'v3']],
      [digest(2), ['v2']],
      [digest(1), ['v1']],
    ])
    expect(await packages.versions(ORG, 'Organization', 'container', 'web', 2)).toHaveLength(2)
    const nested = await packages.versions(ORG, 'Organization', 'container', 'tools/builder')
    expect(nested.map((v) => v.digest)).toEqual([digest(9)])
  })

  test("the authenticated user's own namespace shows private packages", async () => {
    const responses: ResponseInfo[] = []
    const packages = env.session({ onResponse: (r) => responses.push(r) }).packages!
    expect((await packages.list(USER, 'User', 'container')).map((p) => p.name)).toEqual(['personal'])
    expect((await packages.versions(USER, 'User', 'container', 'personal'))[0]?.tags).toEqual(['dev'])
    expect(responses.map((r) => r.route)).toContain('GET /user/packages')
  })

  test('an unchanged listing costs nothing: every page answers 304', async () => {
    const responses: ResponseInfo[] = []
    const packages = env.session({ onResponse: (r) => responses.push(r) }).packages!
    await packages.list(ORG, 'Organization', 'container')
    const before = env.sandbox.control.requestCounts({ route: '/orgs/{org}/packages' })
    await packages.list(ORG, 'Organization', 'container')
    const after = env.sandbox.control.requestCounts({ route: '/orgs/{org}/packages' })
    expect(after.total - before.total).toBe(2)
    expect(after.notModified - before.notModified).toBe(2)
    expect(after.billed - before.billed).toBe(0)
  })

  test('without read:packages: missing-scope', async () => {
    const token = env.sandbox.control.issueToken({ user: USER, scopes: ['repo'] })
    const err = await env
      .sessionFor(token)
      .packages!.list(ORG, 'Organization', 'container')
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'missing-scope', missingScope: 'read:packages' })
  })

  test('image repository: the registry follows the API host, lower-cased', () => {
    const packages = env.session().packages!
    const host = new URL(env.sandbox.url).host
    expect(packages.imageRepository('Acme', 'Tools/Builder')).toBe(`${host}/acme/tools/builder`)
    const github = env.backend.session({ credential: { kind: 'token', token: 'ghp_x' } }).packages!
    expect(github.imageRepository('Acme', 'Web')).toBe('ghcr.io/acme/web')
    const ghes = env.backend.session({
      baseURL: 'https://ghe.example.com/api/v3/',
      credential: { kind: 'token', token: 'ghp_x' },
    }).packages!
    expect(ghes.imageRepository('Acme', 'Web')).toBe('containers.ghe.example.com/acme/web')
  })
})
