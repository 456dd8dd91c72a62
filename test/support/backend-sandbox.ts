// The GitHub backend wired to a GitHub sandbox over HTTP, sharing one virtual clock: the gate's
// waits and the sandbox's rate-limit windows move together, and no test waits in real time.

import type { Endpoint, GitSession, SessionOptions } from '../../src/backend/backend.ts'
import { createGitHubBackend, type GitHubBackendOptions } from '../../src/backend/github/github-backend.ts'
import { startTestSandbox, type TestSandbox } from './sandbox.ts'
import { VirtualClock } from './virtual-clock.ts'

export const ORG = 'acme'
export const USER = 'developer'
export const OTHER = 'octocat'

export interface BackendSandbox {
  sandbox: TestSandbox
  clock: VirtualClock
  backend: ReturnType<typeof createGitHubBackend>
  /** A classic PAT of `developer` (admin of the organization `acme`), default scopes. */
  token: string
  endpoint: Endpoint
  session(options?: SessionOptions): GitSession
  /** A session for another credential of this sandbox. */
  sessionFor(token: string, options?: SessionOptions): GitSession
  stop(): Promise<void>
}

export async function startBackendSandbox(options: GitHubBackendOptions = {}): Promise<BackendSandbox> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 10, 0, 0))
  const sandbox = await startTestSandbox({ clock })
  sandbox.control.createUser({ login: USER })
  sandbox.control.createUser({ login: OTHER })
  sandbox.control.createOrg({ login: ORG, members: [{ login: USER, role: 'admin' }] })
  const token = sandbox.control.issueToken({ user: USER })
  const backend = createGitHubBackend({ clock, retryBaseDelayMs: 10, ...options })
  const endpointFor = (t: string): Endpoint => ({ baseURL: `${sandbox.url}/`, credential: { kind: 'token', token: t } })
  const endpoint = endpointFor(token)
  return {
    sandbox,
    clock,
    backend,
    token,
    endpoint,
    session: (o) => backend.session(endpoint, o),
    sessionFor: (t, o) => backend.session(endpointFor(t), o),
    stop: () => sandbox.stop(),
  }
}
