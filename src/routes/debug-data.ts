// The /debug projection: actors filtered, paged and arranged as a tree (system → workspaces →
// each workspace's actors nested under what they depend on). Pure functions over ActorViews.
import type { ActorView, Transition } from '../actors/actor-view.ts'

export interface ActorFilter {
  workspace?: string
  kind?: string
  state?: string
}

export interface TreeNode {
  actor: ActorView
  children: TreeNode[]
}

export interface DebugTree {
  system: ActorView
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
export const byKindThenName = (a: ActorView, b: ActorView) =>
  rank(a.kind) - rank(b.kind) ||
  a.kind.localeCompare(b.kind) ||
  a.cluster.localeCompare(b.cluster) ||
  a.name.localeCompare(b.name)

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
    kinds: [...new Set(all.map((a) => a.kind))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)),
    states: distinct((a) => a.state),
  }
}

/** The tree of everything that matches: members nest under their parent when it is shown too. */
export function buildTree(
  supervisors: ActorView[],
  members: ActorView[],
  f: ActorFilter,
  limit = TREE_LIMIT,
): DebugTree {
  const [system, ...workspaceViews] = supervisors
  if (!system) throw new Error('the runtime reported no system actor')
  const matching = members.filter((a) => matches(a, f)).sort(byKindThenName)
  const shown = matching.slice(0, limit)
  const nodes = new Map(shown.map((a) => [a.id, { actor: a, children: [] as TreeNode[] }]))
  const workspaces = new Map<string, TreeNode>()
  const workspaceNode = (cluster: string): TreeNode => {
    let node = workspaces.get(cluster)
    if (!node) {
      const view = workspaceViews.find((w) => w.cluster === cluster) ?? placeholderWorkspace(cluster, system.id)
      node = { actor: view, children: [] }
      workspaces.set(cluster, node)
    }
    return node
  }
  for (const w of workspaceViews) if (!f.workspace || w.cluster === f.workspace) workspaceNode(w.cluster)
  for (const node of nodes.values()) {
    const parent = node.actor.parent ? nodes.get(node.actor.parent) : undefined
    ;(parent ?? workspaceNode(node.actor.cluster)).children.push(node)
  }
  // With a kind or state filter, a workspace with nothing matching is noise.
  const keep = (n: TreeNode) => (!f.kind && !f.state) || n.children.length > 0
  return {
    system,
    workspaces: [...workspaces.values()].filter(keep).sort((a, b) => a.actor.cluster.localeCompare(b.actor.cluster)),
    omitted: matching.length - shown.length,
  }
}

const placeholderWorkspace = (cluster: string, parent: string): ActorView => ({
  id: cluster,
  cluster,
  kind: 'Workspace',
  name: cluster,
  state: 'unknown',
  since: '',
  attempts: 0,
  parent,
  transitions: [],
})
