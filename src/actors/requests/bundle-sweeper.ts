// Bundles nobody gave back expire: a checkout whose consumer never came, a commit staged by a
// caller that crashed before creating its request, a request deleted before it ran. Every
// `intervalMs` the store drops what is older than the time to live, except the bundles of
// RepositoryCommits that have yet to run. Safe on every replica at once (the store locks).
import type { RepositoryCommit } from '../../apis/v1alpha1/repositorycommit.ts'
import type { BundleStore } from '../../bundles/bundle-store.ts'
import type { Logger } from '../../log.ts'
import { isTerminal } from '../../machines/request.machine.ts'
import type { ObjectStore } from '../store.ts'

export interface BundleSweeperDeps {
  bundles: BundleStore
  store: ObjectStore
  ttlMs: number
  intervalMs: number
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }
  now: () => Date
  logger: Logger
}

export class BundleSweeper {
  private timer: unknown
  private stopped = false

  constructor(private readonly d: BundleSweeperDeps) {}

  start(): void {
    this.stopped = false
    this.schedule()
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Bundles still needed: those named by RepositoryCommits that have not finished. */
  private pendingCommitBundles(scope: string): Set<string> {
    return new Set(
      this.d.store
        .list<RepositoryCommit>(scope, 'RepositoryCommit')
        .filter((c) => !isTerminal(c))
        .map((c) => c.spec?.source?.bundleRef?.name)
        .filter((n): n is string => !!n),
    )
  }

  async sweep(): Promise<number> {
    const pending = new Map<string, Set<string>>()
    const keep = (scope: string, name: string) => {
      if (!pending.has(scope)) pending.set(scope, this.pendingCommitBundles(scope))
      return pending.get(scope)!.has(name)
    }
    const { removed } = await this.d.bundles.sweep({ olderThan: new Date(this.d.now().getTime() - this.d.ttlMs), keep })
    if (removed > 0) this.d.logger.info('expired bundles removed', { removed, ttlMs: this.d.ttlMs })
    return removed
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = this.d.clock.setTimeout(() => {
      this.sweep()
        .catch((e) => this.d.logger.warn('bundle sweep failed', { error: (e as Error).message }))
        .finally(() => this.schedule())
    }, this.d.intervalMs)
  }
}
