// Entry point: `startSandbox()` serves the GitHub sandbox on one port — the REST API, the OAuth
// web flow, download URLs, and the control API under /_sandbox/.
import { type Clock, SandboxClock } from './clock.ts'
import { createControl } from './control.ts'
import { controlRouteList, handleControl } from './control-routes.ts'
import type { SandboxControl } from './control-types.ts'
import { serveDownload } from './downloads.ts'
import { Faults } from './faults.ts'
import { type Exchange, handleApi, type PipelineDeps } from './http/pipeline.ts'
import { Router } from './http/router.ts'
import type { Route } from './http/types.ts'
import { RateLimits } from './limits.ts'
import { SandboxState } from './model/state.ts'
import { accessToken, authorizeGet, authorizePost } from './oauth.ts'
import { RequestLog } from './request-log.ts'
import { actionRoutes } from './routes/actions.ts'
import { appRoutes } from './routes/app.ts'
import { archiveRoutes } from './routes/archive.ts'
import { collaboratorRoutes } from './routes/collaborators.ts'
import { commitRoutes } from './routes/commits.ts'
import { contentRoutes } from './routes/contents.ts'
import { gitDataRoutes } from './routes/git-data.ts'
import { invitationRoutes } from './routes/invitations.ts'
import { keyRoutes } from './routes/keys.ts'
import { packageRoutes } from './routes/packages.ts'
import { repoListRoutes } from './routes/repo-lists.ts'
import { repoRoutes } from './routes/repos.ts'
import { userRoutes } from './routes/users.ts'
import { applyDevSeed, applySeed, type SeedSpec } from './seed.ts'

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number
  hostname?: string
  /** true: the dev seed (org acme, user developer, DEV_TOKEN); or an explicit SeedSpec. */
  seed?: boolean | SeedSpec
  /** Base clock; the sandbox adds `advanceTime` offsets on top. */
  clock?: Clock
  /** Sees every API request and answer (tests validate them against GitHub's OpenAPI description). */
  onExchange?: (exchange: Exchange) => void
}

export interface Sandbox {
  /** API base, e.g. http://127.0.0.1:8090 (use as Octokit baseUrl or a Connection's baseURL). */
  url: string
  /** Web host: OAuth authorize/access_token, html_url, downloads. Same server as `url`. */
  webURL: string
  control: SandboxControl
  stop(): Promise<void>
}

export function sandboxRoutes(limits: RateLimits): Route[] {
  return [
    ...userRoutes(limits),
    ...repoRoutes,
    ...repoListRoutes,
    ...keyRoutes,
    ...collaboratorRoutes,
    ...invitationRoutes,
    ...packageRoutes,
    ...gitDataRoutes,
    ...commitRoutes,
    ...contentRoutes,
    ...archiveRoutes,
    ...actionRoutes,
    ...appRoutes,
  ]
}

/** CORS preflight, as api.github.com answers it (browser tests call the sandbox from other origins). */
const preflight = () =>
  new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE',
      'access-control-allow-headers':
        'Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, X-GitHub-Api-Version',
      'access-control-max-age': '86400',
    },
  })

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new SandboxClock(options.clock)
  const state = new SandboxState(clock)
  const limits = new RateLimits(clock)
  const faults = new Faults()
  const log = new RequestLog()
  const control = createControl({ state, clock, limits, faults, log })
  const hostname = options.hostname ?? '127.0.0.1'
  const deps: PipelineDeps = {
    state,
    urls: { api: '', web: '' },
    router: new Router(sandboxRoutes(limits)),
    limits,
    faults,
    log,
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  }

  async function dispatch(req: Request): Promise<Response> {
    const url = new URL(req.url)
    const path = url.pathname
    if (path === '/_sandbox') return Response.json({ routes: controlRouteList() })
    if (path.startsWith('/_sandbox/')) return handleControl(control, req, url)
    if (path === '/login/oauth/authorize') {
      return req.method === 'POST' ? authorizePost(state, req) : authorizeGet(state, url)
    }
    if (path === '/login/oauth/access_token' && req.method === 'POST') return accessToken(state, req, url)
    if (req.method === 'OPTIONS') return preflight()
    return (await serveDownload(state, url)) ?? handleApi(deps, req, url)
  }

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname,
    fetch: async (req) => {
      try {
        return await dispatch(req)
      } catch (e) {
        // Never echo request data: it may carry a token.
        console.error('sandbox: internal error', e instanceof Error ? e.stack : e)
        return Response.json({ message: 'Server Error', status: '500' }, { status: 500 })
      }
    },
  })
  const host = hostname.includes(':') ? `[${hostname}]` : hostname === '0.0.0.0' ? '127.0.0.1' : hostname
  const url = `http://${host}:${server.port}`
  deps.urls = { api: url, web: url }
  if (options.seed === true) applyDevSeed(control)
  else if (options.seed) applySeed(control, options.seed)
  return { url, webURL: url, control, stop: async () => void (await server.stop(true)) }
}
