// The OAuth web flow on the web host: /login/oauth/authorize (a consent page with an Authorize
// button, or auto-approval for headless tests) and /login/oauth/access_token (client secret
// required, PKCE S256 verified, codes single-use and valid for 10 minutes). Errors answer 200 with
// an `error` field, as GitHub's token endpoint does.
import { createHash } from 'node:crypto'
import type { OAuthApp, SandboxState, User } from './model/state.ts'
import { mintToken, normalizeScopes, randomBase62 } from './tokens.ts'

const CODE_TTL_MS = 10 * 60_000
const ERROR_DOCS =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors'

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const html = (body: string, status = 200) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GitHub sandbox</title></head><body>${body}</body></html>`,
    {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    },
  )

/** GitHub accepts a redirect_uri on the callback URL's host and port, under its path. */
function redirectAllowed(app: OAuthApp, redirect: string): boolean {
  try {
    const cb = new URL(app.callbackURL)
    const r = new URL(redirect)
    return cb.origin === r.origin && r.pathname.startsWith(cb.pathname)
  } catch {
    return false
  }
}

function redirectTo(base: string, params: Record<string, string | undefined>): Response {
  const url = new URL(base)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return new Response(null, { status: 302, headers: { location: url.toString() } })
}

type AuthorizeParams = Record<
  'client_id' | 'redirect_uri' | 'scope' | 'state' | 'code_challenge' | 'code_challenge_method' | 'login',
  string | undefined
>

function params(source: URLSearchParams | FormData): AuthorizeParams {
  const get = (k: string) => {
    const v = source.get(k)
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  return {
    client_id: get('client_id'),
    redirect_uri: get('redirect_uri'),
    scope: get('scope'),
    state: get('state'),
    code_challenge: get('code_challenge'),
    code_challenge_method: get('code_challenge_method'),
    login: get('login'),
  }
}

/** Checks an authorization request; returns the app and where to send the user back, or a response. */
function checkRequest(state: SandboxState, p: AuthorizeParams): { app: OAuthApp; redirect: string } | Response {
  const app = p.client_id ? state.oauthApps.get(p.client_id) : undefined
  if (!app) return html('<h1>404</h1><p>No OAuth application has this client_id.</p>', 404)
  if (p.redirect_uri && !redirectAllowed(app, p.redirect_uri)) {
    return redirectTo(app.callbackURL, {
      error: 'redirect_uri_mismatch',
      error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
      error_uri:
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch',
      state: p.state,
    })
  }
  const redirect = p.redirect_uri ?? app.callbackURL
  if (p.code_challenge && (p.code_challenge_method ?? 'plain') !== 'S256') {
    return redirectTo(redirect, {
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256',
      state: p.state,
    })
  }
  return { app, redirect }
}

function issueCode(state: SandboxState, app: OAuthApp, user: User, p: AuthorizeParams, redirect: string): Response {
  const code = randomBase62(20)
  state.oauthCodes.set(code, {
    code,
    clientId: app.clientId,
    userId: user.id,
    scopes: normalizeScopes((p.scope ?? '').split(/[\s,]+/)),
    redirectURI: redirect,
    ...(p.code_challenge ? { challenge: p.code_challenge } : {}),
    expiresAt: state.now() + CODE_TTL_MS,
  })
  return redirectTo(redirect, { code, state: p.state })
}

function consentPage(state: SandboxState, app: OAuthApp, p: AuthorizeParams): Response {
  const users = [...state.accounts.values()].filter((a): a is User => a.kind === 'User')
  const hidden = Object.entries(p)
    .filter(([k, v]) => v !== undefined && k !== 'login')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v!)}">`)
    .join('')
  const options = users
    .map((u) => `<option value="${esc(u.login)}"${u.login === p.login ? ' selected' : ''}>${esc(u.login)}</option>`)
    .join('')
  const scopes = normalizeScopes((p.scope ?? '').split(/[\s,]+/))
  return html(`<main>
<h1>Authorize ${esc(app.name)}</h1>
<p><strong>GitHub sandbox</strong>: nothing here is real GitHub.</p>
<p>Requested scopes: ${scopes.length > 0 ? scopes.map((s) => `<code>${esc(s)}</code>`).join(', ') : '(none)'}</p>
<form method="post" action="/login/oauth/authorize">${hidden}
<label>Sign in as <select name="login" id="login">${options}</select></label>
<button type="submit" name="decision" value="approve" id="authorize">Authorize</button>
<button type="submit" name="decision" value="deny" id="cancel">Cancel</button>
</form></main>`)
}

