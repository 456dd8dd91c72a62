// The control API's types: what tests, the CLI and the HTTP control routes may do to the sandbox
// behind the API's back.
import type { FaultSpec, LatencySpec } from './faults.ts'
import type { FileWrite } from './git/commit-files.ts'
import type { SecondaryLimits } from './limits.ts'
import type { JobInput, RunInput, WorkflowInput } from './model/actions.ts'
import type { PackageInput, VersionInput } from './model/packages.ts'
import type { RepoUpdate } from './model/repos.ts'
import type {
  FineGrainedPermissions,
  InvitationPermission,
  OrgRole,
  RepoRole,
  RunConclusion,
  RunStatus,
  Visibility,
} from './model/state.ts'
import type { RequestCounts, RequestFilter, RequestLogEntry } from './request-log.ts'

export interface TokenInput {
  /** The user the token acts as. */
  user: string
  /** Default `classic` (ghp_). `fine-grained` (github_pat_) sends no X-OAuth-Scopes; `oauth` is gho_. */
  kind?: 'classic' | 'fine-grained' | 'oauth'
  /** Classic and OAuth scopes; default: repo, workflow, delete_repo, read:org, admin:public_key, read:packages. */
  scopes?: string[]
  /** Fine-grained permissions; default administration, contents, actions and workflows write, metadata read. */
  permissions?: FineGrainedPermissions
  /** Fine-grained: the account whose repositories it reaches (default the user). */
  owner?: string
  /** Fine-grained: only these repositories (names under `owner`). */
  repositories?: string[]
  /** Use this value instead of a random one (its prefix must match the kind). */
  value?: string
  expiresInMs?: number
}

export interface RepositoryInput {
  owner: string
  name: string
  private?: boolean
  description?: string
  autoInit?: boolean
  isTemplate?: boolean
}

export interface RepositoryInfo {
  id: number
  owner: string
  name: string
  visibility: Visibility
  archived: boolean
  defaultBranch: string
  topics: string[]
  description: string | null
  /** Branch name → head commit SHA. */
  branches: Record<string, string>
  /** Direct grants: login → role. */
  collaborators: Record<string, RepoRole>
  deployKeys: { id: number; title: string; key: string; readOnly: boolean }[]
}

export interface InvitationInfo {
  id: number
  repository: string
  invitee: string
  inviter: string
  permissions: InvitationPermission
  createdAt: string
  expired: boolean
}

export interface CommitInput {
  /** Default: the default branch (created when missing, from the default branch's head). */
  branch?: string
  message?: string
  files: FileWrite[]
  /** Author login (default: the owner, or GitHub for organizations). */
  author?: string
}

export interface SandboxControl {
  createUser(input: { login: string; name?: string; email?: string }): { id: number; login: string }
  createOrg(input: {
    login: string
    name?: string
    members?: { login: string; role?: OrgRole }[]
    defaultRepositoryPermission?: 'read' | 'write' | 'admin' | 'none'
  }): { id: number; login: string }
  /** Add, change (role) or remove (null) an organization member. */
  setOrgMember(org: string, login: string, role: OrgRole | null): void

  issueToken(input: TokenInput): string
  /** Revoking a PAT or OAuth token also deletes the deploy keys it created, as GitHub does. */
  revokeToken(token: string): void

  createRepository(input: RepositoryInput): RepositoryInfo
  getRepository(owner: string, name: string): RepositoryInfo | undefined
  /** Settings, rename, archive, visibility, topics: as an admin would in the UI. */
  changeRepository(owner: string, name: string, changes: RepoUpdate): RepositoryInfo
  deleteRepository(owner: string, name: string): void
  /** Someone else pushed: a commit on a branch; returns its SHA. */
  pushCommit(owner: string, name: string, input: CommitInput): string
  removeDeployKey(owner: string, name: string, keyId: number): void
  removeCollaborator(owner: string, name: string, login: string): void

  invitations(filter?: { repository?: string; invitee?: string }): InvitationInfo[]
  acceptInvitation(id: number): void
  declineInvitation(id: number): void
  /** Backdates the invitation by 7 days. */
  expireInvitation(id: number): void

  /** Moves the sandbox clock forward (expiry of invitations, OAuth codes, rate-limit windows). */
  advanceTime(ms: number): void
  /** The sandbox clock, epoch ms. */
  now(): number

  publishPackage(input: PackageInput): { id: number }
  publishVersion(input: VersionInput): { id: number }
  unpublishPackage(owner: string, type: string, name: string): void
  unpublishVersion(owner: string, type: string, name: string, versionId: number): void

  addWorkflow(owner: string, repo: string, input: WorkflowInput): { id: number }
  addRun(owner: string, repo: string, input: RunInput & { workflow: string }): { id: number }
  updateRun(runId: number, changes: { status?: RunStatus; conclusion?: RunConclusion | null }): void
  addJob(runId: number, input: JobInput): { id: number }
  updateJob(jobId: number, changes: { status?: RunStatus; conclusion?: RunConclusion | null; log?: string }): void

  /** Answer the next `count` matching requests with the given status; returns the fault id. */
  injectFault(spec: FaultSpec): number
  /** Delay matching requests (undefined: no latency). */
  setLatency(spec: LatencySpec | undefined): void
  /** Removes every fault and latency. */
  clearFaults(): void
  /** Primary limit of one user (by login) or, without a login, of every user. `resetAt` is epoch ms. */
  setRateLimit(input: { login?: string; limit?: number; remaining?: number; resetAt?: number }): void
  setSecondaryLimits(input: Partial<SecondaryLimits>): void

  requests(filter?: RequestFilter): RequestLogEntry[]
  requestCounts(filter?: RequestFilter): RequestCounts
  clearRequests(): void

  registerOAuthApp(input: {
    name: string
    callbackURL: string
    clientId?: string
    clientSecret?: string
    /** Skip the consent page: authorize as this user. */
    autoApproveAs?: string
  }): { clientId: string; clientSecret: string }
  /** A GitHub App with a fresh RSA key pair; the private key (PEM) signs its JWTs. */
  registerApp(input: { name: string; owner: string }): {
    appId: number
    slug: string
    clientId: string
    privateKey: string
  }
  installApp(input: {
    appId: number
    account: string
    /** Names under the account; all repositories when absent. */
    repositories?: string[]
    permissions?: FineGrainedPermissions
  }): { installationId: number }
}
