// Every API request goes through here: authentication, route matching, primary and secondary
// limits, injected faults and latency, the handler, then ETag/304 and GitHub's response headers,
// the request log and the exchange hook (tests validate every exchange against the OpenAPI spec).
import { createHash, randomBytes } from 'node:crypto'
import { isoSeconds } from '../clock.ts'
import type { Faults } from '../faults.ts'
import { GitHubError, notFound } from '../github-error.ts'
import type { Bucket, RateLimits } from '../limits.ts'
import type { SandboxState } from '../model/state.ts'
import type { RequestLog } from '../request-log.ts'
import { authenticate } from './auth.ts'
import type { Match, Router } from './router.ts'
import type { Actor, Ctx, Method, Reply, Urls } from './types.ts'

/** One request and its answer, as the exchange hook sees it. */
export interface Exchange {
  method: string
  path: string
  query: Record<string, string>
  /** OpenAPI template, when a route matched. */
  template?: string
  operationId?: string
  /** Path parameters, decoded. */
  params?: Record<string, string>
  /** Answered by an injected fault (the body is whatever the test asked for). */
  fault: boolean
  status: number
  requestHeaders: Record<string, string>
  requestBody: unknown
  responseHeaders: Record<string, string>
  responseBody: unknown
}

export interface PipelineDeps {
  state: SandboxState
  urls: Urls
  router: Router
  limits: RateLimits
  faults: Faults
  log: RequestLog
  onExchange?: (exchange: Exchange) => void
}

export const SUPPORTED_API_VERSIONS = ['2022-11-28', '2026-03-10']
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
const BODYLESS = new Set([204, 304])

const STATIC_HEADERS = {
  'x-github-media-type': 'github.v3; format=json',
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset',
  'content-security-policy': "default-src 'none'",
  'x-content-type-options': 'nosniff',
  vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
}

const requestId = () => {
  const h = (n: number) => randomBytes(n).toString('hex').toUpperCase()
  return `${h(2)}:${h(3)}:${h(3)}:${h(3)}:${h(4)}`
}

export function bucketOf(actor: Actor | undefined): Bucket {
  if (!actor) return { key: 'anonymous', kind: 'anonymous' }
  if (actor.kind === 'app') return { key: `app:${actor.app.id}`, kind: 'app', id: actor.app.id }
  if (actor.kind === 'installation') {
    return { key: `installation:${actor.installation.id}`, kind: 'installation', id: actor.installation.id }
  }
  return { key: `user:${actor.user.id}`, kind: 'user', id: actor.user.id }
}

/** `/repositories/{id}/rest` is the same resource as `/repos/{owner}/{name}/rest`. */
function canonicalPath(state: SandboxState, path: string): string {
  const m = /^\/repositories\/(\d+)(\/.*)?$/.exec(path)
  const repo = m ? state.repos.get(Number(m[1])) : undefined
  if (!repo) return path
  return `/repos/${encodeURIComponent(state.ownerOf(repo).login)}/${encodeURIComponent(repo.name)}${m![2] ?? ''}`
}

async function readJSON(req: Request): Promise<unknown> {
  const text = await req.text()
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON')
  }
}

const etagOf = (json: string) => `W/"${createHash('sha256').update(json).digest('hex').slice(0, 32)}"`

function notModified(req: Request, etag: string): boolean {
  const header = req.headers.get('if-none-match')
  if (!header) return false
  const bare = etag.replace(/^W\//, '')
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare || t.trim() === '*')
}

