// Repositories: create (user, org, from a template), get, update (rename, archive), delete, topics.
import { GitHubError, notFound } from '../github-error.ts'
import { authorizeRepo, requirePermission, requireUser, viewer } from '../http/auth.ts'
import { readBody } from '../http/body.ts'
import { findRepo } from '../http/repo-lookup.ts'
import { type Ctx, created, noContent, ok, type Reply, type Route } from '../http/types.ts'
import { canCreateUnder } from '../model/access.ts'
import {
  createRepository,
  deleteRepository,
  generateFromTemplate,
  updateRepository,
  validateTopics,
} from '../model/repos.ts'
import type { Account, Repo, User } from '../model/state.ts'
import { fullRepository } from '../shapes/repos.ts'
import { hasScope } from '../tokens.ts'
import { CreateRepoBody, GenerateBody, TopicsBody, UpdateRepoBody } from './repo-bodies.ts'

const WRITE_SCOPES = ['public_repo', 'repo']

/** May the caller create a repository under `owner`? Returns the creating user (none for installations). */
function authorizeCreate(ctx: Ctx, owner: Account, isPrivate: boolean): User | undefined {
  const actor = ctx.actor
  if (!actor) throw new GitHubError(401, 'Requires authentication')
  if (actor.kind === 'app') throw new GitHubError(403, 'Resource not accessible by integration')
  if (actor.kind === 'installation') {
    if (actor.installation.accountId !== owner.id) throw new GitHubError(403, 'Resource not accessible by integration')
    requirePermission(ctx, actor.token, ['administration', 'write'])
    return undefined
  }
  const { user, token } = actor
  if (token.kind === 'fine-grained') {
    if ((token.resourceOwnerId ?? user.id) !== owner.id) {
      throw new GitHubError(403, 'Resource not accessible by personal access token')
    }
    requirePermission(ctx, token, ['administration', 'write'])
  } else if (!hasScope(token.scopes, isPrivate ? ['repo'] : WRITE_SCOPES)) {
    throw new GitHubError(404, 'Not Found', { headers: { 'x-accepted-oauth-scopes': WRITE_SCOPES.join(', ') } })
  }
  if (!canCreateUnder(owner, owner.kind === 'Organization' ? owner : undefined, user)) {
    throw new GitHubError(403, 'You need admin access to the organization before adding a repository to it.')
  }
  return user
}

/** 201 with the repository and its API URL in Location, as GitHub answers a create. */
function createdRepo(ctx: Ctx, repo: Repo): Reply {
  const body = fullRepository(ctx.state, ctx.urls, repo, viewer(ctx))
  return created(body, { location: body.url })
}

const isPrivate = (body: { private?: boolean; visibility?: string }) =>
  body.visibility ? body.visibility !== 'public' : body.private === true

export const repoRoutes: Route[] = [
  {
    method: 'POST',
    path: '/user/repos',
    operationId: 'repos/create-for-authenticated-user',
    scopes: WRITE_SCOPES,
    handle: (ctx) => {
      const owner = requireUser(ctx)
      const body = readBody(ctx, CreateRepoBody, 'Repository')
      const creator = authorizeCreate(ctx, owner, isPrivate(body))
      return createdRepo(ctx, createRepository(ctx.state, owner, creator, body))
    },
  },
  {
    method: 'POST',
    path: '/orgs/{org}/repos',
    operationId: 'repos/create-in-org',
    scopes: WRITE_SCOPES,
    handle: (ctx) => {
      const org = ctx.state.org(ctx.params.org!)
      if (!org) throw notFound()
      const body = readBody(ctx, CreateRepoBody, 'Repository')
      const creator = authorizeCreate(ctx, org, isPrivate(body))
      return createdRepo(ctx, createRepository(ctx.state, org, creator, body))
    },
  },
  {
    method: 'POST',
    path: '/repos/{template_owner}/{template_repo}/generate',
    operationId: 'repos/create-using-template',
    scopes: WRITE_SCOPES,
    handle: (ctx) => {
      const template = ctx.state.repo(ctx.params.template_owner!, ctx.params.template_repo!)
      if (!template) throw notFound()
      authorizeRepo(ctx, template, 'pull', ['contents', 'read'])
      const body = readBody(ctx, GenerateBody, 'Repository')
      const owner = body.owner ? ctx.state.account(body.owner) : viewer(ctx)
      if (!owner) throw notFound()
      const creator = authorizeCreate(ctx, owner, body.private === true)
      return createdRepo(ctx, generateFromTemplate(ctx.state, template, owner, creator, body))
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    operationId: 'repos/get',
    scopes: ['repo'],
    handle: (ctx) =>
      ok(fullRepository(ctx.state, ctx.urls, findRepo(ctx, 'pull', ['metadata', 'read']), viewer(ctx), true)),
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}',
    operationId: 'repos/update',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const changes = readBody(ctx, UpdateRepoBody, 'Repository')
      return ok(fullRepository(ctx.state, ctx.urls, updateRepository(ctx.state, repo, changes), viewer(ctx)))
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}',
    operationId: 'repos/delete',
    scopes: ['delete_repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const token = ctx.actor && 'token' in ctx.actor ? ctx.actor.token : undefined
      if ((token?.kind === 'classic' || token?.kind === 'oauth') && !hasScope(token.scopes, ['delete_repo'])) {
        throw new GitHubError(403, 'Must have admin rights to Repository.', {
          headers: { 'x-accepted-oauth-scopes': 'delete_repo' },
        })
      }
      deleteRepository(ctx.state, repo)
      return noContent()
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/topics',
    operationId: 'repos/get-all-topics',
    scopes: ['repo'],
    handle: (ctx) => ok({ names: findRepo(ctx, 'pull', ['metadata', 'read']).topics }),
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/topics',
    operationId: 'repos/replace-all-topics',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const { names } = readBody(ctx, TopicsBody, 'Repository')
      updateRepository(ctx.state, repo, { topics: validateTopics(names) })
      return ok({ names: repo.topics })
    },
  },
]
