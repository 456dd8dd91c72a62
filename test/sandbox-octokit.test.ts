// The sandbox driven by @octokit/core with the retry and throttling plugins, the way the GitHub
// backend talks to GitHub: a baseURL pointing at the sandbox is all it takes.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { startTestSandbox, type TestSandbox } from './support/sandbox.ts'
import { ed25519PublicKey } from './support/ssh-keys.ts'

// The throttling plugin spaces writes a second apart (as GitHub asks); it only drives the
// rate-limit test here, to keep the suite fast.
const Client = Octokit.plugin(retry)
const Throttled = Octokit.plugin(retry, throttling)

let sb: TestSandbox
let token: string
let octokit: InstanceType<typeof Client>
const limits: string[] = []

beforeAll(async () => {
  sb = await startTestSandbox()
  token = sb.login('builder')
  sb.control.createUser({ login: 'friend' })
  sb.control.createOrg({ login: 'works', members: [{ login: 'builder', role: 'admin' }] })
  octokit = new Client({ baseUrl: sb.url, auth: token, retry: { retryAfterBaseValue: 1 } })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('validate, classify the owner, create, observe with ETags', async () => {
  const me = await octokit.request('GET /user')
  expect(me.data.login).toBe('builder')
  expect(me.headers['x-oauth-scopes']).toContain('repo')
  expect((await octokit.request('GET /users/{username}', { username: 'works' })).data.type).toBe('Organization')
  const created = await octokit.request('POST /orgs/{org}/repos', {
    org: 'works',
    name: 'site',
    private: true,
    auto_init: true,
  })
  expect(created.status).toBe(201)
  const first = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'works', repo: 'site' })
  const notModified = await octokit
    .request('GET /repos/{owner}/{repo}', {
      owner: 'works',
      repo: 'site',
      headers: { 'if-none-match': first.headers.etag },
    })
    .catch((e: { status: number }) => e)
  expect((notModified as { status: number }).status).toBe(304)
  expect(sb.control.requestCounts({ route: 'GET /repos/{owner}/{repo}' })).toMatchObject({
    total: 2,
    billed: 1,
    notModified: 1,
  })
})

test('deploy key and collaborator, accepted behind the scenes', async () => {
  const key = await octokit.request('POST /repos/{owner}/{repo}/keys', {
    owner: 'works',
    repo: 'site',
    title: 'ci',
    key: ed25519PublicKey(),
    read_only: true,
  })
  expect(key.status).toBe(201)
  const invite = await octokit.request('PUT /repos/{owner}/{repo}/collaborators/{username}', {
    owner: 'works',
    repo: 'site',
    username: 'friend',
    permission: 'push',
  })
  expect(invite.status).toBe(201)
  sb.control.acceptInvitation((invite.data as { id: number }).id)
  const check = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}', {
    owner: 'works',
    repo: 'site',
    username: 'friend',
  })
  expect(check.status).toBe(204)
})

test('commit files through the git data API and read them back from the tarball', async () => {
  const repo = { owner: 'works', repo: 'site' }
  const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...repo, ref: 'heads/main' })
  const parent = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
    ...repo,
    commit_sha: ref.data.object.sha,
  })
  const tree = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
    ...repo,
    base_tree: parent.data.tree.sha,
    tree: [{ path: 'index.html', mode: '100644', type: 'blob', content: '<h1>hi</h1>\n' }],
  })
  const commit = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
    ...repo,
    message: 'Add index\n\nKedge-RepositoryCommit: abc',
    tree: tree.data.sha,
    parents: [parent.data.sha],
  })
  await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
    ...repo,
    ref: 'heads/main',
    sha: commit.data.sha,
  })
  const history = await octokit.request('GET /repos/{owner}/{repo}/commits', { ...repo, per_page: 5 })
  expect(history.data[0]!.commit.message).toContain('Kedge-RepositoryCommit: abc')
  // Octokit follows the 302 to the download URL.
  const archive = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', { ...repo, ref: 'main' })
  expect(archive.status as number).toBe(200)
  expect((archive.data as ArrayBuffer).byteLength).toBeGreaterThan(100)
})

test('transient 502s are retried; rate limits reach the throttling callbacks', async () => {
  sb.control.injectFault({ route: '/user', status: 502, count: 2 })
  expect((await octokit.request('GET /user')).status).toBe(200)
  expect(sb.control.requestCounts({ route: 'GET /user', status: 502 }).total).toBe(2)
  const throttled = new Throttled({
    baseUrl: sb.url,
    auth: token,
    throttle: {
      retryAfterBaseValue: 1,
      onRateLimit: (after: number) => {
        limits.push(`primary:${after}`)
        return limits.length < 2
      },
      onSecondaryRateLimit: (after: number) => {
        limits.push(`secondary:${after}`)
        return false
      },
    },
  })
  sb.control.setRateLimit({ login: 'builder', remaining: 0, resetAt: sb.control.now() + 2000 })
  const blocked = await throttled.request('GET /user').catch((e: { status: number }) => e)
  // the clock does not move on its own: the retry meets the same exhausted budget
  expect((blocked as { status: number }).status).toBe(403)
  expect(limits[0]).toStartWith('primary:')
  sb.control.setRateLimit({ login: 'builder', remaining: 1000 })
})
