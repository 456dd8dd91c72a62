// The HTTP front of the API server: who is calling, which logical cluster or virtual workspace
// they address, whether they may, and then discovery, OpenAPI or a resource verb. Every failure
// leaves as a Kubernetes Status object.
import { type Authenticator, authorize, type CertSubject, type Policy, type User } from './auth.ts'
import type { Bindings } from './bindings.ts'
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.ts'
import type { LogicalClusters } from './logical-clusters.ts'
import type { RequestMetrics } from './metrics.ts'
import { openAPIDocument, openAPIRoot } from './openapi.ts'
import { parseRequestPath, queryBool, type RequestInfo } from './request-info.ts'
import type { Reply, ResourceContext, ResourceHandler } from './resource-handler.ts'
import type { Registry, ResourceDef } from './resources.ts'
import { resourceKey } from './resources.ts'
import { ApiError, pathNotFound, statusBody } from './status.ts'

export interface HandlerDeps {
  registry: Registry
  clusters: LogicalClusters
  bindings: Bindings
  auth: Authenticator
  policy: Policy
  metrics: RequestMetrics
  resources: ResourceHandler
}

/** What a request addresses once names are resolved. */
interface Context {
  /** Logical cluster id or `*`. */
  cluster: string
  exportRef?: string
  /** Resources served here. */
  defs: ResourceDef[]
  inScope: (cluster: string) => boolean
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

function verbOf(req: Request, url: URL, info: RequestInfo): string {
  const r = info.resource
  if (!r) return req.method.toLowerCase()
  switch (req.method) {
    case 'GET':
      if (r.watchPath || queryBool(url.searchParams.get('watch'))) return 'watch'
      return r.name === undefined ? 'list' : 'get'
    case 'POST':
      return 'create'
    case 'PUT':
      return 'update'
    case 'PATCH':
      return 'patch'
    case 'DELETE':
      return r.name === undefined ? 'deletecollection' : 'delete'
    default:
      return req.method.toLowerCase()
  }
}

export function createHandler(deps: HandlerDeps) {
  const { registry, clusters, bindings } = deps
  const plainDefs = registry.all.filter((d) => !d.exported)
  const all = () => true

  function context(info: RequestInfo, user: User): Context | ApiError {
    if (info.vw) {
      const exportCluster = clusters.resolve(info.vw.workspace)
      const ref = exportCluster && `${exportCluster}/${info.vw.exportName}`
      const shape = ref ? bindings.exportShape(ref) : undefined
      if (!ref || !shape) return pathNotFound()
      const claimed = [...shape.claims].map((k) => registry.byResourceKey(k)).filter((d) => d !== undefined)
      const defs = [...shape.resources, ...claimed]
      const inScope = (c: string) => bindings.isBound(c, ref)
      if (info.cluster === undefined || info.cluster === '*') return { cluster: '*', exportRef: ref, defs, inScope }
      const id = clusters.resolve(info.cluster)
      if (!id || !inScope(id)) return forbidden(user, info)
      return { cluster: id, exportRef: ref, defs, inScope }
    }
    if (info.cluster === '*') return { cluster: '*', defs: registry.all, inScope: all }
    const id = clusters.resolve(info.cluster ?? 'root')
    if (!id) return user.scope.kind === 'admin' ? pathNotFound() : forbidden(user, info)
    return { cluster: id, defs: [...plainDefs, ...bindings.exportedIn(id)], inScope: all }
  }

  function forbidden(user: User, info: RequestInfo): ApiError {
    const where = info.cluster ? ` in workspace "${info.cluster}"` : ''
    const what = info.resource
      ? `access resource "${info.resource.plural}" in API group "${info.resource.group}"`
      : `access path "${info.rest}"`
    return new ApiError(403, 'Forbidden', `User "${user.name}" cannot ${what}${where}: access denied`)
  }

  function nonResource(req: Request, url: URL, info: RequestInfo, ctx: Context): Response {
    const segs = info.rest.split('/').filter(Boolean)
    const rest = info.rest.replace(/\/$/, '') || '/'
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new ApiError(405, 'MethodNotAllowed', 'only GET is allowed here')
    if (rest === '/version') return json(200, versionInfo)
    if (['/healthz', '/readyz', '/livez'].includes(rest)) return new Response('ok')
    if (rest === '/api') return json(200, apiVersions(url.host))
    if (rest === '/apis') return json(200, apiGroupList(ctx.defs))
    if (segs[0] === 'api' && segs.length === 2) {
      const doc = apiResourceList(ctx.defs, '', segs[1]!)
      if (doc) return json(200, doc)
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const doc = apiGroupDoc(ctx.defs, segs[1]!)
      if (doc) return json(200, doc)
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const doc = apiResourceList(ctx.defs, segs[1]!, segs[2]!)
      if (doc) return json(200, doc)
    }
    if (rest === '/openapi/v3') return json(200, openAPIRoot(ctx.defs))
    if (segs[0] === 'openapi' && segs[1] === 'v3' && segs.length >= 4) {
      const [group, version] = segs[2] === 'api' ? ['', segs[3]!] : [segs[3]!, segs[4] ?? '']
      const doc = openAPIDocument(ctx.defs, group, version)
      if (doc) return json(200, doc, { 'cache-control': 'public, immutable' })
    }
    throw pathNotFound()
  }

  function resourceContext(info: RequestInfo, ctx: Context): ResourceContext {
    const r = info.resource!
    const def = ctx.defs.find(
      (d) => d.group === r.group && d.plural === r.plural && registry.servesVersion(d, r.version),
    )
    if (!def) throw pathNotFound()
    if (!def.namespaced && r.namespace !== undefined) throw pathNotFound()
    return {
      def,
      cluster: ctx.cluster,
      inScope: ctx.inScope,
      namespace: r.namespace,
      name: r.name,
      subresource: r.subresource,
      watchPath: r.watchPath,
    }
  }

  function toResponse(reply: Reply): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    const h = new Headers(headers)
    for (const w of reply.warnings ?? []) h.append('warning', `299 - "${w.replaceAll('"', '\\"')}"`)
    if (reply.stream) return new Response(reply.stream, { status: reply.status, headers: h })
    return new Response(reply.raw ?? JSON.stringify(reply.body), { status: reply.status, headers: h })
  }

  return async function handle(req: Request, cert?: CertSubject): Promise<Response> {
    const url = new URL(req.url)
    const info = parseRequestPath(url.pathname)
    const verb = verbOf(req, url, info)
    const resource = info.resource ? resourceKey(info.resource.group, info.resource.plural) : ''
    let code = 500
    try {
      const user = deps.auth.authenticate(req.headers.get('authorization'), cert)
      if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized')
      const ctx = context(info, user)
      if (ctx instanceof ApiError) throw ctx
      const target = { vwExport: ctx.exportRef, cluster: ctx.cluster, nonResource: !info.resource }
      if (!authorize(user, target, deps.policy)) throw forbidden(user, info)
      const res = info.resource
        ? toResponse(await deps.resources.handle(req, url, resourceContext(info, ctx)))
        : nonResource(req, url, info, ctx)
      code = res.status
      return res
    } catch (e) {
      const err =
        e instanceof ApiError
          ? e
          : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`)
      if (!(e instanceof ApiError)) console.error('apiserver: internal error', e)
      code = err.code
      return json(err.code, statusBody(err.code, err.reason, err.message, err.details))
    } finally {
      deps.metrics.record(verb, resource, code)
    }
  }
}
