// Deploy keys: list, create (format checked, DSA refused, material unique across all repositories:
// 422 "key is already in use"), get, delete. Keys are immutable; archived repositories refuse writes.
import { Type } from '@sinclair/typebox'
import { notFound, validationFailed } from '../github-error.ts'
import { readBody } from '../http/body.ts'
import { paginate } from '../http/paginate.ts'
import { findRepo } from '../http/repo-lookup.ts'
import { type Ctx, created, noContent, ok, type Route } from '../http/types.ts'
import { assertWritable } from '../model/repos.ts'
import type { DeployKey, Repo } from '../model/state.ts'
import { deployKey } from '../shapes/people.ts'
import { parsePublicKey } from '../ssh-keys.ts'

const CreateKeyBody = Type.Object({
  key: Type.String(),
  title: Type.Optional(Type.String()),
  read_only: Type.Optional(Type.Boolean()),
})

const keyInUse = () =>
  validationFailed([{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }])

function keyOf(ctx: Ctx, repo: Repo): DeployKey {
  const key = ctx.state.keys.get(Number(ctx.params.key_id))
  if (!key || key.repoId !== repo.id) throw notFound()
  return key
}

export const keyRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/keys',
    operationId: 'repos/list-deploy-keys',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'read'])
      const keys = ctx.state.keys.where('repo', repo.id)
      const page = paginate(ctx, keys)
      return ok(
        page.items.map((k) => deployKey(ctx.state, ctx.urls, k)),
        page.headers,
      )
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/keys',
    operationId: 'repos/create-deploy-key',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const body = readBody(ctx, CreateKeyBody, 'PublicKey')
      assertWritable(repo)
      const parsed = parsePublicKey(body.key)
      if (!parsed.ok) {
        throw validationFailed([{ resource: 'PublicKey', code: 'custom', field: 'key', message: parsed.reason }])
      }
      const material = `${parsed.type} ${parsed.blob}`
      if (ctx.state.keys.where('material', material).length > 0) throw keyInUse()
      const actor = ctx.actor
      const key: DeployKey = {
        id: ctx.state.nextId(),
        repoId: repo.id,
        title: body.title ?? body.key.trim().split(/\s+/).slice(2).join(' '),
        key: material,
        readOnly: body.read_only ?? false,
        createdAt: ctx.now,
        addedBy: actor?.kind === 'user' ? actor.user.login : 'github-app',
        ...(actor?.kind === 'user' ? { tokenId: actor.token.id } : {}),
      }
      ctx.state.keys.set(key)
      return created(deployKey(ctx.state, ctx.urls, key), {
        location: `${ctx.urls.api}/repos/${ctx.params.owner}/${repo.name}/keys/${key.id}`,
      })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/keys/{key_id}',
    operationId: 'repos/get-deploy-key',
    scopes: ['repo'],
    handle: (ctx) => ok(deployKey(ctx.state, ctx.urls, keyOf(ctx, findRepo(ctx, 'admin', ['administration', 'read'])))),
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/keys/{key_id}',
    operationId: 'repos/delete-deploy-key',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'admin', ['administration', 'write'])
      const key = keyOf(ctx, repo)
      assertWritable(repo)
      ctx.state.keys.delete(key.id)
      return noContent()
    },
  },
]
