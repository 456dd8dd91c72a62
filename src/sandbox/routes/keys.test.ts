import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'
import { dsaPublicKey, ecdsaPublicKey, ed25519PublicKey, rsaPublicKey } from '../../../test/support/ssh-keys.ts'

let sb: TestSandbox
let owner: string
let member: string

beforeAll(async () => {
  sb = await startTestSandbox()
  owner = sb.login('olga')
  member = sb.login('mike')
  sb.control.createOrg({ login: 'keys-org', members: [{ login: 'olga', role: 'admin' }, { login: 'mike' }] })
  sb.control.createRepository({ owner: 'keys-org', name: 'one', private: true })
  sb.control.createRepository({ owner: 'keys-org', name: 'two', private: true })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('create, list, get and delete; the comment is not part of the key', async () => {
  const key = ed25519PublicKey('laptop')
  const created = await sb.call('POST', '/repos/keys-org/one/keys', {
    token: owner,
    body: { title: 'deploy', key, read_only: true },
  })
  expect(created.status).toBe(201)
  expect(created.body).toMatchObject({ title: 'deploy', read_only: true, verified: true, added_by: 'olga' })
  expect(created.body.key).toBe(key.split(' ').slice(0, 2).join(' '))
  expect(created.headers.get('location')).toBe(`${sb.url}/repos/keys-org/one/keys/${created.body.id}`)
  const list = await sb.call('GET', '/repos/keys-org/one/keys', { token: owner })
  expect(list.body.map((k: { id: number }) => k.id)).toEqual([created.body.id])
  expect((await sb.call('GET', `/repos/keys-org/one/keys/${created.body.id}`, { token: owner })).body.id).toBe(
    created.body.id,
  )
  expect((await sb.call('GET', `/repos/keys-org/two/keys/${created.body.id}`, { token: owner })).status).toBe(404)
  expect((await sb.call('DELETE', `/repos/keys-org/one/keys/${created.body.id}`, { token: owner })).status).toBe(204)
  expect((await sb.call('GET', `/repos/keys-org/one/keys/${created.body.id}`, { token: owner })).status).toBe(404)
})

test('RSA and ECDSA keys are accepted', async () => {
  for (const key of [rsaPublicKey(), ecdsaPublicKey()]) {
    const r = await sb.call('POST', '/repos/keys-org/two/keys', { token: owner, body: { title: 'k', key } })
    expect(r.status).toBe(201)
  }
})

test('422 "key is already in use" on the same repository and on any other', async () => {
  const key = ed25519PublicKey()
  expect((await sb.call('POST', '/repos/keys-org/one/keys', { token: owner, body: { title: 'a', key } })).status).toBe(
    201,
  )
  for (const repo of ['one', 'two']) {
    const again = await sb.call('POST', `/repos/keys-org/${repo}/keys`, {
      token: owner,
      body: { title: 'b', key: `${key.split(' ').slice(0, 2).join(' ')} other-comment` },
    })
    expect(again.status).toBe(422)
    expect(again.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
    })
  }
})

test('DSA, garbage and mismatched types are refused', async () => {
  const ed = ed25519PublicKey().split(' ')[1]!
  for (const key of [dsaPublicKey(), 'not a key', `ssh-rsa ${ed}`, 'ssh-ed25519 AAAA']) {
    const r = await sb.call('POST', '/repos/keys-org/one/keys', { token: owner, body: { title: 'x', key } })
    expect(r.status).toBe(422)
    expect(r.body.errors[0].message).toStartWith('key is invalid')
  }
  const missing = await sb.call('POST', '/repos/keys-org/one/keys', { token: owner, body: { title: 'x' } })
  expect(missing.body.errors).toEqual([{ resource: 'PublicKey', code: 'missing_field', field: 'key' }])
})

test('admin only: members get 403, outsiders 404', async () => {
  const body = { title: 'x', key: ed25519PublicKey() }
  expect((await sb.call('POST', '/repos/keys-org/one/keys', { token: member, body })).status).toBe(403)
  const outsider = sb.login('otto')
  expect((await sb.call('POST', '/repos/keys-org/one/keys', { token: outsider, body })).status).toBe(404)
})

test('removed behind the provider’s back, and deleted with the PAT that created it', async () => {
  const pat = sb.control.issueToken({ user: 'olga' })
  const k1 = await sb.call('POST', '/repos/keys-org/two/keys', {
    token: pat,
    body: { title: 'by-pat', key: ed25519PublicKey() },
  })
  const k2 = await sb.call('POST', '/repos/keys-org/two/keys', {
    token: owner,
    body: { title: 'other', key: ed25519PublicKey() },
  })
  sb.control.revokeToken(pat)
  expect((await sb.call('GET', `/repos/keys-org/two/keys/${k1.body.id}`, { token: owner })).status).toBe(404)
  sb.control.removeDeployKey('keys-org', 'two', k2.body.id)
  expect((await sb.call('GET', `/repos/keys-org/two/keys/${k2.body.id}`, { token: owner })).status).toBe(404)
  expect((await sb.call('GET', '/user', { token: pat })).status).toBe(401)
})
