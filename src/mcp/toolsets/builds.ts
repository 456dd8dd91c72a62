// Toolset `builds`: GitHub Actions runs of a repository. MCP acts as the caller, who cannot read the
// Connection's token, so each call is a short-lived RepositoryBuildStatus request the provider answers.
import { z } from 'zod'
import type { RepositoryBuildStatusStatus } from '../../apis/v1alpha1/repositorybuildstatus.ts'
import { createRequest, discardRequest, failureOf, requestMetadata, requestName, waitForRequest } from '../requests.ts'
import { requireRepository, requireUsableConnection } from '../requires.ts'
import { compact } from '../shapes.ts'
import { defineTool, hostReads, type ToolContext, ToolError } from '../tool.ts'
import { repositoryRef } from './arguments.ts'

const workflowFileName = () =>
  z.string().min(1).max(255).describe('Workflow file under .github/workflows, e.g. build.yml.')

const fields = {
  'spec.repositoryRef': 'repositoryRef',
  'spec.workflowFileName': 'workflowFileName',
  'spec.ref': 'ref',
  'spec.maxLogLines': 'maxLogLines',
}

async function ask(
  ctx: ToolContext,
  tool: string,
  spec: {
    repositoryRef: string
    workflowFileName: string
    ref?: string
    action: 'status' | 'rerun'
    maxLogLines?: number
  },
): Promise<RepositoryBuildStatusStatus> {
  const repository = await requireRepository(ctx, spec.repositoryRef)
  await requireUsableConnection(ctx, repository)
  const name = requestName(spec.repositoryRef, 'build', ctx.now())
  const created = await createRequest(
    ctx,
    tool,
    'RepositoryBuildStatus',
    name,
    compact(spec),
    requestMetadata(repository, false),
    fields,
  )
  try {
    const waited = await waitForRequest(ctx, 'RepositoryBuildStatus', created)
    if (waited.timedOut)
      throw new ToolError(`${tool} did not finish in time (still ${waited.phase}): call ${tool} again`)
    if (waited.phase === 'Failed') throw new ToolError(`${tool} failed: ${failureOf(waited.object, tool)}`)
    return (waited.object.status ?? {}) as RepositoryBuildStatusStatus
  } finally {
    await discardRequest(ctx, 'RepositoryBuildStatus', name)
  }
}

const Job = z.object({
  name: z.string(),
  status: z.string().optional(),
  conclusion: z.string().optional(),
  failureLog: z.string().optional().describe('Tail of the log of a failed job.'),
})

export const buildStatus = defineTool({
  name: 'build_status',
  toolset: 'builds',
  title: 'Build status',
  description:
    'The latest GitHub Actions run of a workflow (for a commit SHA when ref is given): status, conclusion, jobs, and the log tail of failed jobs, to fix the build.',
  annotations: hostReads,
  input: z.strictObject({
    repositoryRef: repositoryRef(),
    workflowFileName: workflowFileName(),
    ref: z.string().max(255).optional().describe('Commit SHA to look for (default: the latest run).'),
    maxLogLines: z.number().int().min(1).max(1000).default(200).describe('Log lines per failed job (default 200).'),
  }),
  output: z.object({
    repositoryRef: z.string(),
    workflowFileName: z.string(),
    found: z.boolean().describe('A run exists for the workflow (and ref).'),
    runID: z.number().int().optional(),
    htmlURL: z.string().optional(),
    headSHA: z.string().optional(),
    headBranch: z.string().optional(),
    status: z.string().optional().describe('queued, in_progress or completed.'),
    conclusion: z.string().optional().describe('success, failure, cancelled, ...'),
    jobs: z.array(Job),
  }),
  fields,
  async run(a, ctx) {
    const status = await ask(ctx, 'build_status', { ...a, action: 'status' })
    const run = status.run ?? { found: false }
    return compact({
      repositoryRef: a.repositoryRef,
      workflowFileName: a.workflowFileName,
      found: run.found,
      runID: run.runID,
      htmlURL: run.htmlURL,
      headSHA: run.headSHA,
      headBranch: run.headBranch,
      status: run.status,
      conclusion: run.conclusion,
      jobs: (run.jobs ?? []).map((j) =>
        compact({ name: j.name, status: j.status, conclusion: j.conclusion, failureLog: j.failureLog || undefined }),
      ),
    })
  },
})

export const rebuild = defineTool({
  name: 'rebuild',
  toolset: 'builds',
  title: 'Run a workflow again',
  description:
    'Start a new run of a workflow on a branch (the workflow must declare workflow_dispatch). Then call build_status to follow it.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({
    repositoryRef: repositoryRef(),
    workflowFileName: workflowFileName(),
    ref: z.string().max(255).optional().describe('Branch to run on (default: the default branch).'),
  }),
  output: z.object({
    repositoryRef: z.string(),
    workflowFileName: z.string(),
    dispatched: z.boolean(),
    ref: z.string().optional(),
    message: z.string(),
  }),
  fields,
  async run(a, ctx) {
    const status = await ask(ctx, 'rebuild', { ...a, action: 'rerun' })
    return compact({
      repositoryRef: a.repositoryRef,
      workflowFileName: a.workflowFileName,
      dispatched: status.dispatched ?? false,
      ref: status.ref,
      message: 'A new run was requested; call build_status in a few seconds to follow it.',
    })
  },
})

export const buildTools = [buildStatus, rebuild]
