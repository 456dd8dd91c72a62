// Deploy keys, collaborators and invitations as the API shows them.
import { isoSeconds } from '../clock.ts'
import type { Urls } from '../http/types.ts'
import { legacyPermission, permissionFlags, roleName } from '../model/access.ts'
import { isExpired } from '../model/collaborators.ts'
import type { DeployKey, Invitation, RepoRole, SandboxState, User } from '../model/state.ts'
import { simpleUser } from './accounts.ts'
import { nodeId } from './node-id.ts'
import { simpleRepository } from './repos.ts'

export function deployKey(state: SandboxState, urls: Urls, key: DeployKey) {
  const repo = state.repos.get(key.repoId)!
  return {
    id: key.id,
    key: key.key,
    url: `${urls.api}/repos/${state.ownerOf(repo).login}/${repo.name}/keys/${key.id}`,
    title: key.title,
    verified: true,
    created_at: isoSeconds(key.createdAt),
    read_only: key.readOnly,
    added_by: key.addedBy,
    last_used: null,
    enabled: true,
  }
}

export function invitation(state: SandboxState, urls: Urls, inv: Invitation) {
  const repo = state.repos.get(inv.repoId)!
  const owner = state.ownerOf(repo)
  return {
    id: inv.id,
    node_id: nodeId('RepositoryInvitation', inv.id),
    repository: simpleRepository(state, urls, repo),
    invitee: simpleUser(urls, state.accounts.get(inv.inviteeId)!),
    inviter: simpleUser(urls, state.accounts.get(inv.inviterId)!),
    permissions: inv.permissions,
    created_at: isoSeconds(inv.createdAt),
    expired: isExpired(inv, state.now()),
    url: `${urls.api}/user/repository_invitations/${inv.id}`,
    html_url: `${urls.web}/${owner.login}/${repo.name}/invitations`,
  }
}

export function collaborator(urls: Urls, user: User, role: RepoRole) {
  return { ...simpleUser(urls, user), permissions: permissionFlags(role), role_name: roleName(role) }
}

export function collaboratorPermission(urls: Urls, user: User, role: RepoRole | undefined) {
  return {
    permission: legacyPermission(role),
    role_name: role ? roleName(role) : 'none',
    user: role ? collaborator(urls, user, role) : { ...simpleUser(urls, user), role_name: 'none' },
  }
}
