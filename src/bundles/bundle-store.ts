// The BundleStore port: file contents for commits and checkouts never go into objects; they sit
// here, content-addressed, scoped per workspace (logical cluster id). MCP stages a bundle and
// creates a RepositoryCommit naming it; the commit actor reads it. A checkout actor writes one;
// MCP reads it back. Implementations: src/bundles/fs (a directory; shared storage for replicas).
//
// Content addressing means two requests with the same files share one bundle. So `put` and
// `delete` pair up like a lease: every put takes one, every delete gives one back, and the files
// go with the last one. Nobody pulls a bundle from under another request; what is never given back
// (a consumer that crashed) goes with `sweep` after a time to live.

export interface BundleFile {
  /** Relative, normalized path: no leading slash, no `..`, no NUL. */
  path: string
  /** UTF-8 text or bytes; absent for a deletion. */
  content?: string | Uint8Array
  delete?: boolean
}

export interface BundleEntry {
  path: string
  size: number
  /** sha256:<hex> of the content (absent for deletions). */
  digest?: string
  delete?: boolean
}

export interface BundleInfo {
  /** `bundle-<24 hex of the digest>`: the same files always give the same name. */
  name: string
  /**
   * sha256:<hex> over the canonical file list: JSON of `[[path, "sha256:<hex>" | null], ...]`
   * sorted by path (null for a deletion). It names the content, whatever order it came in.
   */
  digest: string
  size: number
  fileCount: number
  /** Sorted by path. */
  files: BundleEntry[]
}

export interface BundleLimits {
  maxFiles: number
  maxFileBytes: number
  maxTotalBytes: number
}

export const bundleErrorCodes = [
  'invalid-path',
  'duplicate-path',
  'invalid-content', // a deletion with content, or a file without any
  'empty',
  'too-many-files',
  'file-too-large',
  'too-large',
  'digest-mismatch',
] as const
export type BundleErrorCode = (typeof bundleErrorCodes)[number]

/** A bundle that breaks a rule; `path` names the offending file when there is one. */
export class BundleError extends Error {
  override readonly name = 'BundleError'
  constructor(
    readonly code: BundleErrorCode,
    message: string,
    readonly path?: string,
    /** The input field at fault, e.g. `files[3].content` or `files` (for callers mapping to a 422). */
    readonly field?: string,
  ) {
    super(message)
  }
}

export const isBundleError = (e: unknown): e is BundleError => e instanceof BundleError

export interface SweepOptions {
  /** Bundles stored (or stored again) before this instant go, unless kept. */
  olderThan: Date
  /** Keep a bundle something still needs (e.g. a RepositoryCommit that has not run yet). */
  keep?: (scope: string, name: string) => boolean
}

export interface BundleStore {
  readonly limits: BundleLimits
  /** Validate and store atomically; storing the same files again returns the same info and takes another lease. */
  put(scope: string, files: BundleFile[]): Promise<BundleInfo>
  /** undefined when absent; BundleError digest-mismatch when `digest` is given and differs. */
  get(scope: string, name: string, digest?: string): Promise<{ info: BundleInfo; files: BundleFile[] } | undefined>
  /** Give one lease back; the files go with the last. Absent is success. */
  delete(scope: string, name: string): Promise<void>
  /** Remove what nobody gave back in time, and leftovers of writers that died. */
  sweep(options: SweepOptions): Promise<{ removed: number }>
}
