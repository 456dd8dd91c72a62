import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { gunzipSync } from 'node:zlib'
import { extract } from 'tar-stream'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let dev: string
let reader: string

beforeAll(async () => {
  sb = await startTestSandbox()
  dev = sb.login('dev')
  reader = sb.login('ro')
  sb.control.createOrg({ login: 'g', members: [{ login: 'dev', role: 'admin' }, { login: 'ro' }] })
  sb.control.createRepository({ owner: 'g', name: 'code', private: true, autoInit: true })
  sb.control.createRepository({ owner: 'g', name: 'empty', private: true })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

const post = (path: string, body: unknown) => sb.call('POST', `/repos/g/code${path}`, { token: dev, body })

async function untar(gz: ArrayBuffer): Promise<Map<string, { type: string; content: string }>> {
  const out = new Map<string, { type: string; content: string }>()
  const ex = extract()
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = []
      stream.on('data', (c: unknown) => chunks.push(c as Buffer))
      stream.on('end', () => {
        out.set(header.name, { type: header.type as string, content: Buffer.concat(chunks).toString() })
        next()
      })
    })
    ex.on('finish', () => resolve())
    ex.on('error', reject)
  })
  ex.end(gunzipSync(Buffer.from(gz)))
  await done
  return out
}

describe('git data round trip', () => {
  let base: string
  let commit: string

  test('blob (utf-8 and base64), tree on base_tree, commit, fast-forward ref update', async () => {
    const head = await sb.call('GET', '/repos/g/code/git/ref/heads/main', { token: dev })
    expect(head.body.ref).toBe('refs/heads/main')
    base = head.body.object.sha
    const text = await post('/git/blobs', { content: 'hello\n', encoding: 'utf-8' })
    expect(text.status).toBe(201)
    expect(text.body.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a') // git hash-object of "hello\n"
    const bin = await post('/git/blobs', {
      content: Buffer.from([0, 1, 2, 255]).toString('base64'),
      encoding: 'base64',
    })
    const baseTree = (await sb.call('GET', `/repos/g/code/git/commits/${base}`, { token: dev })).body.tree.sha
    const tree = await post('/git/trees', {
      base_tree: baseTree,
      tree: [
        { path: 'src/hello.txt', mode: '100644', type: 'blob', sha: text.body.sha },
        { path: 'src/bin.dat', mode: '100644', type: 'blob', sha: bin.body.sha },
        { path: 'src/inline.md', mode: '100644', type: 'blob', content: '# inline\n' },
        { path: 'run.sh', mode: '100755', type: 'blob', content: 'echo hi\n' },
      ],
    })
    expect(tree.status).toBe(201)
    const c = await post('/git/commits', {
      message: 'Add files',
      tree: tree.body.sha,
      parents: [base],
      author: { name: 'Dev', email: 'dev@example.com', date: '2026-01-05T12:00:00+02:00' },
    })
    expect(c.status).toBe(201)
    expect(c.body.author).toEqual({ name: 'Dev', email: 'dev@example.com', date: '2026-01-05T10:00:00Z' })
    commit = c.body.sha
    const moved = await sb.call('PATCH', '/repos/g/code/git/refs/heads/main', { token: dev, body: { sha: commit } })
    expect(moved.status).toBe(200)
    expect(moved.body.object.sha).toBe(commit)
    const blob = await sb.call('GET', `/repos/g/code/git/blobs/${bin.body.sha}`, { token: dev })
    expect(Buffer.from(blob.body.content, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]))
  })

  test('the same content gives the same SHAs (content-addressed)', async () => {
    const again = await post('/git/blobs', { content: 'hello\n' })
    expect(again.body.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })

  test('recursive trees list every path; deletions with sha null prune directories', async () => {
    const rec = await sb.call('GET', `/repos/g/code/git/trees/${commit}?recursive=1`, { token: dev })
    expect(rec.body.tree.map((e: { path: string; type: string }) => `${e.type}:${e.path}`)).toEqual([
      'blob:README.md',
      'blob:run.sh',
      'tree:src',
      'blob:src/bin.dat',
      'blob:src/hello.txt',
      'blob:src/inline.md',
    ])
    expect(rec.body.tree.find((e: { path: string }) => e.path === 'run.sh').mode).toBe('100755')
    const flat = await sb.call('GET', `/repos/g/code/git/trees/${commit}`, { token: dev })
    expect(flat.body.tree).toHaveLength(3)
    const pruned = await post('/git/trees', {
      base_tree: rec.body.sha,
      tree: ['src/bin.dat', 'src/hello.txt', 'src/inline.md'].map((path) => ({
        path,
        mode: '100644',
        type: 'blob',
        sha: null,
      })),
    })
    expect(pruned.body.tree.map((e: { path: string }) => e.path)).toEqual(['README.md', 'run.sh'])
    const missing = await post('/git/trees', {
      base_tree: rec.body.sha,
      tree: [{ path: 'nope.txt', mode: '100644', type: 'blob', sha: null }],
    })
    expect(missing.status).toBe(422)
  })

  test('422s: not a fast forward (unless force), existing ref, unknown objects, bad names', async () => {
    const side = await post('/git/commits', {
      message: 'side',
      tree: (await post('/git/trees', { tree: [] })).body.sha,
      parents: [],
    })
    const ff = await sb.call('PATCH', '/repos/g/code/git/refs/heads/main', { token: dev, body: { sha: side.body.sha } })
    expect(ff.status).toBe(422)
    expect(ff.body.message).toBe('Update is not a fast forward')
    const created = await post('/git/refs', { ref: 'refs/heads/side', sha: side.body.sha })
    expect(created.status).toBe(201)
    expect((await post('/git/refs', { ref: 'refs/heads/side', sha: commit })).body.message).toBe(
      'Reference already exists',
    )
    const forced = await sb.call('PATCH', '/repos/g/code/git/refs/heads/side', {
      token: dev,
      body: { sha: commit, force: true },
    })
    expect(forced.status).toBe(200)
    expect((await post('/git/refs', { ref: 'heads/x', sha: commit })).status).toBe(422)
    expect((await post('/git/refs', { ref: 'refs/heads/y', sha: '0'.repeat(40) })).status).toBe(422)
    expect((await post('/git/commits', { message: 'm', tree: '0'.repeat(40) })).status).toBe(422)
    expect(
      (await post('/git/trees', { tree: [{ path: 'x', mode: '100644', type: 'tree', sha: commit }] })).status,
    ).toBe(422)
    const refs = await sb.call('GET', '/repos/g/code/git/matching-refs/heads/', { token: dev })
    expect(refs.body.map((r: { ref: string }) => r.ref)).toEqual(['refs/heads/main', 'refs/heads/side'])
    expect((await sb.call('DELETE', '/repos/g/code/git/refs/heads/side', { token: dev })).status).toBe(204)
    expect((await sb.call('DELETE', '/repos/g/code/git/refs/heads/main', { token: dev })).status).toBe(422)
    expect((await sb.call('GET', '/repos/g/code/git/ref/heads/side', { token: dev })).status).toBe(404)
  })

  test('reads need pull, writes push', async () => {
    expect((await sb.call('GET', '/repos/g/code/git/ref/heads/main', { token: reader })).status).toBe(200)
    const denied = await sb.call('POST', '/repos/g/code/git/blobs', { token: reader, body: { content: 'x' } })
    expect(denied.status).toBe(403)
  })

  test('commit history: newest first, filtered by path, paginated', async () => {
    const list = await sb.call('GET', '/repos/g/code/commits?sha=main&per_page=1', { token: dev })
    expect(list.body.map((c: { sha: string }) => c.sha)).toEqual([commit])
    expect(list.headers.get('link')).toContain('rel="next"')
    const all = await sb.call('GET', '/repos/g/code/commits', { token: dev })
    expect(all.body.map((c: { commit: { message: string } }) => c.commit.message)).toEqual([
      'Add files',
      'Initial commit',
    ])
    const byPath = await sb.call('GET', '/repos/g/code/commits?path=src/hello.txt', { token: dev })
    expect(byPath.body).toHaveLength(1)
    const one = await sb.call('GET', '/repos/g/code/commits/main', { token: dev })
    expect(one.body.files.map((f: { filename: string; status: string }) => `${f.status}:${f.filename}`)).toEqual([
      'added:run.sh',
      'added:src/bin.dat',
      'added:src/hello.txt',
      'added:src/inline.md',
    ])
    expect(one.body.stats).toEqual({ total: 3, additions: 3, deletions: 0 })
    expect(one.body.committer).toBeNull()
    expect((await sb.call('GET', '/repos/g/code/commits/nope', { token: dev })).status).toBe(422)
    const branch = await sb.call('GET', '/repos/g/code/branches/main', { token: dev })
    expect(branch.body.commit.sha).toBe(commit)
  })

  test('tarball: 302 to a short-lived URL serving the tree under owner-repo-sha7/', async () => {
    const r = await sb.call('GET', '/repos/g/code/tarball/main', { token: dev })
    expect(r.status).toBe(302)
    const location = r.headers.get('location')!
    const download = await fetch(location)
    expect(download.headers.get('content-type')).toBe('application/x-gzip')
    const entries = await untar(await download.arrayBuffer())
    const prefix = `g-code-${commit.slice(0, 7)}/`
    expect(entries.get('pax_global_header')).toBeUndefined() // a pax global header, not a file
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        prefix,
        `${prefix}README.md`,
        `${prefix}src/`,
        `${prefix}src/hello.txt`,
        `${prefix}run.sh`,
      ]),
    )
    expect(entries.get(`${prefix}src/hello.txt`)!.content).toBe('hello\n')
    sb.control.advanceTime(6 * 60_000)
    expect((await fetch(location)).status).toBe(404)
  })
})

