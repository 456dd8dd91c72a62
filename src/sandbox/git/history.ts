// Commit history and commit diffs, as `GET /repos/{o}/{r}/commits` and `GET .../commits/{ref}` need.
import type { Commit, GitStore, Sha } from './objects.ts'
import { entryAt, flattenTree } from './trees.ts'

export interface HistoryFilter {
  /** Only commits that changed this path (file or directory). */
  path?: string
  /** Committer date bounds, ISO 8601. */
  since?: string
  until?: string
}

/** Commits reachable from `start`, newest committer date first (git log's default order). */
export function history(store: GitStore, start: Sha, filter: HistoryFilter = {}): Sha[] {
  const since = filter.since ? Date.parse(filter.since) / 1000 : -Infinity
  const until = filter.until ? Date.parse(filter.until) / 1000 : Infinity
  const out: Sha[] = []
  const seen = new Set<Sha>([start])
  const frontier: { sha: Sha; commit: Commit }[] = []
  const push = (sha: Sha) => {
    const commit = store.commit(sha)
    if (commit) frontier.push({ sha, commit })
  }
  push(start)
  while (frontier.length > 0) {
    frontier.sort((a, b) => b.commit.committer.seconds - a.commit.committer.seconds)
    const { sha, commit } = frontier.shift()!
    const t = commit.committer.seconds
    if (t >= since && t <= until && (!filter.path || touches(store, commit, filter.path))) out.push(sha)
    for (const p of commit.parents) {
      if (!seen.has(p)) {
        seen.add(p)
        push(p)
      }
    }
  }
  return out
}

function touches(store: GitStore, commit: Commit, path: string): boolean {
  const now = entryAt(store, commit.tree, path)?.sha
  const parent = commit.parents[0] ? store.commit(commit.parents[0]) : undefined
  const before = parent ? entryAt(store, parent.tree, path)?.sha : undefined
  return now !== before
}

export interface FileDiff {
  filename: string
  status: 'added' | 'removed' | 'modified'
  /** Blob SHA after the change (before it, for removals). */
  sha: Sha
  additions: number
  deletions: number
  patch?: string
}

const lines = (data: Uint8Array): string[] => {
  const text = new TextDecoder().decode(data)
  if (text === '') return []
  return text.replace(/\n$/, '').split('\n')
}

const isBinary = (data: Uint8Array) => data.subarray(0, 8000).includes(0)

/** One hunk around the changed region: exact counts for a single edited block, an upper bound otherwise. */
function lineDiff(before: string[], after: string[]): { additions: number; deletions: number; patch: string } {
  let head = 0
  while (head < before.length && head < after.length && before[head] === after[head]) head++
  let tail = 0
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++
  }
  const removed = before.slice(head, before.length - tail)
  const added = after.slice(head, after.length - tail)
  const header = `@@ -${removed.length ? head + 1 : head},${removed.length} +${added.length ? head + 1 : head},${added.length} @@`
  const patch = [header, ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)].join('\n')
  return { additions: added.length, deletions: removed.length, patch }
}

/** The files a commit changed relative to its first parent. */
export function commitDiff(store: GitStore, commit: Commit): FileDiff[] {
  const parent = commit.parents[0] ? store.commit(commit.parents[0]) : undefined
  const blobs = (tree: Sha | undefined) =>
    new Map(
      tree
        ? flattenTree(store, tree, true)
            .filter((e) => e.type === 'blob')
            .map((e) => [e.path, e.sha])
        : [],
    )
  const old = blobs(parent?.tree)
  const now = blobs(commit.tree)
  const diffs: FileDiff[] = []
  for (const filename of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(filename)
    const b = now.get(filename)
    if (a === b) continue
    const aData = a ? store.blob(a)!.data : new Uint8Array()
    const bData = b ? store.blob(b)!.data : new Uint8Array()
    const status = !a ? 'added' : !b ? 'removed' : 'modified'
    if (isBinary(aData) || isBinary(bData)) {
      diffs.push({ filename, status, sha: (b ?? a)!, additions: 0, deletions: 0 })
      continue
    }
    diffs.push({ filename, status, sha: (b ?? a)!, ...lineDiff(lines(aData), lines(bData)) })
  }
  return diffs
}
