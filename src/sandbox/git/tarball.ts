// The archive codeload serves for `GET /repos/{o}/{r}/tarball/{ref}`: what `git archive` writes —
// a ustar stream opening with a pax global header that carries the commit SHA, then everything
// under `<owner>-<repo>-<sha7>/` — gzipped.
import { gzipSync } from 'node:zlib'
import type { GitStore, Sha } from './objects.ts'
import { flattenTree } from './trees.ts'

const BLOCK = 512
const utf8 = new TextEncoder()

interface Entry {
  name: string
  type: '0' | '2' | '5' | 'g' | 'x'
  mode: number
  mtime: number
  data?: Uint8Array
  linkname?: string
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`
}

function header(e: Entry, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK)
  const put = (offset: number, text: string) => h.set(utf8.encode(text), offset)
  put(0, e.name)
  put(100, octal(e.mode, 8))
  put(108, octal(0, 8))
  put(116, octal(0, 8))
  put(124, octal(size, 12))
  put(136, octal(e.mtime, 12))
  put(148, '        ')
  put(156, e.type)
  if (e.linkname) put(157, e.linkname)
  put(257, 'ustar\0')
  put(263, '00')
  put(265, 'root')
  put(297, 'root')
  const sum = h.reduce((a, b) => a + b, 0)
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `)
  return h
}

/** A pax record: "<length> key=value\n", where the length counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = utf8.encode(body).length + 1
  while (String(length).length + utf8.encode(body).length !== length) length += 1
  return `${length}${body}`
}

function blocks(e: Entry): Uint8Array[] {
  const out: Uint8Array[] = []
  if (utf8.encode(e.name).length > 100 || utf8.encode(e.linkname ?? '').length > 100) {
    const records = paxRecord('path', e.name) + (e.linkname ? paxRecord('linkpath', e.linkname) : '')
    out.push(...blocks({ name: 'PaxHeader', type: 'x', mode: 0o644, mtime: e.mtime, data: utf8.encode(records) }))
    e = { ...e, name: e.name.slice(0, 100), ...(e.linkname ? { linkname: e.linkname.slice(0, 100) } : {}) }
  }
  const data = e.data ?? new Uint8Array()
  out.push(header(e, data.byteLength))
  if (data.byteLength > 0) {
    const padded = new Uint8Array(Math.ceil(data.byteLength / BLOCK) * BLOCK)
    padded.set(data)
    out.push(padded)
  }
  return out
}

export function tarball(store: GitStore, commitSha: Sha, prefix: string): Uint8Array<ArrayBuffer> {
  const commit = store.commit(commitSha)
  if (!commit) throw new Error(`commit ${commitSha} does not exist`)
  const mtime = commit.committer.seconds
  const entries: Entry[] = [
    { name: 'pax_global_header', type: 'g', mode: 0o666, mtime, data: utf8.encode(paxRecord('comment', commitSha)) },
    { name: `${prefix}/`, type: '5', mode: 0o775, mtime },
  ]
  for (const e of flattenTree(store, commit.tree, true)) {
    const name = `${prefix}/${e.path}`
    if (e.type !== 'blob') entries.push({ name: `${name}/`, type: '5', mode: 0o775, mtime })
    else if (e.mode === '120000') {
      const linkname = new TextDecoder().decode(store.blob(e.sha)!.data)
      entries.push({ name, type: '2', mode: 0o777, mtime, linkname })
    } else {
      entries.push({ name, type: '0', mode: e.mode === '100755' ? 0o775 : 0o664, mtime, data: store.blob(e.sha)!.data })
    }
  }
  return new Uint8Array(gzipSync(Buffer.concat([...entries.flatMap(blocks), new Uint8Array(BLOCK * 2)])))
}
