// "Connect with GitHub": /oauth/github/config (what the portal shows), /start (as the signed-in
// portal user: PKCE + state bound to them, then off to GitHub) and /callback (code exchange on the
// server, GET /user, the token written into the caller's workspace as the caller). The browser only
// ever sees the result page, which posts {type, ok, login, connection} to the portal origin.
import { createHash } from 'node:crypto'
import { Elysia } from 'elysia'
import {
  GitHubConnectedPage,
  githubConnectedScript,
  type OAuthResultMessage,
} from '../../views/pages/github-connected.tsx'
import type { AccessChecker } from '../auth/access.ts'
import {
  authorizeURL,
  connectionBaseURL,
  createPkce,
  exchangeCode,
  type Fetch,
  lookUpUser,
  OAuthStates,
} from '../auth/github-oauth.ts'
import { type Caller, callerFrom, callerKey } from '../auth/identity.ts'
import { ConnectError, checkConnectable, storeOAuthConnection } from '../auth/oauth-connection.ts'
import type { OAuthConfig } from '../config.ts'
import type { Logger } from '../log.ts'

export interface OAuthDeps {
  oauth: OAuthConfig | undefined
  access: AccessChecker
  credentialsNamespace: string
  devAllowTenantQuery: boolean
  logger: Logger
  fetch?: Fetch
  now?: () => number
}

const DEFAULT_CONNECTION = 'github'

/** The result page may run its one constant script and nothing else, and may not be framed. */
const resultPageCSP = `default-src 'none'; script-src 'sha256-${createHash('sha256').update(githubConnectedScript).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

const noStore = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
}

export function oauthRoutes(deps: OAuthDeps) {
  const states = new OAuthStates(10 * 60_000, 10_000, deps.now)
  const fetcher = deps.fetch ?? fetch
  const log = deps.logger.child({ component: 'oauth' })

  async function page(o: OAuthConfig, message: OAuthResultMessage, status = 200): Promise<Response> {
    const html = await GitHubConnectedPage({ message, targetOrigin: o.portalOrigin })
    return new Response(html, {
      status,
      headers: {
        ...noStore,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': resultPageCSP,
      },
    })
  }
  const refuse = (o: OAuthConfig, error: string, status = 400) =>
    page(o, { type: 'kedge-github-oauth', ok: false, error }, status)
  const disabled = () =>
    new Response('Connect with GitHub is not configured on this provider', { status: 404, headers: noStore })

  async function start(o: OAuthConfig, request: Request): Promise<Response> {
    // A top-level navigation from another site must not start a sign-in in the user's name.
    if (request.headers.get('sec-fetch-site') === 'cross-site') {
      return refuse(o, 'Connect with GitHub must be started from the portal', 403)
    }
    const url = new URL(request.url)
    const who = callerFrom(request.headers, url, deps.devAllowTenantQuery)
    if (!who.ok) return refuse(o, `not signed in: ${who.message}`, 401)
    const checked = await deps.access.check(who.caller)
    if (!checked.ok) return refuse(o, checked.message, checked.status)
    const connection = url.searchParams.get('connection') || DEFAULT_CONNECTION
    const owner = url.searchParams.get('owner') || undefined
    try {
      await checkConnectable(checked.access.client, connection, owner)
    } catch (e) {
      if (e instanceof ConnectError) return refuse(o, e.message)
      throw e
    }
    const pkce = createPkce()
    const state = states.issue({ caller: who.caller, verifier: pkce.verifier, connection, owner })
    return new Response(null, {
      status: 302,
      headers: { ...noStore, location: authorizeURL(o, state, pkce.challenge) },
    })
  }

  /** An identity on the callback (the hub's headers) must be the one that started the flow. */
  function sameCaller(request: Request, started: Caller): boolean {
    const who = callerFrom(request.headers, new URL(request.url), deps.devAllowTenantQuery)
    return !who.ok || callerKey(who.caller) === callerKey(started)
  }

  async function callback(o: OAuthConfig, request: Request): Promise<Response> {
    const q = new URL(request.url).searchParams
    const state = q.get('state')
    if (!state) return refuse(o, 'the answer from GitHub has no state: start again from the portal')
    const taken = states.take(state)
    if (!taken.ok) {
      return refuse(
        o,
        taken.reason === 'expired'
          ? 'the sign-in took longer than 10 minutes: start again from the portal'
          : 'this sign-in is unknown or was already used: start again from the portal',
      )
    }
    const flow = taken.flow
    if (!sameCaller(request, flow.caller)) return refuse(o, 'this sign-in was started by someone else', 403)
    const error = q.get('error')
    if (error) {
      const why = q.get('error_description')
      return refuse(o, `GitHub did not authorize: ${error}${why ? ` (${why})` : ''}`)
    }
    const code = q.get('code')
    if (!code) return refuse(o, 'the answer from GitHub has no code: start again from the portal')

    const exchanged = await exchangeCode(o, code, flow.verifier, fetcher)
    if (!exchanged.ok) return refuse(o, exchanged.error, 502)
    const user = await lookUpUser(o, exchanged.value.token, fetcher)
    if (!user.ok) return refuse(o, user.error, 502)
    const checked = await deps.access.check(flow.caller)
    if (!checked.ok) return refuse(o, checked.message, checked.status)
    try {
      await storeOAuthConnection(checked.access.client, {
        name: flow.connection,
        owner: flow.owner ?? user.value.login,
        baseURL: connectionBaseURL(o),
        token: exchanged.value.token,
        credentialsNamespace: deps.credentialsNamespace,
      })
    } catch (e) {
      if (e instanceof ConnectError) return refuse(o, e.message, 409)
      throw e
    }
    log.info('GitHub connected', {
      workspace: flow.caller.tenant || flow.caller.cluster,
      user: flow.caller.user,
      connection: flow.connection,
      login: user.value.login,
      scopes: user.value.scopes,
    })
    return page(o, { type: 'kedge-github-oauth', ok: true, login: user.value.login, connection: flow.connection })
  }

  return new Elysia({ name: 'oauth-github' })
    .get('/oauth/github/config', ({ set }) => {
      set.headers['cache-control'] = 'no-store'
      const o = deps.oauth
      return o ? { enabled: true, startURL: o.startURL, scopes: o.scopes } : { enabled: false }
    })
    .get('/oauth/github/start', ({ request }) => (deps.oauth ? start(deps.oauth, request) : disabled()))
    .get('/oauth/github/callback', ({ request }) => (deps.oauth ? callback(deps.oauth, request) : disabled()))
}
