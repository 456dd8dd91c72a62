// What an MCP tool is here: data (name, toolset, annotations, zod input and output schemas, a
// description written for a model) plus one async function of the caller's context. No HTTP and no
// transport: src/mcp/server.ts turns a selection of these into an MCP server, src/routes mounts it.
import type { z } from 'zod'
import type { ActorView } from '../actors/actor-view.ts'
import type { KubeObject } from '../apis/meta.ts'
import type { BundleStore } from '../bundles/bundle-store.ts'
import type { WorkspaceClient } from '../cluster/cluster.ts'
import type { WorkspaceReader } from './reads.ts'

export const toolsetNames = ['connections', 'repositories', 'access', 'content', 'builds', 'packages'] as const
export type ToolsetName = (typeof toolsetNames)[number]

/** MCP tool annotations; every tool states all four, so no client falls back to a default. */
export interface ToolAnnotations {
  readOnlyHint: boolean
  destructiveHint: boolean
  idempotentHint: boolean
  openWorldHint: boolean
}

export interface ProgressUpdate {
  message: string
}

/** Everything a tool may touch, already scoped to one caller and one workspace. */
export interface ToolContext {
  /** The caller's own client: every write goes through it, so the tenant's RBAC decides. */
  client: WorkspaceClient
  /** Logical cluster id: how the runtime and the bundle store key this workspace. */
  clusterId: string
  /** Fast reads (informer cache) for a caller whose access was checked, or the caller's client. */
  read: WorkspaceReader
  /** Live state of a resource actor. */
  actor(kind: 'Connection' | 'Repository' | 'DeployKey' | 'Collaborator', name: string): ActorView | undefined
  /** Where commit files are staged and checkouts read back, scoped by clusterId. */
  bundles: BundleStore
  credentialsNamespace: string
  /** How long long tools wait for a request object to finish, and how often they look. */
  waitMs: number
  pollMs: number
  /** Sends notifications/progress when the caller asked for it (a progressToken); otherwise nothing. */
  progress(update: ProgressUpdate): Promise<void>
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal
  now(): Date
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string
  toolset: ToolsetName
  title: string
  description: string
  annotations: ToolAnnotations
  input: I
  output: O
  /** Object field paths (e.g. `spec.connectionRef`) → the argument that sets them, for error messages. */
  fields?: Record<string, string>
  run(args: z.output<I>, ctx: ToolContext): Promise<z.input<O>>
}

/** Keeps each tool's argument and result types tied to its schemas. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>) =>
  tool as unknown as ToolDefinition

/** A failure the model can act on: what was wrong, and which tool or argument fixes it. */
export class ToolError extends Error {
  override readonly name = 'ToolError'
}

/** Annotation presets, named for what they promise. */
export const reads: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
}
/** Reads that reach the git host (through a short-lived request object). */
export const hostReads: ToolAnnotations = { ...reads, openWorldHint: true }
export const creates: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
}
export const removes: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: true,
}

/** Changes settings in place: may overwrite what was there, the same call twice changes nothing more. */
export const updates: ToolAnnotations = removes

export type Obj = KubeObject<Record<string, unknown>, Record<string, unknown>>
