// The GitHub implementation of the GitBackend port (github.com, GHE.com and GitHub Enterprise Server).

import type { Endpoint, GitBackend, GitSession, SessionOptions } from '../backend.ts'
import { type Clock, systemClock } from './clock.ts'
import { type CredentialClient, type CredentialSettings, gateID, openCredential } from './credential.ts'
import { defaultEtagCacheLimits, type EtagCacheLimits } from './etag-cache.ts'
import { defaultGateLimits, type GateLimits } from './gate.ts'
import { openSession } from './session.ts'
import type { Fetch } from './transport.ts'

export interface GitHubBackendOptions {
  /** Time for the gate's waits and the retry backoff (tests move it by hand). */
  clock?: Clock
  /** The HTTP client underneath (default: global fetch). */
  fetch?: Fetch
  /** Per-credential gate limits; see GateLimits for the defaults. */
  gate?: Partial<GateLimits>
  /** Per-credential conditional-request cache bounds. */
  etagCache?: Partial<EtagCacheLimits>
  /** Tries after a 5xx or a network failure (default 2), backoff n² × retryBaseDelayMs (default 1 s). */
  retries?: number
  retryBaseDelayMs?: number
  /** Per API request (default 30 s); downloads (tarballs, logs) get downloadTimeoutMs (default 5 min). */
  requestTimeoutMs?: number
  downloadTimeoutMs?: number
  userAgent?: string
}

export function createGitHubBackend(options: GitHubBackendOptions = {}): GitBackend {
  const clock = options.clock ?? systemClock
  const settings: CredentialSettings = {
    clock,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    gate: { ...defaultGateLimits, ...options.gate },
    etagCache: { ...defaultEtagCacheLimits, ...options.etagCache },
    retries: options.retries ?? 2,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    downloadTimeoutMs: options.downloadTimeoutMs ?? 300_000,
    userAgent: options.userAgent ?? 'code-provider',
  }
  const clients = new Map<string, CredentialClient>()

  function clientFor(endpoint: Endpoint): CredentialClient {
    const id = gateID(endpoint)
    let client = clients.get(id)
    if (!client) {
      client = openCredential(endpoint, settings)
      clients.set(id, client)
    } else if (endpoint.credential.kind === 'github-app') {
      client.installation?.update(endpoint.credential) // a rotated private key
    }
    return client
  }

  return {
    provider: 'github',
    session: (endpoint: Endpoint, sessionOptions?: SessionOptions): GitSession =>
      openSession(clientFor(endpoint), clock, sessionOptions),
    gates: () => [...clients.values()].map((c) => c.gate.snapshot()),
  }
}
