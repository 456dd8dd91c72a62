// Every tool, grouped into toolsets, and the selection a session gets: read-only mode removes every
// tool that is not readOnlyHint (even when its toolset is allowed), and a toolset allow-list keeps
// only those toolsets. A request may narrow what the server allows, never widen it.
import { type ToolDefinition, type ToolsetName, toolsetNames } from './tool.ts'
import { accessTools } from './toolsets/access.ts'
import { buildTools } from './toolsets/builds.ts'
import { connectionTools } from './toolsets/connections.ts'
import { contentTools } from './toolsets/content.ts'
import { packageTools } from './toolsets/packages.ts'
import { repositoryTools } from './toolsets/repositories.ts'

export const allTools: readonly ToolDefinition[] = [
  ...connectionTools,
  ...repositoryTools,
  ...accessTools,
  ...contentTools,
  ...buildTools,
  ...packageTools,
]

export const toolsets: Record<ToolsetName, string[]> = Object.fromEntries(
  toolsetNames.map((t) => [t, allTools.filter((tool) => tool.toolset === t).map((tool) => tool.name)]),
) as Record<ToolsetName, string[]>

export interface ToolSelection {
  readOnly: boolean
  /** Allowed toolsets; undefined means all. */
  toolsets?: readonly string[]
}

export class SelectionError extends Error {
  override readonly name = 'SelectionError'
}

/** Throws naming the unknown toolsets and the known ones (a typo must not silently hide tools). */
export function checkToolsets(names: readonly string[] | undefined, where: string): void {
  const unknown = (names ?? []).filter((n) => !(toolsetNames as readonly string[]).includes(n))
  if (unknown.length > 0) {
    throw new SelectionError(
      `${where}: unknown toolset${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${toolsetNames.join(', ')})`,
    )
  }
}

/** The server's selection narrowed by a request's: read-only if either says so, toolsets in both. */
export function narrow(server: ToolSelection, request: Partial<ToolSelection>): ToolSelection {
  const readOnly = server.readOnly || request.readOnly === true
  if (!request.toolsets) return { readOnly, ...(server.toolsets ? { toolsets: server.toolsets } : {}) }
  const toolsets = server.toolsets ? request.toolsets.filter((t) => server.toolsets!.includes(t)) : request.toolsets
  return { readOnly, toolsets }
}

export function selectTools(selection: ToolSelection): ToolDefinition[] {
  return allTools.filter(
    (t) =>
      (!selection.toolsets || selection.toolsets.includes(t.toolset)) &&
      (!selection.readOnly || t.annotations.readOnlyHint),
  )
}
