// Dependencies wake their dependents as events, not polls (polls are set to ten minutes here, so
// only an event can make these tests pass), and bad input ends in a clear condition, not a crash.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
const TEN_MINUTES = 600_000
beforeAll(async () => {
  s = await startStack({
    tenants: [T],
    intervals: { driftMs: TEN_MINUTES, waitingRetryMs: TEN_MINUTES, blockedRetryMs: TEN_MINUTES },
  })
}, 60_000)
afterAll(() => s?.stop())

const client = () => s.tenant(T)
const reasonOf = async (kind: Parameters<Stack['condition']>[1], name: string) =>
  (await s.condition(T, kind, name, 'Ready'))?.reason

test('a Repository created before its Connection waits, then goes Ready as soon as the Connection does', async () => {
  await client().create(
    resourceTypes.Repository,
    codeObject('Repository', 'early', { connectionRef: 'later', name: 'early' }),
  )
  await s.waitFor(async () => (await reasonOf('Repository', 'early')) === 'DependencyNotReady', 'waiting')
  expect((await s.condition(T, 'Repository', 'early', 'DependencyNotReady'))?.message).toContain('Connection "later"')

  await s.connect(T, 'later')
  const connectionReady = await s.waitFor(async () => {
    const c = await s.condition(T, 'Connection', 'later', 'Ready')
    return c?.status === 'True' && Date.now()
  }, 'Connection Ready')
  await s.waitFor(() => s.ready(T, 'Repository', 'early'), 'Repository Ready after its Connection')
  console.log(`  Repository Ready ${Date.now() - connectionReady} ms after its Connection (measured, not asserted)`)
  expect(s.sandbox.control.getRepository(ORG, 'early')).toBeDefined()
}, 30_000)

test('a Connection whose Secret is missing waits for it, and validates when it appears', async () => {
  await client().create(
    resourceTypes.Connection,
    codeObject('Connection', 'nosecret', {
      provider: 'github',
      type: 'pat',
      owner: ORG,
      secretRef: { name: 'nosecret-token' },
      baseURL: s.sandbox.url,
    }),
  )
  await s.waitFor(
    async () => (await s.condition(T, 'Connection', 'nosecret', 'Validated'))?.reason === 'CredentialUnavailable',
    'no secret',
  )
  await client().create(resourceTypes.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'nosecret-token', namespace: 'default' },
    stringData: { token: s.token },
  } as unknown as KubeObject)
  await s.waitFor(() => s.ready(T, 'Connection', 'nosecret'), 'validated once the Secret exists')
}, 30_000)

test('a token replaced by a bad one is noticed at once: Validated and Ready turn False', async () => {
  await s.waitFor(() => s.ready(T, 'Connection', 'later'), 'ready first')
  const secret = await client().get(resourceTypes.Secret, 'later-token', 'default')
  await client().update(resourceTypes.Secret, {
    ...secret!,
    data: { token: Buffer.from('ghp_revokedrevokedrevokedrevoked00000').toString('base64') },
  } as KubeObject)
  await s.waitFor(async () => (await reasonOf('Connection', 'later')) === 'Unauthorized', 'Unauthorized')
  expect(await s.condition(T, 'Connection', 'later', 'Validated')).toMatchObject({
    status: 'False',
    reason: 'Unauthorized',
  })
  const restored = await client().get(resourceTypes.Secret, 'later-token', 'default')
  await client().update(resourceTypes.Secret, {
    ...restored!,
    data: { token: Buffer.from(s.token).toString('base64') },
  } as KubeObject)
  await s.waitFor(() => s.ready(T, 'Connection', 'later'), 'valid again')
}, 30_000)

test.each([
  [
    'an unknown connection',
    'Repository',
    codeObject('Repository', 'orphan', { connectionRef: 'nope', name: 'orphan' }),
    'DependencyNotReady',
    'Connection "nope" does not exist',
  ],
  [
    'an existing repository without adopt',
    'Repository',
    codeObject('Repository', 'taken', { connectionRef: 'later', name: 'taken' }),
    'AlreadyExists',
    'spec.adopt',
  ],
  [
    'a user that does not exist',
    'Collaborator',
    codeObject('Collaborator', 'ghost', { repositoryRef: 'early', username: 'no-such-user-xyz' }),
    'InvalidSpec',
    'no-such-user-xyz',
  ],
  [
    'a key that is not a valid key',
    'DeployKey',
    codeObject('DeployKey', 'bogus', { repositoryRef: 'early', publicKey: 'ssh-ed25519 AAAAnotreallyakey' }),
    'InvalidSpec',
    '',
  ],
] as const)(
  '%s gives a clear condition',
  async (_what, kind, obj, reason, hint) => {
    if (obj.metadata.name === 'taken') s.sandbox.control.createRepository({ owner: ORG, name: 'taken' })
    await client().create(resourceTypes[kind], obj)
    await s.waitFor(
      async () => (await reasonOf(kind, obj.metadata.name)) === reason,
      `${kind}/${obj.metadata.name} ${reason}`,
    )
    const ready = await s.condition(T, kind, obj.metadata.name, 'Ready')
    expect(ready?.status).toBe('False')
    expect(ready?.message).toContain(hint)
  },
  30_000,
)

test('a key installed on another repository is reported as KeyInUse', async () => {
  await client().create(
    resourceTypes.Repository,
    codeObject('Repository', 'other', { connectionRef: 'later', name: 'other' }),
  )
  await client().create(resourceTypes.DeployKey, codeObject('DeployKey', 'first', { repositoryRef: 'early' }))
  await s.waitFor(() => s.ready(T, 'DeployKey', 'first'), 'first key')
  const publicKey = ((await s.get(T, 'DeployKey', 'first'))!.status as { publicKey: string }).publicKey
  await client().create(
    resourceTypes.DeployKey,
    codeObject('DeployKey', 'second', { repositoryRef: 'other', publicKey }),
  )
  await s.waitFor(async () => (await reasonOf('DeployKey', 'second')) === 'KeyInUse', 'KeyInUse')
}, 30_000)

test('after all that, the runtime still reconciles new work', async () => {
  await client().create(
    resourceTypes.Repository,
    codeObject('Repository', 'still-alive', { connectionRef: 'later', name: 'still-alive' }),
  )
  await s.waitFor(() => s.ready(T, 'Repository', 'still-alive'), 'still working')
  expect(s.runtime.systemState()).toBe('running')
}, 30_000)
