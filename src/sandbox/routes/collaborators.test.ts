import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let admin: string
let member: string
let guest: string

const DAY = 24 * 3600_000

beforeAll(async () => {
  sb = await startTestSandbox()
  admin = sb.login('ada')
  member = sb.login('max')
  guest = sb.login('gus')
  sb.control.createOrg({ login: 'team', members: [{ login: 'ada', role: 'admin' }, { login: 'max' }] })
  sb.control.createRepository({ owner: 'team', name: 'app', private: true })
  sb.control.createRepository({ owner: 'ada', name: 'personal', private: true })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

describe('invitation lifecycle', () => {
  test('PUT invites (201), the invitee accepts, then they are a collaborator', async () => {
    const put = await sb.call('PUT', '/repos/team/app/collaborators/gus', {
      token: admin,
      body: { permission: 'triage' },
    })
    expect(put.status).toBe(201)
    expect(put.body).toMatchObject({
      permissions: 'triage',
      expired: false,
      invitee: { login: 'gus' },
      inviter: { login: 'ada' },
    })
    expect(put.headers.get('location')).toBe(`${sb.url}/user/repository_invitations/${put.body.id}`)
    expect((await sb.call('GET', '/repos/team/app/collaborators/gus', { token: admin })).status).toBe(404)

    const mine = await sb.call('GET', '/user/repository_invitations', { token: guest })
    expect(mine.body.map((i: { id: number }) => i.id)).toEqual([put.body.id])
    // Only the invitee can accept.
    expect((await sb.call('PATCH', `/user/repository_invitations/${put.body.id}`, { token: member })).status).toBe(404)
    expect((await sb.call('PATCH', `/user/repository_invitations/${put.body.id}`, { token: guest })).status).toBe(204)

    expect((await sb.call('GET', '/repos/team/app/collaborators/gus', { token: admin })).status).toBe(204)
    const perm = await sb.call('GET', '/repos/team/app/collaborators/gus/permission', { token: admin })
    expect(perm.body).toMatchObject({ permission: 'read', role_name: 'triage' })
    expect((await sb.call('GET', '/repos/team/app/invitations', { token: admin })).body).toEqual([])
  })

  test('204 for someone with access already, and for org members (no invitation)', async () => {
    const again = await sb.call('PUT', '/repos/team/app/collaborators/gus', {
      token: admin,
      body: { permission: 'push' },
    })
    expect(again.status).toBe(204)
    const perm = await sb.call('GET', '/repos/team/app/collaborators/gus/permission', { token: admin })
    expect(perm.body).toMatchObject({ permission: 'write', role_name: 'write' })
    const orgMember = await sb.call('PUT', '/repos/team/app/collaborators/max', {
      token: admin,
      body: { permission: 'maintain' },
    })
    expect(orgMember.status).toBe(204)
    expect((await sb.call('GET', '/repos/team/app/invitations', { token: admin })).body).toEqual([])
  })

  test('the list includes org admins, members and outside collaborators; affiliation filters it', async () => {
    const all = await sb.call('GET', '/repos/team/app/collaborators', { token: admin })
    const byLogin = Object.fromEntries(
      all.body.map((c: { login: string; role_name: string }) => [c.login, c.role_name]),
    )
    expect(byLogin).toEqual({ ada: 'admin', max: 'maintain', gus: 'write' })
    const outside = await sb.call('GET', '/repos/team/app/collaborators?affiliation=outside', { token: admin })
    expect(outside.body.map((c: { login: string }) => c.login)).toEqual(['gus'])
    const page = await sb.call('GET', '/repos/team/app/collaborators?per_page=1', { token: admin })
    expect(page.body).toHaveLength(1)
    expect(page.headers.get('link')).toContain('rel="next"')
  })

  test('DELETE removes access; it does not cancel a pending invitation', async () => {
    expect((await sb.call('DELETE', '/repos/team/app/collaborators/gus', { token: admin })).status).toBe(204)
    expect((await sb.call('GET', '/repos/team/app/collaborators/gus', { token: admin })).status).toBe(404)
    const fresh = sb.login('fay')
    const inv = await sb.call('PUT', '/repos/team/app/collaborators/fay', { token: admin })
    expect((await sb.call('DELETE', '/repos/team/app/collaborators/fay', { token: admin })).status).toBe(204)
    const pending = await sb.call('GET', '/repos/team/app/invitations', { token: admin })
    expect(pending.body.map((i: { id: number }) => i.id)).toEqual([inv.body.id])
    expect((await sb.call('DELETE', `/repos/team/app/invitations/${inv.body.id}`, { token: admin })).status).toBe(204)
    expect((await sb.call('GET', '/user/repository_invitations', { token: fresh })).body).toEqual([])
  })

  test('admins change a pending invitation; the invitee can decline', async () => {
    sb.login('dan')
    const inv = await sb.call('PUT', '/repos/team/app/collaborators/dan', {
      token: admin,
      body: { permission: 'pull' },
    })
    expect(inv.body.permissions).toBe('read')
    const patched = await sb.call('PATCH', `/repos/team/app/invitations/${inv.body.id}`, {
      token: admin,
      body: { permissions: 'admin' },
    })
    expect(patched.body.permissions).toBe('admin')
    const bad = await sb.call('PATCH', `/repos/team/app/invitations/${inv.body.id}`, {
      token: admin,
      body: { permissions: 'owner' },
    })
    expect(bad.status).toBe(422)
    const dan = sb.control.issueToken({ user: 'dan', scopes: ['repo:invite'] })
    expect((await sb.call('DELETE', `/user/repository_invitations/${inv.body.id}`, { token: dan })).status).toBe(204)
    expect(sb.control.invitations({ invitee: 'dan' })).toEqual([])
  })
})

describe('expiry', () => {
  test('invitations expire after 7 days: listed as expired for admins, gone for the invitee', async () => {
    sb.login('eli')
    const eli = sb.control.issueToken({ user: 'eli' })
    const inv = await sb.call('PUT', '/repos/team/app/collaborators/eli', { token: admin })
    sb.control.advanceTime(7 * DAY - 1000)
    expect((await sb.call('GET', '/repos/team/app/invitations', { token: admin })).body[0].expired).toBe(false)
    sb.control.advanceTime(1000)
    const listed = await sb.call('GET', '/repos/team/app/invitations', { token: admin })
    expect(listed.body).toEqual([expect.objectContaining({ id: inv.body.id, expired: true })])
    expect((await sb.call('GET', '/user/repository_invitations', { token: eli })).body).toEqual([])
    expect((await sb.call('PATCH', `/user/repository_invitations/${inv.body.id}`, { token: eli })).status).toBe(404)
    // Inviting again replaces the expired invitation.
    const again = await sb.call('PUT', '/repos/team/app/collaborators/eli', { token: admin })
    expect(again.status).toBe(201)
    expect(again.body.id).not.toBe(inv.body.id)
    expect(again.body.expired).toBe(false)
  })

  test('expireInvitation backdates one invitation', async () => {
    const [inv] = sb.control.invitations({ invitee: 'eli' })
    sb.control.expireInvitation(inv!.id)
    expect(sb.control.invitations({ invitee: 'eli' })[0]!.expired).toBe(true)
  })
})

describe('rules', () => {
  test('unknown users are 404; the owner cannot be a collaborator (422); bad permission 422', async () => {
    expect((await sb.call('PUT', '/repos/team/app/collaborators/nobody', { token: admin })).status).toBe(404)
    expect((await sb.call('PUT', '/repos/ada/personal/collaborators/ada', { token: admin })).status).toBe(422)
    const bad = await sb.call('PUT', '/repos/team/app/collaborators/gus', {
      token: admin,
      body: { permission: 'owner' },
    })
    expect(bad.status).toBe(422)
  })

  test('personal repositories ignore the permission and grant write', async () => {
    const r = await sb.call('PUT', '/repos/ada/personal/collaborators/gus', {
      token: admin,
      body: { permission: 'admin' },
    })
    expect(r.body.permissions).toBe('write')
  })

  test('only admins invite', async () => {
    expect((await sb.call('PUT', '/repos/team/app/collaborators/dan', { token: member })).status).toBe(403)
  })

  test('at most 50 invitations per repository per 24 hours', async () => {
    sb.control.createRepository({ owner: 'team', name: 'popular' })
    for (let i = 0; i < 50; i++) {
      sb.control.createUser({ login: `u${i}` })
      expect((await sb.call('PUT', `/repos/team/popular/collaborators/u${i}`, { token: admin })).status).toBe(201)
    }
    sb.control.createUser({ login: 'u50' })
    const over = await sb.call('PUT', '/repos/team/popular/collaborators/u50', { token: admin })
    expect(over.status).toBe(422)
    sb.control.advanceTime(DAY)
    expect((await sb.call('PUT', '/repos/team/popular/collaborators/u50', { token: admin })).status).toBe(201)
  })

  test('the invitee side needs a user token with repo or repo:invite', async () => {
    const gist = sb.control.issueToken({ user: 'gus', scopes: ['gist'] })
    const r = await sb.call('GET', '/user/repository_invitations', { token: gist })
    expect(r.status).toBe(403)
    expect(r.headers.get('x-accepted-oauth-scopes')).toBe('public_repo, repo, repo:invite')
  })

  test('the control API accepts for the invitee', async () => {
    sb.control.createUser({ login: 'cal' })
    const inv = await sb.call('PUT', '/repos/team/app/collaborators/cal', {
      token: admin,
      body: { permission: 'push' },
    })
    sb.control.acceptInvitation(inv.body.id)
    expect(sb.control.getRepository('team', 'app')!.collaborators.cal).toBe('push')
  })
})
