// The long MCP tools end to end: commit_files, checkout_repository, build_status and rebuild over
// both transports, with the request actors, the fs bundle store and the GitHub sandbox behind them.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { type MainApp, startMainApp, type TransportKind } from '../support/mcp.ts'
import { ORG, type Stack, startStack } from '../support/stack.ts'

const ACME = 'root:acme'
let s: Stack
let app: MainApp

// biome-ignore lint/suspicious/noExplicitAny: structured results are checked field by field
type Json = any

async function call(client: Client, name: string, args: Record<string, unknown>, progress?: string[]) {
  const r = (await client.callTool(
    { name, arguments: args },
    undefined,
    progress ? { onprogress: (p) => progress.push(p.message ?? ''), timeout: 60_000 } : { timeout: 60_000 },
  )) as CallToolResult & { structuredContent?: Json }
  return r
}
const text = (r: CallToolResult) => (r.content as { text: string }[])[0]!.text
async function ok(client: Client, name: string, args: Record<string, unknown>, progress?: string[]): Promise<Json> {
  const r = await call(client, name, args, progress)
  if (r.isError) throw new Error(`${name} failed: ${text(r)}`)
  return r.structuredContent
}

beforeAll(async () => {
  s = await startStack({ tenants: [ACME], crawlIntervalMs: 400 })
  await s.connect(ACME, 'github')
  app = await startMainApp(s, { mcp: { waitMs: 20_000 } })
  const mcp = await app.client(ACME, 'streamable')
  for (const name of ['site-streamable', 'site-sse']) {
    await ok(mcp, 'create_repository', { name, connectionRef: 'github', description: 'content tools' })
  }
  await s.waitFor(
    async () => (await s.ready(ACME, 'Repository', 'site-streamable')) && s.ready(ACME, 'Repository', 'site-sse'),
  )
}, 60_000)
afterAll(async () => {
  await app?.stop()
  await s?.stop()
})