describe('empty repositories', () => {
  test('git data answers 409 "Git Repository is empty."; the contents API makes the first commit', async () => {
    const ref = await sb.call('GET', '/repos/g/empty/git/ref/heads/main', { token: dev })
    expect(ref.status).toBe(409)
    expect(ref.body.message).toBe('Git Repository is empty.')
    expect((await sb.call('POST', '/repos/g/empty/git/blobs', { token: dev, body: { content: 'x' } })).status).toBe(409)
    expect((await sb.call('GET', '/repos/g/empty/commits', { token: dev })).status).toBe(409)
    const put = await sb.call('PUT', '/repos/g/empty/contents/docs/README.md', {
      token: dev,
      body: { message: 'first', content: Buffer.from('# Empty no more\n').toString('base64') },
    })
    expect(put.status).toBe(201)
    expect(put.body.content.path).toBe('docs/README.md')
    const get = await sb.call('GET', '/repos/g/empty/contents/docs/README.md', { token: dev })
    expect(Buffer.from(get.body.content, 'base64').toString()).toBe('# Empty no more\n')
    const stale = await sb.call('PUT', '/repos/g/empty/contents/docs/README.md', {
      token: dev,
      body: { message: 'update', content: 'eA==', sha: '0'.repeat(40) },
    })
    expect(stale.status).toBe(409)
    const noSha = await sb.call('PUT', '/repos/g/empty/contents/docs/README.md', {
      token: dev,
      body: { message: 'u', content: 'eA==' },
    })
    expect(noSha.status).toBe(422)
    const update = await sb.call('PUT', '/repos/g/empty/contents/docs/README.md', {
      token: dev,
      body: { message: 'update', content: 'eA==', sha: get.body.sha },
    })
    expect(update.status).toBe(200)
    const dir = await sb.call('GET', '/repos/g/empty/contents/docs', { token: dev })
    expect(dir.body.map((e: { path: string; type: string }) => `${e.type}:${e.path}`)).toEqual(['file:docs/README.md'])
    const del = await sb.call('DELETE', '/repos/g/empty/contents/docs/README.md', {
      token: dev,
      body: { message: 'remove', sha: update.body.content.sha },
    })
    expect(del.status).toBe(200)
    expect(del.body.content).toBeNull()
  })
})

