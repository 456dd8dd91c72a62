// Workflows, workflow runs and jobs as the API shows them.
import { isoSeconds } from '../clock.ts'
import { signatureISO } from '../git/objects.ts'
import type { Urls } from '../http/types.ts'
import type { Job, SandboxState, Workflow, WorkflowRun } from '../model/state.ts'
import { simpleUser } from './accounts.ts'
import { repoPaths } from './git.ts'
import { nodeId } from './node-id.ts'
import { simpleRepository } from './repos.ts'

export function workflowJSON(state: SandboxState, urls: Urls, w: Workflow) {
  const repo = state.repos.get(w.repoId)!
  const p = repoPaths(state, urls, repo)
  return {
    id: w.id,
    node_id: nodeId('Workflow', w.id),
    name: w.name,
    path: w.path,
    state: w.state,
    created_at: isoSeconds(w.createdAt),
    updated_at: isoSeconds(w.updatedAt),
    url: `${p.api}/actions/workflows/${w.id}`,
    html_url: `${p.web}/blob/${repo.defaultBranch}/${w.path}`,
    badge_url: `${p.web}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  }
}

function headCommit(state: SandboxState, run: WorkflowRun) {
  const c = state.repos.get(run.repoId)!.git.commit(run.headSha)
  if (!c) return null
  return {
    id: run.headSha,
    tree_id: c.tree,
    message: c.message,
    timestamp: signatureISO(c.committer),
    author: { name: c.author.name, email: c.author.email },
    committer: { name: c.committer.name, email: c.committer.email },
  }
}

export function runJSON(state: SandboxState, urls: Urls, run: WorkflowRun) {
  const repo = state.repos.get(run.repoId)!
  const workflow = state.workflows.get(run.workflowId)!
  const p = repoPaths(state, urls, repo)
  const api = `${p.api}/actions/runs/${run.id}`
  const actor = state.userById(run.actorId) ?? state.ownerOf(repo)
  const minimal = simpleRepository(state, urls, repo)
  return {
    id: run.id,
    name: workflow.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.id + 1,
    check_suite_node_id: nodeId('CheckSuite', run.id + 1),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: workflow.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflow.id,
    url: api,
    html_url: `${p.web}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: isoSeconds(run.createdAt),
    updated_at: isoSeconds(run.updatedAt),
    actor: simpleUser(urls, actor),
    triggering_actor: simpleUser(urls, actor),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: isoSeconds(run.createdAt),
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${p.api}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${p.api}/actions/workflows/${workflow.id}`,
    head_commit: headCommit(state, run),
    repository: minimal,
    head_repository: minimal,
  }
}

export function jobJSON(state: SandboxState, urls: Urls, job: Job) {
  const run = state.runs.get(job.runId)!
  const repo = state.repos.get(run.repoId)!
  const p = repoPaths(state, urls, repo)
  const at = (ms: number | null) => (ms === null ? null : isoSeconds(ms))
  return {
    id: job.id,
    run_id: run.id,
    workflow_name: state.workflows.get(run.workflowId)!.name,
    head_branch: run.headBranch,
    run_url: `${p.api}/actions/runs/${run.id}`,
    run_attempt: run.runAttempt,
    node_id: nodeId('CheckRun', job.id),
    head_sha: run.headSha,
    url: `${p.api}/actions/jobs/${job.id}`,
    html_url: `${p.web}/actions/runs/${run.id}/job/${job.id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: isoSeconds(job.createdAt),
    started_at: isoSeconds(job.startedAt),
    completed_at: at(job.completedAt),
    name: job.name,
    steps: job.steps.map((s) => ({
      name: s.name,
      status: s.status,
      conclusion: s.conclusion,
      number: s.number,
      started_at: isoSeconds(job.startedAt),
      completed_at: at(job.completedAt),
    })),
    check_run_url: `${p.api}/check-runs/${job.id}`,
    labels: job.labels,
    runner_id: job.status === 'queued' ? null : 1,
    runner_name: job.status === 'queued' ? null : 'GitHub Actions 1',
    runner_group_id: job.status === 'queued' ? null : 1,
    runner_group_name: job.status === 'queued' ? null : 'GitHub Actions',
  }
}
