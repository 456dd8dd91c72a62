// Toolset `content`: write files as one commit, read a repository's text files back. Contents
// never go into objects: they are staged in the bundle store under the workspace's logical cluster
// id, and a request object (RepositoryCommit, RepositoryCheckout) names the bundle.
import { z } from 'zod'
import type { RepositoryCheckoutStatus } from '../../apis/v1alpha1/repositorycheckout.ts'
import type { RepositoryCommitStatus } from '../../apis/v1alpha1/repositorycommit.ts'
import { BundleError, type BundleFile } from '../../bundles/bundle-store.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import { inWorkspace } from '../errors.ts'
import {
  createRequest,
  discardRequest,
  failureOf,
  requestMetadata,
  requestName,
  type Waited,
  waitForRequest,
} from '../requests.ts'
import { requireRepository, requireUsableConnection } from '../requires.ts'
import { compact } from '../shapes.ts'
import { defineTool, hostReads, type Obj, type ToolContext, ToolError } from '../tool.ts'
import { repositoryRef } from './arguments.ts'

const decoder = new TextDecoder()
const text = (c: string | Uint8Array | undefined) => (typeof c === 'string' ? c : c ? decoder.decode(c) : '')

const CommitOut = z.object({
  repositoryRef: z.string(),
  name: z.string().describe('The RepositoryCommit request (kept as an audit record).'),
  phase: z.string().describe('Succeeded, or Pending/Running when the wait ended first.'),
  bundleRef: z.string(),
  bundleDigest: z.string(),
  commitSHA: z.string().optional(),
  commitURL: z.string().optional(),
  branch: z.string().optional(),
  files: z.array(z.string()).describe('Paths written.'),
  deletedPaths: z.array(z.string()),
  message: z.string(),
})

function commitOut(w: Waited): z.input<typeof CommitOut> {
  const o = w.object
  const spec = o.spec as { repositoryRef: string; source: { bundleRef: { name: string; digest?: string } } }
  const status = (o.status ?? {}) as RepositoryCommitStatus
  const files = status.files ?? []
  return compact({
    repositoryRef: spec.repositoryRef,
    name: o.metadata.name,
    phase: w.phase,
    bundleRef: spec.source.bundleRef.name,
    bundleDigest: spec.source.bundleRef.digest ?? '',
    commitSHA: status.commitSHA,
    commitURL: status.commitURL,
    branch: status.branch,
    files: files.filter((f) => !f.delete).map((f) => f.path),
    deletedPaths: files.filter((f) => f.delete).map((f) => f.path),
    message: w.timedOut
      ? `The commit is still ${w.phase}; it goes on without you. Call commit_files with requestName "${o.metadata.name}" (and no files) to wait for it again.`
      : `Committed ${status.commitSHA?.slice(0, 12) ?? ''} to ${status.branch ?? 'the default branch'}.`,
  })
}

/** Which argument a bundle problem is about: files[i].path or deletePaths[i]. */
function bundleArgument(e: BundleError, files: { path: string }[], deletes: string[]): string {
  if (e.path === undefined) return 'files'
  const i = files.findIndex((f) => f.path === e.path)
  if (i >= 0) return `files[${i}].path`
  const j = deletes.indexOf(e.path)
  return j >= 0 ? `deletePaths[${j}]` : `files (${e.path})`
}

const commitFields = { 'spec.message': 'message', 'spec.branch': 'branch', 'spec.repositoryRef': 'repositoryRef' }

async function resumeCommit(ctx: ToolContext, repository: string, name: string) {
  const found = await inWorkspace({ tool: 'commit_files', kind: 'RepositoryCommit', name, verb: 'get' }, () =>
    ctx.client.get<Obj>(resourceTypes.RepositoryCommit, name),
  )
  if (!found || (found.spec as { repositoryRef?: string }).repositoryRef !== repository) {
    throw new ToolError(
      `commit request "${name}" of repository "${repository}" not found: call commit_files with files`,
    )
  }
  return found
}

