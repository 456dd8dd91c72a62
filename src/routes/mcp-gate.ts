// What both MCP transports do before any MCP message is read: who is calling (hub headers, or the
// dev query), may they use this workspace (checked as them), and which tools this request allows
// (read-only path or header, toolset header, within the server's configuration).
import type { Runtime } from '../actors/runtime.ts'
import type { AccessChecker } from '../auth/access.ts'
import { type Caller, callerFrom } from '../auth/identity.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import type { Logger } from '../log.ts'
import { workspaceReader } from '../mcp/reads.ts'
import { checkToolsets, narrow, SelectionError, selectTools, type ToolSelection } from '../mcp/registry.ts'
import { createMcpServer } from '../mcp/server.ts'
import { ToolError } from '../mcp/tool.ts'

export interface McpOptions {
  /** How long long tools wait for their request object (upstream: 75 s). */
  waitMs: number
  /** How often they look at it. */
  pollMs: number
  sessionIdleMs: number
  maxSessions: number
  /** Largest JSON-RPC body accepted (commit_files carries whole files). */
  maxBodyBytes: number
  /** Comment frames on idle SSE streams, so proxies keep them open. */
  keepAliveMs: number
}

export const defaultMcpOptions: McpOptions = {
  waitMs: 75_000,
  pollMs: 500,
  sessionIdleMs: 30 * 60_000,
  maxSessions: 1_000,
  maxBodyBytes: 32 * 1024 * 1024,
  keepAliveMs: 15_000,
}

export interface McpDeps {
  runtime: Runtime
  access: AccessChecker
  bundles: BundleStore
  logger: Logger
  devAllowTenantQuery: boolean
  credentialsNamespace: string
  /** The server's ceiling: config.mcp. */
  selection: ToolSelection
  options: McpOptions
  now?: () => Date
}

/** A JSON-RPC error as an HTTP response (what MCP clients show when a request is refused). */
export function rpcError(status: number, message: string, code = -32000): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="kedge"'
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), { status, headers })
}

const truthy = (v: string | null) => v !== null && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase())

/** The request's narrowing of the server's selection (X-MCP-Readonly, X-MCP-Toolsets, /readonly). */
export function requestSelection(server: ToolSelection, headers: Headers, readOnlyPath: boolean): ToolSelection {
  const header = headers.get('x-mcp-toolsets')
  const toolsets = header
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  checkToolsets(toolsets, 'X-MCP-Toolsets')
  return narrow(server, { readOnly: readOnlyPath || truthy(headers.get('x-mcp-readonly')), toolsets })
}

/** The caller, once their access to the workspace was checked as them; or the response refusing them. */
export async function admit(deps: McpDeps, request: Request): Promise<Caller | Response> {
  const who = callerFrom(request.headers, new URL(request.url), deps.devAllowTenantQuery)
  if (!who.ok) return rpcError(401, who.message)
  const checked = await deps.access.check(who.caller)
  if (!checked.ok) return rpcError(checked.status, checked.message)
  return who.caller
}

/** Selection for this request, or a 400 naming the unknown toolsets. */
export function selectionOr400(deps: McpDeps, request: Request, readOnlyPath: boolean): ToolSelection | Response {
  try {
    return requestSelection(deps.selection, request.headers, readOnlyPath)
  } catch (e) {
    if (e instanceof SelectionError) return rpcError(400, e.message)
    throw e
  }
}

/** An MCP server for one caller and one selection; each call re-checks access (cached briefly). */
export function serverFor(deps: McpDeps, caller: Caller, selection: ToolSelection) {
  const now = deps.now ?? (() => new Date())
  return createMcpServer({
    tools: selectTools(selection),
    logger: deps.logger,
    async context(scope) {
      const checked = await deps.access.check(caller)
      if (!checked.ok) throw new ToolError(checked.message)
      const { client, clusterId } = checked.access
      return {
        client,
        clusterId,
        read: workspaceReader(deps.runtime, clusterId, client),
        actor: (kind, name) => deps.runtime.actor(clusterId, kind, name),
        bundles: deps.bundles,
        credentialsNamespace: deps.credentialsNamespace,
        waitMs: deps.options.waitMs,
        pollMs: deps.options.pollMs,
        progress: scope.progress,
        signal: scope.signal,
        now,
      }
    },
  })
}

/** Read a JSON body up to a bound: the parsed value, or the response refusing it. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown | Response> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > maxBytes) return rpcError(413, `request body larger than ${maxBytes} bytes`)
  const reader = request.body?.getReader()
  if (!reader) return rpcError(400, 'Parse error: empty body', -32700)
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return rpcError(413, `request body larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return rpcError(400, 'Parse error: the body is not JSON', -32700)
  }
}
