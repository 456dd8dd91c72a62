// Collaborators and invitations: PUT invites (201) unless the user already has access (204),
// invitations expire after 7 days, at most 50 invitations per repository per 24 hours.
import { GitHubError, notFound, validationFailed } from '../github-error.ts'
import { explicitRole } from './access.ts'
import {
  INVITATION_TTL_MS,
  type Invitation,
  type InvitationPermission,
  REPO_ROLES,
  type Repo,
  type RepoRole,
  type SandboxState,
  type User,
} from './state.ts'

export const INVITATIONS_PER_DAY = 50
const DAY_MS = 24 * 3600 * 1000

const TO_INVITATION: Record<RepoRole, InvitationPermission> = {
  pull: 'read',
  triage: 'triage',
  push: 'write',
  maintain: 'maintain',
  admin: 'admin',
}

export const invitationPermission = (role: RepoRole): InvitationPermission => TO_INVITATION[role]

export const roleOfInvitation = (p: InvitationPermission): RepoRole =>
  (Object.keys(TO_INVITATION) as RepoRole[]).find((r) => TO_INVITATION[r] === p)!

export const isExpired = (inv: Invitation, now: number) => now - inv.createdAt >= INVITATION_TTL_MS

export function pendingInvitation(state: SandboxState, repo: Repo, user: User): Invitation | undefined {
  return state.invitations.where('invitee', user.id).find((i) => i.repoId === repo.id)
}

export function parseRole(permission: unknown): RepoRole {
  if (permission === undefined) return 'push'
  if (typeof permission === 'string' && (REPO_ROLES as readonly string[]).includes(permission)) {
    return permission as RepoRole
  }
  throw validationFailed([
    {
      resource: 'Repository',
      code: 'invalid',
      field: 'permission',
      message: `permission must be one of ${REPO_ROLES.join(', ')}`,
    },
  ])
}

/** `PUT /collaborators/{u}`: the invitation when one was created (201), undefined for direct access (204). */
export function addCollaborator(
  state: SandboxState,
  repo: Repo,
  invitee: User,
  inviter: User | undefined,
  permission: unknown,
): Invitation | undefined {
  const owner = state.ownerOf(repo)
  // The permission parameter is only valid on organization repositories: personal ones grant push.
  const role = owner.kind === 'Organization' ? parseRole(permission) : 'push'
  if (owner.id === invitee.id) {
    throw validationFailed([
      {
        resource: 'Repository',
        code: 'custom',
        field: 'collaborator',
        message: 'Repository owner cannot be a collaborator',
      },
    ])
  }
  const isMember = owner.kind === 'Organization' && owner.members.has(invitee.id)
  if (isMember || repo.collaborators.has(invitee.id)) {
    repo.collaborators.set(invitee.id, role)
    return undefined
  }
  const now = state.now()
  const existing = pendingInvitation(state, repo, invitee)
  if (existing && !isExpired(existing, now)) {
    existing.permissions = invitationPermission(role)
    return existing
  }
  if (existing) state.invitations.delete(existing.id)
  repo.invitationTimes = repo.invitationTimes.filter((t) => now - t < DAY_MS)
  if (repo.invitationTimes.length >= INVITATIONS_PER_DAY) {
    throw validationFailed([
      {
        resource: 'Repository',
        code: 'custom',
        message: `You have exceeded the limit of ${INVITATIONS_PER_DAY} invitations to this repository in 24 hours.`,
      },
    ])
  }
  repo.invitationTimes.push(now)
  const invitation: Invitation = {
    id: state.nextId(),
    repoId: repo.id,
    inviteeId: invitee.id,
    inviterId: inviter?.id ?? owner.id,
    permissions: invitationPermission(role),
    createdAt: now,
  }
  state.invitations.set(invitation)
  return invitation
}

/** The invitee's own invitation, still valid (expired and others' invitations are invisible to them). */
export function inviteeInvitation(state: SandboxState, id: number, invitee: User): Invitation {
  const inv = state.invitations.get(id)
  if (!inv || inv.inviteeId !== invitee.id || isExpired(inv, state.now())) throw notFound()
  return inv
}

export function acceptInvitation(state: SandboxState, inv: Invitation): void {
  const repo = state.repos.get(inv.repoId)
  if (!repo) throw notFound()
  if (repo.archived) throw new GitHubError(403, 'Repository was archived so is read-only.')
  repo.collaborators.set(inv.inviteeId, roleOfInvitation(inv.permissions))
  state.invitations.delete(inv.id)
}

export function removeCollaborator(repo: Repo, user: User): void {
  repo.collaborators.delete(user.id)
}

/** `GET /collaborators/{u}` answers 204 for anyone with explicit access. */
export const isCollaborator = (state: SandboxState, repo: Repo, user: User) =>
  explicitRole(state, repo, user) !== undefined
