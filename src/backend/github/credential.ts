// Everything one credential shares between its sessions: the gate, the ETag cache, the HTTP client,
// installation tokens (GitHub App), and what it learned about owners and itself.

import { createHash } from 'node:crypto'
import type { OwnerKind, TokenKind } from '../../apis/v1alpha1/connection.ts'
import type { Credential, Endpoint } from '../backend.ts'
import { InstallationTokens } from './app-auth.ts'
import type { Clock } from './clock.ts'
import { EtagCache, type EtagCacheLimits } from './etag-cache.ts'
import { type GateLimits, RequestGate } from './gate.ts'
import { apiHost, normalizeBaseURL } from './host.ts'
import { tokenKindOf } from './scopes.ts'
import { type Fetch, Transport } from './transport.ts'

export interface CredentialSettings {
  clock: Clock
  fetch: Fetch
  gate: GateLimits
  etagCache: EtagCacheLimits
  retries: number
  retryBaseDelayMs: number
  requestTimeoutMs: number
  downloadTimeoutMs: number
  userAgent: string
}

export interface CredentialClient {
  gate: RequestGate
  transport: Transport
  baseURL: string
  tokenKind: TokenKind
  /** Set for GitHub App credentials. */
  installation?: InstallationTokens
  ownerKinds: Map<string, OwnerKind>
  /** The authenticated login, once asked (a promise, so concurrent askers share one request). */
  login?: Promise<string | undefined>
}

/** A sha256 prefix: names the credential in gate ids, /debug and metrics without revealing it. */
export const fingerprint = (secret: string): string => createHash('sha256').update(secret).digest('hex').slice(0, 12)

function identity(credential: Credential): string {
  return credential.kind === 'token' ? credential.token : `github-app:${credential.appID}:${credential.installationID}`
}

export function gateID(endpoint: Endpoint): string {
  return `${fingerprint(identity(endpoint.credential))}@${apiHost(normalizeBaseURL(endpoint.baseURL))}`
}

export function openCredential(endpoint: Endpoint, settings: CredentialSettings): CredentialClient {
  const baseURL = normalizeBaseURL(endpoint.baseURL)
  const { credential } = endpoint
  const gate = new RequestGate(gateID(endpoint), apiHost(baseURL), settings.gate, settings.clock)
  const installation =
    credential.kind === 'github-app'
      ? new InstallationTokens(credential, baseURL, settings.fetch, settings.clock)
      : undefined
  const token = installation
    ? () => installation.token()
    : (() => {
        const value = (credential as { token: string }).token
        return () => Promise.resolve(value)
      })()
  const transport = new Transport({
    baseURL,
    gate,
    cache: new EtagCache(settings.etagCache),
    clock: settings.clock,
    fetch: settings.fetch,
    token,
    onUnauthorized: () => installation?.invalidate(),
    retries: settings.retries,
    retryBaseDelayMs: settings.retryBaseDelayMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    downloadTimeoutMs: settings.downloadTimeoutMs,
    userAgent: settings.userAgent,
  })
  return {
    gate,
    transport,
    baseURL,
    tokenKind: credential.kind === 'token' ? tokenKindOf(credential.token) : 'github-app-installation',
    ...(installation ? { installation } : {}),
    ownerKinds: new Map(),
  }
}
