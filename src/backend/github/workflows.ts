// GitHub Actions: the latest run of a workflow file with its jobs and, for failed jobs, the end of
// the log; and workflow_dispatch.

import type { RepoRef, WorkflowJob, WorkflowOps, WorkflowRunInfo } from '../backend.ts'
import { isBackendError } from '../errors.ts'
import type { SessionContext } from './context.ts'
import { tailLines } from './log-tail.ts'

interface RunJSON {
  id: number
  html_url?: string
  head_sha?: string
  head_branch?: string | null
  status?: string | null
  conclusion?: string | null
}

interface JobJSON {
  id: number
  name: string
  status: string
  conclusion?: string | null
}

export function workflowOps(ctx: SessionContext): WorkflowOps {
  const { transport: t } = ctx

  async function failureLog(repo: RepoRef, job: JobJSON, maxLines: number): Promise<string> {
    try {
      const { response } = await t.download(
        'GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
        { owner: repo.owner, repo: repo.name, job_id: job.id },
        ctx.foreground(`read the log of job "${job.name}"`),
      )
      return response.body ? await tailLines(response.body, maxLines) : ''
    } catch (e) {
      // Logs expire and can be withheld: say so in place of the log, keep the run's answer.
      if (isBackendError(e) && e.code !== 'rate-limited' && e.code !== 'unauthorized') {
        return `(log unavailable: ${e.message})`
      }
      throw e
    }
  }

  async function latestRun(
    repo: RepoRef,
    query: { workflowFileName: string; headSHA?: string; maxLogLines: number },
  ): Promise<WorkflowRunInfo> {
    const p = { owner: repo.owner, repo: repo.name }
    const runs = await t.request<{ workflow_runs: RunJSON[] }>(
      'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      { ...p, workflow_id: query.workflowFileName, per_page: 1, ...(query.headSHA ? { head_sha: query.headSHA } : {}) },
      ctx.foreground(`read runs of ${query.workflowFileName} in ${repo.owner}/${repo.name}`),
    )
    const run = runs.data.workflow_runs[0]
    if (!run) return { found: false, jobs: [] }
    const jobs = await t.paginate<JobJSON>(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
      { ...p, run_id: run.id },
      ctx.foreground(`read jobs of run ${run.id}`),
      { items: (data) => (data as { jobs: JobJSON[] }).jobs },
    )
    const out: WorkflowJob[] = []
    for (const job of jobs) {
      out.push({
        name: job.name,
        status: job.status,
        ...(job.conclusion ? { conclusion: job.conclusion } : {}),
        ...(job.conclusion === 'failure' ? { failureLog: await failureLog(repo, job, query.maxLogLines) } : {}),
      })
    }
    return {
      found: true,
      runID: run.id,
      ...(run.html_url ? { htmlURL: run.html_url } : {}),
      ...(run.head_sha ? { headSHA: run.head_sha } : {}),
      ...(run.head_branch ? { headBranch: run.head_branch } : {}),
      ...(run.status ? { status: run.status } : {}),
      ...(run.conclusion ? { conclusion: run.conclusion } : {}),
      jobs: out,
    }
  }

  async function dispatch(repo: RepoRef, input: { workflowFileName: string; ref: string }): Promise<void> {
    await t.request(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      { owner: repo.owner, repo: repo.name, workflow_id: input.workflowFileName, ref: input.ref },
      ctx.foreground(`dispatch ${input.workflowFileName} on ${input.ref} in ${repo.owner}/${repo.name}`),
    )
  }

  return { latestRun, dispatch }
}
