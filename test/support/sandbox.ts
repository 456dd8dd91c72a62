// A GitHub sandbox for tests: ephemeral port, a settable clock, every exchange recorded so the
// suite can check them all against GitHub's OpenAPI description, and small HTTP helpers.
import { Octokit } from '@octokit/core'
import type { TokenInput } from '../../src/sandbox/control-types.ts'
import type { Exchange } from '../../src/sandbox/http/pipeline.ts'
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/server.ts'
import { checkExchanges } from './github-openapi.ts'

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary GitHub JSON; shapes are checked against the spec
export type Json = any

export interface Answer<T = Json> {
  status: number
  headers: Headers
  body: T
}

export interface TestSandbox extends Sandbox {
  exchanges: Exchange[]
  /** A user (created when missing) and a token for them. */
  login(user: string, token?: Omit<TokenInput, 'user'>): string
  /** fetch against the sandbox; JSON in and out; redirects are not followed. */
  call<T = Json>(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer<T>>
  octokit(token: string): Octokit
  /** Problems found checking every exchange so far against the OpenAPI description. */
  conformance(): Promise<string[]>
}

/** Fixed start time: 2026-01-05T10:00:00Z (tests move it with control.advanceTime). */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0)

export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const exchanges: Exchange[] = []
  const sandbox = await startSandbox({
    clock: { now: () => T0 },
    ...options,
    onExchange: (e) => {
      exchanges.push(e)
      options.onExchange?.(e)
    },
  })
  return {
    ...sandbox,
    exchanges,
    login(user, token = {}) {
      try {
        sandbox.control.createUser({ login: user })
      } catch (e) {
        if (!(e instanceof Error) || !e.message.includes('taken')) throw e
      }
      return sandbox.control.issueToken({ user, ...token })
    },
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { accept: 'application/vnd.github+json', ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      if (init.body !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(`${sandbox.url}${path}`, {
        method,
        headers,
        redirect: 'manual',
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      })
      const text = await res.text()
      let body: unknown = text
      if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text)
      return { status: res.status, headers: res.headers, body: body as Json }
    },
    octokit: (token) => new Octokit({ baseUrl: sandbox.url, auth: token }),
    conformance: () => checkExchanges(exchanges),
  }
}
