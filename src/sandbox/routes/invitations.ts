// Repository invitations: the admin side (list with `expired`, change permission, cancel) and the
// invitee side (list own pending invitations, accept, decline). Expired invitations stay listed
// for admins but are gone for the invitee.
import { Type } from '@sinclair/typebox'
import { notFound } from '../github-error.ts'
import { requireScopes, requireUser } from '../http/auth.ts'
import { readBody } from '../http/body.ts'
import { paginate } from '../http/paginate.ts'
import { findRepo } from '../http/repo-lookup.ts'
import { type Ctx, noContent, ok, type Route } from '../http/types.ts'
import { acceptInvitation, inviteeInvitation, isExpired } from '../model/collaborators.ts'
import { assertWritable } from '../model/repos.ts'
import type { Invitation, Repo } from '../model/state.ts'
import { invitation } from '../shapes/people.ts'

const INVITEE_SCOPES = ['public_repo', 'repo', 'repo:invite']

const UpdateInvitationBody = Type.Object({
  permissions: Type.Optional(
    Type.Union([
      Type.Literal('read'),
      Type.Literal('write'),
      Type.Literal('maintain'),
      Type.Literal('triage'),
      Type.Literal('admin'),
    ]),
  ),
})

function repoInvitation(ctx: Ctx, repo: Repo): Invitation {
  const inv = ctx.state.invitations.get(Number(ctx.params.invitation_id))
  if (!inv || inv.repoId !== repo.id) throw notFound()
  return inv
}

function invitee(ctx: Ctx) {
  const user = requireUser(ctx)
  requireScopes(ctx, INVITEE_SCOPES, 'Resource not accessible by personal access token')
  return user
}

export const invitationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/invitations',
    operationId: 'repos/list-invitations',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'read'])
      const all = ctx.state.invitations.where('repo', repo.id)
      const page = paginate(ctx, all)
      return ok(
        page.items.map((i) => invitation(ctx.state, ctx.urls, i)),
        page.headers,
      )
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/invitations/{invitation_id}',
    operationId: 'repos/update-invitation',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const inv = repoInvitation(ctx, repo)
      const body = readBody(ctx, UpdateInvitationBody, 'RepositoryInvitation')
      assertWritable(repo)
      if (body.permissions) inv.permissions = body.permissions
      return ok(invitation(ctx.state, ctx.urls, inv))
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/invitations/{invitation_id}',
    operationId: 'repos/delete-invitation',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      ctx.state.invitations.delete(repoInvitation(ctx, repo).id)
      return noContent()
    },
  },
  {
    method: 'GET',
    path: '/user/repository_invitations',
    operationId: 'repos/list-invitations-for-authenticated-user',
    scopes: INVITEE_SCOPES,
    handle: (ctx) => {
      const user = invitee(ctx)
      const mine = ctx.state.invitations.where('invitee', user.id).filter((i) => !isExpired(i, ctx.now))
      const page = paginate(ctx, mine)
      return ok(
        page.items.map((i) => invitation(ctx.state, ctx.urls, i)),
        page.headers,
      )
    },
  },
  {
    method: 'PATCH',
    path: '/user/repository_invitations/{invitation_id}',
    operationId: 'repos/accept-invitation-for-authenticated-user',
    scopes: INVITEE_SCOPES,
    handle: (ctx) => {
      acceptInvitation(ctx.state, inviteeInvitation(ctx.state, Number(ctx.params.invitation_id), invitee(ctx)))
      return noContent()
    },
  },
  {
    method: 'DELETE',
    path: '/user/repository_invitations/{invitation_id}',
    operationId: 'repos/decline-invitation-for-authenticated-user',
    scopes: INVITEE_SCOPES,
    handle: (ctx) => {
      const inv = inviteeInvitation(ctx.state, Number(ctx.params.invitation_id), invitee(ctx))
      ctx.state.invitations.delete(inv.id)
      return noContent()
    },
  },
]
