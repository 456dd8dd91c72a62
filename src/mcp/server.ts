// An MCP server (the SDK's transport-agnostic Server) over a selection of tool definitions: lists
// them with JSON Schemas derived from their zod schemas, checks arguments with messages that name
// the argument, runs the tool in a fresh caller context, and checks the result against its output
// schema. Every failure is a tool result with isError, worded for the model.
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import type { Logger } from '../log.ts'
import { redact } from '../log.ts'
import { describeIssues } from './errors.ts'
import { instructions, serverInfo } from './instructions.ts'
import { allTools } from './registry.ts'
import { type ProgressUpdate, type ToolContext, type ToolDefinition, ToolError } from './tool.ts'

export interface CallScope {
  signal: AbortSignal
  progress(update: ProgressUpdate): Promise<void>
}

export interface McpServerOptions {
  tools: readonly ToolDefinition[]
  /** A fresh context per call: the caller's access is checked again (cached briefly) each time. */
  context(scope: CallScope): Promise<ToolContext>
  logger: Logger
}

const listed = new WeakMap<ToolDefinition, Tool>()

/** The tools/list entry of a tool (computed once per definition). */
export function toolListing(t: ToolDefinition): Tool {
  let entry = listed.get(t)
  if (!entry) {
    const schema = (s: z.ZodObject, io: 'input' | 'output') => {
      const { $schema: _, ...rest } = z.toJSONSchema(s, { target: 'draft-7', io }) as Record<string, unknown>
      return rest as Tool['inputSchema']
    }
    entry = {
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: schema(t.input, 'input'),
      outputSchema: schema(t.output, 'output') as Tool['outputSchema'],
      annotations: { title: t.title, ...t.annotations },
    }
    listed.set(t, entry)
  }
  return entry
}

const failure = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true })

function unavailable(name: string, tools: readonly ToolDefinition[]): string {
  const names = tools.map((t) => t.name).join(', ')
  const known = allTools.find((t) => t.name === name)
  if (!known) return `unknown tool "${name}"; available tools: ${names}`
  const why = known.annotations.readOnlyHint
    ? `its toolset "${known.toolset}" is not enabled`
    : 'this session is read-only, or its toolset is not enabled'
  return `tool "${name}" is not available here: ${why}. Available tools: ${names}`
}

export function createMcpServer(o: McpServerOptions): Server {
  const server = new Server(serverInfo, { capabilities: { tools: { listChanged: false } }, instructions })
  const byName = new Map(o.tools.map((t) => [t.name, t]))
  const log = o.logger.child({ component: 'mcp' })

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: o.tools.map(toolListing) }))

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params
    const tool = byName.get(name)
    if (!tool) return failure(unavailable(name, o.tools))
    const parsed = tool.input.safeParse(args ?? {})
    if (!parsed.success) return failure(describeIssues(name, parsed.error.issues, Object.keys(tool.input.shape)))
    const progressToken = request.params._meta?.progressToken
    let step = 0
    const scope: CallScope = {
      signal: extra.signal,
      async progress(update) {
        if (progressToken === undefined || extra.signal.aborted) return
        step += 1
        await extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: step, message: update.message },
          })
          .catch(() => undefined)
      },
    }
    try {
      const ctx = await o.context(scope)
      const result = tool.output.parse(await tool.run(parsed.data, ctx))
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result }
    } catch (e) {
      if (e instanceof ToolError) return failure(e.message)
      log.error('tool failed', { tool: name, error: redact(e) })
      return failure(`${name} failed unexpectedly (${redact((e as Error)?.message ?? String(e))}); try again`)
    }
  })
  return server
}
