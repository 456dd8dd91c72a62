// Commits through the Git Data API, against the GitHub sandbox over HTTP.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox } from '../../../test/support/backend-sandbox.ts'
import type { ResponseInfo } from '../backend.ts'

let env: BackendSandbox
beforeAll(async () => {
  env = await startBackendSandbox({ gate: { writeSpacingMs: 0 } })
})
afterAll(() => env.stop())

let n = 0
function newRepo(autoInit = true) {
  const name = `c${++n}`
  env.sandbox.control.createRepository({ owner: ORG, name, autoInit })
  return { owner: ORG, name }
}
const branches = (name: string) => env.sandbox.control.getRepository(ORG, name)!.branches
const commitOf = async (name: string, sha: string) =>
  (await env.sandbox.call('GET', `/repos/${ORG}/${name}/git/commits/${sha}`, { token: env.token })).body
const contentOf = async (name: string, path: string, ref: string) => {
  const res = await env.sandbox.call('GET', `/repos/${ORG}/${name}/contents/${path}?ref=${ref}`, { token: env.token })
  return res.status === 200 ? Buffer.from(res.body.content, 'base64') : undefined
}

describe('commits on the sandbox', () => {
  test('a replay finds the first commit by its trailer and writes nothing', async () => {
    const repo = newRepo()
    const session = env.session()
    const input = {
      message: 'Add app',
      files: [{ path: 'app/main.ts', content: 'export {}\n' }],
      idempotencyKey: 'uid-1',
    }
    const first = await session.commits!.commitFiles(repo, input)
    expect(first).toMatchObject({ branch: 'main', files: ['app/main.ts'], created: true })
    expect(first.commitURL).toContain(first.commitSHA)
    expect((await commitOf(repo.name, first.commitSHA)).message).toBe('Add app\n\nKedge-RepositoryCommit: uid-1')

    const writes: ResponseInfo[] = []
    const watched = env.session({ onResponse: (r) => r.method !== 'GET' && writes.push(r) })
    const replay = await watched.commits!.commitFiles(repo, input)
    expect(replay).toMatchObject({ commitSHA: first.commitSHA, created: false })
    expect(writes).toEqual([])
    expect(branches(repo.name).main).toBe(first.commitSHA)
  })

  test('a new branch starts from the default branch head, not from an orphan root', async () => {
    const repo = newRepo()
    const base = branches(repo.name).main!
    const result = await env.session().commits!.commitFiles(repo, {
      branch: 'feature/login',
      message: 'Login page',
      files: [{ path: 'login.html', content: '<form></form>' }],
      idempotencyKey: 'uid-2',
    })
    expect(result).toMatchObject({ branch: 'feature/login', created: true })
    expect(branches(repo.name)['feature/login']).toBe(result.commitSHA)
    expect((await commitOf(repo.name, result.commitSHA)).parents.map((p: { sha: string }) => p.sha)).toEqual([base])
    expect(await contentOf(repo.name, 'README.md', 'feature/login')).toBeDefined()
  })

  test('deleting a path that is not there is dropped; bytes go up as base64 blobs', async () => {
    const repo = newRepo()
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff])
    const result = await env.session().commits!.commitFiles(repo, {
      message: 'Assets',
      files: [
        { path: 'README.md', delete: true },
        { path: 'never-existed.txt', delete: true },
        { path: 'logo.png', content: png },
      ],
      idempotencyKey: 'uid-3',
    })
    expect(result.files).toEqual(['README.md', 'logo.png'])
    expect(await contentOf(repo.name, 'README.md', 'main')).toBeUndefined()
    expect(new Uint8Array((await contentOf(repo.name, 'logo.png', 'main'))!)).toEqual(png)
  })

  test('nothing changes: no empty commit', async () => {
    const repo = newRepo()
    const session = env.session()
    const files = [{ path: 'same.txt', content: 'same\n' }]
    const first = await session.commits!.commitFiles(repo, { message: 'one', files, idempotencyKey: 'uid-4' })
    const again = await session.commits!.commitFiles(repo, { message: 'two', files, idempotencyKey: 'uid-5' })
    expect(again).toMatchObject({ commitSHA: first.commitSHA, created: false, files: [] })
    expect(branches(repo.name).main).toBe(first.commitSHA)
  })

  test('the branch moved between our commit and the ref update: rebuilt once on the new head', async () => {
    const repo = newRepo()
    let intruder = ''
    const session = env.session({
      onResponse: (r) => {
        // Someone pushes right after our commit object is written, before we move the branch.
        if (r.route === 'POST /repos/{owner}/{repo}/git/commits' && !intruder) {
          intruder = env.sandbox.control.pushCommit(ORG, repo.name, { files: [{ path: 'theirs.txt', content: 'x' }] })
        }
      },
    })
    const result = await session.commits!.commitFiles(repo, {
      message: 'Ours',
      files: [{ path: 'ours.txt', content: 'y' }],
      idempotencyKey: 'uid-6',
    })
    expect(result.created).toBe(true)
    expect(branches(repo.name).main).toBe(result.commitSHA)
    const commit = await commitOf(repo.name, result.commitSHA)
    expect(commit.parents.map((p: { sha: string }) => p.sha)).toEqual([intruder])
    expect(await contentOf(repo.name, 'theirs.txt', 'main')).toBeDefined()
    expect(await contentOf(repo.name, 'ours.txt', 'main')).toBeDefined()
  })

  test('workflow files without the workflow scope: GitHub answers 404 → missing-scope, the branch untouched', async () => {
    const repo = newRepo()
    const head = branches(repo.name).main
    const token = env.sandbox.control.issueToken({ user: 'developer', scopes: ['repo'] })
    const err = await env
      .sessionFor(token)
      .commits!.commitFiles(repo, {
        message: 'CI',
        files: [{ path: '.github/workflows/ci.yml', content: 'on: push\n' }],
        idempotencyKey: 'uid-7',
      })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'missing-scope', missingScope: 'workflow', status: 404 })
    expect(branches(repo.name).main).toBe(head)
  })

  test('an empty repository: the first file through the Contents API, the rest on top, one trailer each', async () => {
    const repo = newRepo(false)
    const session = env.session()
    const input = {
      message: 'Initial',
      files: [
        { path: 'README.md', content: '# new\n' },
        { path: 'src/index.ts', content: 'export {}\n' },
      ],
      idempotencyKey: 'uid-8',
    }
    const result = await session.commits!.commitFiles(repo, input)
    expect(result).toMatchObject({ created: true, files: ['README.md', 'src/index.ts'] })
    const top = await commitOf(repo.name, result.commitSHA)
    const root = await commitOf(repo.name, top.parents[0].sha)
    expect(root.parents).toEqual([])
    expect([top.message, root.message]).toEqual(Array(2).fill('Initial\n\nKedge-RepositoryCommit: uid-8'))
    expect(await contentOf(repo.name, 'src/index.ts', 'main')).toBeDefined()
    expect((await session.commits!.commitFiles(repo, input)).created).toBe(false)

    const single = newRepo(false)
    const one = await session.commits!.commitFiles(single, {
      ...input,
      files: [input.files[0]!],
      idempotencyKey: 'uid-9',
    })
    expect(one).toMatchObject({ created: true, files: ['README.md'], branch: 'main' })
    expect(branches(single.name).main).toBe(one.commitSHA)
  })

  test('bad paths are refused before any request', async () => {
    const responses: ResponseInfo[] = []
    const err = await env
      .session({ onResponse: (r) => responses.push(r) })
      .commits!.commitFiles(newRepo(), {
        message: 'x',
        files: [{ path: '../escape', content: 'x' }],
        idempotencyKey: 'k',
      })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'invalid', reason: 'invalid-path' })
    expect(responses).toEqual([])
  })
})
