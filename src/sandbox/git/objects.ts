// Git objects with git's own encoding, so SHAs are content addresses exactly as git computes them:
// sha1("<type> <size>\0<body>"). One store per repository (objects are not shared across repos,
// which is also what keeps a private repository's blobs out of another repository's API).
import { createHash } from 'node:crypto'

export type Sha = string

export const FILE_MODES = ['100644', '100755', '120000', '160000', '040000'] as const
export type FileMode = (typeof FILE_MODES)[number]

export interface Signature {
  name: string
  email: string
  /** Unix seconds. */
  seconds: number
  /** Offset from UTC in minutes, as written in the commit (`+0200` → 120). */
  tzMinutes: number
}

export interface TreeEntry {
  mode: FileMode
  name: string
  sha: Sha
}

export type GitObject =
  | { type: 'blob'; data: Uint8Array }
  | { type: 'tree'; entries: TreeEntry[] }
  | { type: 'commit'; tree: Sha; parents: Sha[]; author: Signature; committer: Signature; message: string }

export type ObjectType = GitObject['type']
export type Commit = Extract<GitObject, { type: 'commit' }>
export type Tree = Extract<GitObject, { type: 'tree' }>

const utf8 = new TextEncoder()

export const entryType = (mode: FileMode): 'blob' | 'tree' | 'commit' =>
  mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob'

/** Git orders tree entries by name, comparing a subtree's name as if it ended in '/'. */
export function sortEntries(entries: TreeEntry[]): TreeEntry[] {
  const key = (e: TreeEntry) => (e.mode === '040000' ? `${e.name}/` : e.name)
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))))
}

function formatSignature(s: Signature): string {
  const sign = s.tzMinutes < 0 ? '-' : '+'
  const abs = Math.abs(s.tzMinutes)
  const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  return `${s.name} <${s.email}> ${s.seconds} ${tz}`
}

/** The object body, without git's "<type> <size>\0" header. */
export function encodeBody(obj: GitObject): Uint8Array {
  switch (obj.type) {
    case 'blob':
      return obj.data
    case 'tree': {
      const parts: Uint8Array[] = []
      for (const e of sortEntries(obj.entries)) {
        // git writes directory modes without the leading zero
        parts.push(utf8.encode(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex'))
      }
      return Buffer.concat(parts)
    }
    case 'commit': {
      const lines = [`tree ${obj.tree}`, ...obj.parents.map((p) => `parent ${p}`)]
      lines.push(`author ${formatSignature(obj.author)}`, `committer ${formatSignature(obj.committer)}`)
      return utf8.encode(`${lines.join('\n')}\n\n${obj.message}`)
    }
  }
}

export function hashObject(obj: GitObject): Sha {
  const body = encodeBody(obj)
  return createHash('sha1').update(`${obj.type} ${body.byteLength}\0`).update(body).digest('hex')
}

export class GitStore {
  readonly objects = new Map<Sha, GitObject>()
  /** Fully qualified names: `refs/heads/main`. */
  readonly refs = new Map<string, Sha>()

  put(obj: GitObject): Sha {
    const stored = obj.type === 'tree' ? { type: 'tree' as const, entries: sortEntries(obj.entries) } : obj
    const sha = hashObject(stored)
    if (!this.objects.has(sha)) this.objects.set(sha, stored)
    return sha
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha.toLowerCase())
  }

  blob(sha: string): Extract<GitObject, { type: 'blob' }> | undefined {
    const o = this.get(sha)
    return o?.type === 'blob' ? o : undefined
  }

  tree(sha: string): Tree | undefined {
    const o = this.get(sha)
    return o?.type === 'tree' ? o : undefined
  }

  commit(sha: string): Commit | undefined {
    const o = this.get(sha)
    return o?.type === 'commit' ? o : undefined
  }

  /** GitHub answers most git endpoints of a repository without any ref with 409 "Git Repository is empty." */
  get isEmpty(): boolean {
    return this.refs.size === 0
  }

  /** Branch, tag, full ref or (abbreviated) commit SHA → commit SHA. */
  resolve(ref: string): Sha | undefined {
    for (const name of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = this.refs.get(name)
      if (sha) return sha
    }
    if (/^[0-9a-f]{40}$/i.test(ref)) return this.commit(ref) ? ref.toLowerCase() : undefined
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      const matches = [...this.objects.keys()].filter((s) => s.startsWith(ref.toLowerCase()) && this.commit(s))
      return matches.length === 1 ? matches[0] : undefined
    }
    return undefined
  }

  /** Whether `ancestor` is reachable from `descendant` (for fast-forward checks). */
  isAncestor(ancestor: Sha, descendant: Sha): boolean {
    const seen = new Set<Sha>()
    const queue = [descendant]
    while (queue.length > 0) {
      const sha = queue.pop()!
      if (sha === ancestor) return true
      if (seen.has(sha)) continue
      seen.add(sha)
      queue.push(...(this.commit(sha)?.parents ?? []))
    }
    return false
  }
}

/** Parses an ISO 8601 date as the API accepts it (`2008-07-09T16:13:30+12:00` or `...Z`). */
export function signatureTime(iso: string): { seconds: number; tzMinutes: number } | undefined {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return undefined
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso)
  const tzMinutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
  return { seconds: Math.floor(ms / 1000), tzMinutes }
}

/** The API shows signature dates in UTC (`2008-07-09T04:13:30Z`). */
export const signatureISO = (s: Signature): string => new Date(s.seconds * 1000).toISOString().replace('.000Z', 'Z')
