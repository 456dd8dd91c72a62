// The sandbox's one state model: every route and the control API read and change these maps.
// Names and enums follow GitHub's API vocabulary (role `push`, invitation permission `write`).
import type { Clock } from '../clock.ts'
import type { GitStore } from '../git/objects.ts'
import type { TokenKind } from '../tokens.ts'
import { Table } from './table.ts'

/** Repository roles in the API's words, weakest first. */
export const REPO_ROLES = ['pull', 'triage', 'push', 'maintain', 'admin'] as const
export type RepoRole = (typeof REPO_ROLES)[number]
export const atLeast = (role: RepoRole | undefined, need: RepoRole) =>
  role !== undefined && REPO_ROLES.indexOf(role) >= REPO_ROLES.indexOf(need)

export interface User {
  kind: 'User'
  id: number
  login: string
  name: string | null
  email: string | null
  createdAt: number
  updatedAt: number
}

export type OrgRole = 'admin' | 'member'

export interface Org {
  kind: 'Organization'
  id: number
  login: string
  name: string | null
  description: string | null
  email: string | null
  createdAt: number
  updatedAt: number
  /** user id → role */
  members: Map<number, OrgRole>
  /** What members get on every repository of the org. */
  defaultRepositoryPermission: 'read' | 'write' | 'admin' | 'none'
}

export type Account = User | Org

export type Visibility = 'public' | 'private' | 'internal'

/** Settings kept under their API names, so PATCH and the control API apply them the same way. */
export interface RepoSettings {
  description: string | null
  homepage: string | null
  has_issues: boolean
  has_projects: boolean
  has_wiki: boolean
  has_discussions: boolean
  has_downloads: boolean
  is_template: boolean
  allow_squash_merge: boolean
  allow_merge_commit: boolean
  allow_rebase_merge: boolean
  allow_auto_merge: boolean
  delete_branch_on_merge: boolean
  allow_update_branch: boolean
  use_squash_pr_title_as_default: boolean
  allow_forking: boolean
  web_commit_signoff_required: boolean
}

export interface Repo {
  id: number
  ownerId: number
  name: string
  visibility: Visibility
  archived: boolean
  defaultBranch: string
  topics: string[]
  settings: RepoSettings
  createdAt: number
  updatedAt: number
  pushedAt: number
  licenseKey?: string
  templateId?: number
  git: GitStore
  /** Direct grants: user id → role. */
  collaborators: Map<number, RepoRole>
  /** Creation times of invitations, for the 50-per-24h limit. */
  invitationTimes: number[]
}

export interface DeployKey {
  id: number
  repoId: number
  title: string
  /** `<type> <base64>`, without the comment. */
  key: string
  readOnly: boolean
  createdAt: number
  addedBy: string
  /** The token that created it: revoking a PAT or OAuth token deletes its keys. */
  tokenId?: number
}

export type InvitationPermission = 'read' | 'triage' | 'write' | 'maintain' | 'admin'

export interface Invitation {
  id: number
  repoId: number
  inviteeId: number
  inviterId: number
  permissions: InvitationPermission
  createdAt: number
}

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

export type FineGrainedLevel = 'read' | 'write'
export type FineGrainedPermissions = Record<string, FineGrainedLevel>

export interface TokenRecord {
  id: number
  value: string
  kind: TokenKind
  /** The user it acts as (absent for installation tokens). */
  userId?: number
  installationId?: number
  /** Classic and OAuth tokens. */
  scopes: string[]
  /** Fine-grained and installation tokens. */
  permissions: FineGrainedPermissions
  /** Fine-grained: the account whose repositories it reaches. */
  resourceOwnerId?: number
  /** Fine-grained and installation: only these repositories (undefined: all of the owner's). */
  repositoryIds?: number[]
  createdAt: number
  expiresAt?: number
}

export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'] as const
export type PackageType = (typeof PACKAGE_TYPES)[number]

export interface PackageVersion {
  id: number
  /** For containers, the manifest digest. */
  name: string
  tags: string[]
  description?: string
  createdAt: number
  updatedAt: number
}

export interface Package {
  id: number
  ownerId: number
  type: PackageType
  name: string
  visibility: 'public' | 'private'
  repoId?: number
  createdAt: number
  updatedAt: number
  versions: Map<number, PackageVersion>
}

export interface Workflow {
  id: number
  repoId: number
  name: string
  path: string
  state: 'active' | 'disabled_manually'
  /** Events in `on:`; `workflow_dispatch` allows dispatches. */
  triggers: string[]
  createdAt: number
  updatedAt: number
}

export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
export type RunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'

export interface WorkflowRun {
  id: number
  repoId: number
  workflowId: number
  runNumber: number
  runAttempt: number
  event: string
  status: RunStatus
  conclusion: RunConclusion | null
  headSha: string
  headBranch: string | null
  displayTitle: string
  actorId?: number
  createdAt: number
  updatedAt: number
}

export interface JobStep {
  name: string
  status: RunStatus
  conclusion: RunConclusion | null
  number: number
}

export interface Job {
  id: number
  runId: number
  name: string
  status: RunStatus
  conclusion: RunConclusion | null
  createdAt: number
  startedAt: number
  completedAt: number | null
  steps: JobStep[]
  labels: string[]
  log: string
}

