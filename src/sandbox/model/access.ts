// Who may do what on a repository, from ownership, org membership, org base permission and direct
// grants, the way GitHub combines them (the strongest wins).
import { atLeast, type Org, type Repo, type RepoRole, type SandboxState, type User } from './state.ts'

const BASE_ROLE: Record<Org['defaultRepositoryPermission'], RepoRole | undefined> = {
  none: undefined,
  read: 'pull',
  write: 'push',
  admin: 'admin',
}

const strongest = (roles: (RepoRole | undefined)[]): RepoRole | undefined =>
  roles.reduce<RepoRole | undefined>((best, r) => (r && !atLeast(best, r) ? r : best), undefined)

/** Access the user has through ownership, the org or a grant; public visibility alone does not count. */
export function explicitRole(state: SandboxState, repo: Repo, user: User | undefined): RepoRole | undefined {
  if (!user) return undefined
  const owner = state.ownerOf(repo)
  if (owner.id === user.id) return 'admin'
  const direct = repo.collaborators.get(user.id)
  if (owner.kind === 'Organization') {
    const membership = owner.members.get(user.id)
    if (membership === 'admin') return 'admin'
    if (membership === 'member') return strongest([BASE_ROLE[owner.defaultRepositoryPermission], direct])
  }
  return direct
}

/** Access including the read access everyone has to public repositories. */
export function effectiveRole(state: SandboxState, repo: Repo, user: User | undefined): RepoRole | undefined {
  return strongest([explicitRole(state, repo, user), repo.visibility === 'public' ? 'pull' : undefined])
}

/** `permissions` hash of repository and collaborator objects. */
export function permissionFlags(role: RepoRole | undefined) {
  return {
    admin: atLeast(role, 'admin'),
    maintain: atLeast(role, 'maintain'),
    push: atLeast(role, 'push'),
    triage: atLeast(role, 'triage'),
    pull: atLeast(role, 'pull'),
  }
}

/** `role_name`: the UI's names (push is "write", pull is "read"). */
export const roleName = (role: RepoRole): string =>
  ({ pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin' })[role]

/** Legacy `permission` of the permission endpoint: maintain reads as write, triage as read. */
export const legacyPermission = (role: RepoRole | undefined): 'admin' | 'write' | 'read' | 'none' =>
  role === undefined ? 'none' : role === 'admin' ? 'admin' : atLeast(role, 'push') ? 'write' : 'read'

/** Whether the user may create repositories under the account. */
export function canCreateUnder(owner: { kind: string; id: number }, org: Org | undefined, user: User): boolean {
  if (owner.kind === 'User') return owner.id === user.id
  return org?.members.has(user.id) ?? false
}
