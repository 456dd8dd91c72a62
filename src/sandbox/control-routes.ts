// The control API over HTTP, under /_sandbox/, for the CLI, browser tests and other processes.
// Each route maps one-to-one onto a SandboxControl method; bodies are the method's JSON input.
import type { SandboxControl } from './control-types.ts'
import type { FaultSpec } from './faults.ts'
import { GitHubError } from './github-error.ts'
import type { RequestFilter } from './request-log.ts'

type Body = Record<string, unknown>
type Params = Record<string, string>
type Run = (c: SandboxControl, p: Params, body: Body, query: URLSearchParams) => unknown

interface ControlRoute {
  method: string
  path: string
  run: Run
}

const num = (v: string | undefined) => Number(v)
const as = <T>(b: Body) => b as unknown as T

const ROUTES: ControlRoute[] = [
  { method: 'POST', path: '/users', run: (c, _, b) => c.createUser(as(b)) },
  { method: 'POST', path: '/orgs', run: (c, _, b) => c.createOrg(as(b)) },
  {
    method: 'PUT',
    path: '/orgs/{org}/members/{login}',
    run: (c, p, b) => c.setOrgMember(p.org!, p.login!, (b.role as 'admin' | 'member' | undefined) ?? 'member'),
  },
  { method: 'DELETE', path: '/orgs/{org}/members/{login}', run: (c, p) => c.setOrgMember(p.org!, p.login!, null) },
  { method: 'POST', path: '/tokens', run: (c, _, b) => ({ token: c.issueToken(as(b)) }) },
  { method: 'POST', path: '/tokens/revoke', run: (c, _, b) => c.revokeToken(String(b.token)) },
  { method: 'POST', path: '/repos', run: (c, _, b) => c.createRepository(as(b)) },
  { method: 'GET', path: '/repos/{owner}/{repo}', run: (c, p) => c.getRepository(p.owner!, p.repo!) ?? null },
  { method: 'PATCH', path: '/repos/{owner}/{repo}', run: (c, p, b) => c.changeRepository(p.owner!, p.repo!, as(b)) },
  { method: 'DELETE', path: '/repos/{owner}/{repo}', run: (c, p) => c.deleteRepository(p.owner!, p.repo!) },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/commits',
    run: (c, p, b) => ({ sha: c.pushCommit(p.owner!, p.repo!, as(b)) }),
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/keys/{id}',
    run: (c, p) => c.removeDeployKey(p.owner!, p.repo!, num(p.id)),
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/collaborators/{login}',
    run: (c, p) => c.removeCollaborator(p.owner!, p.repo!, p.login!),
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/workflows',
    run: (c, p, b) => c.addWorkflow(p.owner!, p.repo!, as(b)),
  },
  { method: 'POST', path: '/repos/{owner}/{repo}/runs', run: (c, p, b) => c.addRun(p.owner!, p.repo!, as(b)) },
  { method: 'PATCH', path: '/runs/{id}', run: (c, p, b) => c.updateRun(num(p.id), as(b)) },
  { method: 'POST', path: '/runs/{id}/jobs', run: (c, p, b) => c.addJob(num(p.id), as(b)) },
  { method: 'PATCH', path: '/jobs/{id}', run: (c, p, b) => c.updateJob(num(p.id), as(b)) },
  {
    method: 'GET',
    path: '/invitations',
    run: (c, _, __, q) =>
      c.invitations({ repository: q.get('repository') ?? undefined, invitee: q.get('invitee') ?? undefined }),
  },
  { method: 'POST', path: '/invitations/{id}/accept', run: (c, p) => c.acceptInvitation(num(p.id)) },
  { method: 'POST', path: '/invitations/{id}/decline', run: (c, p) => c.declineInvitation(num(p.id)) },
  { method: 'POST', path: '/invitations/{id}/expire', run: (c, p) => c.expireInvitation(num(p.id)) },
  { method: 'GET', path: '/time', run: (c) => ({ now: c.now() }) },
  { method: 'POST', path: '/time/advance', run: (c, _, b) => c.advanceTime(Number(b.ms)) },
  { method: 'POST', path: '/packages', run: (c, _, b) => c.publishPackage(as(b)) },
  { method: 'POST', path: '/packages/versions', run: (c, _, b) => c.publishVersion(as(b)) },
  {
    method: 'DELETE',
    path: '/packages/{owner}/{type}/{name}',
    run: (c, p) => c.unpublishPackage(p.owner!, p.type!, p.name!),
  },
  {
    method: 'DELETE',
    path: '/packages/{owner}/{type}/{name}/versions/{id}',
    run: (c, p) => c.unpublishVersion(p.owner!, p.type!, p.name!, num(p.id)),
  },
  {
    method: 'POST',
    path: '/faults',
    // JSON has no Infinity: "count": "always" answers every matching request.
    run: (c, _, b) => ({
      id: c.injectFault({
        ...as<FaultSpec>(b),
        count: b.count === 'always' ? Infinity : (b.count as number | undefined),
      }),
    }),
  },
  { method: 'DELETE', path: '/faults', run: (c) => c.clearFaults() },
  { method: 'PUT', path: '/latency', run: (c, _, b) => c.setLatency(b.ms ? as(b) : undefined) },
  { method: 'PUT', path: '/limits/primary', run: (c, _, b) => c.setRateLimit(as(b)) },
  { method: 'PUT', path: '/limits/secondary', run: (c, _, b) => c.setSecondaryLimits(as(b)) },
  {
    method: 'GET',
    path: '/requests',
    run: (c, _, __, q) => {
      const filter: RequestFilter = {
        ...(q.get('method') ? { method: q.get('method')! } : {}),
        ...(q.get('route') ? { route: q.get('route')! } : {}),
        ...(q.get('status') ? { status: Number(q.get('status')) } : {}),
        ...(q.get('login') ? { login: q.get('login')! } : {}),
      }
      return { counts: c.requestCounts(filter), entries: c.requests(filter) }
    },
  },
  { method: 'DELETE', path: '/requests', run: (c) => c.clearRequests() },
  { method: 'POST', path: '/oauth-apps', run: (c, _, b) => c.registerOAuthApp(as(b)) },
  { method: 'POST', path: '/apps', run: (c, _, b) => c.registerApp(as(b)) },
  { method: 'POST', path: '/apps/{id}/installations', run: (c, p, b) => c.installApp({ ...as(b), appId: num(p.id) }) },
]

