// The resource verbs over HTTP: get, list (selectors, limit/continue, Table), watch, create,
// update, patch (merge, JSON, strategic, apply) and delete, on one resource in one context
// (a logical cluster, all of them, or an export's virtual workspace).
import { parse as parseYaml } from 'yaml'
import type { FieldValidation, Objects, Scope } from './objects.ts'
import { jsonPatch, mergePatch, withoutDirectives } from './patch.ts'
import { queryBool } from './request-info.ts'
import { apiVersionOf, type JsonObject, keyOf, type ResourceDef } from './resources.ts'
import { type FieldRequirement, matchesFields, parseFieldSelector, parseLabelSelector } from './selectors.ts'
import { ApiError, badRequest, gone, methodNotAllowed, notFound, unsupportedMediaType } from './status.ts'
import type { Row, Store } from './store.ts'
import { type IncludeObject, tableFor } from './table.ts'
import { parsedObject, type StoredEvent, type WatchHub } from './watch-hub.ts'
import { watchStream } from './watch-stream.ts'

export interface ResourceContext {
  def: ResourceDef
  /** Logical cluster id, or `*` for all (filtered by `inScope`). */
  cluster: string
  inScope: (cluster: string) => boolean
  namespace?: string
  name?: string
  subresource?: string
  watchPath: boolean
}

export interface ResourceDeps {
  objects: Objects
  store: Store
  hub: WatchHub
  now: () => Date
  maxBodyBytes: number
  bookmarkIntervalMs: number
  watchCount: (delta: number) => void
}

export interface Reply {
  status: number
  body?: unknown
  /** Pre-serialized JSON body (lists). */
  raw?: string
  stream?: ReadableStream<Uint8Array>
  warnings?: string[]
}

const wantsTable = (req: Request) => /as=Table/.test(req.headers.get('accept') ?? '')

function includeObject(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject')
  return v === 'None' || v === 'Object' ? v : 'Metadata'
}

function fieldValidation(url: URL): FieldValidation {
  const v = url.searchParams.get('fieldValidation')
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn'
}

const dryRun = (url: URL) => url.searchParams.getAll('dryRun').includes('All')

async function readBody(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  const tooLarge = () =>
    new ApiError(413, 'RequestEntityTooLarge', `request entity too large: limit is ${maxBytes} bytes`)
  if (declared > maxBytes) throw tooLarge()
  const text = await req.text()
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge()
  return text
}

