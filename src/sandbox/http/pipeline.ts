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

/** What one request turned out to be, filled in as it moves through the stages. */
interface Run {
  id: string
  method: Method
  /** Canonical path (`/repositories/{id}/…` rewritten to `/repos/{owner}/{name}/…`). */
  path: string
  actor?: Actor
  match?: Match
  bucket?: Bucket
  requestBody?: unknown
  billed: boolean
  fault: boolean
}

/** Authentication, limits, faults and the handler: the answer before headers are added. */
async function answer(deps: PipelineDeps, req: Request, url: URL, run: Run): Promise<Reply> {
  const { state, limits } = deps
  const version = req.headers.get('x-github-api-version')
  if (version && !SUPPORTED_API_VERSIONS.includes(version)) {
    throw new GitHubError(400, `API version ${version} is not supported.`)
  }
  try {
    run.actor = authenticate(state, req.headers.get('authorization'))
  } catch (e) {
    // Failed logins spend the caller's unauthenticated budget.
    run.bucket = bucketOf(undefined)
    run.billed = true
    throw e
  }
  const bucket = bucketOf(run.actor)
  run.bucket = bucket
  run.match = METHODS.has(run.method) ? deps.router.match(run.method, run.path) : undefined
  const route = run.match?.compiled.route
  const template = run.match?.compiled.template
  const free = template === '/rate_limit'
  const exhausted = free ? undefined : limits.exhausted(bucket)
  if (exhausted) throw exhausted
  run.billed = !free
  limits.enter(bucket)
  try {
    const creates = route?.createsContent ?? ['POST', 'PUT', 'PATCH'].includes(run.method)
    const limited = limits.secondaryLimited(bucket, creates && route !== undefined, run.id)
    if (limited) throw limited
    const delay = deps.faults.delayFor(run.method, template, url.pathname)
    if (delay > 0) await Bun.sleep(delay)
    const injected = deps.faults.take(run.method, template, url.pathname)
    if (injected) {
      run.fault = true
      const body = injected.body ?? new GitHubError(injected.status, statusText(injected.status)).body()
      return { status: injected.status, body, headers: injected.headers }
    }
    if (!run.match || !route) throw notFound()
    run.requestBody = run.method === 'GET' ? undefined : await readJSON(req)
    const ctx: Ctx = {
      state,
      urls: deps.urls,
      method: run.method,
      path: run.path,
      params: run.match.params,
      query: url.searchParams,
      body: run.requestBody,
      actor: run.actor,
      now: state.now(),
    }
    return await route.handle(ctx)
  } finally {
    limits.leave(bucket)
  }
}

/** GitHub's response headers, the ETag and the 304 decision; bills the request. */
function finish(deps: PipelineDeps, req: Request, run: Run, reply: Reply) {
  const json = reply.body === undefined || BODYLESS.has(reply.status) ? undefined : JSON.stringify(reply.body)
  const headers: Record<string, string> = {
    ...STATIC_HEADERS,
    'x-github-request-id': run.id,
    'x-github-api-version-selected': SUPPORTED_API_VERSIONS[0]!,
  }
  let status = reply.status
  if (json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8'
    headers.etag = etagOf(json)
    headers['cache-control'] = 'private, max-age=60, s-maxage=60'
    if (run.method === 'GET' && status === 200 && notModified(req, headers.etag)) status = 304
  }
  if (status === 304) run.billed = false
  if (run.bucket) {
    if (run.billed) deps.limits.bill(run.bucket)
    Object.assign(headers, deps.limits.headers(run.bucket))
  }
  const token = run.actor && 'token' in run.actor ? run.actor.token : undefined
  if (token?.kind === 'classic' || token?.kind === 'oauth') {
    headers['x-oauth-scopes'] = token.scopes.join(', ')
    headers['x-accepted-oauth-scopes'] = run.match?.compiled.route.scopes?.join(', ') ?? ''
  }
  Object.assign(headers, reply.headers)
  return { status, headers, json: status === 304 ? undefined : json }
}

function loginOf(actor: Actor | undefined): string | undefined {
  if (actor?.kind === 'user') return actor.user.login
  if (actor?.kind === 'installation') return `installation:${actor.installation.id}`
  return undefined
}

function record(
  deps: PipelineDeps,
  req: Request,
  url: URL,
  run: Run,
  reply: Reply,
  status: number,
  headers: Record<string, string>,
  ms: number,
) {
  const template = run.match?.compiled.template
  const login = loginOf(run.actor)
  deps.log.add({
    requestId: run.id,
    at: isoSeconds(deps.state.now()),
    method: req.method,
    path: url.pathname,
    route: `${run.method} ${template ?? url.pathname}`,
    status,
    ...(login ? { login } : {}),
    ...(run.actor && 'token' in run.actor ? { tokenKind: run.actor.token.kind } : {}),
    billed: run.billed,
    notModified: status === 304,
    fault: run.fault,
    durationMs: Math.round(ms * 100) / 100,
  })
  deps.onExchange?.({
    method: run.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    ...(run.match ? { template, operationId: run.match.compiled.route.operationId, params: run.match.params } : {}),
    status,
    fault: run.fault,
    requestHeaders: headerRecord(req.headers),
    requestBody: run.requestBody,
    responseHeaders: headers,
    responseBody: status === 304 ? undefined : reply.body,
  })
}

export async function handleApi(deps: PipelineDeps, req: Request, url: URL): Promise<Response> {
  const started = performance.now()
  const method = (req.method === 'HEAD' ? 'GET' : req.method) as Method
  const run: Run = {
    id: requestId(),
    method,
    path: canonicalPath(deps.state, url.pathname),
    billed: false,
    fault: false,
  }
  let reply: Reply
  try {
    reply = await answer(deps, req, url, run)
  } catch (e) {
    if (!(e instanceof GitHubError)) throw e
    reply = { status: e.status, body: e.body(), headers: e.extra.headers }
  }
  const { status, headers, json } = finish(deps, req, run, reply)
  record(deps, req, url, run, reply, status, headers, performance.now() - started)
  return new Response(req.method === 'HEAD' || json === undefined ? null : json, { status, headers })
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