export async function handleApi(deps: PipelineDeps, req: Request, url: URL): Promise<Response> {
  const started = performance.now()
  const id = requestId()
  const isHead = req.method === 'HEAD'
  const method = (isHead ? 'GET' : req.method) as Method
  const { state, limits } = deps
  let actor: Actor | undefined
  let match: Match | undefined
  let bucket: Bucket | undefined
  let requestBody: unknown
  let reply: Reply
  let billed = false
  let fault = false
  const path = canonicalPath(state, url.pathname)
  try {
    const version = req.headers.get('x-github-api-version')
    if (version && !SUPPORTED_API_VERSIONS.includes(version)) {
      throw new GitHubError(400, `API version ${version} is not supported.`)
    }
    actor = authenticate(state, req.headers.get('authorization'))
    bucket = bucketOf(actor)
    match = METHODS.has(method) ? deps.router.match(method, path) : undefined
    const free = match?.compiled.template === '/rate_limit'
    const exhausted = free ? undefined : limits.exhausted(bucket)
    if (exhausted) throw exhausted
    billed = !free
    limits.enter(bucket)
    try {
      const route = match?.compiled.route
      const creates = route?.createsContent ?? (method === 'POST' || method === 'PUT' || method === 'PATCH')
      const limited = limits.secondaryLimited(bucket, creates && route !== undefined, id)
      if (limited) throw limited
      const delay = deps.faults.delayFor(method, match?.compiled.template, url.pathname)
      if (delay > 0) await Bun.sleep(delay)
      const injected = deps.faults.take(method, match?.compiled.template, url.pathname)
      if (injected) {
        fault = true
        reply = {
          status: injected.status,
          body: injected.body ?? new GitHubError(injected.status, statusText(injected.status)).body(),
          headers: injected.headers,
        }
      } else {
        if (!match) throw notFound()
        requestBody = method === 'GET' ? undefined : await readJSON(req)
        const ctx: Ctx = {
          state,
          urls: deps.urls,
          method,
          path,
          params: match.params,
          query: url.searchParams,
          body: requestBody,
          actor,
          now: state.now(),
        }
        reply = await match.compiled.route.handle(ctx)
      }
    } finally {
      limits.leave(bucket)
    }
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e
    reply = { status: e.status, body: e.body(), headers: e.extra.headers }
  }
  const json = reply.body === undefined || BODYLESS.has(reply.status) ? undefined : JSON.stringify(reply.body)
  const headers: Record<string, string> = { ...STATIC_HEADERS, 'x-github-request-id': id }
  headers['x-github-api-version-selected'] = SUPPORTED_API_VERSIONS[0]!
  let status = reply.status
  if (json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    headers.etag = etagOf(json)
    headers['cache-control'] = 'private, max-age=60, s-maxage=60'
    if (method === 'GET' && status === 200 && notModified(req, headers.etag)) status = 304
  }
  if (status === 304) billed = false
  if (billed && bucket) limits.bill(bucket)
  if (bucket && status !== 401) Object.assign(headers, limits.headers(bucket))
  if (actor && 'token' in actor && (actor.token.kind === 'classic' || actor.token.kind === 'oauth')) {
    headers['x-oauth-scopes'] = actor.token.scopes.join(', ')
    headers['x-accepted-oauth-scopes'] = match?.compiled.route.scopes?.join(', ') ?? ''
  }
  Object.assign(headers, reply.headers)
  const template = match?.compiled.template
  const login =
    actor?.kind === 'user'
      ? actor.user.login
      : actor?.kind === 'installation'
        ? `installation:${actor.installation.id}`
        : undefined
  deps.log.add({
    requestId: id,
    at: isoSeconds(state.now()),
    method: req.method,
    path: url.pathname,
    route: `${method} ${template ?? url.pathname}`,
    status,
    ...(login ? { login } : {}),
    ...(actor && 'token' in actor ? { tokenKind: actor.token.kind } : {}),
    billed,
    notModified: status === 304,
    fault,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
  })
  deps.onExchange?.({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(template ? { template, operationId: match!.compiled.route.operationId, params: match!.params } : {}),
    status,
    fault,
    requestHeaders: headerRecord(req.headers),
    requestBody,
    responseHeaders: headers,
    responseBody: status === 304 ? undefined : reply.body,
  })
  const body = isHead || status === 304 || json === undefined ? null : json
  return new Response(body, { status, headers })
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => {
    out[key] = value
  })
  return out
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Requires authentication',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    422: 'Validation Failed',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Server Error',
    503: 'Service Unavailable',
  }
  return texts[status] ?? `HTTP ${status}`
}
