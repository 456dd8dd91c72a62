// Collaborators: list (org members and owners included, like GitHub), check, permission, add
// (201 invitation or 204 direct), remove. Removing does not cancel a pending invitation.
import { notFound } from '../github-error.ts'
import { viewer } from '../http/auth.ts'
import { paginate } from '../http/paginate.ts'
import { findRepo } from '../http/repo-lookup.ts'
import { type Ctx, created, noContent, ok, type Route } from '../http/types.ts'
import { effectiveRole, explicitRole } from '../model/access.ts'
import { addCollaborator, isCollaborator, removeCollaborator } from '../model/collaborators.ts'
import { assertWritable } from '../model/repos.ts'
import type { Repo, RepoRole, User } from '../model/state.ts'
import { collaborator, collaboratorPermission, invitation } from '../shapes/people.ts'

function userParam(ctx: Ctx): User {
  const user = ctx.state.user(ctx.params.username!)
  if (!user) throw notFound()
  return user
}

/** Everyone with explicit access, filtered by affiliation (outside | direct | all). */
function collaboratorsOf(ctx: Ctx, repo: Repo): { user: User; role: RepoRole }[] {
  const owner = ctx.state.ownerOf(repo)
  const affiliation = ctx.query.get('affiliation') ?? 'all'
  const candidates = new Set<number>(repo.collaborators.keys())
  if (owner.kind === 'Organization') for (const id of owner.members.keys()) candidates.add(id)
  else candidates.add(owner.id)
  const out: { user: User; role: RepoRole }[] = []
  for (const id of [...candidates].sort((a, b) => a - b)) {
    const user = ctx.state.userById(id)
    const role = user && explicitRole(ctx.state, repo, user)
    if (!user || !role) continue
    const member = owner.kind === 'Organization' && owner.members.has(id)
    if (affiliation === 'outside' && (member || owner.id === id)) continue
    if (affiliation === 'direct' && !repo.collaborators.has(id)) continue
    const wanted = ctx.query.get('permission') as RepoRole | null
    if (wanted && role !== wanted) continue
    out.push({ user, role })
  }
  return out
}

export const collaboratorRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators',
    operationId: 'repos/list-collaborators',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'push', ['metadata', 'read'])
      const page = paginate(ctx, collaboratorsOf(ctx, repo))
      return ok(
        page.items.map((c) => collaborator(ctx.urls, c.user, c.role)),
        page.headers,
      )
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    operationId: 'repos/check-collaborator',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'push', ['metadata', 'read'])
      if (!isCollaborator(ctx.state, repo, userParam(ctx))) throw notFound()
      return noContent()
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    operationId: 'repos/get-collaborator-permission-level',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'pull', ['metadata', 'read'])
      const user = userParam(ctx)
      return ok(collaboratorPermission(ctx.urls, user, effectiveRole(ctx.state, repo, user)))
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    operationId: 'repos/add-collaborator',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const invitee = userParam(ctx)
      assertWritable(repo)
      const permission = (ctx.body as { permission?: unknown } | undefined)?.permission
      const inv = addCollaborator(ctx.state, repo, invitee, viewer(ctx), permission)
      if (!inv) return noContent()
      return created(invitation(ctx.state, ctx.urls, inv), {
        location: `${ctx.urls.api}/user/repository_invitations/${inv.id}`,
      })
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    operationId: 'repos/remove-collaborator',
    scopes: ['repo'],
    handle: (ctx) => {
      const user = userParam(ctx)
      // Admins remove anyone; a collaborator may remove themselves.
      const self = viewer(ctx)?.id === user.id
      const repo = findRepo(ctx, self ? 'pull' : 'admin', ['administration', 'write'])
      assertWritable(repo)
      removeCollaborator(repo, user)
      return noContent()
    },
  },
]
