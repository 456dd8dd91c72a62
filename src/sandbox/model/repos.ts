// Repository lifecycle with GitHub's rules: names normalised and unique per owner (case-insensitive),
// renames leave a redirect, archived repositories are read-only until unarchived, auto_init and
// templates write a real first commit.
import { writeCommit } from '../git/commit-files.ts'
import { GitStore, type Signature } from '../git/objects.ts'
import { gitignoreTemplates, licenseTemplates, readme } from '../git/templates.ts'
import { archivedReadOnly, GitHubError, validationFailed } from '../github-error.ts'
import type { Account, Repo, RepoSettings, SandboxState, User, Visibility } from './state.ts'

export const DEFAULT_BRANCH = 'main'

export const defaultSettings = (): RepoSettings => ({
  description: null,
  homepage: null,
  has_issues: true,
  has_projects: true,
  has_wiki: true,
  has_discussions: false,
  has_downloads: true,
  is_template: false,
  allow_squash_merge: true,
  allow_merge_commit: true,
  allow_rebase_merge: true,
  allow_auto_merge: false,
  delete_branch_on_merge: false,
  allow_update_branch: false,
  use_squash_pr_title_as_default: false,
  allow_forking: true,
  web_commit_signoff_required: false,
})

export const SETTING_KEYS = Object.keys(defaultSettings()) as (keyof RepoSettings)[]

export type RepoCreate = Partial<RepoSettings> & {
  name: string
  private?: boolean
  visibility?: Visibility
  auto_init?: boolean
  gitignore_template?: string
  license_template?: string
}

export type RepoUpdate = Partial<RepoSettings> & {
  name?: string
  private?: boolean
  visibility?: Visibility
  default_branch?: string
  archived?: boolean
  topics?: string[]
}

/** GitHub turns every run of characters outside [A-Za-z0-9._-] into one '-'. */
export function normalizeRepoName(name: string): string {
  const n = name.trim().replace(/[^A-Za-z0-9._-]+/g, '-')
  if (n === '' || n === '.' || n === '..' || n.length > 100) {
    throw validationFailed([{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }])
  }
  return n
}

