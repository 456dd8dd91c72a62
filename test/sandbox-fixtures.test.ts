// Recordings of real GitHub traffic (@octokit/fixtures) replayed against the sandbox, seeded with
// each scenario's preconditions: the same status codes, redirects and response shapes.
import { afterEach, expect, test } from 'bun:test'
import { type Sandbox, startSandbox } from '../src/sandbox/server.ts'
import { rawRecording, replay, replaySteps } from './support/fixture-replay.ts'

const ORG = 'octokit-fixture-org'
const USER_A = 'octokit-fixture-user-a'
const USER_B = 'octokit-fixture-user-b'

/**
 * Fields GitHub added to these objects after the recordings were made (2022), which the current
 * OpenAPI description requires or documents; the sandbox answers like today's GitHub.
 */
const NEWER_FIELDS = [
  'has_discussions',
  'user_view_type',
  'expired',
  'role_name',
  'status',
  'squash_merge_commit_title',
  'squash_merge_commit_message',
  'merge_commit_title',
  'merge_commit_message',
]

let sandbox: Sandbox | undefined

afterEach(async () => {
  await sandbox?.stop()
  sandbox = undefined
})

async function seeded(repo: string, setup?: (s: Sandbox) => void) {
  sandbox = await startSandbox({
    seed: {
      users: [{ login: USER_A }, { login: USER_B }],
      orgs: [{ login: ORG, members: [{ login: USER_A, role: 'admin' }] }],
      repos: [{ owner: ORG, name: repo }],
    },
  })
  setup?.(sandbox)
  const tokens: Record<string, string> = {
    'token 0000000000000000000000000000000000000001': sandbox.control.issueToken({ user: USER_A }),
    'token 0000000000000000000000000000000000000002': sandbox.control.issueToken({ user: USER_B }),
  }
  return { target: sandbox.url, tokenFor: (auth: string) => tokens[auth]! }
}

function expectOnlyNewerFields(extraKeys: string[]) {
  const unexplained = extraKeys.filter((k) => !NEWER_FIELDS.some((f) => k.endsWith(`.${f}`)))
  expect(unexplained).toEqual([])
}

test('add-and-remove-repository-collaborator', async () => {
  const report = await replay(
    'add-and-remove-repository-collaborator',
    await seeded('add-and-remove-repository-collaborator'),
  )
  expect(report.mismatches).toEqual([])
  expectOnlyNewerFields(report.extraKeys)
})

test('get-repository', async () => {
  const options = await seeded('hello-world', (s) =>
    s.control.changeRepository(ORG, 'hello-world', { topics: ['fixtures', 'hello', 'hello-world'] }),
  )
  const report = await replay('get-repository', options)
  expect(report.mismatches).toEqual([])
  expectOnlyNewerFields(report.extraKeys)
})

test('rename-repository (PATCH, 301 for GET on the old name, 307 for PATCH, /repositories/{id})', async () => {
  const report = await replay('rename-repository', await seeded('rename-repository'))
  expect(report.mismatches).toEqual([])
  expectOnlyNewerFields(report.extraKeys)
})

test('create in an org and delete, from the raw recording of the rename scenario', async () => {
  const raw = rawRecording('rename-repository')
  const create = raw.find((r) => r.method === 'post' && r.path === `/orgs/${ORG}/repos`)!
  const remove = raw.find((r) => r.method === 'delete')!
  const report = await replaySteps([create, remove], await seeded('unrelated'))
  expect(report.mismatches).toEqual([])
  expectOnlyNewerFields(report.extraKeys)
})

test('the replay driver catches differences (it can fail)', async () => {
  // Without the repository the first recorded request is answered 404 instead of 200.
  sandbox = await startSandbox({ seed: { users: [{ login: USER_A }], orgs: [{ login: ORG }] } })
  const token = sandbox.control.issueToken({ user: USER_A })
  const report = await replay('get-repository', { target: sandbox.url, tokenFor: () => token })
  expect(report.mismatches).toContain('1 GET /repos/octokit-fixture-org/hello-world: status 404, recorded 200')
})
