// The one-shot requests end to end, used the way MCP uses them: stage a bundle in the store
// (scope = the workspace's logical cluster id), create the request, wait for a final phase, read
// the result (and for a checkout the bundle), clean up.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { KubeObject } from '../../src/apis/meta.ts'
import type { CodeKind } from '../../src/apis/v1alpha1/kinds.ts'
import type { RepositoryBuildStatus } from '../../src/apis/v1alpha1/repositorybuildstatus.ts'
import type { RepositoryCheckout } from '../../src/apis/v1alpha1/repositorycheckout.ts'
import type { RepositoryCommit } from '../../src/apis/v1alpha1/repositorycommit.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { codeObject, ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
const T = 'root:acme'
let scope: string

const create = (kind: CodeKind, name: string, spec: Record<string, unknown>) =>
  s.tenant(T).create(resourceTypes[kind], codeObject(kind, name, spec))

/** The request once it reached Succeeded or Failed. */
const finished = <T extends KubeObject>(kind: CodeKind, name: string, timeoutMs = 20_000) =>
  s.waitFor(
    async () => {
      const o = await s.get<T>(T, kind, name)
      const phase = (o?.status as { phase?: string } | undefined)?.phase
      return phase === 'Succeeded' || phase === 'Failed' ? o : undefined
    },
    `${kind}/${name} finished`,
    timeoutMs,
  )

const readyMessage = (o: KubeObject) =>
  ((o.status as { conditions?: { type: string; message: string }[] }).conditions ?? []).find((c) => c.type === 'Ready')
    ?.message ?? ''

const api = (path: string) => s.sandbox.call('GET', path, { token: s.token })

beforeAll(async () => {
  s = await startStack({ tenants: [T], requests: { bundleWaitMs: 500 } })
  s.sandbox.control.setSecondaryLimits({ contentCreatesPerMinute: 10_000, contentCreatesPerHour: 100_000 })
  scope = s.clusterOf(T)
  await s.connect(T, 'github')
  await create('Repository', 'site', { connectionRef: 'github', name: 'site', autoInit: true })
  await s.waitFor(() => s.ready(T, 'Repository', 'site'), 'site Ready')
}, 60_000)
afterAll(() => s?.stop())