const nameTaken = () =>
  validationFailed(
    [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
    'Repository creation failed.',
  )

function checkVisibility(visibility: Visibility | undefined): void {
  if (visibility === 'internal') {
    throw validationFailed([
      {
        resource: 'Repository',
        code: 'custom',
        field: 'visibility',
        message: 'visibility can only be internal for repositories owned by an enterprise organization',
      },
    ])
  }
}

export function signatureOf(user: User | undefined, at: number): Signature {
  return {
    name: user ? (user.name ?? user.login) : 'GitHub',
    email: user ? (user.email ?? `${user.id}+${user.login}@users.noreply.github.com`) : 'noreply@github.com',
    seconds: Math.floor(at / 1000),
    tzMinutes: 0,
  }
}

function initialFiles(input: RepoCreate, name: string, holder: string, year: number) {
  const files: { path: string; content: string }[] = []
  if (input.auto_init) files.push({ path: 'README.md', content: readme(name, input.description ?? null) })
  if (input.gitignore_template) {
    const text = gitignoreTemplates[input.gitignore_template]
    if (text === undefined) {
      throw validationFailed([
        {
          resource: 'Repository',
          code: 'invalid',
          field: 'gitignore_template',
          message: 'is an unknown gitignore template',
        },
      ])
    }
    files.push({ path: '.gitignore', content: text })
  }
  if (input.license_template) {
    const license = licenseTemplates[input.license_template.toLowerCase()]
    if (!license) {
      throw validationFailed([
        {
          resource: 'Repository',
          code: 'invalid',
          field: 'license_template',
          message: 'is an unknown license template',
        },
      ])
    }
    files.push({ path: 'LICENSE', content: license.text(year, holder) })
  }
  return files
}

export function createRepository(state: SandboxState, owner: Account, creator: User | undefined, input: RepoCreate) {
  const name = normalizeRepoName(input.name)
  if (state.repo(owner.login, name)) throw nameTaken()
  checkVisibility(input.visibility)
  const now = state.now()
  const settings = defaultSettings()
  for (const key of SETTING_KEYS) {
    if (input[key] !== undefined) Object.assign(settings, { [key]: input[key] })
  }
  const repo: Repo = {
    id: state.nextId(),
    ownerId: owner.id,
    name,
    visibility: input.visibility ?? (input.private ? 'private' : 'public'),
    archived: false,
    defaultBranch: DEFAULT_BRANCH,
    topics: [],
    settings,
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    git: new GitStore(),
    collaborators: new Map(),
    invitationTimes: [],
  }
  const files = initialFiles(input, name, owner.name ?? owner.login, new Date(now).getUTCFullYear())
  if (files.length > 0) {
    const sha = writeCommit(repo.git, {
      files,
      message: 'Initial commit',
      author: signatureOf(creator, now),
      committer: signatureOf(undefined, now),
    })
    repo.git.refs.set(`refs/heads/${DEFAULT_BRANCH}`, sha)
  }
  if (input.license_template) repo.licenseKey = input.license_template.toLowerCase()
  state.indexRepo(repo)
  return repo
}

/** `POST /repos/{tpl}/generate`: a new repository whose first commit has the template's tree. */
export function generateFromTemplate(
  state: SandboxState,
  template: Repo,
  owner: Account,
  creator: User | undefined,
  input: { name: string; description?: string | null; private?: boolean; include_all_branches?: boolean },
): Repo {
  if (!template.settings.is_template) {
    throw validationFailed([
      { resource: 'Repository', code: 'custom', message: `${template.name} is not a template repository` },
    ])
  }
  const repo = createRepository(state, owner, creator, {
    name: input.name,
    description: input.description ?? null,
    private: input.private ?? false,
  })
  repo.templateId = template.id
  const now = state.now()
  const branches = [...template.git.refs].filter(
    ([ref]) =>
      ref.startsWith('refs/heads/') && (input.include_all_branches || ref === `refs/heads/${template.defaultBranch}`),
  )
  for (const [ref, sha] of branches) {
    const tree = template.git.commit(sha)!.tree
    copyTree(template.git, repo.git, tree)
    const commit = repo.git.put({
      type: 'commit',
      tree,
      parents: [],
      author: signatureOf(creator, now),
      committer: signatureOf(undefined, now),
      message: 'Initial commit',
    })
    repo.git.refs.set(ref, commit)
  }
  repo.defaultBranch = template.defaultBranch
  return repo
}

function copyTree(from: GitStore, to: GitStore, sha: string): void {
  const obj = from.get(sha)
  if (!obj || to.get(sha)) return
  to.put(obj)
  if (obj.type === 'tree') for (const e of obj.entries) copyTree(from, to, e.sha)
}

const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/

export function validateTopics(names: string[]): string[] {
  const topics = [...new Set(names.map((n) => n.trim().toLowerCase()))]
  const bad = topics.filter((t) => !TOPIC.test(t))
  const errors = bad.map(
    (t) =>
      `"${t}" is not a valid topic: lowercase letters, numbers and hyphens, starting with a letter or number, at most 50 characters`,
  )
  if (topics.length > 20) errors.push('A repository cannot have more than 20 topics.')
  if (errors.length > 0) throw new GitHubError(422, 'Validation Failed', { errors })
  return topics
}

export function updateRepository(state: SandboxState, repo: Repo, changes: RepoUpdate): Repo {
  if (repo.archived && changes.archived !== false) {
    const onlyArchive = Object.keys(changes).every((k) => k === 'archived')
    if (!onlyArchive) throw archivedReadOnly()
  }
  checkVisibility(changes.visibility)
  if (changes.default_branch !== undefined && !repo.git.refs.has(`refs/heads/${changes.default_branch}`)) {
    throw validationFailed([
      {
        resource: 'Repository',
        code: 'invalid',
        field: 'default_branch',
        message: `branch ${changes.default_branch} not found`,
      },
    ])
  }
  const topics = changes.topics === undefined ? undefined : validateTopics(changes.topics)
  if (changes.name !== undefined) {
    const name = normalizeRepoName(changes.name)
    const other = state.repo(state.ownerOf(repo).login, name)
    if (other && other.id !== repo.id) throw nameTaken()
    if (name !== repo.name) {
      state.unindexRepo(repo)
      state.rememberOldName(repo, repo.name)
      repo.name = name
      state.indexRepo(repo)
    }
  }
  for (const key of SETTING_KEYS) {
    if (changes[key] !== undefined) Object.assign(repo.settings, { [key]: changes[key] })
  }
  if (changes.private !== undefined) repo.visibility = changes.private ? 'private' : 'public'
  if (changes.visibility !== undefined) repo.visibility = changes.visibility
  if (changes.default_branch !== undefined) repo.defaultBranch = changes.default_branch
  if (topics !== undefined) repo.topics = topics
  if (changes.archived !== undefined) repo.archived = changes.archived
  repo.updatedAt = state.now()
  return repo
}

export function deleteRepository(state: SandboxState, repo: Repo): void {
  state.removeRepo(repo)
  for (const [key, id] of state.redirects) if (id === repo.id) state.redirects.delete(key)
  for (const k of state.keys.where('repo', repo.id)) state.keys.delete(k.id)
  for (const i of state.invitations.where('repo', repo.id)) state.invitations.delete(i.id)
  for (const [id, w] of state.workflows) if (w.repoId === repo.id) state.workflows.delete(id)
  for (const [id, r] of state.runs) {
    if (r.repoId !== repo.id) continue
    state.runs.delete(id)
    for (const [jobId, j] of state.jobs) if (j.runId === id) state.jobs.delete(jobId)
  }
  for (const p of state.packages.values()) if (p.repoId === repo.id) p.repoId = undefined
}

/** Writes refuse on archived repositories. */
export function assertWritable(repo: Repo): void {
  if (repo.archived) throw archivedReadOnly()
}

export const forbidden = (message: string, headers?: Record<string, string>) =>
  new GitHubError(403, message, headers ? { headers } : {})
