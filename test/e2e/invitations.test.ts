// Invitations are followed to acceptance or expiry: an expired invitation is sent again, a bounded
// number of times, and then the Collaborator says so instead of inviting forever.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
beforeAll(async () => {
  s = await startStack({ tenants: [T], settings: { maxReinvitations: 2 } })
  await s.connect(T, 'github')
  s.sandbox.control.createUser({ login: 'mona' })
  await s
    .tenant(T)
    .create(resourceTypes.Repository, codeObject('Repository', 'docs', { connectionRef: 'github', name: 'docs' }))
  await s
    .tenant(T)
    .create(
      resourceTypes.Collaborator,
      codeObject('Collaborator', 'mona', { repositoryRef: 'docs', username: 'mona', permission: 'triage' }),
    )
  await s.waitFor(
    async () => ((await s.get(T, 'Collaborator', 'mona'))?.status as { state?: string })?.state === 'Invited',
    'invited',
  )
}, 60_000)
afterAll(() => s?.stop())

const pending = () =>
  s.sandbox.control.invitations({ repository: `${ORG}/docs`, invitee: 'mona' }).filter((i) => !i.expired)
const status = async () =>
  (await s.get(T, 'Collaborator', 'mona'))?.status as { state: string; reinvitations: number; invitationID: string }

test('an expired invitation is sent again (the test polls invitations every second)', async () => {
  const first = pending()[0]!
  expect(first.permissions).toBe('triage')
  s.sandbox.control.expireInvitation(first.id)
  await s.waitFor(async () => (await status()).reinvitations === 1 && pending().length === 1, 're-invited once')
  expect(pending()[0]!.id).not.toBe(first.id)
  expect((await status()).state).toBe('Invited')
  await s.waitFor(async () => (await s.eventReasons(T, 'mona')).includes('Reinvited'), 'a Reinvited event')
}, 30_000)

test('after the bound, the Collaborator stops inviting and says why', async () => {
  s.sandbox.control.expireInvitation(pending()[0]!.id)
  await s.waitFor(async () => (await status()).reinvitations === 2 && pending().length === 1, 're-invited twice')
  s.sandbox.control.expireInvitation(pending()[0]!.id)
  await s.waitFor(async () => (await s.condition(T, 'Collaborator', 'mona', 'Synced'))?.status === 'False', 'gave up')
  expect((await s.condition(T, 'Collaborator', 'mona', 'Synced'))?.message).toContain('did not accept')
  expect(await s.condition(T, 'Collaborator', 'mona', 'Ready')).toMatchObject({
    status: 'False',
    reason: 'InvitationExpired',
  })
  expect(pending()).toHaveLength(0)
}, 30_000)

test('accepting a later invitation still turns the Collaborator Active', async () => {
  // A person sends a fresh invitation by hand (e.g. after talking to mona); she accepts it.
  await s.tenant(T).delete(resourceTypes.Collaborator, 'mona')
  await s.waitFor(async () => !(await s.get(T, 'Collaborator', 'mona')), 'removed')
  await s
    .tenant(T)
    .create(resourceTypes.Collaborator, codeObject('Collaborator', 'mona', { repositoryRef: 'docs', username: 'mona' }))
  await s.waitFor(() => pending().length === 1, 'invited again')
  s.sandbox.control.acceptInvitation(pending()[0]!.id)
  await s.waitFor(async () => (await status())?.state === 'Active', 'Active')
}, 30_000)