describe('RepositoryCommit', () => {
  test('commits a staged bundle in one commit, reports it, and gives the bundle back', async () => {
    const staged = await s.bundles.put(scope, [
      { path: 'src/index.ts', content: 'export const answer = 42\n' },
      { path: 'assets/logo.bin', content: Uint8Array.from([0, 1, 2, 255]) },
      { path: 'not-there.txt', delete: true },
    ])
    await create('RepositoryCommit', 'first', {
      repositoryRef: 'site',
      message: 'Add the app',
      source: { bundleRef: { name: staged.name, digest: staged.digest } },
    })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'first')
    expect(done.status).toMatchObject({
      phase: 'Succeeded',
      branch: 'main',
      source: { digest: staged.digest, size: staged.size, fileCount: 3 },
      observedGeneration: 1,
    })
    expect(done.status?.startedAt).toBeString()
    expect(done.status?.completedAt).toBeString()
    // The deletion of a path that was not there is dropped.
    expect(done.status?.files?.map((f) => f.path)).toEqual(['assets/logo.bin', 'src/index.ts'])
    expect(readyMessage(done)).toContain(`Committed 2 files to main as ${done.status!.commitSHA!.slice(0, 12)}`)
    const head = s.sandbox.control.getRepository(ORG, 'site')!.branches.main
    expect(head).toBe(done.status!.commitSHA!)
    const commit = await api(`/repos/${ORG}/site/commits/${head}`)
    expect(commit.body.commit.message).toBe(`Add the app\n\nKedge-RepositoryCommit: ${done.metadata.uid}`)
    // Given back once the final phase is in the API.
    await s.waitFor(async () => (await s.bundles.get(scope, staged.name)) === undefined, 'bundle released')
    // A finished request has no actor.
    await s.waitFor(() => s.runtime.actor(scope, 'RepositoryCommit', 'first') === undefined, 'actor gone')
  }, 30_000)

  test('a new branch starts from the default branch', async () => {
    const main = s.sandbox.control.getRepository(ORG, 'site')!.branches.main!
    const staged = await s.bundles.put(scope, [{ path: 'feature.txt', content: 'new\n' }])
    await create('RepositoryCommit', 'feature', {
      repositoryRef: 'site',
      branch: 'feature/x',
      source: { bundleRef: { name: staged.name } },
    })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'feature')
    expect(done.status?.phase).toBe('Succeeded')
    const commit = await api(`/repos/${ORG}/site/git/commits/${done.status!.commitSHA}`)
    expect(commit.body.parents.map((p: { sha: string }) => p.sha)).toEqual([main])
  }, 30_000)

  test('a commit replayed after a crash yields one commit', async () => {
    // A real commit first.
    const files = [{ path: 'replay.txt', content: 'once\n' }]
    const staged = await s.bundles.put(scope, files)
    await create('RepositoryCommit', 'replayed', {
      repositoryRef: 'site',
      source: { bundleRef: { name: staged.name } },
    })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'replayed')
    const sha = done.status!.commitSHA!
    const writes = () => s.sandbox.control.requestCounts({ route: 'POST /repos/{owner}/{repo}/git/commits' }).total
    const before = writes()

    // Now the world as a crash between "commit made on the host" and "final status written"
    // leaves it: the host has the commit, the API still says Running, and the staged bundle is
    // still there (it is given back only after the final phase is in the API). A new process starts.
    await s.tenant(T).patch(
      resourceTypes.RepositoryCommit,
      'replayed',
      {
        status: {
          phase: 'Running',
          commitSHA: null,
          commitURL: null,
          branch: null,
          files: null,
          completedAt: null,
          conditions: null,
        },
      },
      { subresource: 'status' },
    )
    await s.bundles.put(scope, files)
    // Meanwhile someone else pushed to the branch: only the trailer can tell the commit is ours.
    const theirs = s.sandbox.control.pushCommit(ORG, 'site', { files: [{ path: 'theirs.txt', content: 'not ours\n' }] })
    await s.restart()

    const replayed = await s.waitFor(async () => {
      const o = await s.get<RepositoryCommit>(T, 'RepositoryCommit', 'replayed')
      return o?.status?.phase === 'Succeeded' && o.status.commitSHA ? o : undefined
    }, 'replayed to Succeeded')
    expect(replayed.status?.commitSHA).toBe(sha)
    expect(readyMessage(replayed)).toContain('already')
    expect(writes()).toBe(before) // no second commit was written
    expect(s.sandbox.control.getRepository(ORG, 'site')!.branches.main).toBe(theirs)
    const log = await api(`/repos/${ORG}/site/commits?sha=main&per_page=100`)
    const carrying = log.body.filter((c: { commit: { message: string } }) =>
      c.commit.message.includes(`Kedge-RepositoryCommit: ${done.metadata.uid}`),
    )
    expect(carrying).toHaveLength(1)
  }, 40_000)

  test('waits for its Repository (Pending), then runs when it is Ready', async () => {
    const staged = await s.bundles.put(scope, [{ path: 'hello.txt', content: 'hi\n' }])
    await create('RepositoryCommit', 'early', { repositoryRef: 'later', source: { bundleRef: { name: staged.name } } })
    const pending = await s.waitFor(async () => {
      const o = await s.get<RepositoryCommit>(T, 'RepositoryCommit', 'early')
      return o?.status?.phase === 'Pending' ? o : undefined
    }, 'Pending')
    expect(readyMessage(pending)).toContain('Repository "later" does not exist')
    expect(await s.condition(T, 'RepositoryCommit', 'early', 'DependencyNotReady')).toMatchObject({ status: 'True' })
    await create('Repository', 'later', { connectionRef: 'github', name: 'later', autoInit: true })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'early')
    expect(done.status?.phase).toBe('Succeeded')
  }, 30_000)

  test('a bundle that never shows up fails with what to do', async () => {
    await create('RepositoryCommit', 'lost', {
      repositoryRef: 'site',
      source: { bundleRef: { name: 'bundle-0123456789abcdef01234567' } },
    })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'lost')
    expect(done.status?.phase).toBe('Failed')
    expect(await s.condition(T, 'RepositoryCommit', 'lost', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Failed',
    })
    expect(readyMessage(done)).toContain('stage the files again')
    expect(readyMessage(done)).toContain('create a new RepositoryCommit')
    await s.waitFor(async () => (await s.eventReasons(T, 'lost')).includes('Failed'), 'a Failed event')
  }, 30_000)

  test('transient host errors are retried, then it succeeds', async () => {
    // Three 502s outlast the backend's own two retries, so the request machine retries once.
    s.sandbox.control.injectFault({ method: 'POST', route: '/repos/{owner}/{repo}/git/trees', status: 502, count: 3 })
    const staged = await s.bundles.put(scope, [{ path: 'flaky.txt', content: 'eventually\n' }])
    const seen: string[] = []
    const off = s.runtime.onTransition((view, t) => {
      if (view.kind === 'RepositoryCommit' && view.name === 'flaky') seen.push(t.to)
    })
    await create('RepositoryCommit', 'flaky', { repositoryRef: 'site', source: { bundleRef: { name: staged.name } } })
    const done = await finished<RepositoryCommit>('RepositoryCommit', 'flaky')
    off()
    expect(done.status?.phase).toBe('Succeeded')
    expect(seen).toContain('retrying')
  }, 30_000)
})

