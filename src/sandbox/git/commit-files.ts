// Writing files as one commit on top of a parent: what auto_init, the contents API and the control
// API's "someone else pushed" all do.
import type { FileMode, GitStore, Sha, Signature } from './objects.ts'
import { editTree } from './trees.ts'

export interface FileWrite {
  path: string
  /** New content; absent with `delete: true`. */
  content?: Uint8Array | string
  mode?: FileMode
  delete?: boolean
}

export interface CommitSpec {
  parent?: Sha
  files: FileWrite[]
  message: string
  author: Signature
  committer?: Signature
}

export function writeCommit(store: GitStore, spec: CommitSpec): Sha {
  const base = spec.parent ? store.commit(spec.parent)?.tree : undefined
  const changes = spec.files.map((f) => {
    if (f.delete) return { path: f.path, mode: '100644' as const, sha: null }
    const data = typeof f.content === 'string' ? new TextEncoder().encode(f.content) : (f.content ?? new Uint8Array())
    return { path: f.path, mode: f.mode ?? '100644', sha: store.put({ type: 'blob', data }) }
  })
  const tree = editTree(store, base, changes)
  return store.put({
    type: 'commit',
    tree,
    parents: spec.parent ? [spec.parent] : [],
    author: spec.author,
    committer: spec.committer ?? spec.author,
    message: spec.message,
  })
}
