// MCP over the legacy SSE transport: GET /mcp/sse opens the stream, POST /mcp/sse/messages?sessionId=
// carries the client's messages. The endpoint is announced relative to the stream's URL
// (`sse/messages?...`), so it resolves correctly behind the hub's /services/providers/code prefix.
// Each POST must come from the caller that opened the stream.
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js'
import { Elysia } from 'elysia'
import { callerKey } from '../auth/identity.ts'
import { admit, type McpDeps, readJson, rpcError, selectionOr400, serverFor } from './mcp-gate.ts'
import { type Session, SessionTable } from './mcp-sessions.ts'
import { SseTransport } from './sse-transport.ts'

interface SseSession extends Session {
  transport: SseTransport
}

/** In dev, an identity given as query parameters must reach the message endpoint too. */
function devIdentity(url: URL, allowed: boolean): string {
  if (!allowed) return ''
  const p = new URLSearchParams()
  for (const k of ['tenant', 'cluster', 'user', 'token']) {
    const v = url.searchParams.get(k)
    if (v) p.set(k, v)
  }
  return p.size > 0 ? `&${p}` : ''
}

export function mcpSseRoutes(deps: McpDeps) {
  const sessions = new SessionTable<SseSession>(deps.options.maxSessions, deps.options.sessionIdleMs)

  async function open(request: Request): Promise<Response> {
    const caller = await admit(deps, request)
    if (caller instanceof Response) return caller
    const selection = selectionOr400(deps, request, false)
    if (selection instanceof Response) return selection
    const query = devIdentity(new URL(request.url), deps.devAllowTenantQuery)
    const transport = new SseTransport((id) => `sse/messages?sessionId=${id}${query}`, deps.options.keepAliveMs)
    const server = serverFor(deps, caller, selection)
    const id = transport.sessionId
    transport.onclose = () => sessions.remove(id)
    sessions.add(id, { owner: callerKey(caller), lastSeen: Date.now(), transport, close: () => server.close() })
    await server.connect(transport)
    return transport.response
  }

  async function post(request: Request): Promise<Response> {
    const caller = await admit(deps, request)
    if (caller instanceof Response) return caller
    const id = new URL(request.url).searchParams.get('sessionId') ?? ''
    const session = sessions.use(id, callerKey(caller))
    if (session === 'forbidden') return rpcError(403, 'this MCP session belongs to another caller')
    if (!session) return rpcError(404, 'Session not found: open /mcp/sse again', -32001)
    const body = await readJson(request, deps.options.maxBodyBytes)
    if (body instanceof Response) return body
    const message = JSONRPCMessageSchema.safeParse(body)
    if (!message.success) return rpcError(400, 'Invalid Request: not a JSON-RPC message', -32600)
    session.transport.receive(message.data)
    return new Response('Accepted', { status: 202 })
  }

  return new Elysia({ name: 'mcp-sse' })
    .onStop(() => sessions.closeAll())
    .get('/mcp/sse', ({ request }) => open(request))
    .post('/mcp/sse/messages', ({ request }) => post(request), { parse: 'none' })
}