export const commitFiles = defineTool({
  name: 'commit_files',
  toolset: 'content',
  title: 'Commit files',
  description:
    'Write files (full contents) and delete paths as one commit on a branch, without a clone. Waits until GitHub has the commit (up to a bound; progress is reported), then returns its SHA and URL. A new branch starts from the default branch.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  input: z.strictObject({
    repositoryRef: repositoryRef(),
    files: z
      .array(
        z.strictObject({
          path: z.string().min(1).max(1024).describe('Path in the repository, e.g. src/app.ts.'),
          content: z.string().describe('The whole new content (UTF-8 text).'),
        }),
      )
      .default([])
      .describe('Files to create or replace.'),
    deletePaths: z.array(z.string().min(1).max(1024)).default([]).describe('Paths to delete.'),
    message: z.string().max(512).optional().describe('Commit message.'),
    branch: z.string().max(255).optional().describe('Branch (default: the repository default branch).'),
    requestName: z
      .string()
      .max(253)
      .optional()
      .describe('Wait again for an earlier commit that was still running (its name from that result); no files.'),
  }),
  output: CommitOut,
  fields: commitFields,
  async run(a, ctx) {
    const repository = await requireRepository(ctx, a.repositoryRef)
    if (a.requestName) {
      if (a.files.length > 0 || a.deletePaths.length > 0) {
        throw new ToolError(
          'Invalid arguments for commit_files: pass either requestName or files/deletePaths, not both',
        )
      }
      return commitOut(
        await waitForRequest(ctx, 'RepositoryCommit', await resumeCommit(ctx, a.repositoryRef, a.requestName)),
      )
    }
    if (a.files.length === 0 && a.deletePaths.length === 0) {
      throw new ToolError(
        'Invalid arguments for commit_files: files: give at least one file (or a path in deletePaths)',
      )
    }
    await requireUsableConnection(ctx, repository)
    const bundles = ctx.bundles
    const staged: BundleFile[] = [
      ...a.files.map((f) => ({ path: f.path, content: f.content })),
      ...a.deletePaths.map((path) => ({ path, delete: true })),
    ]
    const info = await bundles.put(ctx.clusterId, staged).catch((e: unknown) => {
      if (e instanceof BundleError) {
        throw new ToolError(
          `Invalid arguments for commit_files: ${bundleArgument(e, a.files, a.deletePaths)}: ${e.message}`,
        )
      }
      throw e
    })
    const name = requestName(a.repositoryRef, 'commit', ctx.now(), info.digest)
    const spec = compact({
      repositoryRef: a.repositoryRef,
      message: a.message,
      branch: a.branch,
      source: { bundleRef: { name: info.name, digest: info.digest } },
    })
    const created = await createRequest(
      ctx,
      'commit_files',
      'RepositoryCommit',
      name,
      spec,
      requestMetadata(repository, true),
      commitFields,
    ).catch(async (e: unknown) => {
      await bundles.delete(ctx.clusterId, info.name).catch(() => undefined)
      throw e
    })
    const waited = await waitForRequest(ctx, 'RepositoryCommit', created)
    if (waited.phase === 'Failed') {
      throw new ToolError(`commit failed (${name}): ${failureOf(waited.object, 'commit_files')}`)
    }
    return commitOut(waited)
  },
})

const CheckoutOut = z.object({
  repositoryRef: z.string(),
  ref: z.string().describe('The ref that was read.'),
  commitSHA: z.string(),
  files: z.array(z.object({ path: z.string(), content: z.string() })),
  skipped: z.array(z.string()).describe('Paths left out, with why (binary, too large, limits).'),
})

export const checkoutRepository = defineTool({
  name: 'checkout_repository',
  toolset: 'content',
  title: 'Read a repository',
  description:
    'Read every text file of a repository at a branch, tag or commit (default: the default branch) and return them inline. Binary and oversized files are listed in skipped. Use it before commit_files to see what is there.',
  annotations: hostReads,
  input: z.strictObject({
    repositoryRef: repositoryRef(),
    ref: z.string().max(255).optional().describe('Branch, tag or commit SHA (default: the default branch).'),
  }),
  output: CheckoutOut,
  fields: { 'spec.ref': 'ref', 'spec.repositoryRef': 'repositoryRef' },
  async run(a, ctx) {
    const repository = await requireRepository(ctx, a.repositoryRef)
    await requireUsableConnection(ctx, repository)
    const bundles = ctx.bundles
    const name = requestName(a.repositoryRef, 'checkout', ctx.now())
    const created = await createRequest(
      ctx,
      'checkout_repository',
      'RepositoryCheckout',
      name,
      compact({ repositoryRef: a.repositoryRef, ref: a.ref }),
      requestMetadata(repository, false),
      { 'spec.ref': 'ref' },
    )
    let bundle: string | undefined
    try {
      const waited = await waitForRequest(ctx, 'RepositoryCheckout', created)
      const status = (waited.object.status ?? {}) as RepositoryCheckoutStatus
      bundle = status.bundleRef?.name
      if (waited.timedOut) {
        throw new ToolError(`checkout did not finish in time (still ${waited.phase}): call checkout_repository again`)
      }
      if (waited.phase === 'Failed')
        throw new ToolError(`checkout failed: ${failureOf(waited.object, 'checkout_repository')}`)
      if (!status.bundleRef) throw new ToolError('checkout finished without files: call checkout_repository again')
      const read = await bundles.get(ctx.clusterId, status.bundleRef.name, status.bundleRef.digest)
      if (!read)
        throw new ToolError('the checked-out files are gone from the bundle store: call checkout_repository again')
      return {
        repositoryRef: a.repositoryRef,
        ref: status.ref ?? a.ref ?? '',
        commitSHA: status.commitSHA ?? '',
        files: read.files.filter((f) => !f.delete).map((f) => ({ path: f.path, content: text(f.content) })),
        skipped: status.skipped ?? [],
      }
    } finally {
      if (bundle) await bundles.delete(ctx.clusterId, bundle).catch(() => undefined)
      await discardRequest(ctx, 'RepositoryCheckout', name)
    }
  },
})

export const contentTools = [commitFiles, checkoutRepository]
