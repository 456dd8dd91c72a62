import { describe, expect, test } from 'bun:test'
import { createVerify, generateKeyPairSync } from 'node:crypto'
import { BackendError } from '../errors.ts'
import { mintAppJWT } from './app-auth.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0)

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('GitHub App JWT', () => {
  for (const format of ['pkcs1', 'pkcs8'] as const) {
    test(`RS256, signed with the App key (${format} PEM), verifiable with its public half`, () => {
      const pem = privateKey.export({ type: format, format: 'pem' }).toString()
      const jwt = mintAppJWT(12345, pem, NOW)
      const [header, payload, signature] = jwt.split('.') as [string, string, string]
      expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' })
      const ok = createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(publicKey, Buffer.from(signature, 'base64url'))
      expect(ok).toBe(true)
    })
  }

  test('issued 60 s in the past, expiring at most 10 minutes after that, issuer = App ID', () => {
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    const claims = decode(mintAppJWT(12345, pem, NOW).split('.')[1]!)
    expect(claims).toEqual({ iat: NOW / 1000 - 60, exp: NOW / 1000 - 60 + 600, iss: '12345' })
    expect(claims.exp - NOW / 1000).toBeLessThanOrEqual(600)
  })

  test('a bad key is an invalid spec, and the error never shows the key', () => {
    const bad = '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----'
    let err: unknown
    try {
      mintAppJWT(7, bad, NOW)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(BackendError)
    expect(err).toMatchObject({ code: 'invalid', reason: 'private-key-invalid' })
    expect((err as Error).message).not.toContain('c2VjcmV0')
  })
})
