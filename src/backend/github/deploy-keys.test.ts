// Deploy keys against the GitHub sandbox over HTTP.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox } from '../../../test/support/backend-sandbox.ts'
import { newPublicKey } from '../conformance.ts'
import { deployKeyDiff, keyMaterial } from './deploy-keys.ts'

let env: BackendSandbox
beforeAll(async () => {
  env = await startBackendSandbox({ gate: { writeSpacingMs: 0 } })
  env.sandbox.control.createRepository({ owner: ORG, name: 'app' })
  env.sandbox.control.createRepository({ owner: ORG, name: 'other' })
})
afterAll(() => env.stop())

const app = { owner: ORG, name: 'app' }

describe('deploy keys on the sandbox', () => {
  test('a key in use on another repository is conflict/key-in-use, and nothing is added', async () => {
    const session = env.session()
    const publicKey = newPublicKey()
    await session.deployKeys.create({ owner: ORG, name: 'other' }, { title: 'other', publicKey, readOnly: true })
    const err = await session.deployKeys.create(app, { title: 'app', publicKey, readOnly: true }).catch((e) => e)
    expect(err).toMatchObject({ code: 'conflict', reason: 'key-in-use', status: 422 })
    expect(err.needsHuman).toBe(true)
    expect(env.sandbox.control.getRepository(ORG, 'app')!.deployKeys).toEqual([])
  })

  test('removed behind our back: observe by id says so', async () => {
    const session = env.session()
    const desired = { title: 'ci', publicKey: newPublicKey(), readOnly: false }
    const key = await session.deployKeys.create(app, desired)
    env.sandbox.control.removeDeployKey(ORG, 'app', Number(key.id))
    expect(await session.deployKeys.observe(app, desired, { id: key.id })).toEqual({ exists: false })
  })

  test('found by material across pages (more than 100 keys)', async () => {
    const session = env.session()
    const keys = Array.from({ length: 130 }, (_, i) => ({ title: `k${i}`, publicKey: newPublicKey(), readOnly: true }))
    for (const k of keys) await session.deployKeys.create({ owner: ORG, name: 'other' }, k)
    const last = keys.at(-1)!
    const seen = await session.deployKeys.observe({ owner: ORG, name: 'other' }, last)
    expect(seen).toMatchObject({ exists: true, upToDate: true, observed: { title: 'k129' } })
  })

  test('not a key id: invalid, before any request', async () => {
    expect(
      await env
        .session()
        .deployKeys.delete(app, 'abc')
        .catch((e) => e),
    ).toMatchObject({ code: 'invalid' })
  })
})

describe('key material', () => {
  test('type and body are the identity; the comment is not', () => {
    expect(keyMaterial('  ssh-ed25519 AAAAC3Nza me@host  ')).toBe('ssh-ed25519 AAAAC3Nza')
    const observed = { id: '1', title: 't', publicKey: 'ssh-ed25519 AAAA', readOnly: true, createdAt: '' }
    expect(deployKeyDiff({ title: 't', publicKey: 'ssh-ed25519 AAAA other', readOnly: true }, observed)).toEqual([])
    expect(deployKeyDiff({ title: 'u', publicKey: 'ssh-rsa AAAA', readOnly: false }, observed)).toEqual([
      'publicKey',
      'readOnly',
      'title',
    ])
  })
})