describe('RepositoryCheckout', () => {
  test('reads a 300-file repository into a bundle in a bounded number of requests', async () => {
    await create('Repository', 'big', { connectionRef: 'github', name: 'big', autoInit: true })
    await s.waitFor(() => s.ready(T, 'Repository', 'big'), 'big Ready')
    const files = Array.from({ length: 300 }, (_, i) => ({
      path: `src/m${i}/file-${i}.ts`,
      content: `export const n = ${i}\n`,
    }))
    s.sandbox.control.pushCommit(ORG, 'big', { message: '300 files', files })
    s.sandbox.control.pushCommit(ORG, 'big', {
      message: 'a binary',
      files: [{ path: 'logo.png', content: '\u0000PNG' }],
    })
    // Let the crawler's first crawl pass, so only the checkout talks to the host below.
    await s.waitFor(() => Number(s.runtime.actor(scope, 'Crawler', 'big')?.detail?.crawls ?? 0) >= 1, 'crawled')
    s.sandbox.control.clearRequests()

    await create('RepositoryCheckout', 'read', { repositoryRef: 'big' })
    const done = await finished<RepositoryCheckout>('RepositoryCheckout', 'read')
    const requests = s.sandbox.control.requestCounts()
    expect(done.status?.phase).toBe('Succeeded')
    // Resolve the ref, ask for the tarball (the download itself comes from the codeload host, outside the API).
    expect(requests.total).toBeLessThanOrEqual(3)
    expect(done.status).toMatchObject({
      ref: 'main',
      commitSHA: s.sandbox.control.getRepository(ORG, 'big')!.branches.main,
      source: { fileCount: 301 },
      skipped: ['logo.png (binary)'],
    })

    // What MCP does: read the bundle named in status from scope = the logical cluster id, then
    // delete the bundle and the request.
    const ref = done.status!.bundleRef!
    const bundle = await s.bundles.get(scope, ref.name, ref.digest)
    expect(bundle?.files).toHaveLength(301)
    expect(bundle?.files.find((f) => f.path === 'src/m7/file-7.ts')?.content).toBe('export const n = 7\n')
    await s.bundles.delete(scope, ref.name)
    await s.tenant(T).delete(resourceTypes.RepositoryCheckout, 'read')
    expect(await s.bundles.get(scope, ref.name)).toBeUndefined()
  }, 40_000)
})

