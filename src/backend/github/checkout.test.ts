// Checkout against the GitHub sandbox over HTTP: a bounded number of requests, whatever the size.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox } from '../../../test/support/backend-sandbox.ts'
import type { ResponseInfo } from '../backend.ts'

let env: BackendSandbox
let head = ''
const repo = { owner: ORG, name: 'big' }
const limits = { maxFiles: 500, maxFileBytes: 256 * 1024, maxTotalBytes: 16 * 1024 * 1024 }

beforeAll(async () => {
  env = await startBackendSandbox()
  const c = env.sandbox.control
  c.createRepository({ owner: ORG, name: 'big', autoInit: true })
  const files = Array.from({ length: 300 }, (_, i) => ({
    path: `src/module-${String(i).padStart(3, '0')}/index.ts`,
    content: `export const n = ${i}\n`,
  }))
  c.pushCommit(ORG, 'big', {
    files: [...files, { path: 'assets/logo.png', content: new Uint8Array([0x89, 0x50, 0, 1]) }],
  })
  head = c.pushCommit(ORG, 'big', {
    branch: 'release/1.0',
    files: [{ path: 'big.txt', content: 'x'.repeat(300 * 1024) }],
  })
})
afterAll(() => env.stop())

describe('checkout on the sandbox', () => {
  test('300 files from the default branch in 4 requests: repository, ref, tarball, its redirect', async () => {
    const responses: ResponseInfo[] = []
    env.sandbox.control.clearRequests()
    const got = await env.session({ onResponse: (r) => responses.push(r) }).checkout!.read(repo, limits)
    expect(got.ref).toBe('main')
    expect(got.files).toHaveLength(301)
    expect(got.files[0]).toEqual({ path: 'README.md', content: expect.any(String) })
    expect(got.files.find((f) => f.path === 'src/module-042/index.ts')?.content).toBe('export const n = 42\n')
    expect(got.skipped).toEqual(['assets/logo.png (binary)'])
    expect(got.requests).toBe(4)
    expect(responses.map((r) => `${r.route} ${r.status}`)).toEqual([
      'GET /repos/{owner}/{repo} 200',
      'GET /repos/{owner}/{repo}/commits/{ref} 200',
      'GET /repos/{owner}/{repo}/tarball/{ref} 302',
      'GET /repos/{owner}/{repo}/tarball/{ref} (redirect) 200',
    ])
    // The API log holds the three API requests (the download host is not the API).
    expect(env.sandbox.control.requestCounts().total).toBe(3)
  })

  test('a branch with "/" in its name; caps leave files out with their reason', async () => {
    const got = await env.session().checkout!.read(repo, { maxFiles: 10, maxFileBytes: 256 * 1024, maxTotalBytes: 200 })
    expect(got.files.length).toBeLessThanOrEqual(10)
    const branch = await env.session().checkout!.read(repo, { ...limits, ref: 'release/1.0' })
    expect(branch.commitSHA).toBe(head)
    expect(branch.skipped).toContain('big.txt (file too large)')
    expect(branch.skipped).toHaveLength(2)
  })

  test('a commit SHA needs no resolving: 2 requests', async () => {
    const got = await env.session().checkout!.read(repo, { ...limits, ref: head })
    expect([got.commitSHA, got.requests]).toEqual([head, 2])
  })

  test('a ref that does not exist is invalid (ref-not-found), as GitHub answers 422', async () => {
    const err = await env
      .session()
      .checkout!.read(repo, { ...limits, ref: 'nope' })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'invalid', reason: 'ref-not-found', status: 422 })
  })
})
