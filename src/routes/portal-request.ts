// Every portal request starts here: who is calling (hub headers, or the dev query), may they use
// this workspace (checked as them), where the portal lives in the browser (base path), and
// whether htmx asked for a fragment. Responses leave from here too: page or fragment, redirect,
// or a problem, always with Vary: HX-Request, HX-Target and no caching of private pages.

import type { Assets, Nav, PageContext } from '../../views/layout.tsx'
import { ErrorPage, type Problem, ProblemAlert } from '../../views/pages/error.tsx'
import type { Access, AccessChecker } from '../auth/access.ts'
import { type Caller, callerFrom } from '../auth/identity.ts'
import type { Config } from '../config.ts'
import { writeFailure } from './portal-forms.ts'

export interface PortalRequest {
  caller: Caller
  access: Access
  /** Logical cluster id the runtime keys this workspace by. */
  cluster: string
  ctx: PageContext
  nav: Nav
  /** htmx asked (HX-Request), for the element with this id (HX-Target; '' when none). */
  htmx: boolean
  target: string
  url: URL
}

export type Opened = { ok: true; req: PortalRequest } | { ok: false; response: Response }

const IDENTITY_PARAMS = ['tenant', 'cluster', 'user', 'token'] as const

/** Headers every portal answer carries. The dev identity may ride in URLs: never leak them as a Referer. */
const baseHeaders = {
  'content-type': 'text/html; charset=utf-8',
  vary: 'HX-Request, HX-Target',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'",
}

/** A path prefix the proxy says it serves us under (`/ui/providers/code`), or undefined. */
export function forwardedPrefix(value: string | null): string | undefined {
  if (value === null) return undefined
  const prefix = value.trim().replace(/\/+$/, '')
  if (prefix === '') return ''
  return /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$/.test(prefix) ? prefix : undefined
}

/**
 * Links for this request. With X-Forwarded-Prefix the base is absolute; without it, it is
 * relative to the requested path ('../' per level), which the browser resolves against the
 * address it actually used, whatever prefix the hub put in front.
 */
export function navFor(request: Request, url: URL, devQuery: boolean): Nav {
  const prefix = forwardedPrefix(request.headers.get('x-forwarded-prefix'))
  const depth = url.pathname.split('/').length - 2
  const base = prefix !== undefined ? `${prefix}/` : depth <= 0 ? './' : '../'.repeat(depth)
  const identity = new URLSearchParams()
  if (devQuery) {
    for (const k of IDENTITY_PARAMS) {
      const v = url.searchParams.get(k)
      if (v) identity.set(k, v)
    }
  }
  const identityQuery = identity.toString()
  return {
    base,
    identity: identityQuery,
    self: url.pathname.replace(/^\/+/, '') + url.search,
    href(path, query) {
      // The common case (no extra query) builds no URLSearchParams: pages make hundreds of links.
      const extra = query && Object.entries(query).filter(([, v]) => v !== undefined && v !== '')
      if (!extra || extra.length === 0) return identityQuery ? `${path}?${identityQuery}` : path
      const q = new URLSearchParams(identity)
      for (const [k, v] of extra) q.set(k, v as string)
      return `${path}?${q}`
    },
  }
}

export interface PortalShell {
  config: Pick<Config, 'devAllowTenantQuery'>
  access: AccessChecker
  assets: Assets
}

