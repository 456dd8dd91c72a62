// The /debug projection: actors filtered, paged and arranged as a tree (system → workspaces →
// each workspace's actors nested under what they depend on). Pure functions over ActorViews.
import { type ActorView, newView, type Transition } from '../actors/actor-view.ts'

export interface ActorFilter {
  workspace?: string
  kind?: string
  state?: string
}

/** An actor as the tree shows it: its transitions are in its detail. */
export type ActorRow = Omit<ActorView, 'transitions'>

export interface TreeNode {
  actor: ActorRow
  children: TreeNode[]
}

export interface DebugTree {
  system: ActorRow
  workspaces: TreeNode[]
  /** Matching actors left out to keep the tree small (narrow the filter, or page /debug/actors). */
  omitted: number
}

/** Most actors a tree shows: enough for a person, cheap for the server. */
export const TREE_LIMIT = 500

/** What the filter form offers: the values present right now. */
export interface FilterChoices {
  workspaces: string[]
  kinds: string[]
  states: string[]
}

const kindOrder = ['System', 'Workspace', 'Connection', 'Repository', 'DeployKey', 'Collaborator']
const rank = (kind: string) => {
  const i = kindOrder.indexOf(kind)
  return i < 0 ? kindOrder.length : i
}
// Plain code-unit order: names are DNS labels and ids, and localeCompare is many times slower.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
export const byKindThenName = (a: ActorView, b: ActorView) =>
  rank(a.kind) - rank(b.kind) || compare(a.kind, b.kind) || compare(a.cluster, b.cluster) || compare(a.name, b.name)

/** Filter values from a query string; empty values mean "any". */
export function filterFrom(query: Record<string, string | undefined>): ActorFilter {
  const f: ActorFilter = {}
  for (const key of ['workspace', 'kind', 'state'] as const) {
    const v = query[key]?.trim()
    if (v) f[key] = v
  }
  return f
}

export const matches = (a: ActorView, f: ActorFilter) =>
  (!f.workspace || a.cluster === f.workspace) && (!f.kind || a.kind === f.kind) && (!f.state || a.state === f.state)

/** A transition concerns a filtered view when its actor matches, or it just left the filtered state. */
export const transitionMatches = (a: ActorView, t: Transition, f: ActorFilter) =>
  matches({ ...a, state: t.to }, f) || matches({ ...a, state: t.from }, f)

export interface Page<T> {
  items: T[]
  total: number
  offset: number
  limit: number
  /** Query string of the next page, when there is one. */
  next?: string
}

export const MAX_PAGE = 1000

export function paginate<T>(all: T[], query: Record<string, string | undefined>, filter: ActorFilter): Page<T> {
  const offset = Math.max(0, Math.floor(Number(query.offset ?? 0)) || 0)
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(Number(query.limit ?? 100)) || 100))
  const items = all.slice(offset, offset + limit)
  const page: Page<T> = { items, total: all.length, offset, limit }
  if (offset + limit < all.length) {
    page.next = new URLSearchParams({ ...filter, offset: String(offset + limit), limit: String(limit) }).toString()
  }
  return page
}

export function choices(all: ActorView[]): FilterChoices {
  const distinct = (pick: (a: ActorView) => string) => [...new Set(all.map(pick).filter(Boolean))].sort()
  return {
    workspaces: distinct((a) => (a.kind === 'System' ? '' : a.cluster)),
    kinds: [...new Set(all.map((a) => a.kind))].sort((a, b) => rank(a) - rank(b) || compare(a, b)),
    states: distinct((a) => a.state),
  }
}

/**
 * The tree of what matches, workspace by workspace (in id order), members nested under their
 * parent when it is shown too. Stops at `limit` members: only the workspaces it reaches are sorted.
 */
export function buildTree(
  supervisors: ActorView[],
  members: ActorView[],
  f: ActorFilter,
  limit = TREE_LIMIT,
): DebugTree {
  const [system, ...workspaceViews] = supervisors
  if (!system) throw new Error('the runtime reported no system actor')
  const views = new Map(workspaceViews.map((w) => [w.cluster, w]))
  const matching = new Map<string, ActorView[]>()
  for (const a of members) {
    if (!matches(a, f)) continue
    const list = matching.get(a.cluster)
    if (list) list.push(a)
    else matching.set(a.cluster, [a])
  }
  // With a kind or state filter, a workspace with nothing matching is noise.
  const candidates = new Set(matching.keys())
  if (!f.kind && !f.state) for (const w of views.keys()) if (!f.workspace || w === f.workspace) candidates.add(w)

  const workspaces: TreeNode[] = []
  let budget = limit
  let omitted = 0
  for (const cluster of [...candidates].sort(compare)) {
    const all = matching.get(cluster) ?? []
    if (budget <= 0) {
      omitted += all.length
      continue
    }
    const shown = all.sort(byKindThenName).slice(0, budget)
    budget -= shown.length
    omitted += all.length - shown.length
    const workspace = {
      actor: row(views.get(cluster) ?? unsupervisedWorkspace(cluster, system.id)),
      children: [] as TreeNode[],
    }
    const nodes = new Map(shown.map((a) => [a.id, { actor: row(a), children: [] as TreeNode[] }]))
    for (const node of nodes.values()) {
      const parent = node.actor.parent ? nodes.get(node.actor.parent) : undefined
      ;(parent ?? workspace).children.push(node)
    }
    workspaces.push(workspace)
  }
  return { system: row(system), workspaces, omitted }
}

const row = ({ transitions: _, ...rest }: ActorView): ActorRow => rest

/** A row for a workspace whose actors are listed but whose supervisor is not (stopping, or gone). */
const unsupervisedWorkspace = (cluster: string, parent: string): ActorView => ({
  ...newView(cluster, cluster, 'Workspace', cluster, ''),
  state: 'unknown',
  parent,
})
