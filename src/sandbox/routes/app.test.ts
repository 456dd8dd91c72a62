import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createPrivateKey, sign } from 'node:crypto'
import { startTestSandbox, T0, type TestSandbox } from '../../../test/support/sandbox.ts'
import { ed25519PublicKey } from '../../../test/support/ssh-keys.ts'

let sb: TestSandbox
let app: { appId: number; privateKey: string }
let installationId: number

function jwt(claims: Record<string, unknown>, key = app.privateKey): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const data = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`
  return `${data}.${sign('sha256', Buffer.from(data), createPrivateKey(key)).toString('base64url')}`
}

const now = () => Math.floor(sb.control.now() / 1000)
const validJWT = () => jwt({ iss: app.appId, iat: now() - 30, exp: now() + 540 })

beforeAll(async () => {
  sb = await startTestSandbox()
  sb.control.createUser({ login: 'owner' })
  sb.control.createOrg({ login: 'apps', members: [{ login: 'owner', role: 'admin' }] })
  sb.control.createRepository({ owner: 'apps', name: 'in', private: true })
  sb.control.createRepository({ owner: 'apps', name: 'out', private: true })
  app = sb.control.registerApp({ name: 'Code Provider', owner: 'apps' })
  installationId = sb.control.installApp({ appId: app.appId, account: 'apps', repositories: ['in'] }).installationId
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('the app mints an installation token with its JWT; the token works on the selected repositories', async () => {
  const r = await sb.call('POST', `/app/installations/${installationId}/access_tokens`, { token: validJWT() })
  expect(r.status).toBe(201)
  expect(r.body.token).toStartWith('ghs_')
  expect(r.body.expires_at).toBe(new Date(T0 + 3600_000).toISOString().replace('.000Z', 'Z'))
  expect(r.body.repository_selection).toBe('selected')
  const ghs = r.body.token
  const repo = await sb.call('GET', '/repos/apps/in', { token: ghs })
  expect(repo.status).toBe(200)
  expect(repo.headers.get('x-oauth-scopes')).toBeNull()
  expect((await sb.call('GET', '/repos/apps/out', { token: ghs })).status).toBe(404)
  const key = await sb.call('POST', '/repos/apps/in/keys', {
    token: ghs,
    body: { title: 'app', key: ed25519PublicKey() },
  })
  expect(key.status).toBe(201)
  expect((await sb.call('GET', '/user', { token: ghs })).status).toBe(403)
  expect((await sb.call('GET', '/orgs/apps/packages?package_type=container', { token: ghs })).body.message).toBe(
    'Invalid argument.',
  )
  sb.control.advanceTime(3600_000)
  expect((await sb.call('GET', '/repos/apps/in', { token: ghs })).status).toBe(401)
})

test('narrower tokens: fewer permissions give 403 naming the permission', async () => {
  const r = await sb.call('POST', `/app/installations/${installationId}/access_tokens`, {
    token: validJWT(),
    body: { permissions: { metadata: 'read', contents: 'read' }, repositories: ['in'] },
  })
  expect(r.body.permissions).toEqual({ metadata: 'read', contents: 'read' })
  expect(r.body.repositories.map((x: { full_name: string }) => x.full_name)).toEqual(['apps/in'])
  const outside = await sb.call('POST', `/app/installations/${installationId}/access_tokens`, {
    token: validJWT(),
    body: { repositories: ['out'] },
  })
  expect(outside.status).toBe(422)
  const denied = await sb.call('POST', '/repos/apps/in/keys', {
    token: r.body.token,
    body: { title: 'x', key: ed25519PublicKey() },
  })
  expect(denied.status).toBe(403)
  expect(denied.body.message).toBe('Resource not accessible by integration')
  expect(denied.headers.get('x-accepted-github-permissions')).toBe('administration=write')
  const tooMuch = await sb.call('POST', `/app/installations/${installationId}/access_tokens`, {
    token: validJWT(),
    body: { permissions: { members: 'write' } },
  })
  expect(tooMuch.status).toBe(422)
})

test('JWTs are verified: signature, issuer, lifetime', async () => {
  const other = sb.control.registerApp({ name: 'Other', owner: 'apps' })
  const url = `/app/installations/${installationId}/access_tokens`
  const forged = jwt({ iss: app.appId, iat: now() - 30, exp: now() + 540 }, other.privateKey)
  expect((await sb.call('POST', url, { token: forged })).status).toBe(401)
  expect((await sb.call('POST', url, { token: jwt({ iss: app.appId, iat: now() - 30, exp: now() - 1 }) })).status).toBe(
    401,
  )
  expect(
    (await sb.call('POST', url, { token: jwt({ iss: app.appId, iat: now() - 30, exp: now() + 3600 }) })).status,
  ).toBe(401)
  expect((await sb.call('POST', url, { token: jwt({ iss: 424242, iat: now(), exp: now() + 60 }) })).status).toBe(401)
  const otherApp = jwt({ iss: other.appId, iat: now() - 30, exp: now() + 540 }, other.privateKey)
  expect((await sb.call('POST', url, { token: otherApp })).status).toBe(404)
})
