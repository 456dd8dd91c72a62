// Collaborator: one user's access to a repository, followed from invitation to acceptance (the
// status flips without any change to the object) or expiry (re-invited, a bounded number of
// times). Removing the object cancels a pending invitation and revokes access.

import type { Collaborator, CollaboratorState } from '../../apis/v1alpha1/collaborator.ts'
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import { FINALIZERS } from '../../apis/v1alpha1/labels.ts'
import type { ObservedCollaborator } from '../../backend/backend.ts'
import type { HostChange } from '../../machines/events.ts'
import { Failure } from '../failures.ts'
import { cleanupTarget, nothingLeftToRemove, type Reconciler, repositoryTarget } from './context.ts'

/** GitHub invitations expire after seven days. */
const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000

const stateOf = (o: ObservedCollaborator): CollaboratorState =>
  o.state === 'active' ? 'Active' : o.state === 'invited' ? 'Invited' : 'Expired'

export const collaboratorReconciler: Reconciler<Collaborator> = {
  finalizer: FINALIZERS.Collaborator,

  async reconcile(c, ctx) {
    const t = await repositoryTarget(ctx, c.spec.repositoryRef)
    const { username } = c.spec
    const permission = c.spec.permission ?? 'pull'
    const where = t.repository.status?.fullName
    const personal = t.repository.status?.ownerKind === 'User'
    const previous = c.status?.state
    let reinvitations = c.status?.reinvitations ?? 0
    const reinvite = async (why: string): Promise<ObservedCollaborator> => {
      if (reinvitations >= ctx.settings.maxReinvitations) {
        throw new Failure(
          Reason.InvitationExpired,
          `${username} did not accept ${reinvitations + 1} invitations to ${where} (${why}); not inviting again. Delete and re-create this Collaborator to retry`,
          { unavailable: true },
        )
      }
      reinvitations++
      return t.session.collaborators.create(t.ref, username, permission)
    }

    const obs = await t.session.collaborators.observe(t.ref, username, { permission })
    let observed: ObservedCollaborator
    let changed: HostChange | undefined
    if (!obs.exists) {
      const vanished = previous === 'Invited' || previous === 'Expired'
      observed = vanished
        ? await reinvite('the invitation was declined or withdrawn')
        : await t.session.collaborators.create(t.ref, username, permission)
      changed =
        observed.state === 'invited'
          ? {
              reason: vanished ? 'Reinvited' : 'Invited',
              message: `invited ${username} to ${where} with ${permission} permission`,
            }
          : { reason: 'Granted', message: `${username} has ${permission} access to ${where}` }
    } else if (obs.observed.state === 'expired') {
      await t.session.collaborators.delete(t.ref, username)
      observed = await reinvite('the invitation expired')
      changed = {
        reason: 'Reinvited',
        message: `the invitation to ${username} expired; invited again (${reinvitations}/${ctx.settings.maxReinvitations})`,
      }
    } else if (!obs.upToDate && !personal) {
      // Personal repositories know a single collaborator permission: nothing to change there.
      observed = await t.session.collaborators.update(t.ref, username, permission, obs.observed)
      changed = { reason: 'PermissionChanged', message: `${username} now has ${permission} permission on ${where}` }
    } else observed = obs.observed

    const state = stateOf(observed)
    if (state === 'Active' && previous === 'Invited')
      changed ??= { reason: 'Accepted', message: `${username} accepted the invitation to ${where}` }
    const invitedAt = state === 'Active' ? undefined : observed.invitedAt
    const expiresAt = invitedAt ? new Date(Date.parse(invitedAt) + INVITATION_LIFETIME_MS).toISOString() : undefined
    return {
      result: 'ready',
      status: {
        state,
        invitationID: state === 'Active' ? null : (observed.invitationID ?? null),
        invitedAt: invitedAt ?? null,
        expiresAt: expiresAt ?? null,
        reinvitations,
        permission: observed.permission ?? permission,
      },
      detail: {
        state,
        message:
          state === 'Active'
            ? `${username} has ${personal ? 'collaborator' : permission} access to ${where}`
            : `invitation sent to ${username}; waiting for acceptance`,
        invitationMessage: `waiting for ${username} to accept the invitation to ${where}${expiresAt ? ` (expires ${expiresAt})` : ''}`,
      },
      ...(state === 'Active' ? {} : { nextCheckMs: ctx.settings.invitationPollMs }),
      ...(changed ? { changed } : {}),
    }
  },

  async finalize(c, ctx) {
    const t = await cleanupTarget(ctx, c.spec.repositoryRef)
    if (!t) return {}
    try {
      await t.session.collaborators.delete(t.ref, c.spec.username)
    } catch (e) {
      if (!nothingLeftToRemove(e)) throw e
      return {}
    }
    return {
      changed: { reason: 'Revoked', message: `removed ${c.spec.username} from ${t.repository.status?.fullName}` },
    }
  },
}
