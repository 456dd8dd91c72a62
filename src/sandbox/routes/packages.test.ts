import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let reader: string

const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`

beforeAll(async () => {
  sb = await startTestSandbox()
  reader = sb.login('pia', { scopes: ['repo', 'read:packages'] })
  sb.control.createOrg({ login: 'pkgs', members: [{ login: 'pia' }] })
  sb.control.createRepository({ owner: 'pkgs', name: 'api', private: true })
  sb.control.publishPackage({ owner: 'pkgs', type: 'container', name: 'team/api', repository: 'api' })
  sb.control.publishVersion({
    owner: 'pkgs',
    type: 'container',
    name: 'team/api',
    version: digest(1),
    tags: ['v1', 'latest'],
  })
  sb.control.advanceTime(1000)
  sb.control.publishVersion({
    owner: 'pkgs',
    type: 'container',
    name: 'team/api',
    version: digest(2),
    tags: ['v2', 'latest'],
  })
  sb.control.publishPackage({ owner: 'pkgs', type: 'npm', name: 'sdk', visibility: 'public' })
  sb.control.publishVersion({ owner: 'pkgs', type: 'npm', name: 'sdk', version: '1.0.0' })
  sb.control.publishPackage({ owner: 'pia', type: 'container', name: 'mine', visibility: 'private' })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('listing by owner and type, with the linked repository', async () => {
  const r = await sb.call('GET', '/orgs/pkgs/packages?package_type=container', { token: reader })
  expect(r.status).toBe(200)
  expect(r.body).toHaveLength(1)
  expect(r.body[0]).toMatchObject({
    name: 'team/api',
    package_type: 'container',
    visibility: 'private',
    version_count: 2,
    repository: { full_name: 'pkgs/api' },
  })
  expect(r.body[0].url).toBe(`${sb.url}/orgs/pkgs/packages/container/team%2Fapi`)
  const npm = await sb.call('GET', '/orgs/pkgs/packages?package_type=npm', { token: reader })
  expect(npm.body.map((p: { name: string }) => p.name)).toEqual(['sdk'])
  expect((await sb.call('GET', '/user/packages?package_type=container', { token: reader })).body[0].name).toBe('mine')
  expect((await sb.call('GET', '/users/pia/packages?package_type=container', { token: reader })).body).toHaveLength(1)
})

test('package_type is required (400 like GitHub)', async () => {
  for (const q of ['', '?package_type=docker-hub']) {
    const r = await sb.call('GET', `/orgs/pkgs/packages${q}`, { token: reader })
    expect(r.status).toBe(400)
  }
})

test('versions: newest first, container tags move to the newest version, name encoded once', async () => {
  const r = await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi/versions', { token: reader })
  expect(r.status).toBe(200)
  expect(
    r.body.map((v: { name: string; metadata: { container: { tags: string[] } } }) => [
      v.name,
      v.metadata.container.tags,
    ]),
  ).toEqual([
    [digest(2), ['v2', 'latest']],
    [digest(1), ['v1']],
  ])
  const twice = await sb.call('GET', '/orgs/pkgs/packages/container/team%252Fapi/versions', { token: reader })
  expect(twice.status).toBe(404)
  const one = await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi', { token: reader })
  expect(one.body.version_count).toBe(2)
})

test('classic tokens need read:packages; fine-grained tokens cannot use the packages API', async () => {
  const noPkgs = sb.control.issueToken({ user: 'pia', scopes: ['repo'] })
  const r = await sb.call('GET', '/orgs/pkgs/packages?package_type=container', { token: noPkgs })
  expect(r.status).toBe(403)
  expect(r.body.message).toBe('You need at least read:packages scope to list packages.')
  expect(r.headers.get('x-accepted-oauth-scopes')).toBe('read:packages')
  const versions = await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi/versions', { token: noPkgs })
  expect(versions.body.message).toBe("You need at least read:packages scope to get a package's versions.")
  const fg = sb.control.issueToken({ user: 'pia', kind: 'fine-grained', owner: 'pkgs' })
  expect((await sb.call('GET', '/orgs/pkgs/packages?package_type=npm', { token: fg })).status).toBe(403)
  expect((await sb.call('GET', '/orgs/pkgs/packages?package_type=npm')).status).toBe(401)
})

test('private packages are invisible to outsiders; public ones are listed', async () => {
  const outsider = sb.login('oz', { scopes: ['read:packages'] })
  expect((await sb.call('GET', '/orgs/pkgs/packages?package_type=container', { token: outsider })).body).toEqual([])
  expect((await sb.call('GET', '/orgs/pkgs/packages?package_type=npm', { token: outsider })).body).toHaveLength(1)
  const v = await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi/versions', { token: outsider })
  expect(v.status).toBe(404)
})

test('unpublishing removes versions and packages; deleting the repository unlinks its packages', async () => {
  const [newest] = (await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi/versions', { token: reader })).body
  sb.control.unpublishVersion('pkgs', 'container', 'team/api', newest.id)
  const after = await sb.call('GET', '/orgs/pkgs/packages/container/team%2Fapi/versions', { token: reader })
  expect(after.body).toHaveLength(1)
  sb.control.deleteRepository('pkgs', 'api')
  const listed = await sb.call('GET', '/orgs/pkgs/packages?package_type=container', { token: reader })
  expect(listed.body[0].repository).toBeUndefined()
  sb.control.unpublishPackage('pkgs', 'container', 'team/api')
  expect((await sb.call('GET', '/orgs/pkgs/packages?package_type=container', { token: reader })).body).toEqual([])
})
