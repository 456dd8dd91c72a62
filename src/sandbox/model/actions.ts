// GitHub Actions state: workflows, runs and jobs are put there by the control API (the sandbox
// runs nothing); a dispatch creates a queued run, a re-run a new attempt.
import { GitHubError, validationFailed } from '../github-error.ts'
import type { Job, JobStep, Repo, RunConclusion, RunStatus, SandboxState, Workflow, WorkflowRun } from './state.ts'

export interface WorkflowInput {
  /** `.github/workflows/ci.yml` */
  path: string
  name?: string
  /** Events in `on:`; default `push` and `workflow_dispatch`. */
  triggers?: string[]
  state?: Workflow['state']
}

export interface RunInput {
  headSha?: string
  headBranch?: string
  event?: string
  status?: RunStatus
  conclusion?: RunConclusion | null
  displayTitle?: string
  actor?: string
  createdAt?: number
}

export interface JobInput {
  name: string
  status?: RunStatus
  conclusion?: RunConclusion | null
  steps?: { name: string; status?: RunStatus; conclusion?: RunConclusion | null }[]
  labels?: string[]
  log?: string
}

export function addWorkflow(state: SandboxState, repo: Repo, input: WorkflowInput): Workflow {
  if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(input.path)) {
    throw new RangeError(`workflow path "${input.path}" must be .github/workflows/<file>.yml`)
  }
  const now = state.now()
  const workflow: Workflow = {
    id: state.nextId(),
    repoId: repo.id,
    name:
      input.name ??
      input.path
        .split('/')
        .at(-1)!
        .replace(/\.ya?ml$/, ''),
    path: input.path,
    state: input.state ?? 'active',
    triggers: input.triggers ?? ['push', 'workflow_dispatch'],
    createdAt: now,
    updatedAt: now,
  }
  state.workflows.set(workflow.id, workflow)
  return workflow
}

/** By id, or by file name (`ci.yml`) as the API allows. */
export function findWorkflow(state: SandboxState, repo: Repo, idOrFile: string): Workflow | undefined {
  return [...state.workflows.values()].find(
    (w) => w.repoId === repo.id && (String(w.id) === idOrFile || w.path.split('/').at(-1) === idOrFile),
  )
}

export function addRun(state: SandboxState, workflow: Workflow, input: RunInput): WorkflowRun {
  const repo = state.repos.get(workflow.repoId)!
  const headBranch = input.headBranch ?? repo.defaultBranch
  const headSha = input.headSha ?? repo.git.refs.get(`refs/heads/${headBranch}`)
  if (!headSha) throw new RangeError(`no head SHA given and branch ${headBranch} does not exist`)
  const previous = [...state.runs.values()].filter((r) => r.workflowId === workflow.id)
  const now = input.createdAt ?? state.now()
  const status = input.status ?? 'completed'
  const run: WorkflowRun = {
    id: state.nextId(),
    repoId: repo.id,
    workflowId: workflow.id,
    runNumber: previous.length + 1,
    runAttempt: 1,
    event: input.event ?? 'push',
    status,
    conclusion: input.conclusion !== undefined ? input.conclusion : status === 'completed' ? 'success' : null,
    headSha,
    headBranch,
    displayTitle: input.displayTitle ?? workflow.name,
    ...(input.actor ? { actorId: state.user(input.actor)?.id } : {}),
    createdAt: now,
    updatedAt: now,
  }
  state.runs.set(run.id, run)
  return run
}

export function addJob(state: SandboxState, run: WorkflowRun, input: JobInput): Job {
  const now = state.now()
  const status = input.status ?? run.status
  const conclusion = input.conclusion !== undefined ? input.conclusion : status === 'completed' ? run.conclusion : null
  const steps: JobStep[] = (input.steps ?? []).map((s, i) => ({
    name: s.name,
    status: s.status ?? status,
    conclusion: s.conclusion !== undefined ? s.conclusion : conclusion,
    number: i + 1,
  }))
  const job: Job = {
    id: state.nextId(),
    runId: run.id,
    name: input.name,
    status,
    conclusion,
    createdAt: now,
    startedAt: now,
    completedAt: status === 'completed' ? now : null,
    steps,
    labels: input.labels ?? ['ubuntu-latest'],
    log: input.log ?? '',
  }
  state.jobs.set(job.id, job)
  return job
}

/** `POST .../dispatches`: a queued run at the tip of `ref`. */
export function dispatch(state: SandboxState, workflow: Workflow, ref: string, actorId?: number): WorkflowRun {
  const repo = state.repos.get(workflow.repoId)!
  if (!workflow.triggers.includes('workflow_dispatch')) {
    throw new GitHubError(422, "Workflow does not have 'workflow_dispatch' trigger")
  }
  if (workflow.state !== 'active') throw new GitHubError(422, 'Cannot trigger a disabled workflow')
  const branch = ref.replace(/^refs\/heads\//, '')
  const sha =
    repo.git.refs.get(`refs/heads/${branch}`) ?? repo.git.refs.get(`refs/tags/${ref.replace(/^refs\/tags\//, '')}`)
  if (!sha)
    throw validationFailed(
      [{ resource: 'Workflow', code: 'invalid', field: 'ref', message: `No ref found for: ${ref}` }],
      `No ref found for: ${ref}`,
    )
  const actor = state.userById(actorId)
  return addRun(state, workflow, {
    headSha: sha,
    headBranch: branch,
    event: 'workflow_dispatch',
    status: 'queued',
    conclusion: null,
    ...(actor ? { actor: actor.login } : {}),
  })
}

/** A re-run is a new attempt of the same run: queued again, jobs reset. */
export function rerun(state: SandboxState, run: WorkflowRun): void {
  run.runAttempt += 1
  run.status = 'queued'
  run.conclusion = null
  run.updatedAt = state.now()
  for (const job of state.jobs.values()) {
    if (job.runId !== run.id) continue
    job.status = 'queued'
    job.conclusion = null
    job.completedAt = null
    job.log = ''
    for (const step of job.steps) {
      step.status = 'queued'
      step.conclusion = null
    }
  }
}
