// The control API's GitHub Actions part: workflows, runs, jobs and their logs are whatever the
// test or developer says they are.
import type { SandboxControl } from './control-types.ts'
import { addJob, addRun, addWorkflow, findWorkflow } from './model/actions.ts'
import type { Repo, SandboxState } from './model/state.ts'

type ActionsControl = Pick<SandboxControl, 'addWorkflow' | 'addRun' | 'updateRun' | 'addJob' | 'updateJob'>

export function controlActions(state: SandboxState, repoOf: (owner: string, name: string) => Repo): ActionsControl {
  const runOf = (id: number) => {
    const run = state.runs.get(id)
    if (!run) throw new RangeError(`run ${id} does not exist`)
    return run
  }
  return {
    addWorkflow: (owner, repo, input) => ({ id: addWorkflow(state, repoOf(owner, repo), input).id }),
    addRun: (owner, repo, { workflow, ...input }) => {
      const w = findWorkflow(state, repoOf(owner, repo), workflow)
      if (!w) throw new RangeError(`workflow ${workflow} does not exist on ${owner}/${repo}`)
      return { id: addRun(state, w, input).id }
    },
    updateRun: (runId, changes) => {
      const run = runOf(runId)
      if (changes.status !== undefined) run.status = changes.status
      if (changes.conclusion !== undefined) run.conclusion = changes.conclusion
      run.updatedAt = state.now()
    },
    addJob: (runId, input) => ({ id: addJob(state, runOf(runId), input).id }),
    updateJob: (jobId, changes) => {
      const job = state.jobs.get(jobId)
      if (!job) throw new RangeError(`job ${jobId} does not exist`)
      if (changes.status !== undefined) job.status = changes.status
      if (changes.conclusion !== undefined) job.conclusion = changes.conclusion
      if (changes.log !== undefined) job.log = changes.log
      if (job.status === 'completed' && job.completedAt === null) job.completedAt = state.now()
    },
  }
}