async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const type = (req.headers.get('content-type') ?? 'application/json').split(';')[0]!.trim()
  if (type.includes('protobuf')) throw unsupportedMediaType(type)
  const text = await readBody(req, maxBytes)
  try {
    return type === 'application/apply-patch+yaml' ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`)
  }
}

const asObject = (v: unknown): JsonObject => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw badRequest('the request body must be a JSON object')
  return v as JsonObject
}

interface Continue {
  rv: number
  after: [string, string, string]
}

const encodeContinue = (c: Continue) => Buffer.from(JSON.stringify(c)).toString('base64url')
function decodeContinue(token: string): Continue {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString()) as Continue
    if (typeof c.rv === 'number' && Array.isArray(c.after) && c.after.length === 3) return c
  } catch {
    // fall through
  }
  throw badRequest('invalid continue token')
}

export class ResourceHandler {
  constructor(private readonly deps: ResourceDeps) {}

  private scope(ctx: ResourceContext): Scope {
    if (ctx.cluster === '*') throw methodNotAllowed('writes need one logical cluster, not /clusters/*')
    if (ctx.def.namespaced && !ctx.namespace) throw notFound(ctx.def, ctx.name ?? '')
    return { def: ctx.def, cluster: ctx.cluster, namespace: ctx.def.namespaced ? ctx.namespace! : '' }
  }

  /** Answer only once the request's writes are committed: an acknowledged write is durable. */
  async handle(req: Request, url: URL, ctx: ResourceContext): Promise<Reply> {
    const reply = await this.dispatch(req, url, ctx)
    if (!reply.stream) await this.deps.store.flushed()
    return reply
  }

  private async dispatch(req: Request, url: URL, ctx: ResourceContext): Promise<Reply> {
    if (ctx.subresource !== undefined && (ctx.subresource !== 'status' || !ctx.def.statusSubresource)) {
      throw notFound(ctx.def, `${ctx.name}/${ctx.subresource}`)
    }
    if (ctx.name === undefined) {
      if (req.method === 'GET') {
        return ctx.watchPath || queryBool(url.searchParams.get('watch'))
          ? this.watch(req, url, ctx)
          : this.list(req, url, ctx)
      }
      if (req.method === 'POST') return this.create(req, url, ctx)
      if (req.method === 'DELETE') return this.deleteCollection(url, ctx)
      throw methodNotAllowed()
    }
    if (ctx.watchPath) {
      const fieldSelector = `metadata.name=${ctx.name}`
      url.searchParams.set('fieldSelector', fieldSelector)
      return this.watch(req, url, { ...ctx, name: undefined })
    }
    switch (req.method) {
      case 'GET': {
        const obj = this.deps.objects.get(this.scope(ctx), ctx.name)
        return {
          status: 200,
          body: wantsTable(req) ? tableFor(ctx.def, [obj], this.deps.now().getTime(), includeObject(url)) : obj,
        }
      }
      case 'PUT': {
        const body = asObject(await readJson(req, this.deps.maxBodyBytes))
        const sub = ctx.subresource === 'status' ? 'status' : undefined
        const r = this.deps.objects.update(this.scope(ctx), ctx.name, body, sub, {
          dryRun: dryRun(url),
          fieldValidation: fieldValidation(url),
        })
        return { status: 200, body: r.object, warnings: r.warnings }
      }
      case 'PATCH':
        return this.patch(req, url, ctx)
      case 'DELETE': {
        const text = await readBody(req, this.deps.maxBodyBytes)
        let options: JsonObject = {}
        try {
          options = text.trim() ? asObject(JSON.parse(text)) : {}
        } catch {
          throw badRequest('error decoding DeleteOptions')
        }
        const pre = (options.preconditions ?? {}) as { uid?: string; resourceVersion?: string }
        const obj = this.deps.objects.delete(this.scope(ctx), ctx.name, pre, {
          dryRun: dryRun(url) || (options.dryRun as string[] | undefined)?.includes('All'),
          propagationPolicy:
            (options.propagationPolicy as string | undefined) ?? url.searchParams.get('propagationPolicy') ?? undefined,
        })
        return { status: 200, body: obj }
      }
      default:
        throw methodNotAllowed()
    }
  }

  private async create(req: Request, url: URL, ctx: ResourceContext): Promise<Reply> {
    const body = asObject(await readJson(req, this.deps.maxBodyBytes))
    const r = this.deps.objects.create(this.scope(ctx), body, {
      dryRun: dryRun(url),
      fieldValidation: fieldValidation(url),
    })
    return { status: 201, body: r.object, warnings: r.warnings }
  }

  private async patch(req: Request, url: URL, ctx: ResourceContext): Promise<Reply> {
    const scope = this.scope(ctx)
    const name = ctx.name!
    const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim()
    const patch = await readJson(req, this.deps.maxBodyBytes)
    const opts = { dryRun: dryRun(url), fieldValidation: fieldValidation(url) }
    const row = this.deps.objects.getRow(scope, name)
    if (!row) {
      if (type === 'application/apply-patch+yaml') {
        const obj = asObject(patch)
        const r = this.deps.objects.create(scope, { ...obj, metadata: { ...(obj.metadata as JsonObject), name } }, opts)
        return { status: 201, body: r.object, warnings: r.warnings }
      }
      throw notFound(ctx.def, name)
    }
    const current = JSON.parse(row.json) as JsonObject
    let next: unknown
    switch (type) {
      case 'application/json-patch+json':
        next = jsonPatch(current, patch)
        break
      case 'application/merge-patch+json':
        next = mergePatch(current, asObject(patch))
        break
      case 'application/strategic-merge-patch+json':
      case 'application/apply-patch+yaml':
        next = mergePatch(current, withoutDirectives(asObject(patch)))
        break
      default:
        throw unsupportedMediaType(type || '(none)')
    }
    // The patched object keeps the current resourceVersion unless the patch names another: a
    // patch is conditional only when it asks to be.
    const obj = asObject(next)
    const sub = ctx.subresource === 'status' ? 'status' : undefined
    const r = this.deps.objects.update(scope, name, obj, sub, opts)
    return { status: 200, body: r.object, warnings: r.warnings }
  }

  private deleteCollection(url: URL, ctx: ResourceContext): Reply {
    const { rows } = this.select(url, ctx, undefined)
    for (const row of rows) {
      try {
        this.deps.objects.delete({ def: ctx.def, cluster: row.cluster, namespace: row.namespace }, row.name)
      } catch {
        // gone meanwhile
      }
    }
    return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } }
  }

  /** Rows matching the request's cluster, namespace and selectors, in key order. */
  private select(url: URL, ctx: ResourceContext, limit: number | undefined, after?: [string, string, string]) {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'))
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'))
    const sqlName = fields.find((f) => f.path === 'metadata.name' && f.op === '=')?.value
    const sqlNamespace = fields.find((f) => f.path === 'metadata.namespace' && f.op === '=')?.value
    const rest: FieldRequirement[] = fields.filter(
      (f) => !(f.op === '=' && (f.path === 'metadata.name' || f.path === 'metadata.namespace')),
    )
    const needsParse = labels !== undefined || rest.length > 0
    const base = {
      key: keyOf(ctx.def),
      cluster: ctx.cluster === '*' ? undefined : ctx.cluster,
      namespace: ctx.namespace ?? sqlNamespace,
      name: sqlName,
    }
    const out: Row[] = []
    let cursor = after
    const page = limit === undefined ? undefined : Math.max(limit, 500)
    for (;;) {
      const rows = this.deps.store.list({ ...base, after: cursor, limit: page })
      for (const row of rows) {
        if (!ctx.inScope(row.cluster)) continue
        if (needsParse) {
          const obj = JSON.parse(row.json) as JsonObject
          if (labels && !labels(((obj.metadata ?? {}) as JsonObject).labels as Record<string, string>)) continue
          if (!matchesFields(obj, rest)) continue
        }
        out.push(row)
        if (limit !== undefined && out.length > limit) return { rows: out.slice(0, limit), more: true }
      }
      if (page === undefined || rows.length < page) return { rows: out, more: false }
      const last = rows.at(-1)!
      cursor = [last.cluster, last.namespace, last.name]
    }
  }

  private list(req: Request, url: URL, ctx: ResourceContext): Reply {
    const limitParam = Number(url.searchParams.get('limit') ?? '0')
    const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : undefined
    const token = url.searchParams.get('continue')
    const cont = token ? decodeContinue(token) : undefined
    if (cont && cont.rv < this.deps.hub.oldestRV) {
      throw gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      )
    }
    const rvParam = url.searchParams.get('resourceVersion')
    if (url.searchParams.get('resourceVersionMatch') === 'Exact' && rvParam && Number(rvParam) !== this.deps.store.rv) {
      throw gone(`too old resource version: ${rvParam} (${this.deps.store.rv})`)
    }
    const rv = cont?.rv ?? this.deps.store.rv
    const { rows, more } = this.select(url, ctx, limit, cont?.after)
    const last = rows.at(-1)
    const listMeta: JsonObject = { resourceVersion: String(rv) }
    if (more && last) listMeta.continue = encodeContinue({ rv, after: [last.cluster, last.namespace, last.name] })
    if (wantsTable(req)) {
      const objects = rows.map((r) => JSON.parse(r.json) as JsonObject)
      return { status: 200, body: tableFor(ctx.def, objects, this.deps.now().getTime(), includeObject(url), listMeta) }
    }
    const head = JSON.stringify({ kind: ctx.def.listKind, apiVersion: apiVersionOf(ctx.def), metadata: listMeta })
    return { status: 200, raw: `${head.slice(0, -1)},"items":[${rows.map((r) => r.json).join(',')}]}` }
  }

  private watch(req: Request, url: URL, ctx: ResourceContext): Reply {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'))
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'))
    const p = url.searchParams
    const rvParam = p.get('resourceVersion') ?? ''
    const sendInitial = queryBool(p.get('sendInitialEvents'))
    const bookmarks = queryBool(p.get('allowWatchBookmarks'))
    if (sendInitial && (!bookmarks || p.get('resourceVersionMatch') !== 'NotOlderThan')) {
      throw new ApiError(
        422,
        'Invalid',
        'sendInitialEvents requires allowWatchBookmarks=true and resourceVersionMatch=NotOlderThan',
      )
    }
    const sinceRV = sendInitial || rvParam === '' || rvParam === '0' ? undefined : Number(rvParam)
    if (sinceRV !== undefined && !Number.isInteger(sinceRV)) throw badRequest(`invalid resourceVersion "${rvParam}"`)
    const timeout = Number(p.get('timeoutSeconds') ?? '0')
    const table = wantsTable(req)
    const include = includeObject(url)
    const filtered = labels !== undefined || fields.length > 0
    const inSelection = (obj: JsonObject | undefined) =>
      obj !== undefined &&
      (!labels || labels(((obj.metadata ?? {}) as JsonObject).labels as Record<string, string>)) &&
      matchesFields(obj, fields)
    const select = (e: StoredEvent): StoredEvent | undefined => {
      if (ctx.cluster !== '*' && e.cluster !== ctx.cluster) return undefined
      if (ctx.namespace !== undefined && e.namespace !== ctx.namespace) return undefined
      if (!ctx.inScope(e.cluster)) return undefined
      if (!filtered) return e
      const now = inSelection(parsedObject(e))
      if (e.type !== 'MODIFIED' || !e.previous) return now ? e : undefined
      const before = inSelection(e.previous)
      if (now && before) return e
      if (now) return { ...e, type: 'ADDED' }
      return before ? { ...e, type: 'DELETED' } : undefined
    }
    const { def } = ctx
    const stream = watchStream(
      this.deps.hub,
      {
        key: keyOf(def),
        select,
        sinceRV,
        initial: () =>
          this.deps.store.list({
            key: keyOf(def),
            cluster: ctx.cluster === '*' ? undefined : ctx.cluster,
            namespace: ctx.namespace,
          }),
        initialEventsEnd: sendInitial,
        bookmarks,
        bookmarkIntervalMs: this.deps.bookmarkIntervalMs,
        timeoutMs: timeout > 0 ? timeout * 1000 : undefined,
        render: table
          ? (e) => JSON.stringify(tableFor(def, [parsedObject(e)], this.deps.now().getTime(), include))
          : undefined,
        bookmarkObject: (rv, annotations) =>
          JSON.stringify({
            kind: def.kind,
            apiVersion: apiVersionOf(def),
            metadata: { resourceVersion: String(rv), ...(annotations ? { annotations } : {}) },
          }),
        currentRV: () => this.deps.store.rv,
      },
      () => this.deps.watchCount(-1),
    )
    this.deps.watchCount(1)
    return { status: 200, stream }
  }
}
