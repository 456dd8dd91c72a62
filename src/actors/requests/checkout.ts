// RepositoryCheckout: the text files of a repository at a ref (empty: its default branch) read in
// a bounded number of requests (one tarball) into a bundle. The consumer reads the bundle named in
// status.bundleRef, then deletes it and the request; what it never collects expires.
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { RepositoryCheckout } from '../../apis/v1alpha1/repositorycheckout.ts'
import { Failure } from '../failures.ts'
import { needBundles, type RequestHandler, shortSHA, targetOf } from './context.ts'

/** What a checkout reads: at most 500 files, 256 KiB each, 16 MiB in all. */
export const checkoutLimits = { maxFiles: 500, maxFileBytes: 256 * 1024, maxTotalBytes: 16 * 1024 * 1024 }

export const checkoutHandler: RequestHandler<RepositoryCheckout> = {
  async run(checkout, ctx) {
    const bundles = needBundles(ctx)
    const target = await targetOf(ctx, checkout)
    if (!target.session.checkout) throw new Failure(Reason.Unavailable, 'this git host connection cannot read files')
    const ref = checkout.spec.ref?.trim() || target.repository.status?.defaultBranch || ''
    const read = await target.session.checkout.read(target.ref, { ref, ...checkoutLimits })
    const fullName = `${target.ref.owner}/${target.ref.name}`
    if (read.files.length === 0) {
      const why = read.skipped.length > 0 ? ` (skipped: ${read.skipped.slice(0, 5).join(', ')})` : ''
      throw new Failure(
        Reason.NotFound,
        `${fullName} has no text files at ${read.ref} (${shortSHA(read.commitSHA)})${why}`,
      )
    }
    const info = await bundles.put(ctx.cluster, read.files)
    const skipped = read.skipped.length > 0 ? `; ${read.skipped.length} left out (see status.skipped)` : ''
    return {
      result: 'succeeded',
      message: `Read ${info.fileCount} files (${info.size} bytes) of ${fullName} at ${read.ref} (${shortSHA(read.commitSHA)}) into bundle ${info.name}${skipped}`,
      status: {
        ref: read.ref,
        commitSHA: read.commitSHA,
        source: { digest: info.digest, size: info.size, fileCount: info.fileCount },
        bundleRef: { name: info.name, digest: info.digest },
        skipped: read.skipped.slice(0, 100),
      },
    }
  },
}
