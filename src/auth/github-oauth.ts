// The GitHub OAuth web flow, server side: PKCE (S256), a `state` that maps to the flow's caller in
// memory only (10 minutes, single use), the code exchange with the client secret and the verifier,
// and GET /user for the login and granted scopes. No HTTP routes here; fetch and time are injected.
import { createHash, randomBytes } from 'node:crypto'
import type { OAuthConfig } from '../config.ts'
import type { Caller } from './identity.ts'

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface Pkce {
  verifier: string
  challenge: string
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

/** 32 random bytes → a 43-character verifier (RFC 7636 allows 43–128). */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: s256(verifier) }
}

/** One sign-in in progress. Holds the caller's bearer only until the callback (or expiry). */
export interface PendingFlow {
  caller: Caller
  verifier: string
  /** Connection to create or update. */
  connection: string
  /** Owner for the Connection; the GitHub login when absent. */
  owner?: string
}

export type TakenFlow = { ok: true; flow: PendingFlow } | { ok: false; reason: 'unknown' | 'expired' }

/** States issued by /start, each usable once, for `ttlMs`. Bounded: the oldest go first. */
export class OAuthStates {
  private readonly flows = new Map<string, PendingFlow & { expiresAt: number }>()

  constructor(
    readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size() {
    return this.flows.size
  }

  issue(flow: PendingFlow): string {
    if (this.flows.size >= this.max) this.sweep()
    if (this.flows.size >= this.max) this.flows.delete(this.flows.keys().next().value as string)
    const state = randomBytes(32).toString('base64url')
    this.flows.set(state, { ...flow, expiresAt: this.now() + this.ttlMs })
    return state
  }

  /** The flow for `state`, removed whatever the outcome: a state never works twice. */
  take(state: string): TakenFlow {
    const f = this.flows.get(state)
    if (!f) return { ok: false, reason: 'unknown' }
    this.flows.delete(state)
    if (f.expiresAt <= this.now()) return { ok: false, reason: 'expired' }
    const { expiresAt: _, ...flow } = f
    return { ok: true, flow }
  }

  private sweep() {
    const now = this.now()
    for (const [k, f] of this.flows) if (f.expiresAt <= now) this.flows.delete(k)
  }
}

export function authorizeURL(o: OAuthConfig, state: string, challenge: string): string {
  const url = new URL(`${o.webURL}/login/oauth/authorize`)
  url.searchParams.set('client_id', o.clientId)
  url.searchParams.set('redirect_uri', o.redirectURL)
  url.searchParams.set('scope', o.scopes.join(' '))
  url.searchParams.set('state', state)
  url.searchParams.set('code_challenge', challenge)
  url.searchParams.set('code_challenge_method', 'S256')
  return url.toString()
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string }

const EXCHANGE_TIMEOUT_MS = 15_000

/** POST /login/oauth/access_token with the client secret and the PKCE verifier. The token stays server side. */
export async function exchangeCode(
  o: OAuthConfig,
  code: string,
  verifier: string,
  fetch: Fetch,
): Promise<Outcome<{ token: string }>> {
  let res: Response
  try {
    res = await fetch(`${o.webURL}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: o.clientId,
        client_secret: o.clientSecret,
        code,
        redirect_uri: o.redirectURL,
        code_verifier: verifier,
      }),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    })
  } catch (e) {
    return { ok: false, error: `GitHub could not be reached to finish the sign-in (${(e as Error).name})` }
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
  if (!res.ok) return { ok: false, error: `GitHub answered ${res.status} to the code exchange` }
  if (typeof body.error === 'string') {
    const why = typeof body.error_description === 'string' ? `: ${body.error_description}` : ''
    return { ok: false, error: `GitHub refused the sign-in (${body.error}${why})` }
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    return { ok: false, error: 'GitHub answered the code exchange without a token' }
  }
  return { ok: true, value: { token: body.access_token } }
}

/** GET /user: who the token is (GitHub says to re-check after every sign-in) and the scopes granted. */
export async function lookUpUser(
  o: OAuthConfig,
  token: string,
  fetch: Fetch,
): Promise<Outcome<{ login: string; scopes: string[] }>> {
  try {
    const res = await fetch(`${o.apiURL}/user`, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    })
    const body = (await res.json().catch(() => ({}))) as { login?: unknown }
    if (!res.ok || typeof body.login !== 'string') {
      return { ok: false, error: `GitHub did not say who signed in (GET /user answered ${res.status})` }
    }
    const scopes = (res.headers.get('x-oauth-scopes') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    return { ok: true, value: { login: body.login, scopes } }
  } catch (e) {
    return { ok: false, error: `GitHub could not be reached to look up the user (${(e as Error).name})` }
  }
}

/** The Connection's baseURL: empty for github.com, the API URL for GitHub Enterprise (or the sandbox). */
export const connectionBaseURL = (o: OAuthConfig) => (o.apiURL === 'https://api.github.com' ? undefined : o.apiURL)
