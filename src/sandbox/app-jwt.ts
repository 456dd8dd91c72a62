// GitHub App authentication: an RS256 JWT signed with the app's private key, `iss` the app id (or
// client id), lifetime at most 10 minutes. Messages follow GitHub's 401 answers.
import { createPublicKey, verify } from 'node:crypto'
import { GitHubError } from './github-error.ts'
import type { GitHubApp, SandboxState } from './model/state.ts'

export const looksLikeJWT = (token: string) => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token)

const fail = (message: string) => new GitHubError(401, message)

function decodePart(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>
  } catch {}
  throw fail('A JSON web token could not be decoded')
}

export function verifyAppJWT(state: SandboxState, jwt: string): GitHubApp {
  const [head, payload, signature] = jwt.split('.') as [string, string, string]
  const header = decodePart(head)
  const claims = decodePart(payload)
  if (header.alg !== 'RS256') throw fail('A JSON web token could not be decoded')
  const app = [...state.apps.values()].find((a) => String(a.id) === String(claims.iss) || a.clientId === claims.iss)
  if (!app) throw fail(`'Issuer' claim ('iss') must be an Integer or the Client ID of a GitHub App`)
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    createPublicKey(app.publicKeyPem),
    Buffer.from(signature, 'base64url'),
  )
  if (!valid) throw fail('A JSON web token could not be decoded')
  const now = Math.floor(state.now() / 1000)
  const { iat, exp } = claims
  if (typeof iat !== 'number' || iat > now + 60) {
    throw fail(`'Issued at' claim ('iat') must be an Integer representing a time in the past`)
  }
  if (typeof exp !== 'number' || exp <= now || exp - iat > 600) {
    throw fail(
      `'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires`,
    )
  }
  return app
}
