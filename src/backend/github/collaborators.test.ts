// Collaborators and invitations against the GitHub sandbox over HTTP.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, OTHER, startBackendSandbox, USER } from '../../../test/support/backend-sandbox.ts'
import { collaboratorPermission, invitationPermission, invitationPermissionFor } from './collaborators.ts'

let env: BackendSandbox
beforeAll(async () => {
  env = await startBackendSandbox({ gate: { writeSpacingMs: 0 } })
})
afterAll(() => env.stop())

const invitationOf = (repo: string) => env.sandbox.control.invitations({ repository: repo, invitee: OTHER })

describe('collaborators on the sandbox', () => {
  test('invited → accepted → active, seen by observe', async () => {
    env.sandbox.control.createRepository({ owner: ORG, name: 'team' })
    const repo = { owner: ORG, name: 'team' }
    const session = env.session()
    const invited = await session.collaborators.create(repo, OTHER, 'maintain')
    expect(invited).toMatchObject({ state: 'invited', permission: 'maintain' })
    expect(invited.invitationID).toBe(String(invitationOf('acme/team')[0]!.id))
    expect(await session.collaborators.observe(repo, OTHER, { permission: 'maintain' })).toMatchObject({
      exists: true,
      upToDate: true,
      observed: { state: 'invited' },
    })
    env.sandbox.control.acceptInvitation(Number(invited.invitationID))
    expect(await session.collaborators.observe(repo, OTHER, { permission: 'maintain' })).toEqual({
      exists: true,
      upToDate: true,
      diff: [],
      observed: { state: 'active', permission: 'maintain' },
    })
    const changed = await session.collaborators.update(repo, OTHER, 'pull', { state: 'active', permission: 'maintain' })
    expect(changed).toEqual({ state: 'active', permission: 'pull' })
    expect(env.sandbox.control.getRepository(ORG, 'team')!.collaborators[OTHER]).toBe('pull')
  })

  test('an expired invitation is seen as expired; update withdraws it and invites again', async () => {
    env.sandbox.control.createRepository({ owner: ORG, name: 'slow' })
    const repo = { owner: ORG, name: 'slow' }
    const session = env.session()
    const first = await session.collaborators.create(repo, OTHER, 'push')
    env.sandbox.control.expireInvitation(Number(first.invitationID))
    const seen = await session.collaborators.observe(repo, OTHER, { permission: 'push' })
    expect(seen).toMatchObject({ exists: true, upToDate: false, diff: ['state'], observed: { state: 'expired' } })
    if (!seen.exists) throw new Error('unreachable')
    const again = await session.collaborators.update(repo, OTHER, 'push', seen.observed)
    expect(again.state).toBe('invited')
    expect(again.invitationID).not.toBe(first.invitationID)
    expect(invitationOf('acme/slow').map((i) => i.expired)).toEqual([false])
  })

  test('personal repositories: one level of access, no permission sent, no diff on permission', async () => {
    env.sandbox.control.createRepository({ owner: USER, name: 'mine' })
    const repo = { owner: USER, name: 'mine' }
    const session = env.session()
    await session.collaborators.create(repo, OTHER, 'pull')
    const seen = await session.collaborators.observe(repo, OTHER, { permission: 'pull' })
    expect(seen).toMatchObject({ exists: true, upToDate: true, observed: { state: 'invited' } })
  })

  test('remove cancels the pending invitation (any case of the login)', async () => {
    env.sandbox.control.createRepository({ owner: ORG, name: 'cancel' })
    const repo = { owner: ORG, name: 'cancel' }
    const session = env.session()
    await session.collaborators.create(repo, OTHER, 'triage')
    await session.collaborators.delete(repo, OTHER.toUpperCase())
    expect(invitationOf('acme/cancel')).toEqual([])
    expect(await session.collaborators.observe(repo, OTHER, { permission: 'triage' })).toEqual({ exists: false })
  })

  test('an organization member is granted directly (204 → active)', async () => {
    env.sandbox.control.createUser({ login: 'member' })
    env.sandbox.control.setOrgMember(ORG, 'member', 'member')
    env.sandbox.control.createRepository({ owner: ORG, name: 'direct' })
    const got = await env.session().collaborators.create({ owner: ORG, name: 'direct' }, 'member', 'push')
    expect(got).toEqual({ state: 'active', permission: 'push' })
  })
})

describe('permission words', () => {
  test('invitations say read/write, the collaborators API says pull/push', () => {
    expect(invitationPermission('read')).toBe('pull')
    expect(invitationPermission('write')).toBe('push')
    expect(invitationPermission('maintain')).toBe('maintain')
    expect(invitationPermissionFor('push')).toBe('write')
    expect(collaboratorPermission({ login: 'a', role_name: 'write' })).toBe('push')
    expect(collaboratorPermission({ login: 'a', role_name: 'security-manager' })).toBe('security-manager')
    expect(collaboratorPermission({ login: 'a', permissions: { pull: true, triage: true, push: false } })).toBe(
      'triage',
    )
  })
})
