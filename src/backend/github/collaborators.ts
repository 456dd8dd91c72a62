// Collaborators: a user is active (in the collaborators list, which includes org members with
// access), invited (a pending invitation) or expired (an invitation GitHub marks expired).

import type { Permission } from '../../apis/v1alpha1/collaborator.ts'
import type { CollaboratorOps, Observation, ObservedCollaborator, RepoRef } from '../backend.ts'
import { isBackendError } from '../errors.ts'
import { type SessionContext, sameLogin } from './context.ts'

interface InvitationJSON {
  id: number
  invitee?: { login: string } | null
  permissions?: string
  created_at?: string
  expired?: boolean
}

interface CollaboratorJSON {
  login: string
  role_name?: string
  permissions?: Record<string, boolean>
}

// Invitations speak read/write; the collaborators API speaks pull/push.
const fromInvitation: Record<string, Permission> = {
  read: 'pull',
  write: 'push',
  triage: 'triage',
  maintain: 'maintain',
  admin: 'admin',
}
const toInvitation: Record<Permission, string> = {
  pull: 'read',
  push: 'write',
  triage: 'triage',
  maintain: 'maintain',
  admin: 'admin',
}

export const invitationPermission = (p: string | undefined): string | undefined => (p ? (fromInvitation[p] ?? p) : p)
export const invitationPermissionFor = (p: Permission): string => toInvitation[p]

/** role_name (admin/maintain/write/triage/read or a custom role), else the permissions hash. */
export function collaboratorPermission(c: CollaboratorJSON): string | undefined {
  if (c.role_name) return fromInvitation[c.role_name] ?? c.role_name
  const order: Permission[] = ['admin', 'maintain', 'push', 'triage', 'pull']
  return order.find((p) => c.permissions?.[p])
}

const fromInvitationJSON = (i: InvitationJSON): ObservedCollaborator => ({
  state: i.expired ? 'expired' : 'invited',
  permission: invitationPermission(i.permissions),
  invitationID: String(i.id),
  ...(i.created_at ? { invitedAt: i.created_at } : {}),
})

const full = (repo: RepoRef) => `${repo.owner}/${repo.name}`
const swallowNotFound = (e: unknown) => {
  if (!isBackendError(e) || e.code !== 'not-found') throw e
}

export function collaboratorOps(ctx: SessionContext): CollaboratorOps {
  const { transport: t } = ctx

  const invitations = (repo: RepoRef, username: string, background: boolean) => {
    const what = `list invitations of ${full(repo)}`
    return t
      .paginate<InvitationJSON>(
        'GET /repos/{owner}/{repo}/invitations',
        { owner: repo.owner, repo: repo.name },
        background ? ctx.call(what) : ctx.foreground(what),
      )
      .then((all) => all.filter((i) => sameLogin(i.invitee?.login, username)))
  }

  const collaborator = async (repo: RepoRef, username: string) => {
    const all = await t.paginate<CollaboratorJSON>(
      'GET /repos/{owner}/{repo}/collaborators',
      { owner: repo.owner, repo: repo.name },
      ctx.call(`list collaborators of ${full(repo)}`),
    )
    return all.find((c) => sameLogin(c.login, username))
  }

  async function observe(
    repo: RepoRef,
    username: string,
    desired: { permission: Permission },
  ): Promise<Observation<ObservedCollaborator>> {
    const active = await collaborator(repo, username)
    let observed: ObservedCollaborator | undefined
    if (active) observed = { state: 'active', permission: collaboratorPermission(active) }
    else {
      const pending = (await invitations(repo, username, true)).sort((a, b) => b.id - a.id)[0]
      if (pending) observed = fromInvitationJSON(pending)
    }
    if (!observed) return { exists: false }
    const diff: string[] = []
    if (observed.state === 'expired') diff.push('state')
    // Personal repositories know one level (push) whatever is asked: nothing to correct there.
    const personal = (await ctx.ownerKind(repo.owner)) === 'User'
    if (!personal && observed.permission !== desired.permission) diff.push('permission')
    return { exists: true, upToDate: diff.length === 0, diff, observed }
  }

  async function put(repo: RepoRef, username: string, permission: Permission): Promise<ObservedCollaborator> {
    const personal = (await ctx.ownerKind(repo.owner)) === 'User'
    const what = `add ${username} to ${full(repo)}`
    try {
      const res = await t.request<InvitationJSON | ''>(
        'PUT /repos/{owner}/{repo}/collaborators/{username}',
        { owner: repo.owner, repo: repo.name, username, ...(personal ? {} : { permission }) },
        ctx.foreground(what),
      )
      if (res.status === 201 && res.data) return fromInvitationJSON(res.data as InvitationJSON)
      return { state: 'active', permission: personal ? 'push' : permission }
    } catch (e) {
      if (!isBackendError(e) || e.code !== 'not-found') throw e
      // The repository or the user is missing: a user that does not exist is a spec error.
      await t.request(
        'GET /users/{username}',
        { username },
        ctx.foreground(what, {
          notFound: { code: 'invalid', reason: 'user-not-found', message: `there is no GitHub user "${username}"` },
        }),
      )
      throw e
    }
  }

  const deleteInvitation = (repo: RepoRef, id: string) =>
    t
      .request(
        'DELETE /repos/{owner}/{repo}/invitations/{invitation_id}',
        { owner: repo.owner, repo: repo.name, invitation_id: id },
        ctx.foreground(`cancel invitation ${id} of ${full(repo)}`),
      )
      .catch(swallowNotFound)

  async function update(
    repo: RepoRef,
    username: string,
    permission: Permission,
    current: ObservedCollaborator,
  ): Promise<ObservedCollaborator> {
    if (current.state === 'invited' && current.invitationID) {
      try {
        const res = await t.request<InvitationJSON>(
          'PATCH /repos/{owner}/{repo}/invitations/{invitation_id}',
          {
            owner: repo.owner,
            repo: repo.name,
            invitation_id: current.invitationID,
            permissions: invitationPermissionFor(permission),
          },
          ctx.foreground(`change the invitation of ${username} to ${full(repo)}`),
        )
        return fromInvitationJSON(res.data)
      } catch (e) {
        swallowNotFound(e) // accepted or withdrawn meanwhile: grant directly below
      }
    }
    // An expired invitation cannot be revived: withdraw it and invite again.
    if (current.state === 'expired' && current.invitationID) await deleteInvitation(repo, current.invitationID)
    return put(repo, username, permission)
  }

  async function remove(repo: RepoRef, username: string): Promise<void> {
    for (const invitation of await invitations(repo, username, false)) {
      await deleteInvitation(repo, String(invitation.id))
    }
    await t
      .request(
        'DELETE /repos/{owner}/{repo}/collaborators/{username}',
        { owner: repo.owner, repo: repo.name, username },
        ctx.foreground(`remove ${username} from ${full(repo)}`),
      )
      .catch(swallowNotFound)
  }

  return { observe, create: put, update, delete: remove }
}