describe('RepositoryBuildStatus', () => {
  beforeAll(async () => {
    const c = s.sandbox.control
    // A repository whose default branch is not main.
    c.createRepository({ owner: ORG, name: 'svc', autoInit: true })
    c.pushCommit(ORG, 'svc', { branch: 'trunk', files: [{ path: 'README.md', content: 'trunk\n' }] })
    c.changeRepository(ORG, 'svc', { default_branch: 'trunk' })
    c.addWorkflow(ORG, 'svc', { path: '.github/workflows/ci.yml', name: 'CI', triggers: ['push', 'workflow_dispatch'] })
    const sha = c.getRepository(ORG, 'svc')!.branches.trunk!
    const run = c.addRun(ORG, 'svc', {
      workflow: 'ci.yml',
      headSha: sha,
      headBranch: 'trunk',
      status: 'completed',
      conclusion: 'failure',
    })
    c.addJob(run.id, { name: 'lint', status: 'completed', conclusion: 'success', log: 'all good\n' })
    const log = Array.from({ length: 300 }, (_, i) => `step ${i + 1}`).join('\n')
    c.addJob(run.id, {
      name: 'test',
      status: 'completed',
      conclusion: 'failure',
      log: `${log}\nError: 3 tests failed\n`,
    })
    await create('Repository', 'svc', { connectionRef: 'github', name: 'svc', adopt: true })
    await s.waitFor(() => s.ready(T, 'Repository', 'svc'), 'svc Ready')
  }, 30_000)

  test("the latest run of a failed build shows the failing job's log tail", async () => {
    await create('RepositoryBuildStatus', 'ci', { repositoryRef: 'svc', workflowFileName: 'ci.yml', maxLogLines: 20 })
    const done = await finished<RepositoryBuildStatus>('RepositoryBuildStatus', 'ci')
    expect(done.status?.phase).toBe('Succeeded')
    const run = done.status!.run!
    expect(run).toMatchObject({ found: true, conclusion: 'failure', headBranch: 'trunk' })
    const failing = run.jobs!.find((j) => j.name === 'test')!
    expect(failing.conclusion).toBe('failure')
    const lines = failing.failureLog!.trimEnd().split('\n')
    expect(lines.at(-1)).toBe('Error: 3 tests failed')
    expect(lines.length).toBeLessThanOrEqual(20)
    expect(run.jobs!.find((j) => j.name === 'lint')!.failureLog).toBeUndefined()
    expect(readyMessage(done)).toContain('failed jobs: test')
  }, 30_000)

  test('rerun dispatches on the default branch, not main', async () => {
    await create('RepositoryBuildStatus', 'again', {
      repositoryRef: 'svc',
      workflowFileName: 'ci.yml',
      action: 'rerun',
    })
    const done = await finished<RepositoryBuildStatus>('RepositoryBuildStatus', 'again')
    expect(done.status).toMatchObject({ phase: 'Succeeded', dispatched: true, ref: 'trunk' })
    const runs = await api(`/repos/${ORG}/svc/actions/runs?event=workflow_dispatch`)
    expect(runs.body.workflow_runs.map((r: { head_branch: string }) => r.head_branch)).toEqual(['trunk'])
  }, 30_000)

  test('a ref that is not a commit SHA fails with what to give instead', async () => {
    await create('RepositoryBuildStatus', 'byname', { repositoryRef: 'svc', workflowFileName: 'ci.yml', ref: 'trunk' })
    const done = await finished<RepositoryBuildStatus>('RepositoryBuildStatus', 'byname')
    expect(done.status?.phase).toBe('Failed')
    expect(readyMessage(done)).toContain('40-character SHA')
  }, 30_000)
})
