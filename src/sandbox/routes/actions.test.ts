import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let dev: string
let main: string

beforeAll(async () => {
  sb = await startTestSandbox()
  dev = sb.login('ci-dev')
  sb.control.createOrg({ login: 'ci', members: [{ login: 'ci-dev', role: 'admin' }] })
  sb.control.createRepository({ owner: 'ci', name: 'svc', private: true, autoInit: true })
  main = sb.control.getRepository('ci', 'svc')!.branches.main!
  sb.control.addWorkflow('ci', 'svc', { path: '.github/workflows/ci.yml', name: 'CI' })
  sb.control.addWorkflow('ci', 'svc', { path: '.github/workflows/nightly.yml', triggers: ['schedule'] })
  const failed = sb.control.addRun('ci', 'svc', { workflow: 'ci.yml', headSha: main, conclusion: 'failure' })
  sb.control.addJob(failed.id, { name: 'lint', conclusion: 'success' })
  sb.control.addJob(failed.id, {
    name: 'test',
    conclusion: 'failure',
    steps: [{ name: 'Checkout', conclusion: 'success' }, { name: 'Run tests' }],
    log: '2026-01-05T10:00:00.0000000Z ok 1\n2026-01-05T10:00:01.0000000Z not ok 2 - widgets\n',
  })
  sb.control.advanceTime(60_000)
  sb.control.addRun('ci', 'svc', { workflow: 'ci.yml', headSha: main, headBranch: 'feature', status: 'in_progress' })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('workflows are listed and found by id or file name', async () => {
  const list = await sb.call('GET', '/repos/ci/svc/actions/workflows', { token: dev })
  expect(list.body.total_count).toBe(2)
  expect(list.body.workflows.map((w: { path: string }) => w.path)).toEqual([
    '.github/workflows/ci.yml',
    '.github/workflows/nightly.yml',
  ])
  const byFile = await sb.call('GET', '/repos/ci/svc/actions/workflows/ci.yml', { token: dev })
  const byId = await sb.call('GET', `/repos/ci/svc/actions/workflows/${byFile.body.id}`, { token: dev })
  expect(byId.body.name).toBe('CI')
})

test('runs of a workflow: newest first, filtered by branch, head_sha and status', async () => {
  const all = await sb.call('GET', '/repos/ci/svc/actions/workflows/ci.yml/runs', { token: dev })
  expect(all.body.total_count).toBe(2)
  expect(all.body.workflow_runs.map((r: { head_branch: string }) => r.head_branch)).toEqual(['feature', 'main'])
  const onMain = await sb.call(
    'GET',
    `/repos/ci/svc/actions/workflows/ci.yml/runs?branch=main&head_sha=${main}&per_page=1`,
    {
      token: dev,
    },
  )
  expect(onMain.body.workflow_runs).toHaveLength(1)
  expect(onMain.body.workflow_runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', run_number: 1 })
  expect(onMain.body.workflow_runs[0].head_commit.message).toBe('Initial commit')
  const failures = await sb.call('GET', '/repos/ci/svc/actions/runs?status=failure', { token: dev })
  expect(failures.body.total_count).toBe(1)
  const none = await sb.call('GET', '/repos/ci/svc/actions/workflows/ci.yml/runs?head_sha=deadbeef', { token: dev })
  expect(none.body).toMatchObject({ total_count: 0, workflow_runs: [] })
})

test('jobs of a run, and the failing job’s log through a 302', async () => {
  const run = (await sb.call('GET', '/repos/ci/svc/actions/workflows/ci.yml/runs?branch=main', { token: dev })).body
    .workflow_runs[0]
  expect((await sb.call('GET', `/repos/ci/svc/actions/runs/${run.id}`, { token: dev })).body.id).toBe(run.id)
  const jobs = await sb.call('GET', `/repos/ci/svc/actions/runs/${run.id}/jobs`, { token: dev })
  expect(jobs.body.jobs.map((j: { name: string; conclusion: string }) => `${j.name}:${j.conclusion}`)).toEqual([
    'lint:success',
    'test:failure',
  ])
  const failing = jobs.body.jobs[1]
  expect(failing.steps.map((s: { name: string; conclusion: string }) => `${s.name}:${s.conclusion}`)).toEqual([
    'Checkout:success',
    'Run tests:failure',
  ])
  const logs = await sb.call('GET', `/repos/ci/svc/actions/jobs/${failing.id}/logs`, { token: dev })
  expect(logs.status).toBe(302)
  const text = await (await fetch(logs.headers.get('location')!)).text()
  expect(text).toContain('not ok 2 - widgets')
  expect((await fetch(`${sb.url}/_logs/jobs/${failing.id}?token=forged`)).status).toBe(404)
})

test('dispatch creates a queued run; 422 without workflow_dispatch or for an unknown ref', async () => {
  const r = await sb.call('POST', '/repos/ci/svc/actions/workflows/ci.yml/dispatches', {
    token: dev,
    body: { ref: 'main' },
  })
  expect(r.status).toBe(204)
  const runs = await sb.call('GET', '/repos/ci/svc/actions/workflows/ci.yml/runs?event=workflow_dispatch', {
    token: dev,
  })
  expect(runs.body.workflow_runs[0]).toMatchObject({
    status: 'queued',
    conclusion: null,
    head_sha: main,
    actor: { login: 'ci-dev' },
  })
  const nightly = await sb.call('POST', '/repos/ci/svc/actions/workflows/nightly.yml/dispatches', {
    token: dev,
    body: { ref: 'main' },
  })
  expect(nightly.status).toBe(422)
  expect(nightly.body.message).toBe("Workflow does not have 'workflow_dispatch' trigger")
  const badRef = await sb.call('POST', '/repos/ci/svc/actions/workflows/ci.yml/dispatches', {
    token: dev,
    body: { ref: 'nope' },
  })
  expect(badRef.status).toBe(422)
  const details = await sb.call('POST', '/repos/ci/svc/actions/workflows/ci.yml/dispatches', {
    token: dev,
    body: { ref: 'main', return_run_details: true },
  })
  expect(details.status).toBe(200)
  expect(details.body.workflow_run_id).toBeNumber()
})

test('re-run starts a new attempt; the control API completes it', async () => {
  const run = (await sb.call('GET', '/repos/ci/svc/actions/runs?status=failure', { token: dev })).body.workflow_runs[0]
  expect((await sb.call('POST', `/repos/ci/svc/actions/runs/${run.id}/rerun`, { token: dev })).status).toBe(201)
  const again = await sb.call('GET', `/repos/ci/svc/actions/runs/${run.id}`, { token: dev })
  expect(again.body).toMatchObject({ run_attempt: 2, status: 'queued', conclusion: null })
  sb.control.updateRun(run.id, { status: 'completed', conclusion: 'success' })
  expect((await sb.call('GET', `/repos/ci/svc/actions/runs/${run.id}`, { token: dev })).body.conclusion).toBe('success')
})

test('outsiders see nothing of a private repository’s runs', async () => {
  const outsider = sb.login('nosy')
  expect((await sb.call('GET', '/repos/ci/svc/actions/workflows', { token: outsider })).status).toBe(404)
})
