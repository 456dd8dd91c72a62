// The GitBackend port: everything the provider does on a git host goes through it.
//
// Per kind the verbs are crossplane's: `observe` (never mutates; says whether the thing exists,
// whether it matches, and what differs), `create`, `update`, `delete`. All are idempotent:
// "already there" is success on create, "already gone" is success on delete. The reconciler,
// not the backend, picks the next verb from observe's answer. Optional capabilities (packages,
// commits, checkout, workflows) are optional members. Every call may throw a BackendError.

import type { Permission } from '../apis/v1alpha1/collaborator.ts'
import type { OwnerKind, TokenKind } from '../apis/v1alpha1/connection.ts'
import type { PackageType } from '../apis/v1alpha1/package.ts'
import type { RepositorySpec } from '../apis/v1alpha1/repository.ts'

// ── Connecting ───────────────────────────────────────────────────────────────────────────

export type Credential =
  | { kind: 'token'; token: string }
  | { kind: 'github-app'; appID: number; installationID: number; privateKey: string }

export interface Endpoint {
  /** API base URL; empty means github.com. GHES: https://host/api/v3 */
  baseURL?: string
  credential: Credential
}

export interface ResponseInfo {
  method: string
  /** Route template, e.g. `GET /repos/{owner}/{repo}` (never a token, never a query string). */
  route: string
  status: number
  requestId?: string
  durationMs: number
  /** Answered 304 from the ETag cache: free against the primary limit. */
  notModified: boolean
  /** Gate (credential fingerprint + host) the request went through. */
  gate: string
}

export interface SessionOptions {
  /** Called after every HTTP response, e.g. to keep "last GitHub response" per actor. */
  onResponse?: (info: ResponseInfo) => void
  /**
   * `background` (default: reconcilers, crawlers) reads yield the last tenth of the hourly budget to
   * `interactive` work (a person or an agent waiting on the answer). Writes are never held back.
   */
  priority?: 'background' | 'interactive'
}

export interface GitBackend {
  readonly provider: 'github'
  /** Cheap: sessions share the HTTP client, ETag cache and request gate of their credential. */
  session(endpoint: Endpoint, options?: SessionOptions): GitSession
  /** Every credential gate, for /debug, metrics and the RateLimited condition. */
  gates(): GateSnapshot[]
}

export interface GateSnapshot {
  /** `<credential fingerprint>@<host>`: safe to show, never the credential. */
  id: string
  host: string
  maxConcurrency: number
  inFlight: number
  queued: number
  /** Primary limit, from x-ratelimit-* (undefined until the first response). */
  limit?: number
  remaining?: number
  resetAt?: string
  /** While set, requests wait: secondary limit (retry-after), exhausted budget, or abuse detection. */
  parkedUntil?: string
  parkedReason?: string
  /** Content-creating writes started in the last minute (GitHub allows about 80). */
  writesLastMinute: number
  requests: { total: number; notModified: number; errors: number }
}

export interface GitSession {
  /** Gate this session's requests go through. */
  readonly gate: string
  /** Who the credential is: GET /user plus X-OAuth-Scopes. */
  validate(): Promise<CredentialInfo>
  /** Organization or user, asked explicitly (and cached), never guessed from a 404. */
  ownerKind(owner: string): Promise<OwnerKind>
  repositories: RepositoryOps
  deployKeys: DeployKeyOps
  collaborators: CollaboratorOps
  packages?: PackageOps
  commits?: CommitOps
  checkout?: CheckoutOps
  workflows?: WorkflowOps
}

export interface CredentialInfo {
  login: string
  tokenKind: TokenKind
  /** Granted scopes; meaningful only when scopesKnown (classic PATs and OAuth tokens). */
  scopes: string[]
  scopesKnown: boolean
}

/** Whether the thing exists, and if so whether it matches the desired state and what differs. */
export type Observation<T> = { exists: false } | { exists: true; upToDate: boolean; diff: string[]; observed: T }

// ── Repositories ─────────────────────────────────────────────────────────────────────────

export interface RepoRef {
  owner: string
  name: string
}

/** The Repository spec fields kept in line on every observation. */
export const repositorySettingKeys = [
  'name',
  'description',
  'homepage',
  'visibility',
  'topics',
  'hasIssues',
  'hasWiki',
  'hasProjects',
  'archived',
  'defaultBranch',
] as const satisfies readonly (keyof RepositorySpec)[]

/** Settings kept in line on every observation; undefined means "leave as it is". */
export type RepositorySettings = Partial<Pick<RepositorySpec, (typeof repositorySettingKeys)[number]>>

/** Settings that only mean something at creation. */
export type RepositoryCreate = RepositorySettings &
  Pick<RepositorySpec, 'autoInit' | 'template' | 'gitignoreTemplate' | 'licenseTemplate'> & { name: string }

export interface ObservedRepository {
  id: string
  owner: string
  name: string
  fullName: string
  htmlURL: string
  cloneURL: string
  sshURL: string
  defaultBranch: string
  visibility: 'public' | 'private' | 'internal'
  archived: boolean
  description: string
  homepage: string
  topics: string[]
  hasIssues: boolean
  hasWiki: boolean
  hasProjects: boolean
  createdAt: string
  ownerKind: OwnerKind
}

