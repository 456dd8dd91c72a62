// MCP over streamable HTTP at /mcp (and /mcp/readonly), with the SDK's web-standard transport.
// An initialize request opens a stateful session (Mcp-Session-Id), bound to the caller that opened
// it; any other POST without a session is answered statelessly by a server built for that request.
// Both stream responses as SSE, so progress notifications reach the client either way.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'
import { Elysia } from 'elysia'
import { callerKey } from '../auth/identity.ts'
import { admit, type McpDeps, readJson, rpcError, selectionOr400, serverFor } from './mcp-gate.ts'
import { type Session, SessionTable } from './mcp-sessions.ts'

interface StreamableSession extends Session {
  transport: WebStandardStreamableHTTPServerTransport
}

const initializes = (body: unknown) =>
  Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body)

export function mcpRoutes(deps: McpDeps) {
  const sessions = new SessionTable<StreamableSession>(deps.options.maxSessions, deps.options.sessionIdleMs)
  const transportOptions = { keepAliveMs: deps.options.keepAliveMs }

  async function handle(request: Request, readOnlyPath: boolean): Promise<Response> {
    const caller = await admit(deps, request)
    if (caller instanceof Response) return caller
    const owner = callerKey(caller)

    const sessionId = request.headers.get('mcp-session-id')
    if (sessionId) {
      const session = sessions.use(sessionId, owner)
      if (session === 'forbidden') return rpcError(403, 'this MCP session belongs to another caller')
      if (!session) return rpcError(404, 'Session not found: initialize a new session', -32001)
      return session.transport.handleRequest(request)
    }
    if (request.method !== 'POST') {
      return rpcError(400, `${request.method} needs an Mcp-Session-Id: send initialize first (or POST statelessly)`)
    }
    const selection = selectionOr400(deps, request, readOnlyPath)
    if (selection instanceof Response) return selection
    const body = await readJson(request, deps.options.maxBodyBytes)
    if (body instanceof Response) return body
    const server = serverFor(deps, caller, selection)

    if (!initializes(body)) {
      const transport = new WebStandardStreamableHTTPServerTransport({ ...transportOptions })
      request.signal.addEventListener('abort', () => void server.close().catch(() => undefined), { once: true })
      await server.connect(transport)
      return transport.handleRequest(request, { parsedBody: body })
    }
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      ...transportOptions,
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) =>
        sessions.add(id, { owner, lastSeen: Date.now(), transport, close: () => server.close() }),
      onsessionclosed: (id) => sessions.remove(id),
    })
    await server.connect(transport)
    return transport.handleRequest(request, { parsedBody: body })
  }

  return new Elysia({ name: 'mcp-streamable' })
    .onStop(() => sessions.closeAll())
    .all('/mcp', ({ request }) => handle(request, false), { parse: 'none' })
    .all('/mcp/readonly', ({ request }) => handle(request, true), { parse: 'none' })
}
