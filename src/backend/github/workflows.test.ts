// GitHub Actions against the GitHub sandbox over HTTP.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, startBackendSandbox } from '../../../test/support/backend-sandbox.ts'

let env: BackendSandbox
const repo = { owner: ORG, name: 'svc' }
const log = (lines: number, last: string) =>
  `${Array.from({ length: lines }, (_, i) => `2026-01-05T10:00:00.0000000Z step output ${i}`).join('\n')}\n${last}\n`

beforeAll(async () => {
  env = await startBackendSandbox()
  const c = env.sandbox.control
  c.createRepository({ owner: ORG, name: 'svc', autoInit: true })
  c.addWorkflow(ORG, 'svc', { path: '.github/workflows/ci.yml', name: 'CI' })
  c.addWorkflow(ORG, 'svc', { path: '.github/workflows/push-only.yml', triggers: ['push'] })
  const old = c.addRun(ORG, 'svc', {
    workflow: 'ci.yml',
    headSha: 'a'.repeat(40),
    status: 'completed',
    conclusion: 'success',
    createdAt: Date.UTC(2026, 0, 1),
  })
  c.addJob(old.id, { name: 'build', status: 'completed', conclusion: 'success', log: 'fine\n' })
  const run = c.addRun(ORG, 'svc', {
    workflow: 'ci.yml',
    headSha: 'b'.repeat(40),
    headBranch: 'main',
    status: 'completed',
    conclusion: 'failure',
    createdAt: Date.UTC(2026, 0, 2),
  })
  c.addJob(run.id, { name: 'lint', status: 'completed', conclusion: 'success', log: 'ok\n' })
  c.addJob(run.id, {
    name: 'test',
    status: 'completed',
    conclusion: 'failure',
    log: log(5000, 'Error: expected 2, got 3'),
  })
})
afterAll(() => env.stop())

describe('workflows on the sandbox', () => {
  test('the latest run; a failed job carries the end of its log', async () => {
    const got = await env.session().workflows!.latestRun(repo, { workflowFileName: 'ci.yml', maxLogLines: 3 })
    expect(got).toMatchObject({
      found: true,
      headSHA: 'b'.repeat(40),
      headBranch: 'main',
      status: 'completed',
      conclusion: 'failure',
    })
    expect(got.jobs.map((j) => [j.name, j.conclusion])).toEqual([
      ['lint', 'success'],
      ['test', 'failure'],
    ])
    expect(got.jobs[0]!.failureLog).toBeUndefined()
    expect(got.jobs[1]!.failureLog!.split('\n')).toEqual([
      '2026-01-05T10:00:00.0000000Z step output 4998',
      '2026-01-05T10:00:00.0000000Z step output 4999',
      'Error: expected 2, got 3',
    ])
  })

  test('by head SHA; no run is found:false, not an error', async () => {
    const workflows = env.session().workflows!
    const old = await workflows.latestRun(repo, {
      workflowFileName: 'ci.yml',
      headSHA: 'a'.repeat(40),
      maxLogLines: 10,
    })
    expect(old).toMatchObject({ found: true, conclusion: 'success', jobs: [{ name: 'build' }] })
    expect(
      await workflows.latestRun(repo, { workflowFileName: 'ci.yml', headSHA: 'c'.repeat(40), maxLogLines: 10 }),
    ).toEqual({
      found: false,
      jobs: [],
    })
  })

  test('dispatch starts a run; a workflow without workflow_dispatch is invalid', async () => {
    const workflows = env.session().workflows!
    await workflows.dispatch(repo, { workflowFileName: 'ci.yml', ref: 'main' })
    const latest = await workflows.latestRun(repo, { workflowFileName: 'ci.yml', maxLogLines: 10 })
    expect(latest.runID).toBeGreaterThan(0)
    expect(latest.conclusion).not.toBe('failure')
    const err = await workflows.dispatch(repo, { workflowFileName: 'push-only.yml', ref: 'main' }).catch((e) => e)
    expect(err).toMatchObject({ code: 'invalid', reason: 'no-workflow-dispatch' })
    const missing = await workflows.dispatch(repo, { workflowFileName: 'nope.yml', ref: 'main' }).catch((e) => e)
    expect(missing).toMatchObject({ code: 'not-found' })
  })
})
