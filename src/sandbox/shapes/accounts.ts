// Users and organizations as the API shows them: simple-user, private-user, public-user,
// organization-full.
import { isoSeconds } from '../clock.ts'
import type { Urls } from '../http/types.ts'
import type { Account, Org, SandboxState, User } from '../model/state.ts'
import { nodeId } from './node-id.ts'

export function simpleUser(urls: Urls, a: Account) {
  const base = `${urls.api}/users/${a.login}`
  return {
    login: a.login,
    id: a.id,
    node_id: nodeId(a.kind === 'User' ? 'User' : 'Organization', a.id),
    avatar_url: `${urls.web}/avatars/u/${a.id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `${urls.web}/${a.login}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type: a.kind,
    user_view_type: 'public',
    site_admin: false,
  }
}

function publicCounts(state: SandboxState, a: Account) {
  const repos = state.reposOf(a.id)
  return {
    public_repos: repos.filter((r) => r.visibility === 'public').length,
    public_gists: 0,
    followers: 0,
    following: 0,
  }
}

/** `GET /users/{u}` (users and organizations alike). */
export function publicUser(state: SandboxState, urls: Urls, a: Account) {
  return {
    ...simpleUser(urls, a),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    ...publicCounts(state, a),
    created_at: isoSeconds(a.createdAt),
    updated_at: isoSeconds(a.updatedAt),
  }
}

/** `GET /user`: the public view plus what only the user sees. */
export function privateUser(state: SandboxState, urls: Urls, u: User) {
  const owned = state.reposOf(u.id).filter((r) => r.visibility !== 'public').length
  return {
    ...publicUser(state, urls, u),
    private_gists: 0,
    total_private_repos: owned,
    owned_private_repos: owned,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, private_repos: 10000, collaborators: 0 },
  }
}

/** `GET /orgs/{org}`; members also see the settings block. */
export function organizationFull(state: SandboxState, urls: Urls, org: Org, viewer: User | undefined) {
  const base = `${urls.api}/orgs/${org.login}`
  const member = viewer !== undefined && org.members.has(viewer.id)
  const repos = state.reposOf(org.id)
  const privateRepos = repos.filter((r) => r.visibility !== 'public').length
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: base,
    repos_url: `${base}/repos`,
    events_url: `${base}/events`,
    hooks_url: `${base}/hooks`,
    issues_url: `${base}/issues`,
    members_url: `${base}/members{/member}`,
    public_members_url: `${base}/public_members{/member}`,
    avatar_url: `${urls.web}/avatars/u/${org.id}?v=4`,
    description: org.description,
    ...(org.name ? { name: org.name } : {}),
    ...(org.email ? { email: org.email } : {}),
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    ...publicCounts(state, org),
    html_url: `${urls.web}/${org.login}`,
    created_at: isoSeconds(org.createdAt),
    updated_at: isoSeconds(org.updatedAt),
    archived_at: null,
    type: 'Organization',
    ...(member
      ? {
          total_private_repos: privateRepos,
          owned_private_repos: privateRepos,
          private_gists: 0,
          disk_usage: 0,
          collaborators: 0,
          default_repository_permission: org.defaultRepositoryPermission,
          members_can_create_repositories: true,
          two_factor_requirement_enabled: false,
          members_allowed_repository_creation_type: 'all',
          members_can_create_public_repositories: true,
          members_can_create_private_repositories: true,
          members_can_create_internal_repositories: false,
          members_can_delete_repositories: true,
          members_can_fork_private_repositories: false,
          web_commit_signoff_required: false,
        }
      : {}),
  }
}