describe.each<TransportKind>(['streamable', 'sse'])('content over %s', (kind) => {
  const repo = `site-${kind}`
  let mcp: Client
  beforeAll(async () => {
    mcp = await app.client(ACME, kind)
  })

  test('commit files, with progress, and read them back with checkout_repository', async () => {
    const progress: string[] = []
    const committed = await ok(
      mcp,
      'commit_files',
      {
        repositoryRef: repo,
        message: 'Add the site',
        files: [
          { path: 'index.html', content: '<h1>hello</h1>\n' },
          { path: 'src/app.ts', content: 'export const answer = 42\n' },
        ],
      },
      progress,
    )
    expect(committed).toMatchObject({ repositoryRef: repo, phase: 'Succeeded', branch: 'main', deletedPaths: [] })
    expect(committed.files.sort()).toEqual(['index.html', 'src/app.ts'])
    expect(committed.commitSHA).toMatch(/^[0-9a-f]{40}$/)
    expect(committed.name).toMatch(new RegExp(`^${repo}-commit-[0-9a-f]{12}-[0-9a-f]+$`))
    expect(progress[0]).toBe(`RepositoryCommit ${committed.name}: Pending`)
    expect(progress.every((p) => /: (Pending|Running)( \(\d+ s\))?$/.test(p))).toBe(true)
    const head = await s.sandbox.call('GET', `/repos/${ORG}/${repo}/commits/main`, { token: s.token })
    expect(head.body.sha).toBe(committed.commitSHA)
    expect(head.body.commit.message).toStartWith('Add the site')

    const checkout = await ok(mcp, 'checkout_repository', { repositoryRef: repo })
    expect(checkout.commitSHA).toBe(committed.commitSHA)
    const files = Object.fromEntries(checkout.files.map((f: Json) => [f.path, f.content]))
    expect(files).toMatchObject({ 'index.html': '<h1>hello</h1>\n', 'src/app.ts': 'export const answer = 42\n' })
    expect(files['README.md']).toBeString() // autoInit's first commit

    const deleted = await ok(mcp, 'commit_files', { repositoryRef: repo, deletePaths: ['src/app.ts'] })
    expect(deleted).toMatchObject({ phase: 'Succeeded', files: [], deletedPaths: ['src/app.ts'] })
    const after = await ok(mcp, 'checkout_repository', { repositoryRef: repo })
    expect(after.files.map((f: Json) => f.path)).not.toContain('src/app.ts')

    // checkouts leave nothing behind: no request object, no bundle
    expect(await s.tenant(ACME).list(resourceTypes.RepositoryCheckout)).toEqual([])
    // commits stay as the audit record, labelled and owned like their repository
    const commit = await s.tenant(ACME).get(resourceTypes.RepositoryCommit, committed.name)
    expect(commit?.metadata.labels).toEqual({ 'code.kedge.faros.sh/repository': repo })
    expect(commit?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Repository', name: repo, controller: false })
  }, 60_000)

  test('bad content arguments name the file', async () => {
    const bad = await call(mcp, 'commit_files', {
      repositoryRef: repo,
      files: [
        { path: 'ok.txt', content: 'x' },
        { path: '../escape', content: 'x' },
      ],
    })
    expect(bad.isError).toBe(true)
    expect(text(bad)).toMatch(/^Invalid arguments for commit_files: files\[1\]\.path: /)
    const none = await call(mcp, 'commit_files', { repositoryRef: repo })
    expect(text(none)).toBe(
      'Invalid arguments for commit_files: files: give at least one file (or a path in deletePaths)',
    )
    const missing = await call(mcp, 'checkout_repository', { repositoryRef: 'nope' })
    expect(text(missing)).toBe('repository "nope" not found: call list_repositories')
  })
})

describe('builds', () => {
  beforeAll(() => {
    const c = s.sandbox.control
    c.addWorkflow(ORG, 'site-sse', {
      path: '.github/workflows/ci.yml',
      name: 'CI',
      triggers: ['push', 'workflow_dispatch'],
    })
    const sha = c.getRepository(ORG, 'site-sse')!.branches.main!
    const run = c.addRun(ORG, 'site-sse', {
      workflow: 'ci.yml',
      headSha: sha,
      headBranch: 'main',
      status: 'completed',
      conclusion: 'failure',
    })
    c.addJob(run.id, { name: 'lint', status: 'completed', conclusion: 'success', log: 'fine\n' })
    c.addJob(run.id, {
      name: 'test',
      status: 'completed',
      conclusion: 'failure',
      log: 'step 1\nstep 2\nError: 3 tests failed\n',
    })
  })

  test.each<TransportKind>(['streamable', 'sse'])(
    'build_status of a failed run shows the failing log (%s)',
    async (kind) => {
      const mcp = await app.client(ACME, kind)
      const status = await ok(mcp, 'build_status', {
        repositoryRef: 'site-sse',
        workflowFileName: 'ci.yml',
        maxLogLines: 2,
      })
      expect(status).toMatchObject({ found: true, status: 'completed', conclusion: 'failure', headBranch: 'main' })
      const failing = status.jobs.find((j: Json) => j.name === 'test')
      expect(failing.failureLog.trimEnd().split('\n')).toEqual(['step 2', 'Error: 3 tests failed'])
      expect(status.jobs.find((j: Json) => j.name === 'lint').failureLog).toBeUndefined()
      expect(await s.tenant(ACME).list(resourceTypes.RepositoryBuildStatus)).toEqual([])
    },
    30_000,
  )

  test('rebuild dispatches a run; a workflow without workflow_dispatch fails with why', async () => {
    const mcp = await app.client(ACME, 'streamable')
    expect(await ok(mcp, 'rebuild', { repositoryRef: 'site-sse', workflowFileName: 'ci.yml' })).toMatchObject({
      dispatched: true,
      ref: 'main',
    })
    s.sandbox.control.addWorkflow(ORG, 'site-sse', { path: '.github/workflows/push-only.yml', triggers: ['push'] })
    const refused = await call(mcp, 'rebuild', { repositoryRef: 'site-sse', workflowFileName: 'push-only.yml' })
    expect(refused.isError).toBe(true)
    expect(text(refused)).toStartWith('rebuild failed: ')
  }, 30_000)

  test('a workflow that never ran is found: false; one that does not exist says so', async () => {
    const mcp = await app.client(ACME, 'sse')
    s.sandbox.control.addWorkflow(ORG, 'site-streamable', { path: '.github/workflows/nightly.yml' })
    const nightly = await ok(mcp, 'build_status', { repositoryRef: 'site-streamable', workflowFileName: 'nightly.yml' })
    expect(nightly).toMatchObject({ found: false, jobs: [] })
    const missing = await call(mcp, 'build_status', { repositoryRef: 'site-streamable', workflowFileName: 'none.yml' })
    expect(text(missing)).toStartWith('build_status failed: NotFound: read runs of none.yml in acme/site-streamable')
    expect(text(missing)).toEndWith('fix this, then call build_status again.')
  }, 30_000)
})

describe('packages', () => {
  test('list_packages shows what a repository publishes (from the informer cache)', async () => {
    const digest = `sha256:${'7'.repeat(64)}`
    s.sandbox.control.publishPackage({ owner: ORG, type: 'container', name: 'site', repository: 'site-sse' })
    s.sandbox.control.publishVersion({ owner: ORG, type: 'container', name: 'site', version: digest, tags: ['v1'] })
    const mcp = await app.client(ACME, 'sse')
    const pkg = await s.waitFor(async () => {
      const { packages } = await ok(mcp, 'list_packages', { repositoryRef: 'site-sse' })
      return packages.find((p: Json) => p.versions.length === 1)
    }, 'the package through list_packages')
    expect(pkg).toMatchObject({
      repository: 'site-sse',
      packageName: 'site',
      type: 'container',
      versions: [{ digest, tags: ['v1'] }],
    })
    expect(pkg.imageRepository).toEndWith(`/${ORG}/site`)
    expect((await ok(mcp, 'list_packages', { repositoryRef: 'site-streamable' })).packages).toEqual([])
  }, 30_000)
})

describe('waiting has a bound', () => {
  test('a commit still running when the wait ends is returned, not failed; requestName waits again', async () => {
    const impatient = await startMainApp(s, { mcp: { waitMs: 300 } })
    s.sandbox.control.setLatency({ ms: 2_000, method: 'POST', route: '/repos/{owner}/{repo}/git/trees' })
    try {
      const mcp = await impatient.client(ACME, 'streamable')
      const early = await ok(mcp, 'commit_files', {
        repositoryRef: 'site-streamable',
        files: [{ path: 'slow.txt', content: 'slow\n' }],
      })
      expect(['Pending', 'Running']).toContain(early.phase)
      expect(early.commitSHA).toBeUndefined()
      expect(early.message).toContain(`requestName "${early.name}"`)

      const patient = await app.client(ACME, 'sse')
      const done = await ok(patient, 'commit_files', { repositoryRef: 'site-streamable', requestName: early.name })
      expect(done).toMatchObject({ name: early.name, phase: 'Succeeded', files: ['slow.txt'] })
    } finally {
      s.sandbox.control.setLatency(undefined)
      await impatient.stop()
    }
  }, 40_000)
})
