// The BundleStore port: file contents for commits and checkouts never go into objects; they sit
// here, content-addressed, scoped per workspace (logical cluster id). MCP stages a bundle and
// creates a RepositoryCommit naming it; the commit actor reads it. A checkout actor writes one;
// MCP reads it back. Implementations: src/bundles/fs (a directory; shared storage for replicas).

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
  /** sha256:<hex> over the canonical (sorted) file list. */
  digest: string
  size: number
  fileCount: number
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
  ) {
    super(message)
  }
}

export interface BundleStore {
  readonly limits: BundleLimits
  /** Validate and store atomically; storing the same files again is a no-op returning the same info. */
  put(scope: string, files: BundleFile[]): Promise<BundleInfo>
  /** undefined when absent; BundleError digest-mismatch when `digest` is given and differs. */
  get(scope: string, name: string, digest?: string): Promise<{ info: BundleInfo; files: BundleFile[] } | undefined>
  /** Absent is success. */
  delete(scope: string, name: string): Promise<void>
}