export interface OAuthApp {
  clientId: string
  clientSecret: string
  name: string
  callbackURL: string
  /** Skip the consent page and authorize as this user (headless tests). */
  autoApproveAs?: number
}

export interface OAuthCode {
  code: string
  clientId: string
  userId: number
  scopes: string[]
  redirectURI: string
  challenge?: string
  expiresAt: number
}

export interface GitHubApp {
  id: number
  slug: string
  name: string
  ownerId: number
  clientId: string
  publicKeyPem: string
  createdAt: number
}

export interface Installation {
  id: number
  appId: number
  accountId: number
  /** undefined: all repositories of the account. */
  repositoryIds?: number[]
  permissions: FineGrainedPermissions
  createdAt: number
}

/** What a short-lived download URL (codeload tarball, job log) gives access to. */
export type DownloadTarget = { kind: 'tarball'; repoId: number; sha: string } | { kind: 'log'; jobId: number }
export type Download = DownloadTarget & { expiresAt: number }

const lower = (s: string) => s.toLowerCase()
const fullName = (owner: string, name: string) => `${lower(owner)}/${lower(name)}`

export class SandboxState {
  private lastId = 999
  readonly accounts = new Map<number, Account>()
  private readonly logins = new Map<string, number>()
  readonly repos = new Map<number, Repo>()
  private readonly repoNames = new Map<string, number>()
  private readonly ownerRepos = new Map<number, Set<number>>()
  /** Old `owner/name` → repository id, after renames. */
  readonly redirects = new Map<string, number>()
  readonly keys = new Table<DeployKey, 'repo' | 'material' | 'token'>({
    repo: (k) => k.repoId,
    material: (k) => k.key,
    token: (k) => k.tokenId,
  })
  readonly invitations = new Table<Invitation, 'repo' | 'invitee'>({
    repo: (i) => i.repoId,
    invitee: (i) => i.inviteeId,
  })
  readonly tokens = new Map<string, TokenRecord>()
  readonly packages = new Map<number, Package>()
  readonly workflows = new Map<number, Workflow>()
  readonly runs = new Map<number, WorkflowRun>()
  readonly jobs = new Map<number, Job>()
  readonly oauthApps = new Map<string, OAuthApp>()
  readonly oauthCodes = new Map<string, OAuthCode>()
  readonly apps = new Map<number, GitHubApp>()
  readonly installations = new Map<number, Installation>()
  readonly downloads = new Map<string, Download>()

  constructor(readonly clock: Clock) {}

  /** One sequence for every kind: an id used for the wrong kind of object never finds anything. */
  nextId(): number {
    this.lastId += 1
    return this.lastId
  }

  now(): number {
    return this.clock.now()
  }

  addAccount(account: Account): void {
    this.accounts.set(account.id, account)
    this.logins.set(lower(account.login), account.id)
  }

  account(login: string): Account | undefined {
    const id = this.logins.get(lower(login))
    return id === undefined ? undefined : this.accounts.get(id)
  }

  user(login: string): User | undefined {
    const a = this.account(login)
    return a?.kind === 'User' ? a : undefined
  }

  org(login: string): Org | undefined {
    const a = this.account(login)
    return a?.kind === 'Organization' ? a : undefined
  }

  userById(id: number | undefined): User | undefined {
    const a = id === undefined ? undefined : this.accounts.get(id)
    return a?.kind === 'User' ? a : undefined
  }

  ownerOf(repo: Repo): Account {
    return this.accounts.get(repo.ownerId)!
  }

  repo(owner: string, name: string): Repo | undefined {
    const id = this.repoNames.get(fullName(owner, name))
    return id === undefined ? undefined : this.repos.get(id)
  }

  /** Where a renamed repository lives now. */
  redirect(owner: string, name: string): Repo | undefined {
    const id = this.redirects.get(fullName(owner, name))
    return id === undefined ? undefined : this.repos.get(id)
  }

  indexRepo(repo: Repo): void {
    const key = fullName(this.ownerOf(repo).login, repo.name)
    this.repos.set(repo.id, repo)
    this.repoNames.set(key, repo.id)
    this.redirects.delete(key)
    const owned = this.ownerRepos.get(repo.ownerId) ?? new Set<number>()
    owned.add(repo.id)
    this.ownerRepos.set(repo.ownerId, owned)
  }

  /** Forgets the name (renames re-index); `removeRepo` forgets the repository. */
  unindexRepo(repo: Repo): void {
    this.repoNames.delete(fullName(this.ownerOf(repo).login, repo.name))
  }

  removeRepo(repo: Repo): void {
    this.unindexRepo(repo)
    this.repos.delete(repo.id)
    this.ownerRepos.get(repo.ownerId)?.delete(repo.id)
  }

  rememberOldName(repo: Repo, oldName: string): void {
    this.redirects.set(fullName(this.ownerOf(repo).login, oldName), repo.id)
  }

  reposOf(ownerId: number): Repo[] {
    return [...(this.ownerRepos.get(ownerId) ?? [])].map((id) => this.repos.get(id)!)
  }
}