const compiled = ROUTES.map((r) => {
  const names: string[] = []
  const pattern = r.path.replace(/\{(\w+)\}/g, (_, n) => {
    names.push(n)
    return '([^/]+)'
  })
  return { ...r, names, regex: new RegExp(`^/_sandbox${pattern}$`) }
})

const json = (status: number, body: unknown) =>
  body === undefined ? new Response(null, { status: 204 }) : Response.json(body, { status })

export async function handleControl(control: SandboxControl, req: Request, url: URL): Promise<Response> {
  for (const r of compiled) {
    if (r.method !== req.method) continue
    const m = r.regex.exec(url.pathname)
    if (!m) continue
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]))
    try {
      const text = req.method === 'GET' ? '' : await req.text()
      const body = text.trim() ? JSON.parse(text) : {}
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new RangeError('body must be a JSON object')
      return json(200, await r.run(control, params, body, url.searchParams))
    } catch (e) {
      if (e instanceof GitHubError) return json(e.status, e.body())
      if (e instanceof Error) return json(400, { message: e.message })
      throw e
    }
  }
  return json(404, { message: `no control route ${req.method} ${url.pathname}` })
}

/** For the README and `GET /_sandbox`: every control route. */
export const controlRouteList = () => ROUTES.map((r) => `${r.method} /_sandbox${r.path}`)