export async function openRequest(shell: PortalShell, request: Request): Promise<Opened> {
  const url = new URL(request.url)
  const nav = navFor(request, url, shell.config.devAllowTenantQuery)
  const htmx = request.headers.get('hx-request') === 'true'
  const bare = { nav, assets: shell.assets }
  const who = callerFrom(request.headers, url, shell.config.devAllowTenantQuery)
  if (!who.ok) {
    const hint = shell.config.devAllowTenantQuery
      ? 'In development, open the portal with the address `npm start` printed: it carries ?tenant=&cluster=&user=&token=.'
      : 'Open the portal from the kedge hub, which signs you in and says which workspace you work in.'
    return {
      ok: false,
      response: await problem(bare, htmx, { status: 401, title: 'Sign-in needed', message: who.message, hint }),
    }
  }
  const checked = await shell.access.check(who.caller)
  if (!checked.ok) {
    const title = checked.status === 503 ? 'Workspace unreachable' : 'No access to this workspace'
    const response = await problem(bare, htmx, { status: checked.status, title, message: checked.message })
    return { ok: false, response }
  }
  const ctx: PageContext = {
    nav,
    assets: shell.assets,
    workspace: who.caller.tenant || who.caller.cluster,
    user: who.caller.user === 'unknown' ? '' : who.caller.user,
  }
  return {
    ok: true,
    req: {
      caller: who.caller,
      access: checked.access,
      cluster: checked.access.clusterId,
      ctx,
      nav,
      htmx,
      target: htmx ? (request.headers.get('hx-target') ?? '') : '',
      url,
    },
  }
}

export async function html(body: JSX.Element, status = 200, headers: Record<string, string> = {}): Promise<Response> {
  return new Response(await body, { status, headers: { ...baseHeaders, ...headers } })
}

/** The full page for a navigation, or the fragment htmx asked for (by the id it targets). */
export function render(
  req: PortalRequest,
  page: () => JSX.Element,
  fragments: Record<string, () => JSX.Element>,
  status = 200,
): Promise<Response> {
  const fragment = req.htmx ? (fragments[req.target] ?? fragmentByPrefix(fragments, req.target)) : undefined
  return html(fragment ? fragment() : page(), status)
}

/** Fragments keyed `row-…` answer for every element id that starts so (one row per resource). */
function fragmentByPrefix(fragments: Record<string, () => JSX.Element>, target: string) {
  for (const [key, f] of Object.entries(fragments))
    if (key.endsWith('*') && target.startsWith(key.slice(0, -1))) return f
  return undefined
}

/**
 * After a write: htmx gets HX-Redirect (resolved against <base>, like every link on the page);
 * a plain form post gets 303 See Other to the same place (POST/redirect/GET).
 */
export function redirect(req: Pick<PortalRequest, 'htmx' | 'nav'>, path: string, anchor?: string) {
  const to = req.nav.href(path) + (anchor ? `#${anchor}` : '')
  if (req.htmx) return new Response(null, { status: 200, headers: { ...baseHeaders, 'hx-redirect': to } })
  return new Response(null, { status: 303, headers: { ...baseHeaders, location: `${req.nav.base}${to}` } })
}

/** A page for a navigation; for htmx, an alert swapped into #alerts whatever element asked. */
export function problem(
  ctx: Pick<PageContext, 'nav' | 'assets'> & Partial<PageContext>,
  htmx: boolean,
  p: Problem,
): Promise<Response> {
  if (htmx) {
    return html(ProblemAlert({ problem: p }), p.status, { 'hx-retarget': '#alerts', 'hx-reswap': 'innerHTML' })
  }
  return html(ErrorPage({ ctx, problem: p }), p.status)
}

/** A write outside any form (a delete) that the API refused, as a problem. */
export function refused(req: PortalRequest, e: unknown, kind: string) {
  const f = writeFailure(e, {}, { kind, name: '', nameField: '' })
  return problem(req.ctx, req.htmx, {
    status: f.status,
    title: 'Not changed',
    message: Object.values(f.errors).flat().join(' '),
  })
}

export const notFound = (req: PortalRequest, what: string) =>
  problem(req.ctx, req.htmx, {
    status: 404,
    title: 'Not found',
    message: `There is no ${what} in this workspace.`,
    hint: 'It may have been deleted, or the link is wrong.',
  })

/**
 * Fetch Metadata: a browser says where a request came from. Writes from another site are
 * refused, so a page elsewhere cannot act with the identity the hub adds to our requests.
 */
export function crossSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site')
  return site === 'cross-site' || site === 'same-site'
}
