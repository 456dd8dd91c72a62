// GitHub Actions: workflows, runs (filtered by branch, head_sha, event, status), jobs, job logs
// (302 to a short-lived URL), dispatches and re-runs.
import { Type } from '@sinclair/typebox'
import { issueDownload } from '../downloads.ts'
import { notFound } from '../github-error.ts'
import { viewer } from '../http/auth.ts'
import { readBody } from '../http/body.ts'
import { paginate } from '../http/paginate.ts'
import { findRepo } from '../http/repo-lookup.ts'
import { type Ctx, created, found, noContent, ok, type Reply, type Route } from '../http/types.ts'
import { dispatch, findWorkflow, rerun } from '../model/actions.ts'
import { assertWritable } from '../model/repos.ts'
import type { Repo, WorkflowRun } from '../model/state.ts'
import { jobJSON, runJSON, workflowJSON } from '../shapes/actions.ts'

const DispatchBody = Type.Object({
  ref: Type.String({ minLength: 1 }),
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  return_run_details: Type.Optional(Type.Boolean()),
})

const readRepo = (ctx: Ctx) => findRepo(ctx, 'pull', ['actions', 'read'])

function workflowOf(ctx: Ctx, repo: Repo) {
  const w = findWorkflow(ctx.state, repo, ctx.params.workflow_id!)
  if (!w) throw notFound()
  return w
}

function runOf(ctx: Ctx, repo: Repo): WorkflowRun {
  const run = ctx.state.runs.get(Number(ctx.params.run_id))
  if (!run || run.repoId !== repo.id) throw notFound()
  return run
}

function jobOf(ctx: Ctx, repo: Repo) {
  const job = ctx.state.jobs.get(Number(ctx.params.job_id))
  if (!job || ctx.state.runs.get(job.runId)?.repoId !== repo.id) throw notFound()
  return job
}

const COMPLETED_CONCLUSIONS = new Set([
  'success',
  'failure',
  'neutral',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
])

function listRuns(ctx: Ctx, runs: WorkflowRun[]): Reply {
  const q = ctx.query
  const status = q.get('status')
  const filtered = runs
    .filter((r) => !q.get('branch') || r.headBranch === q.get('branch'))
    .filter((r) => !q.get('head_sha') || r.headSha === q.get('head_sha'))
    .filter((r) => !q.get('event') || r.event === q.get('event'))
    .filter((r) => !q.get('actor') || ctx.state.userById(r.actorId)?.login === q.get('actor'))
    .filter((r) => !status || (COMPLETED_CONCLUSIONS.has(status) ? r.conclusion === status : r.status === status))
    .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
  const page = paginate(ctx, filtered)
  return ok(
    { total_count: filtered.length, workflow_runs: page.items.map((r) => runJSON(ctx.state, ctx.urls, r)) },
    page.headers,
  )
}

export const actionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows',
    operationId: 'actions/list-repo-workflows',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = readRepo(ctx)
      const all = [...ctx.state.workflows.values()].filter((w) => w.repoId === repo.id)
      const page = paginate(ctx, all)
      return ok(
        { total_count: all.length, workflows: page.items.map((w) => workflowJSON(ctx.state, ctx.urls, w)) },
        page.headers,
      )
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}',
    operationId: 'actions/get-workflow',
    scopes: ['repo'],
    handle: (ctx) => ok(workflowJSON(ctx.state, ctx.urls, workflowOf(ctx, readRepo(ctx)))),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    operationId: 'actions/list-workflow-runs',
    scopes: ['repo'],
    handle: (ctx) => {
      const w = workflowOf(ctx, readRepo(ctx))
      return listRuns(
        ctx,
        [...ctx.state.runs.values()].filter((r) => r.workflowId === w.id),
      )
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    operationId: 'actions/create-workflow-dispatch',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'push', ['actions', 'write'])
      assertWritable(repo)
      const w = workflowOf(ctx, repo)
      const body = readBody(ctx, DispatchBody, 'Workflow')
      const run = dispatch(ctx.state, w, body.ref, viewer(ctx)?.id)
      if (!body.return_run_details) return noContent()
      const json = runJSON(ctx.state, ctx.urls, run)
      return ok({ workflow_run_id: run.id, run_url: json.url, html_url: json.html_url })
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs',
    operationId: 'actions/list-workflow-runs-for-repo',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = readRepo(ctx)
      return listRuns(
        ctx,
        [...ctx.state.runs.values()].filter((r) => r.repoId === repo.id),
      )
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}',
    operationId: 'actions/get-workflow-run',
    scopes: ['repo'],
    handle: (ctx) => ok(runJSON(ctx.state, ctx.urls, runOf(ctx, readRepo(ctx)))),
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun',
    operationId: 'actions/re-run-workflow',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = findRepo(ctx, 'push', ['actions', 'write'])
      assertWritable(repo)
      rerun(ctx.state, runOf(ctx, repo))
      return created({})
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
    operationId: 'actions/list-jobs-for-workflow-run',
    scopes: ['repo'],
    handle: (ctx) => {
      const run = runOf(ctx, readRepo(ctx))
      const jobs = [...ctx.state.jobs.values()].filter((j) => j.runId === run.id)
      const page = paginate(ctx, jobs)
      return ok(
        { total_count: jobs.length, jobs: page.items.map((j) => jobJSON(ctx.state, ctx.urls, j)) },
        page.headers,
      )
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/jobs/{job_id}',
    operationId: 'actions/get-job-for-workflow-run',
    scopes: ['repo'],
    handle: (ctx) => ok(jobJSON(ctx.state, ctx.urls, jobOf(ctx, readRepo(ctx)))),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
    operationId: 'actions/download-job-logs-for-workflow-run',
    scopes: ['repo'],
    handle: (ctx) => {
      const job = jobOf(ctx, readRepo(ctx))
      return found(issueDownload(ctx.state, ctx.urls.web, { kind: 'log', jobId: job.id }))
    },
  },
]
