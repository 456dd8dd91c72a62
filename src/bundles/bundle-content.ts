// Pure: a bundle's files made canonical (normalized paths, sorted, bytes), checked against the
// limits, and named by their digest. Every implementation of the port and every caller that wants
// to check a bundle before staging it uses the same rules.
import { createHash } from 'node:crypto'
import { BundleError, type BundleFile, type BundleInfo, type BundleLimits } from './bundle-store.ts'

export interface CanonicalFile {
  path: string
  delete: boolean
  /** Empty for deletions. */
  bytes: Uint8Array
  /** How the content came in, so it goes back out the same way. */
  text: boolean
  /** sha256:<hex>; undefined for deletions. */
  digest?: string
}

export const MAX_PATH_LENGTH = 1024

const sha256 = (data: Uint8Array | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`
const encoder = new TextEncoder()

/** Repository-relative, `/`-separated, no `.`/empty segments; refuses `..`, `.git`, absolute paths and control characters. */
export function normalizeBundlePath(raw: string, field: string): string {
  const fail = (why: string) => new BundleError('invalid-path', `path ${JSON.stringify(raw)} ${why}`, raw, field)
  if (typeof raw !== 'string' || raw === '') throw fail('is empty')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw fail('contains a control character')
  const path = raw.replace(/\\/g, '/')
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) throw fail('must be relative to the repository root')
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw fail('must not contain ".."')
  if (segments.some((s) => s.toLowerCase() === '.git')) throw fail('must not reach into .git')
  if (segments.length === 0) throw fail('names no file')
  const out = segments.join('/')
  if (out.length > MAX_PATH_LENGTH) throw fail(`is longer than ${MAX_PATH_LENGTH} characters`)
  return out
}

/** Validated against `limits`, normalized, sorted by path, with digests: or a BundleError naming the field. */
export function canonicalize(
  files: readonly BundleFile[],
  limits: BundleLimits,
): { info: BundleInfo; files: CanonicalFile[] } {
  if (!Array.isArray(files) || files.length === 0) {
    throw new BundleError('empty', 'a bundle needs at least one file', undefined, 'files')
  }
  if (files.length > limits.maxFiles) {
    throw new BundleError(
      'too-many-files',
      `${files.length} files; a bundle holds at most ${limits.maxFiles}`,
      undefined,
      'files',
    )
  }
  const seen = new Map<string, string>()
  const out: CanonicalFile[] = []
  let total = 0
  for (const [i, file] of files.entries()) {
    const path = normalizeBundlePath(file.path, `files[${i}].path`)
    const earlier = seen.get(path)
    if (earlier !== undefined) {
      throw new BundleError(
        'duplicate-path',
        `"${file.path}" and "${earlier}" are the same path "${path}"`,
        path,
        `files[${i}].path`,
      )
    }
    seen.set(path, file.path)
    const content = file.content
    if (file.delete) {
      if (content !== undefined && content.length > 0) {
        throw new BundleError(
          'invalid-content',
          `"${path}" is marked for deletion but has content`,
          path,
          `files[${i}].content`,
        )
      }
      out.push({ path, delete: true, bytes: new Uint8Array(), text: false })
      continue
    }
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      throw new BundleError(
        'invalid-content',
        `"${path}" has no content (set delete: true to remove it)`,
        path,
        `files[${i}].content`,
      )
    }
    const bytes = typeof content === 'string' ? encoder.encode(content) : content
    if (bytes.byteLength > limits.maxFileBytes) {
      throw new BundleError(
        'file-too-large',
        `"${path}" is ${bytes.byteLength} bytes; a file may have at most ${limits.maxFileBytes}`,
        path,
        `files[${i}].content`,
      )
    }
    total += bytes.byteLength
    if (total > limits.maxTotalBytes) {
      throw new BundleError(
        'too-large',
        `the files add up to more than ${limits.maxTotalBytes} bytes (at "${path}")`,
        path,
        'files',
      )
    }
    out.push({ path, delete: false, bytes, text: typeof content === 'string', digest: sha256(bytes) })
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const digest = sha256(JSON.stringify(out.map((f) => [f.path, f.digest ?? null])))
  return {
    info: {
      name: bundleName(digest),
      digest,
      size: total,
      fileCount: out.length,
      files: out.map((f) =>
        f.delete
          ? { path: f.path, size: 0, delete: true }
          : { path: f.path, size: f.bytes.byteLength, digest: f.digest! },
      ),
    },
    files: out,
  }
}

export const bundleName = (digest: string) => `bundle-${digest.replace(/^sha256:/, '').slice(0, 24)}`

export const isBundleName = (name: string) => /^bundle-[0-9a-f]{24}$/.test(name)

export { sha256 as digestOf }
