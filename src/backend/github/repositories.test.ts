// Repositories against the GitHub sandbox over HTTP: changes behind our back, templates, scopes.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, OTHER, startBackendSandbox, USER } from '../../../test/support/backend-sandbox.ts'
import type { ResponseInfo } from '../backend.ts'

let env: BackendSandbox
beforeAll(async () => {
  env = await startBackendSandbox()
})
afterAll(() => env.stop())

describe('repositories on the sandbox', () => {
  test('observe by id follows a rename behind our back; the diff asks for the name back', async () => {
    const session = env.session()
    const { observed } = await session.repositories.create(ORG, 'Organization', { name: 'renamed-away' })
    env.sandbox.control.changeRepository(ORG, 'renamed-away', { name: 'someone-else-named-it' })
    const seen = await session.repositories.observe(
      { owner: ORG, name: 'renamed-away' },
      { name: 'renamed-away' },
      {
        id: observed.id,
      },
    )
    expect(seen).toMatchObject({ exists: true, upToDate: false, diff: ['name'] })
    const back = await session.repositories.update(
      { owner: ORG, name: 'someone-else-named-it' },
      { name: 'renamed-away' },
    )
    expect(back.name).toBe('renamed-away')
  })

  test('deleted behind our back: observe says so', async () => {
    const session = env.session()
    const { observed } = await session.repositories.create(ORG, 'Organization', { name: 'vanishes' })
    env.sandbox.control.deleteRepository(ORG, 'vanishes')
    expect(
      await session.repositories.observe({ owner: ORG, name: 'vanishes' }, { name: 'vanishes' }, { id: observed.id }),
    ).toEqual({
      exists: false,
    })
    expect(await session.repositories.observe({ owner: ORG, name: 'vanishes' }, { name: 'vanishes' })).toEqual({
      exists: false,
    })
  })

  test('settings changed in the UI are seen and put back, archived or not', async () => {
    const session = env.session()
    const desired = {
      name: 'drifts',
      description: 'ours',
      visibility: 'private' as const,
      topics: ['a', 'b'],
      hasIssues: true,
    }
    await session.repositories.create(ORG, 'Organization', desired)
    env.sandbox.control.changeRepository(ORG, 'drifts', {
      description: 'theirs',
      visibility: 'public',
      topics: ['c'],
      has_issues: false,
      archived: true,
    })
    const seen = await session.repositories.observe({ owner: ORG, name: 'drifts' }, desired)
    expect(seen).toMatchObject({ exists: true, diff: ['description', 'visibility', 'topics', 'hasIssues'] })
    const fixed = await session.repositories.update({ owner: ORG, name: 'drifts' }, desired)
    expect(fixed).toMatchObject({ description: 'ours', visibility: 'private', hasIssues: true, archived: true })
    expect(fixed.topics.sort()).toEqual(['a', 'b'])
    const info = env.sandbox.control.getRepository(ORG, 'drifts')!
    expect(info).toMatchObject({ description: 'ours', visibility: 'private', archived: true })
    expect(info.topics.sort()).toEqual(['a', 'b'])
  })

  test('a name that exists is returned as alreadyExisted and left untouched', async () => {
    env.sandbox.control.createRepository({ owner: ORG, name: 'pre-existing', description: 'not ours' })
    const writes: ResponseInfo[] = []
    const session = env.session({ onResponse: (r) => r.method !== 'GET' && writes.push(r) })
    const got = await session.repositories.create(ORG, 'Organization', { name: 'pre-existing', topics: ['x'] })
    expect(got.alreadyExisted).toBe(true)
    expect(got.observed.description).toBe('not ours')
    expect(writes.map((w) => `${w.route} ${w.status}`)).toEqual(['POST /orgs/{org}/repos 422'])
    expect(env.sandbox.control.getRepository(ORG, 'pre-existing')!.topics).toEqual([])
  })

  test('from a template; internal needs an enterprise; the new default branch must exist', async () => {
    env.sandbox.control.createRepository({ owner: ORG, name: 'tpl', autoInit: true, isTemplate: true })
    const session = env.session()
    const template = { owner: ORG, name: 'tpl' }
    const internal = await session.repositories
      .create(ORG, 'Organization', { name: 'internal', visibility: 'internal', template })
      .catch((e) => e)
    expect(internal).toMatchObject({ code: 'invalid', status: 422 })
    expect(internal.message).toContain('enterprise organization')
    const { observed } = await session.repositories.create(ORG, 'Organization', { name: 'from-template', template })
    expect(observed).toMatchObject({ name: 'from-template', visibility: 'private' })
    expect(env.sandbox.control.getRepository(ORG, 'from-template')!.branches).toHaveProperty('main')
    const ref = { owner: ORG, name: 'from-template' }
    const err = await session.repositories
      .update(ref, { name: 'from-template', defaultBranch: 'trunk' })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'invalid', reason: 'branch-not-found' })
    env.sandbox.control.pushCommit(ORG, 'from-template', { branch: 'trunk', files: [{ path: 'x', content: 'y' }] })
    expect(
      (await session.repositories.update(ref, { name: 'from-template', defaultBranch: 'trunk' })).defaultBranch,
    ).toBe('trunk')
  })

  test('a user owner: POST /user/repos for the authenticated user, refused for anyone else', async () => {
    const session = env.session()
    const mine = await session.repositories.create(USER, 'User', { name: 'personal', visibility: 'public' })
    expect(mine.observed).toMatchObject({ owner: USER, visibility: 'public', ownerKind: 'User' })
    const err = await session.repositories.create(OTHER, 'User', { name: 'not-mine' }).catch((e) => e)
    expect(err).toMatchObject({ code: 'invalid', reason: 'owner-not-authenticated-user' })
    expect(err.message).toContain(`${OTHER} is a user account`)
    expect(env.sandbox.control.getRepository(USER, 'not-mine')).toBeUndefined()
  })

  test('delete without the delete_repo scope is missing-scope, and the repository stays', async () => {
    const weak = env.sandbox.control.issueToken({ user: USER, scopes: ['repo'] })
    env.sandbox.control.createRepository({ owner: ORG, name: 'keep-me' })
    const err = await env
      .sessionFor(weak)
      .repositories.delete({ owner: ORG, name: 'keep-me' })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'missing-scope', missingScope: 'delete_repo', status: 403 })
    expect(env.sandbox.control.getRepository(ORG, 'keep-me')).toBeDefined()
  })

  test('validate: login, scopes and kind of a classic token; a fine-grained token has no scopes to know', async () => {
    expect(await env.session().validate()).toMatchObject({ login: USER, tokenKind: 'classic-pat', scopesKnown: true })
    expect((await env.session().validate()).scopes).toContain('delete_repo')
    const fine = env.sandbox.control.issueToken({ user: USER, kind: 'fine-grained' })
    const session = env.sessionFor(fine)
    expect(await session.validate()).toEqual({
      login: USER,
      tokenKind: 'fine-grained-pat',
      scopes: [],
      scopesKnown: false,
    })
    expect(session.packages).toBeUndefined()
  })
})
