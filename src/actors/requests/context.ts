// What a request's steps work with, the step every kind shares (is its Repository ready?), and
// the translation of whatever a step throws into the request machine's terms.
import type { KubeObject } from '../../apis/meta.ts'
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import { type BundleFile, type BundleInfo, type BundleStore, isBundleError } from '../../bundles/bundle-store.ts'
import type { PrepareOutcome, RunOutcome } from '../../machines/request.machine.ts'
import { Failure, toFailure, Waiting } from '../failures.ts'
import { type LookupContext, type RepositoryTarget, readyRepository, repositoryTarget } from '../reconcilers/context.ts'

export interface RequestRunContext extends LookupContext {
  bundles?: BundleStore
  now: () => Date
  /** Waits on the runtime clock. */
  sleep: (ms: number) => Promise<void>
  /** When the request started (its status.startedAt). */
  startedAt: Date
  /** How long a staged bundle may take to become visible (written by another replica, say). */
  bundleWaitMs: number
}

export type Succeeded = Extract<RunOutcome, { result: 'succeeded' }>

export interface RequestHandler<T extends KubeObject = KubeObject> {
  run(request: T, ctx: RequestRunContext): Promise<Succeeded>
  /** After the final phase is in the API (so a replay after a crash still finds what it needs). */
  finished?(request: T, ctx: RequestRunContext, phase: 'Succeeded' | 'Failed'): Promise<void>
}

const repositoryRefOf = (request: KubeObject) => (request.spec as { repositoryRef: string }).repositoryRef

/** Ready to run once the Repository is Ready with a name on the host (from the informer cache). */
export function prepare(ctx: Pick<LookupContext, 'cluster' | 'store'>, request: KubeObject): PrepareOutcome {
  try {
    readyRepository(ctx, repositoryRefOf(request))
    return { result: 'ready' }
  } catch (e) {
    if (e instanceof Waiting) return { result: 'waiting', waitingFor: e.waitingFor }
    throw toFailure(e)
  }
}

/** The Repository, its Connection and an interactive session (an agent waits on the answer). */
export const targetOf = (ctx: RequestRunContext, request: KubeObject): Promise<RepositoryTarget> =>
  repositoryTarget(ctx, repositoryRefOf(request), 'interactive')

/** Run a kind's step; anything it throws becomes a waiting outcome or a machine failure. */
export async function runStep<T extends KubeObject>(
  handler: RequestHandler<T>,
  request: T,
  ctx: RequestRunContext,
): Promise<RunOutcome> {
  try {
    return await handler.run(request, ctx)
  } catch (e) {
    if (e instanceof Waiting) return { result: 'waiting', waitingFor: e.waitingFor }
    if (isBundleError(e)) {
      const where = e.path ? ` (${e.path})` : ''
      throw toFailure(new Failure(Reason.InvalidSpec, `the bundle is not usable: ${e.message}${where}`))
    }
    throw toFailure(e)
  }
}

export function needBundles(ctx: RequestRunContext): BundleStore {
  if (ctx.bundles) return ctx.bundles
  throw new Failure(
    Reason.Unavailable,
    'this provider runs without a bundle store (CODE_COMMIT_BUNDLE_DIR); ask its operator to configure one',
  )
}

/**
 * A staged bundle, waiting up to `bundleWaitMs` after the request started for it to appear (a
 * replica may have staged it on shared storage a moment ago). Gone for good: a clear failure.
 */
export async function stagedBundle(
  ctx: RequestRunContext,
  ref: { name: string; digest?: string },
): Promise<{ info: BundleInfo; files: BundleFile[] }> {
  const bundles = needBundles(ctx)
  const deadline = ctx.startedAt.getTime() + ctx.bundleWaitMs
  for (;;) {
    const found = await bundles.get(ctx.cluster, ref.name, ref.digest || undefined)
    if (found) return found
    if (ctx.now().getTime() >= deadline) {
      throw new Failure(
        Reason.NotFound,
        `bundle ${ref.name} is not in this workspace's bundle store (staged bundles are removed after use and expire after an hour): stage the files again`,
      )
    }
    await ctx.sleep(Math.min(500, Math.max(1, deadline - ctx.now().getTime())))
  }
}

export const shortSHA = (sha: string) => sha.slice(0, 12)
