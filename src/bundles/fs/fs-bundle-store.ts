// The BundleStore on a directory. Everything it knows is in the directory, so any number of
// processes (replicas on a ReadWriteMany volume) can share it:
//
//   <dir>/                         0700
//     s-<sha256(scope)[0:32]>/     0700, one per workspace (logical cluster id)
//       scope                      the scope in clear (for sweep's keep)
//       <name>.bundle              0600: a header line (JSON) and the files' bytes, written once
//       <name>.lease.<id>          0600, empty: one per put, removed by a delete
//       <name>.lock                held (O_EXCL) while leases of <name> are counted or the file replaced
//       .tmp-<id>                  a write in progress
//
// A bundle appears by rename, so a reader sees all of it or nothing. Put ("take a lease, write if
// absent") and delete ("give a lease back, remove with the last") hold the bundle's lock, so a
// put racing a delete of the same files never loses them, whichever process each runs in.
import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { canonicalize, digestOf, isBundleName } from '../bundle-content.ts'
import {
  BundleError,
  type BundleFile,
  type BundleInfo,
  type BundleLimits,
  type BundleStore,
  type SweepOptions,
} from '../bundle-store.ts'

/** What commit bundles may hold (checkouts read within tighter per-file limits). */
export const defaultBundleLimits: BundleLimits = {
  maxFiles: 500,
  maxFileBytes: 2 * 1024 * 1024,
  maxTotalBytes: 16 * 1024 * 1024,
}

export interface FsBundleStoreOptions {
  dir: string
  limits?: Partial<BundleLimits>
  /** A lock older than this belongs to a process that died holding it (default 60 s). */
  staleLockMs?: number
}

const MAGIC = 'KEDGE-BUNDLE 1'
const BUNDLE = '.bundle'
const LEASE = '.lease.'
const LOCK = '.lock'

interface Header {
  scope: string
  info: BundleInfo
  /** Per file, in info.files order: whether its content was text. */
  text: boolean[]
}

const uniqueId = () => `${process.pid}-${randomUUID()}`
const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function ignoreMissing<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined
    throw e
  }
}

/** Did the operation find its file? (false: it was already gone). */
async function found(p: Promise<unknown>): Promise<boolean> {
  try {
    await p
    return true
  } catch (e) {
    if (errno(e) === 'ENOENT') return false
    throw e
  }
}

