// Every reconciled kind, end to end over HTTP: the embedded API server, the runtime, the GitHub
// backend and the sandbox. Objects are written as a tenant would (their own token).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const tenants = ['root:acme', 'root:globex']
beforeAll(async () => {
  s = await startStack({ tenants })
  for (const t of tenants) await s.connect(t, 'github')
}, 60_000)
afterAll(() => s?.stop())

const create = (tenant: string, kind: keyof typeof resourceTypes, obj: KubeObject) =>
  s.tenant(tenant).create(resourceTypes[kind], obj)

describe('all four kinds in several workspaces', () => {
  test('connections validate with login, scopes and token kind', async () => {
    for (const t of tenants) {
      await s.waitFor(() => s.ready(t, 'Connection', 'github'), `${t} Connection Ready`)
      const c = await s.get(t, 'Connection', 'github')
      expect(c?.status).toMatchObject({
        login: 'developer',
        tokenKind: 'classic-pat',
        ownerKind: 'Organization',
        disabledFeatures: [],
      })
      expect(await s.condition(t, 'Connection', 'github', 'Validated')).toMatchObject({
        status: 'True',
        reason: 'Authenticated',
      })
    }
  })

  test('repositories, generated and given deploy keys, and collaborators reach Ready', async () => {
    for (const [i, t] of tenants.entries()) {
      const repo = `app-${i}`
      await create(
        t,
        'Repository',
        codeObject('Repository', 'app', { connectionRef: 'github', name: repo, topics: ['demo'] }),
      )
      await create(t, 'DeployKey', codeObject('DeployKey', 'ci', { repositoryRef: 'app', readOnly: true }))
      await create(
        t,
        'Collaborator',
        codeObject('Collaborator', 'octocat', { repositoryRef: 'app', username: 'octocat', permission: 'push' }),
      )
    }
    s.sandbox.control.createUser({ login: 'octocat' })
    for (const [i, t] of tenants.entries()) {
      for (const [kind, name] of [
        ['Repository', 'app'],
        ['DeployKey', 'ci'],
        ['Collaborator', 'octocat'],
      ] as const) {
        await s.waitFor(() => s.ready(t, kind, name), `${t} ${kind}/${name} Ready`)
        expect(await s.condition(t, kind, name, 'Synced')).toMatchObject({ status: 'True' })
      }
      const onHost = s.sandbox.control.getRepository(ORG, `app-${i}`)!
      expect(onHost.topics).toEqual(['demo'])
      expect(onHost.deployKeys).toHaveLength(1)
      expect(onHost.deployKeys[0]!.readOnly).toBe(true)
      const key = await s.get(t, 'DeployKey', 'ci')
      const secretRef = (key!.status as { secretRef: { name: string; namespace: string } }).secretRef
      const secret = (await s
        .tenant(t)
        .get(resourceTypes.Secret, secretRef.name, secretRef.namespace)) as KubeObject & {
        type: string
        data: Record<string, string>
      }
      expect(secret.type).toBe('kubernetes.io/ssh-auth')
      expect(Buffer.from(secret.data['ssh-privatekey']!, 'base64').toString()).toStartWith(
        '-----BEGIN OPENSSH PRIVATE KEY-----',
      )
      expect(secret.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DeployKey', name: 'ci', controller: true })
      expect(await s.condition(t, 'Collaborator', 'octocat', 'InvitationPending')).toMatchObject({
        status: 'True',
        reason: 'Invited',
      })
    }
  }, 30_000)

  test('a given public key is installed as it is', async () => {
    const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH3Xo8n3t1qfI4d3yPbQ0gEo2o2wVdQvI9x6c1y1y1y1 given@test'
    await create(
      'root:acme',
      'DeployKey',
      codeObject('DeployKey', 'given', { repositoryRef: 'app', publicKey, title: 'Given' }),
    )
    await s.waitFor(() => s.ready('root:acme', 'DeployKey', 'given'), 'given key Ready')
    const keys = s.sandbox.control.getRepository(ORG, 'app-0')!.deployKeys
    expect(keys.find((k) => k.title === 'Given')?.key).toStartWith(publicKey.split(' ').slice(0, 2).join(' '))
    const obj = await s.get('root:acme', 'DeployKey', 'given')
    expect((obj!.status as { secretRef?: unknown }).secretRef).toBeUndefined()
  }, 20_000)

  test('accepting an invitation flips the collaborator to Active without touching the object', async () => {
    const before = await s.get('root:acme', 'Collaborator', 'octocat')
    const invitation = s.sandbox.control.invitations({ repository: `${ORG}/app-0`, invitee: 'octocat' })[0]!
    s.sandbox.control.acceptInvitation(invitation.id)
    await s.waitFor(
      async () => (await s.condition('root:acme', 'Collaborator', 'octocat', 'InvitationPending'))?.status === 'False',
      'Active',
    )
    const after = await s.get('root:acme', 'Collaborator', 'octocat')
    expect(after?.metadata.generation).toBe(before?.metadata.generation)
    expect(after?.status).toMatchObject({ state: 'Active' })
    expect(s.sandbox.control.getRepository(ORG, 'app-0')!.collaborators.octocat).toBeDefined()
  }, 20_000)

  test('what happened is told as Kubernetes Events on the object', async () => {
    await s.waitFor(async () => (await s.eventReasons('root:acme', 'app')).includes('Created'), 'Created event')
    await s.waitFor(async () => (await s.eventReasons('root:acme', 'ci')).includes('Installed'), 'Installed event')
  })
})

describe('deletion policies', () => {
  const deleted = async (t: string, kind: 'Repository', name: string) => !(await s.get(t, kind, name))

  test.each([
    ['Delete', (r: ReturnType<typeof s.sandbox.control.getRepository>) => r === undefined],
    ['Orphan', (r: ReturnType<typeof s.sandbox.control.getRepository>) => r !== undefined && !r.archived],
    ['Archive', (r: ReturnType<typeof s.sandbox.control.getRepository>) => r !== undefined && r.archived],
  ])(
    '%s',
    async (policy, expected) => {
      const name = `policy-${policy.toLowerCase()}`
      await create(
        'root:globex',
        'Repository',
        codeObject('Repository', name, { connectionRef: 'github', name, deletionPolicy: policy }),
      )
      await s.waitFor(() => s.ready('root:globex', 'Repository', name), `${name} Ready`)
      await s.tenant('root:globex').delete(resourceTypes.Repository, name)
      await s.waitFor(() => deleted('root:globex', 'Repository', name), `${name} gone`)
      expect(expected(s.sandbox.control.getRepository(ORG, name))).toBe(true)
    },
    20_000,
  )

  test('an adopted repository is left in place by default', async () => {
    s.sandbox.control.createRepository({ owner: ORG, name: 'legacy', description: 'made by hand' })
    await create(
      'root:globex',
      'Repository',
      codeObject('Repository', 'legacy', { connectionRef: 'github', name: 'legacy', adopt: true }),
    )
    await s.waitFor(() => s.ready('root:globex', 'Repository', 'legacy'), 'legacy Ready')
    expect((await s.get('root:globex', 'Repository', 'legacy'))?.status).toMatchObject({ ownership: 'Adopted' })
    await s.tenant('root:globex').delete(resourceTypes.Repository, 'legacy')
    await s.waitFor(() => deleted('root:globex', 'Repository', 'legacy'), 'legacy gone')
    expect(s.sandbox.control.getRepository(ORG, 'legacy')?.description).toBe('made by hand')
  }, 20_000)

  test('deleting a key and a collaborator removes them from the host', async () => {
    await s.tenant('root:globex').delete(resourceTypes.DeployKey, 'ci')
    await s.tenant('root:globex').delete(resourceTypes.Collaborator, 'octocat')
    await s.waitFor(
      async () =>
        !(await s.get('root:globex', 'DeployKey', 'ci')) && !(await s.get('root:globex', 'Collaborator', 'octocat')),
      'gone',
    )
    const repo = s.sandbox.control.getRepository(ORG, 'app-1')!
    expect(repo.deployKeys).toHaveLength(0)
    expect(s.sandbox.control.invitations({ repository: `${ORG}/app-1` })).toHaveLength(0)
  }, 20_000)
})
