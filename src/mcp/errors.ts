// Errors turned into words a model can act on: which argument was wrong (field paths mapped back
// to tool arguments), or which tool to call next. Never a stack trace, never a credential.
import type { z } from 'zod'
import type { FieldError } from '../apis/validate.ts'
import { isClusterError } from '../cluster/cluster.ts'
import { ToolError } from './tool.ts'

/** `spec.connectionRef` → `connectionRef` via the tool's map (longest prefix wins); unmapped paths stay. */
export function argumentPath(field: string, fields: Record<string, string> = {}): string {
  const prefix = Object.keys(fields)
    .filter((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`))
    .sort((a, b) => b.length - a.length)[0]
  return prefix === undefined ? field : `${fields[prefix]}${field.slice(prefix.length)}`
}

export function invalidArguments(tool: string, errors: readonly FieldError[], fields?: Record<string, string>) {
  const parts = errors.map((e) => `${argumentPath(e.field, fields)}: ${e.message}`)
  return new ToolError(`Invalid arguments for ${tool}: ${parts.join('; ')}`)
}

const pathText = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '')

/** zod issues as one sentence per argument, with what is accepted. */
export function describeIssues(tool: string, issues: readonly z.core.$ZodIssue[], accepted: string[]): string {
  const parts = issues.map((i) => {
    const at = pathText(i.path)
    if (i.code === 'unrecognized_keys') {
      return `unknown argument${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}${at ? ` in ${at}` : ''} (accepted: ${accepted.join(', ')})`
    }
    if (i.code === 'invalid_type' && /received undefined$/.test(i.message)) return `${at}: required`
    return `${at || 'arguments'}: ${i.message}`
  })
  return `Invalid arguments for ${tool}: ${parts.join('; ')}`
}

interface Target {
  tool: string
  kind: string
  name: string
  /** What the tool was doing, e.g. create, delete. */
  verb: string
  fields?: Record<string, string>
}

/** A failed write or read against the workspace, as a ToolError. */
export function workspaceError(e: unknown, t: Target): ToolError {
  if (e instanceof ToolError) return e
  if (!isClusterError(e)) return new ToolError(`${t.tool} failed: ${(e as Error)?.message ?? String(e)}`)
  switch (e.code) {
    case 'already-exists':
      return new ToolError(`${t.kind} "${t.name}" already exists: choose another name, or use the existing one`)
    case 'invalid':
      return e.causes.length > 0
        ? invalidArguments(t.tool, e.causes, t.fields)
        : new ToolError(`Invalid arguments for ${t.tool}: ${e.message}`)
    case 'forbidden':
      return new ToolError(
        `permission denied: your token may not ${t.verb} ${t.kind} objects in this workspace (the workspace's RBAC decides; ask a workspace admin)`,
      )
    case 'unauthorized':
      return new ToolError('the workspace no longer accepts your token: sign in again')
    case 'not-found':
      return new ToolError(
        t.verb === 'create'
          ? `the ${t.kind} API is not available in this workspace: enable the code provider for it in the hub`
          : `${t.kind} "${t.name}" not found`,
      )
    case 'conflict':
      return new ToolError(`${t.kind} "${t.name}" changed while ${t.tool} ran: call ${t.tool} again`)
    default:
      return new ToolError(`the workspace API did not answer (${e.message}): retry in a moment`)
  }
}

/** Run a workspace call; failures become actionable ToolErrors. */
export async function inWorkspace<T>(t: Target, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    throw workspaceError(e, t)
  }
}