/** Write to `path` so that readers see all of it or nothing. */
async function writeAtomically(dir: string, path: string, chunks: (string | Uint8Array)[]): Promise<void> {
  const tmp = join(dir, `.tmp-${uniqueId()}`)
  const handle = await open(tmp, 'wx', 0o600)
  try {
    for (const chunk of chunks) await handle.writeFile(chunk)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  try {
    await rename(tmp, path)
  } catch (e) {
    await ignoreMissing(unlink(tmp))
    throw e
  }
}

export function createFsBundleStore(options: FsBundleStoreOptions): BundleStore {
  const limits: BundleLimits = { ...defaultBundleLimits, ...options.limits }
  const staleLockMs = options.staleLockMs ?? 60_000
  const root = options.dir
  const scopeDirOf = (scope: string) => join(root, `s-${digestOf(scope).slice(7, 39)}`)

  const checkScope = (scope: string) => {
    if (typeof scope !== 'string' || scope.trim() === '') {
      throw new BundleError('invalid-path', 'the bundle scope (logical cluster id) is empty', undefined, 'scope')
    }
  }

  async function scopeDir(scope: string): Promise<string> {
    const dir = scopeDirOf(scope)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    if (!(await ignoreMissing(stat(join(dir, 'scope'))))) await writeAtomically(dir, join(dir, 'scope'), [scope])
    return dir
  }

  /** Run `fn` holding the bundle's lock (an O_EXCL file: works across processes and on NFS). */
  async function locked<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
    const lock = join(dir, `${name}${LOCK}`)
    const deadline = Date.now() + 2 * staleLockMs
    for (;;) {
      try {
        await (await open(lock, 'wx', 0o600)).close()
        break
      } catch (e) {
        if (errno(e) !== 'EEXIST') throw e
      }
      const held = await ignoreMissing(stat(lock))
      if (held && Date.now() - held.mtimeMs > staleLockMs)
        await ignoreMissing(unlink(lock)) // its holder died
      else if (Date.now() > deadline) throw new Error(`bundle ${name} stayed locked for ${2 * staleLockMs} ms`)
      else await sleep(1 + Math.random() * 4)
    }
    try {
      return await fn()
    } finally {
      await ignoreMissing(unlink(lock))
    }
  }

  async function leases(dir: string, name: string): Promise<{ file: string; mtimeMs: number }[]> {
    const prefix = `${name}${LEASE}`
    const names = ((await ignoreMissing(readdir(dir))) ?? []).filter((f) => f.startsWith(prefix))
    const out: { file: string; mtimeMs: number }[] = []
    for (const file of names) {
      const s = await ignoreMissing(stat(join(dir, file)))
      if (s) out.push({ file, mtimeMs: s.mtimeMs })
    }
    return out
  }

  return {
    limits,

    async put(scope, files) {
      checkScope(scope)
      const { info, files: canonical } = canonicalize(files, limits)
      const dir = await scopeDir(scope)
      const target = join(dir, `${info.name}${BUNDLE}`)
      await locked(dir, info.name, async () => {
        await (await open(join(dir, `${info.name}${LEASE}${uniqueId()}`), 'wx', 0o600)).close()
        const now = new Date()
        if (await found(utimes(target, now, now))) return
        const header: Header = { scope, info, text: canonical.map((f) => f.text) }
        await writeAtomically(dir, target, [
          `${MAGIC}\n${JSON.stringify(header)}\n`,
          ...canonical.filter((f) => !f.delete).map((f) => f.bytes),
        ])
      })
      return info
    },

    async get(scope, name, digest) {
      checkScope(scope)
      if (!isBundleName(name)) return undefined
      const raw = await ignoreMissing(readFile(join(scopeDirOf(scope), `${name}${BUNDLE}`)))
      if (!raw) return undefined
      const bundle = decode(raw, name)
      if (digest && digest !== bundle.info.digest) {
        throw new BundleError(
          'digest-mismatch',
          `bundle ${name} has digest ${bundle.info.digest}, not ${digest}`,
          undefined,
          'digest',
        )
      }
      return bundle
    },

    async delete(scope, name) {
      checkScope(scope)
      if (!isBundleName(name)) return
      const dir = scopeDirOf(scope)
      if (!(await ignoreMissing(stat(dir)))) return
      await locked(dir, name, async () => {
        const held = await leases(dir, name)
        if (held.length > 0) await unlink(join(dir, held[0]!.file))
        if (held.length <= 1) await ignoreMissing(unlink(join(dir, `${name}${BUNDLE}`)))
      })
    },

    async sweep({ olderThan, keep }: SweepOptions) {
      const cutoff = olderThan.getTime()
      let removed = 0
      const scopes = ((await ignoreMissing(readdir(root))) ?? []).filter((d) => d.startsWith('s-'))
      for (const entry of scopes) {
        const dir = join(root, entry)
        const scope = (await ignoreMissing(readFile(join(dir, 'scope'), 'utf8'))) ?? ''
        const files = (await ignoreMissing(readdir(dir))) ?? []
        const names = new Set<string>()
        for (const file of files) {
          if (file.startsWith('.tmp-')) {
            // A writer that died: old enough to be sure nobody is still writing it.
            const s = await ignoreMissing(stat(join(dir, file)))
            if (s && s.mtimeMs < Math.min(cutoff, Date.now() - staleLockMs))
              await ignoreMissing(unlink(join(dir, file)))
          } else if (file.endsWith(BUNDLE)) names.add(file.slice(0, -BUNDLE.length))
          else if (file.includes(LEASE)) names.add(file.slice(0, file.indexOf(LEASE)))
        }
        for (const name of names) {
          if (keep?.(scope, name)) continue
          // Stored or stored again (a put touches the file and adds a lease) before the cutoff.
          const gone = await locked(dir, name, async () => {
            const s = await ignoreMissing(stat(join(dir, `${name}${BUNDLE}`)))
            const held = await leases(dir, name)
            if (Math.max(s?.mtimeMs ?? 0, ...held.map((l) => l.mtimeMs)) >= cutoff) return false
            for (const l of held) await ignoreMissing(unlink(join(dir, l.file)))
            return s !== undefined && (await found(unlink(join(dir, `${name}${BUNDLE}`))))
          })
          if (gone) removed++
        }
      }
      return { removed }
    },
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The stored bundle, every file checked against its digest (shared storage can rot). */
function decode(raw: Buffer, name: string): { info: BundleInfo; files: BundleFile[] } {
  const corrupt = (why: string) => new BundleError('digest-mismatch', `bundle ${name} is damaged: ${why}`)
  const first = raw.indexOf(10)
  const second = first < 0 ? -1 : raw.indexOf(10, first + 1)
  if (second < 0 || raw.subarray(0, first).toString('utf8') !== MAGIC) throw corrupt('not a bundle file')
  let header: Header
  try {
    header = JSON.parse(raw.subarray(first + 1, second).toString('utf8')) as Header
  } catch {
    throw corrupt('unreadable header')
  }
  let offset = second + 1
  const files: BundleFile[] = header.info.files.map((entry, i) => {
    if (entry.delete) return { path: entry.path, delete: true }
    const bytes = new Uint8Array(raw.subarray(offset, offset + entry.size))
    offset += entry.size
    if (bytes.byteLength !== entry.size || digestOf(bytes) !== entry.digest) throw corrupt(`${entry.path} differs`)
    return { path: entry.path, content: header.text[i] ? decoder.decode(bytes) : bytes }
  })
  if (offset !== raw.byteLength) throw corrupt('trailing bytes')
  return { info: header.info, files }
}
