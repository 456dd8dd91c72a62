// RepositoryCommit: one commit of a staged bundle through the Git Data API (no clone). The
// request's uid is the idempotency key (a trailer in the message), so a replay after a crash finds
// the commit it already made instead of making a second one. The bundle is given back once the
// final phase is in the API.
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { RepositoryCommit } from '../../apis/v1alpha1/repositorycommit.ts'
import { Failure } from '../failures.ts'
import { type RequestHandler, shortSHA, stagedBundle, targetOf } from './context.ts'

const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`

export const commitHandler: RequestHandler<RepositoryCommit> = {
  async run(commit, ctx) {
    const ref = commit.spec.source.bundleRef
    const target = await targetOf(ctx, commit)
    if (!target.session.commits) {
      throw new Failure(Reason.Unavailable, 'this git host connection cannot write commits')
    }
    const bundle = await stagedBundle(ctx, ref)
    const result = await target.session.commits.commitFiles(target.ref, {
      ...(commit.spec.branch?.trim() ? { branch: commit.spec.branch.trim() } : {}),
      message: commit.spec.message ?? '',
      files: bundle.files,
      idempotencyKey: commit.metadata.uid ?? commit.metadata.name,
    })
    const written = new Set(result.files)
    const entries = result.created ? bundle.info.files.filter((f) => written.has(f.path)) : []
    const sha = shortSHA(result.commitSHA)
    const message = result.created
      ? `Committed ${files(entries.length)} to ${result.branch} as ${sha}: ${result.commitURL}`
      : `${result.branch} is at ${sha} with these files already (committed by an earlier run of this request, or nothing to change): ${result.commitURL}`
    return {
      result: 'succeeded',
      message,
      status: {
        branch: result.branch,
        commitSHA: result.commitSHA,
        commitURL: result.commitURL,
        source: { digest: bundle.info.digest, size: bundle.info.size, fileCount: bundle.info.fileCount },
        files: entries.map((f) => ({
          path: f.path,
          size: f.size,
          ...(f.digest ? { digest: f.digest } : {}),
          ...(f.delete ? { delete: true } : {}),
        })),
      },
    }
  },

  async finished(commit, ctx) {
    await ctx.bundles?.delete(ctx.cluster, commit.spec.source.bundleRef.name)
  },
}
