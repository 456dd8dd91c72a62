// Repositories as the API shows them: minimal-repository (lists, nested), repository
// (`/user/repos`) and full-repository (get, create, update).
import { isoSeconds } from '../clock.ts'
import { licenseTemplates } from '../git/templates.ts'
import type { Urls } from '../http/types.ts'
import { effectiveRole, permissionFlags, roleName } from '../model/access.ts'
import type { Repo, SandboxState, User } from '../model/state.ts'
import { simpleUser } from './accounts.ts'
import { nodeId } from './node-id.ts'

function urlsOf(urls: Urls, owner: string, name: string) {
  const api = `${urls.api}/repos/${owner}/${name}`
  return {
    html_url: `${urls.web}/${owner}/${name}`,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
  }
}

function license(urls: Urls, key: string | undefined) {
  const t = key ? licenseTemplates[key] : undefined
  if (!key || !t) return null
  return { key, name: t.name, spdx_id: t.spdxId, url: `${urls.api}/licenses/${key}`, node_id: nodeId('License', key) }
}

/**
 * Identity, owner and URL templates only: what GitHub nests in invitations, packages and workflow
 * runs (minimal-repository's required fields).
 */
export function simpleRepository(state: SandboxState, urls: Urls, repo: Repo) {
  const owner = state.ownerOf(repo)
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${owner.login}/${repo.name}`,
    private: repo.visibility !== 'public',
    owner: simpleUser(urls, owner),
    description: repo.settings.description,
    fork: false,
    ...urlsOf(urls, owner.login, repo.name),
  }
}

/** minimal-repository as lists show it: the simple shape plus settings and counts. */
export function minimalRepository(state: SandboxState, urls: Urls, repo: Repo, viewer?: User) {
  const owner = state.ownerOf(repo)
  const role = viewer ? effectiveRole(state, repo, viewer) : undefined
  return {
    ...simpleRepository(state, urls, repo),
    git_url: `git://${new URL(urls.web).host}/${owner.login}/${repo.name}.git`,
    ssh_url: `git@${new URL(urls.web).hostname}:${owner.login}/${repo.name}.git`,
    clone_url: `${urls.web}/${owner.login}/${repo.name}.git`,
    svn_url: `${urls.web}/${owner.login}/${repo.name}`,
    mirror_url: null,
    homepage: repo.settings.homepage,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    is_template: repo.settings.is_template,
    topics: repo.topics,
    has_issues: repo.settings.has_issues,
    has_projects: repo.settings.has_projects,
    has_wiki: repo.settings.has_wiki,
    has_pages: false,
    has_downloads: repo.settings.has_downloads,
    has_discussions: repo.settings.has_discussions,
    archived: repo.archived,
    disabled: false,
    visibility: repo.visibility,
    pushed_at: isoSeconds(repo.pushedAt),
    created_at: isoSeconds(repo.createdAt),
    updated_at: isoSeconds(repo.updatedAt),
    ...(viewer ? { permissions: permissionFlags(role) } : {}),
    ...(viewer && role ? { role_name: roleName(role) } : {}),
    allow_forking: repo.settings.allow_forking,
    web_commit_signoff_required: repo.settings.web_commit_signoff_required,
    license: license(urls, repo.licenseKey),
    forks: 0,
    open_issues: 0,
    watchers: 0,
  }
}

const mergeSettings = (repo: Repo) => ({
  allow_squash_merge: repo.settings.allow_squash_merge,
  allow_merge_commit: repo.settings.allow_merge_commit,
  allow_rebase_merge: repo.settings.allow_rebase_merge,
  allow_auto_merge: repo.settings.allow_auto_merge,
  delete_branch_on_merge: repo.settings.delete_branch_on_merge,
  allow_update_branch: repo.settings.allow_update_branch,
  use_squash_pr_title_as_default: repo.settings.use_squash_pr_title_as_default,
  squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
  squash_merge_commit_message: 'COMMIT_MESSAGES',
  merge_commit_title: 'MERGE_MESSAGE',
  merge_commit_message: 'PR_TITLE',
})

/** repository: what `GET /user/repos` lists. */
export function repository(state: SandboxState, urls: Urls, repo: Repo, viewer?: User) {
  const { role_name: _, ...minimal } = minimalRepository(state, urls, repo, viewer)
  return { ...minimal, ...mergeSettings(repo) }
}

/** full-repository: get, create, update (only GET carries temp_clone_token, as on GitHub). */
export function fullRepository(state: SandboxState, urls: Urls, repo: Repo, viewer?: User, get = false) {
  const owner = state.ownerOf(repo)
  const template = repo.templateId ? state.repos.get(repo.templateId) : undefined
  return {
    ...repository(state, urls, repo, viewer),
    ...(get ? { temp_clone_token: '' } : {}),
    ...(owner.kind === 'Organization' ? { organization: simpleUser(urls, owner) } : {}),
    ...(template ? { template_repository: repository(state, urls, template, viewer) } : {}),
    network_count: 0,
    subscribers_count: 0,
  }
}
