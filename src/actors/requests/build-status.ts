// RepositoryBuildStatus: the latest run of a workflow with its jobs and the log tails of failed
// ones (action status), or a new run dispatched (action rerun) on the given branch or, by
// default, the repository's default branch.
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { RepositoryBuildStatus } from '../../apis/v1alpha1/repositorybuildstatus.ts'
import type { WorkflowRunInfo } from '../../backend/backend.ts'
import { Failure } from '../failures.ts'
import { type RequestHandler, shortSHA, targetOf } from './context.ts'

const SHA = /^[0-9a-f]{40}$/i
/** The schema's bound on a log tail (characters). */
const MAX_LOG = 262_144
const MAX_JOBS = 100

function runStatus(run: WorkflowRunInfo) {
  const { jobs, ...rest } = run
  return {
    ...rest,
    jobs: jobs.slice(0, MAX_JOBS).map((j) => ({
      name: j.name.slice(0, 255),
      status: j.status,
      ...(j.conclusion ? { conclusion: j.conclusion } : {}),
      ...(j.failureLog !== undefined ? { failureLog: j.failureLog.slice(-MAX_LOG) } : {}),
    })),
  }
}

function describe(workflow: string, run: WorkflowRunInfo, sha?: string): string {
  if (!run.found) return `No run of ${workflow} found${sha ? ` for ${shortSHA(sha)}` : ''}.`
  const failed = run.jobs.filter((j) => j.conclusion === 'failure').map((j) => j.name)
  const outcome = run.conclusion ? `${run.status}, ${run.conclusion}` : (run.status ?? 'unknown')
  const jobs = failed.length > 0 ? `; failed jobs: ${failed.join(', ')} (log tails in status.run.jobs)` : ''
  return `Run ${run.runID} of ${workflow} at ${shortSHA(run.headSHA ?? '')} is ${outcome}${jobs}: ${run.htmlURL ?? ''}`
}

export const buildStatusHandler: RequestHandler<RepositoryBuildStatus> = {
  async run(request, ctx) {
    const { workflowFileName } = request.spec
    const target = await targetOf(ctx, request)
    const workflows = target.session.workflows
    if (!workflows) throw new Failure(Reason.Unavailable, 'this git host connection cannot read workflow runs')
    const ref = request.spec.ref?.trim() ?? ''

    if ((request.spec.action ?? 'status') === 'rerun') {
      const branch = ref || target.repository.status?.defaultBranch || 'main'
      await workflows.dispatch(target.ref, { workflowFileName, ref: branch })
      return {
        result: 'succeeded',
        message: `Dispatched ${workflowFileName} on ${branch}; follow it with a RepositoryBuildStatus (action status).`,
        status: { ref: branch, dispatched: true },
      }
    }

    if (ref && !SHA.test(ref)) {
      throw new Failure(
        Reason.InvalidSpec,
        `spec.ref "${ref}" is not a commit SHA: for action status give the full 40-character SHA of the commit, or leave it empty for the latest run`,
      )
    }
    const run = await workflows.latestRun(target.ref, {
      workflowFileName,
      ...(ref ? { headSHA: ref } : {}),
      maxLogLines: request.spec.maxLogLines ?? 200,
    })
    return {
      result: 'succeeded',
      message: describe(workflowFileName, run, ref || undefined),
      status: { ...(ref ? { ref } : {}), run: runStatus(run) },
    }
  },
}