test('workflow files need the workflow scope (404 without it, as on GitHub)', async () => {
  const noWorkflow = sb.control.issueToken({ user: 'dev', scopes: ['repo'] })
  const entry = { path: '.github/workflows/ci.yml', mode: '100644', type: 'blob', content: 'on: push\n' }
  const denied = await sb.call('POST', '/repos/g/code/git/trees', { token: noWorkflow, body: { tree: [entry] } })
  expect(denied.status).toBe(404)
  const put = await sb.call('PUT', '/repos/g/code/contents/.github/workflows/ci.yml', {
    token: noWorkflow,
    body: { message: 'ci', content: 'b246IHB1c2gK' },
  })
  expect(put.status).toBe(404)
  expect((await sb.call('POST', '/repos/g/code/git/trees', { token: dev, body: { tree: [entry] } })).status).toBe(201)
  const fg = sb.control.issueToken({
    user: 'dev',
    kind: 'fine-grained',
    owner: 'g',
    permissions: { contents: 'write' },
  })
  expect((await sb.call('POST', '/repos/g/code/git/trees', { token: fg, body: { tree: [entry] } })).status).toBe(404)
})

test('someone else pushes behind the provider’s back', async () => {
  const before = sb.control.getRepository('g', 'code')!.branches.main!
  const sha = sb.control.pushCommit('g', 'code', {
    files: [{ path: 'OTHER.md', content: 'x\n' }],
    message: 'elsewhere',
  })
  const head = await sb.call('GET', '/repos/g/code/git/ref/heads/main', { token: dev })
  expect(head.body.object.sha).toBe(sha)
  const parent = await sb.call('GET', `/repos/g/code/git/commits/${sha}`, { token: dev })
  expect(parent.body.parents[0].sha).toBe(before)
})
