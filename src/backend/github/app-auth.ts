// GitHub App credentials: a short-lived JWT signed with the App's private key buys an installation
// token (valid 1 h), which we keep until 5 minutes before it expires.

import { createPrivateKey, createSign } from 'node:crypto'
import { Octokit } from '@octokit/core'
import type { Clock } from './clock.ts'
import { invalidInput, toBackendError } from './errors.ts'
import type { Fetch } from './transport.ts'

export interface AppCredential {
  appID: number
  installationID: number
  privateKey: string
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

/** RS256 JWT for the App: issued 60 s in the past (clock drift), valid 10 minutes from then. */
export function mintAppJWT(appID: number, privateKeyPem: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000) - 60
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
  const payload = base64url(JSON.stringify({ iat, exp: iat + 600, iss: String(appID) }))
  let key: ReturnType<typeof createPrivateKey>
  try {
    key = createPrivateKey(privateKeyPem)
  } catch {
    // Never echo the key material: say what is wrong with it.
    throw invalidInput(`GitHub App ${appID}`, 'the private key is not a PEM-encoded RSA key', 'private-key-invalid')
  }
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key)
  return `${header}.${payload}.${base64url(signature)}`
}

const REFRESH_BEFORE_MS = 5 * 60_000

/** Installation tokens of one App installation, minted on demand and shared by all its sessions. */
export class InstallationTokens {
  private cached?: { token: string; expiresAt: number }
  private minting?: Promise<string>
  private readonly octokit: Octokit

  constructor(
    private credential: AppCredential,
    baseURL: string,
    fetchImpl: Fetch,
    private readonly clock: Clock,
  ) {
    this.octokit = new Octokit({ baseUrl: baseURL, request: { fetch: fetchImpl } })
  }

  /** A rotated private key replaces the old one for the next mint. */
  update(credential: AppCredential): void {
    this.credential = credential
  }

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - REFRESH_BEFORE_MS > this.clock.now()) return this.cached.token
    this.minting ??= this.mint().finally(() => {
      this.minting = undefined
    })
    return this.minting
  }

  /** After a 401: the token was revoked (uninstall, key change); mint a new one next time. */
  invalidate(): void {
    this.cached = undefined
  }

  /** The App's own identity (GET /app with the JWT): its slug names the bot account. */
  async appSlug(): Promise<string> {
    const { appID } = this.credential
    try {
      const res = await this.octokit.request('GET /app', { headers: this.jwtHeaders() })
      return String((res.data as { slug?: unknown }).slug ?? `app-${appID}`)
    } catch (e) {
      throw toBackendError(e, { what: `read GitHub App ${appID}` }, this.clock.now())
    }
  }

  private jwtHeaders() {
    const { appID, privateKey } = this.credential
    return {
      authorization: `Bearer ${mintAppJWT(appID, privateKey, this.clock.now())}`,
      'x-github-api-version': '2022-11-28',
    }
  }

  private async mint(): Promise<string> {
    const { appID, installationID } = this.credential
    try {
      const res = await this.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: installationID,
        headers: this.jwtHeaders(),
      })
      const { token, expires_at } = res.data as { token: string; expires_at: string }
      this.cached = { token, expiresAt: Date.parse(expires_at) }
      return token
    } catch (e) {
      throw toBackendError(
        e,
        { what: `get an installation token for GitHub App ${appID} (installation ${installationID})` },
        this.clock.now(),
      )
    }
  }
}