export interface RepositoryOps {
  /**
   * Look the repository up by `id` when known (it survives renames), else by owner/name.
   * `diff` names the RepositorySettings keys whose desired value differs from the host.
   */
  observe(ref: RepoRef, desired: RepositorySettings, known?: { id?: string }): Promise<Observation<ObservedRepository>>
  /**
   * Create under `owner` (an organization, or the authenticated user). When a repository of that
   * name already exists the call succeeds with `alreadyExisted: true` and touches nothing; the
   * reconciler decides whether it is ours.
   */
  create(
    owner: string,
    ownerKind: OwnerKind,
    desired: RepositoryCreate,
  ): Promise<{ observed: ObservedRepository; alreadyExisted: boolean }>
  /** Apply the given settings (a rename included); returns the repository as it is after. */
  update(ref: RepoRef, changes: RepositorySettings): Promise<ObservedRepository>
  delete(ref: RepoRef): Promise<void>
}

// ── Deploy keys ──────────────────────────────────────────────────────────────────────────

export interface DesiredDeployKey {
  title: string
  publicKey: string
  readOnly: boolean
}

export interface ObservedDeployKey extends DesiredDeployKey {
  id: string
  createdAt: string
}

export interface DeployKeyOps {
  /** Found by id when known, else by key material (type + base64, comment ignored). */
  observe(repo: RepoRef, desired: DesiredDeployKey, known?: { id?: string }): Promise<Observation<ObservedDeployKey>>
  /** A key already on this repository with the same material is success. A key in use on another
   * repository throws `conflict` with reason `key-in-use`. */
  create(repo: RepoRef, desired: DesiredDeployKey): Promise<ObservedDeployKey>
  delete(repo: RepoRef, id: string): Promise<void>
}

// ── Collaborators ────────────────────────────────────────────────────────────────────────

export interface ObservedCollaborator {
  state: 'active' | 'invited' | 'expired'
  /** Permission on the host, in the API's words (pull/triage/push/maintain/admin, or a role). */
  permission?: string
  invitationID?: string
  invitedAt?: string
}

export interface CollaboratorOps {
  /** `exists: false` when the user is neither a collaborator nor invited. */
  observe(
    repo: RepoRef,
    username: string,
    desired: { permission: Permission },
  ): Promise<Observation<ObservedCollaborator>>
  /** Invite (201 → invited) or grant directly (204 → active: org members, existing collaborators). */
  create(repo: RepoRef, username: string, permission: Permission): Promise<ObservedCollaborator>
  /** Change the permission of an active collaborator or a pending invitation. */
  update(
    repo: RepoRef,
    username: string,
    permission: Permission,
    current: ObservedCollaborator,
  ): Promise<ObservedCollaborator>
  /** Cancel pending invitations for the user, then remove access. */
  delete(repo: RepoRef, username: string): Promise<void>
}

// ── Optional capabilities ────────────────────────────────────────────────────────────────

export interface PackageListing {
  name: string
  type: PackageType
  visibility: string
  htmlURL: string
  /** Name of the repository it was published from, if linked. */
  repository?: string
  versionCount: number
  updatedAt: string
}

export interface PackageVersionInfo {
  /** Version name; for container images the manifest digest. */
  digest: string
  tags: string[]
  createdAt: string
}

export interface PackageOps {
  /** Every package of one type under an owner (GitHub has no per-repository listing). */
  list(owner: string, ownerKind: OwnerKind, type: PackageType): Promise<PackageListing[]>
  /** Most recent first, at most `limit` (default 100). */
  versions(
    owner: string,
    ownerKind: OwnerKind,
    type: PackageType,
    name: string,
    limit?: number,
  ): Promise<PackageVersionInfo[]>
  /** Pullable image repository, with the registry host derived from the API host. */
  imageRepository(owner: string, name: string): string
}

export interface CommitFile {
  path: string
  /** UTF-8 text or bytes; absent when deleting. */
  content?: string | Uint8Array
  delete?: boolean
}

export interface CommitInput {
  /** Empty: the repository's default branch. A missing branch starts from the default branch. */
  branch?: string
  message: string
  files: CommitFile[]
  /** Written as a `Kedge-RepositoryCommit: <key>` trailer; a replay finds it and does nothing. */
  idempotencyKey: string
}

export interface CommitResult {
  commitSHA: string
  commitURL: string
  branch: string
  /** Paths written or deleted (deletions of absent paths are dropped). */
  files: string[]
  /** false when the commit already existed (replay) or nothing changed. */
  created: boolean
}

export interface CommitOps {
  commitFiles(repo: RepoRef, input: CommitInput): Promise<CommitResult>
}

export interface CheckoutInput {
  /** Branch, tag or SHA; empty: the default branch. */
  ref?: string
  maxFiles: number
  maxFileBytes: number
  maxTotalBytes: number
}

export interface CheckoutResult {
  ref: string
  commitSHA: string
  files: { path: string; content: string }[]
  /** `<path> (<reason>)`, at most 100 entries. */
  skipped: string[]
  /** HTTP requests it took (bounded; never one per file). */
  requests: number
}

export interface CheckoutOps {
  read(repo: RepoRef, input: CheckoutInput): Promise<CheckoutResult>
}

export interface WorkflowJob {
  name: string
  status: string
  conclusion?: string
  failureLog?: string
}

export interface WorkflowRunInfo {
  found: boolean
  runID?: number
  htmlURL?: string
  headSHA?: string
  headBranch?: string
  status?: string
  conclusion?: string
  jobs: WorkflowJob[]
}

export interface WorkflowOps {
  latestRun(
    repo: RepoRef,
    query: { workflowFileName: string; headSHA?: string; maxLogLines: number },
  ): Promise<WorkflowRunInfo>
  dispatch(repo: RepoRef, input: { workflowFileName: string; ref: string }): Promise<void>
}
