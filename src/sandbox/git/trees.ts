// Tree reading and editing with git semantics: nested paths create intermediate trees, deletions
// prune trees that become empty, and untouched subtrees keep their SHAs.
import { entryType, type FileMode, type GitStore, type Sha, type TreeEntry } from './objects.ts'

export interface TreeChange {
  /** Slash-separated path relative to the root tree. */
  path: string
  mode: FileMode
  /** The object to place at `path`; null deletes the path. */
  sha: Sha | null
}

export interface FlatEntry {
  path: string
  mode: FileMode
  type: 'blob' | 'tree' | 'commit'
  sha: Sha
  size?: number
}

/** Thrown for changes that cannot apply to the tree (the routes turn it into a 422). */
export class TreeError extends Error {}

interface Dir {
  entries: Map<string, { mode: FileMode; sha: Sha; dir?: Dir }>
}

function load(store: GitStore, sha: Sha | undefined): Dir {
  const tree = sha ? store.tree(sha) : undefined
  if (sha && !tree) throw new TreeError(`tree ${sha} does not exist`)
  return { entries: new Map((tree?.entries ?? []).map((e) => [e.name, { mode: e.mode, sha: e.sha }])) }
}

function apply(store: GitStore, root: Dir, change: TreeChange): void {
  const parts = change.path.split('/')
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p === '.git')) {
    throw new TreeError(`tree.path "${change.path}" is not a valid path`)
  }
  let dir = root
  for (const name of parts.slice(0, -1)) {
    let entry = dir.entries.get(name)
    if (entry?.mode !== '040000') {
      if (change.sha === null) throw new TreeError(`tree.path "${change.path}" does not exist in the base tree`)
      entry = { mode: '040000', sha: '', dir: { entries: new Map() } }
      dir.entries.set(name, entry)
    }
    entry.dir ??= load(store, entry.sha)
    dir = entry.dir
  }
  const name = parts.at(-1)!
  if (change.sha === null) {
    if (!dir.entries.delete(name)) throw new TreeError(`tree.path "${change.path}" does not exist in the base tree`)
    return
  }
  dir.entries.set(name, { mode: change.mode, sha: change.sha })
}

/** Writes every loaded directory bottom-up; returns undefined for a directory that ended up empty. */
function write(store: GitStore, dir: Dir, isRoot: boolean): Sha | undefined {
  const entries: TreeEntry[] = []
  for (const [name, e] of dir.entries) {
    const sha = e.dir ? write(store, e.dir, false) : e.sha
    if (sha) entries.push({ name, mode: e.mode, sha })
  }
  if (entries.length === 0 && !isRoot) return undefined
  return store.put({ type: 'tree', entries })
}

/** A new tree: `base` (if any) with `changes` applied in order. */
export function editTree(store: GitStore, base: Sha | undefined, changes: TreeChange[]): Sha {
  const root = load(store, base)
  for (const change of changes) {
    if (change.sha !== null) {
      const target = store.get(change.sha)
      if (entryType(change.mode) !== 'commit' && target?.type !== entryType(change.mode)) {
        throw new TreeError(`tree.sha ${change.sha} is not a valid ${entryType(change.mode)}`)
      }
    }
    apply(store, root, change)
  }
  return write(store, root, true)!
}

/** The entries of a tree, optionally of every subtree too (paths joined with '/'). */
export function flattenTree(store: GitStore, sha: Sha, recursive: boolean, prefix = ''): FlatEntry[] {
  const tree = store.tree(sha)
  if (!tree) return []
  const out: FlatEntry[] = []
  for (const e of tree.entries) {
    const type = entryType(e.mode)
    const path = prefix + e.name
    const blob = type === 'blob' ? store.blob(e.sha) : undefined
    out.push({ path, mode: e.mode, type, sha: e.sha, ...(blob ? { size: blob.data.byteLength } : {}) })
    if (recursive && type === 'tree') out.push(...flattenTree(store, e.sha, true, `${path}/`))
  }
  return out
}

/** The entry at `path` in a tree (undefined when absent); '' is the tree itself. */
export function entryAt(store: GitStore, treeSha: Sha, path: string): { mode: FileMode; sha: Sha } | undefined {
  if (path === '') return { mode: '040000', sha: treeSha }
  let current: { mode: FileMode; sha: Sha } = { mode: '040000', sha: treeSha }
  for (const name of path.split('/')) {
    const tree = current.mode === '040000' ? store.tree(current.sha) : undefined
    const next = tree?.entries.find((e) => e.name === name)
    if (!next) return undefined
    current = next
  }
  return current
}
