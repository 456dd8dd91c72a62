// The contract between the request pipeline and the route handlers.
import type { GitHubApp, Installation, SandboxState, TokenRecord, User } from '../model/state.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface Urls {
  /** API base, no trailing slash: http://127.0.0.1:8090 */
  api: string
  /** Web host (html_url, OAuth pages, downloads), no trailing slash. */
  web: string
}

/** Who a request acts as. Anonymous requests have no actor. */
export type Actor =
  | { kind: 'user'; user: User; token: TokenRecord }
  | { kind: 'installation'; installation: Installation; token: TokenRecord }
  | { kind: 'app'; app: GitHubApp }

export interface Ctx {
  readonly state: SandboxState
  readonly urls: Urls
  readonly method: Method
  /** Path as received, still percent-encoded. */
  readonly path: string
  /** Path parameters, percent-decoded exactly once. */
  readonly params: Record<string, string>
  readonly query: URLSearchParams
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown
  readonly actor: Actor | undefined
  readonly now: number
}

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface Route {
  method: Method
  /** OpenAPI path template; `{name+}` marks a parameter that may span slashes (refs, file paths). */
  path: string
  /** The operation in GitHub's OpenAPI description this route emulates. */
  operationId: string
  /** Classic scopes the endpoint accepts (X-Accepted-OAuth-Scopes). */
  scopes?: string[]
  /** Counts against the secondary limit on content creation. Default: POST, PUT and PATCH. */
  createsContent?: boolean
  handle(ctx: Ctx): Reply | Promise<Reply>
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 200, body, headers })
export const created = (body: unknown, headers?: Record<string, string>): Reply => ({ status: 201, body, headers })
export const noContent = (): Reply => ({ status: 204 })
export const found = (location: string): Reply => ({ status: 302, headers: { location } })