export function authorizeGet(state: SandboxState, url: URL): Response {
  const p = params(url.searchParams)
  const checked = checkRequest(state, p)
  if (checked instanceof Response) return checked
  const auto = state.userById(checked.app.autoApproveAs)
  if (auto) return issueCode(state, checked.app, auto, p, checked.redirect)
  return consentPage(state, checked.app, p)
}

export async function authorizePost(state: SandboxState, req: Request): Promise<Response> {
  const form = await req.formData()
  const p = params(form)
  const checked = checkRequest(state, p)
  if (checked instanceof Response) return checked
  if (form.get('decision') !== 'approve') {
    return redirectTo(checked.redirect, {
      error: 'access_denied',
      error_description: 'The user has denied your application access.',
      error_uri:
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
      state: p.state,
    })
  }
  const user = p.login ? state.user(p.login) : undefined
  if (!user) return html('<h1>Unknown user</h1>', 422)
  return issueCode(state, checked.app, user, p, checked.redirect)
}

async function tokenParams(req: Request, url: URL): Promise<Record<string, string>> {
  const out: Record<string, string> = Object.fromEntries(url.searchParams)
  const type = req.headers.get('content-type') ?? ''
  if (type.includes('application/json')) {
    const body = (await req.json().catch(() => ({}))) as Record<string, unknown>
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v
  } else if (type.includes('form')) {
    for (const [k, v] of (await req.formData()).entries()) if (typeof v === 'string') out[k] = v
  }
  return out
}

function tokenReply(req: Request, body: Record<string, string>): Response {
  if ((req.headers.get('accept') ?? '').includes('application/json')) return Response.json(body)
  return new Response(new URLSearchParams(body).toString(), {
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  })
}

const oauthError = (req: Request, error: string, description: string) =>
  tokenReply(req, { error, error_description: description, error_uri: `${ERROR_DOCS}/#${error.replaceAll('_', '-')}` })

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')

export async function accessToken(state: SandboxState, req: Request, url: URL): Promise<Response> {
  const p = await tokenParams(req, url)
  const app = p.client_id ? state.oauthApps.get(p.client_id) : undefined
  if (!app || !p.client_secret || p.client_secret !== app.clientSecret) {
    return oauthError(req, 'incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.')
  }
  const grant = p.code ? state.oauthCodes.get(p.code) : undefined
  const badCode = () => oauthError(req, 'bad_verification_code', 'The code passed is incorrect or expired.')
  if (!grant || grant.clientId !== app.clientId) return badCode()
  state.oauthCodes.delete(grant.code) // single use, whatever happens next
  if (grant.expiresAt <= state.now()) return badCode()
  if (p.redirect_uri && p.redirect_uri !== grant.redirectURI) {
    return oauthError(
      req,
      'redirect_uri_mismatch',
      'The redirect_uri MUST match the registered callback URL for this application.',
    )
  }
  if (grant.challenge && (!p.code_verifier || s256(p.code_verifier) !== grant.challenge)) {
    return oauthError(req, 'bad_verification_code', 'The code_verifier does not match the code_challenge.')
  }
  const value = mintToken('oauth')
  state.tokens.set(value, {
    id: state.nextId(),
    value,
    kind: 'oauth',
    userId: grant.userId,
    scopes: grant.scopes,
    permissions: {},
    createdAt: state.now(),
  })
  return tokenReply(req, { access_token: value, token_type: 'bearer', scope: grant.scopes.join(',') })
}
