// The package crawlers: one per Ready Repository, started and stopped by its workspace actor.
// Each runs the pure crawler machine; its crawl step goes through the shared listings. What a
// person should know is told on the Repository: Normal Events when packages appear or vanish, a
// Warning when crawling starts failing for a new reason (existing Packages are kept meanwhile).
import { fromPromise } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { Repository } from '../apis/v1alpha1/repository.ts'
import type { GitBackend, ResponseInfo } from '../backend/backend.ts'
import type { ProviderCluster } from '../cluster/cluster.ts'
import type { Logger } from '../log.ts'
import {
  type CrawlerContext,
  type CrawlerKey,
  type CrawlInput,
  type CrawlOutcome,
  crawlerMachine,
  fullNameOf,
  intervalOf,
} from '../machines/crawler.machine.ts'
import { type BackoffPolicy, spreadDelay } from '../machines/timing.ts'
import { describeActor, describeResting } from './actor-inspect.ts'
import {
  type ActorDetail,
  type ActorView,
  newView,
  recordTransition,
  responseView,
  type TransitionListener,
} from './actor-view.ts'
import { CrawlFailed, crawlPackages } from './crawl.ts'
import type { CredentialResolver } from './credentials.ts'
import { toFailure } from './failures.ts'
import type { RuntimeObserver } from './observer.ts'
import type { PackageListings } from './package-listings.ts'
import type { Semaphore } from './semaphore.ts'
import type { ObjectStore } from './store.ts'
import { VirtualActors, type VirtualRecord } from './virtual-actors.ts'

export interface CrawlerDeps {
  cluster: ProviderCluster
  backend: GitBackend
  store: ObjectStore
  credentials: CredentialResolver
  listings: PackageListings
  intervalMs: number
  backoff: BackoffPolicy
  clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void }
  /** Monotonic milliseconds of `clock`. */
  monotonic: () => number
  now: () => Date
  logger: Logger
  /** Told about every crawl (metrics). */
  observer: Required<RuntimeObserver>
  /** Bounds crawls running at once across all workspaces. */
  concurrency: Semaphore
  onTransition: TransitionListener
  /** A crawl was refused for a missing scope: have the Connection look at its scopes again. */
  revalidate: (cluster: string, connection: string) => void
  /** The informers are delivering their first list (a cold start): spread first crawls out. */
  coldStart: () => boolean
}

interface CrawlerRecord extends VirtualRecord {
  key: CrawlerKey
  uid: string
  fullName: string
  /** Crawls so far (seeds the jitter), carried across rests. */
  crawls: number
  log: Logger
  lastWarning?: string
}

const idOf = (k: CrawlerKey) => `${k.cluster}/Crawler/${k.repository}`
const restingStates = new Set(['waiting', 'unavailable'])

/** The crawlers, as virtual actors: between crawls a crawler is a record and one deadline. */
export class Crawlers {
  private readonly pool: VirtualActors<CrawlerRecord, CrawlerContext>

  constructor(private readonly deps: CrawlerDeps) {
    const logic = crawlerMachine.provide({
      actors: {
        crawl: fromPromise<CrawlOutcome, CrawlInput>(({ input }) => deps.concurrency.run(() => this.crawl(input))),
      },
    })
    this.pool = new VirtualActors<CrawlerRecord, CrawlerContext>({
      logic,
      clock: deps.clock,
      monotonic: deps.monotonic,
      now: deps.now,
      input: (rec, resumeIn) => ({
        key: rec.key,
        uid: rec.uid,
        fullName: rec.fullName,
        intervalMs: deps.intervalMs,
        backoff: deps.backoff,
        crawls: rec.crawls,
        ...(resumeIn === 'waiting' || resumeIn === 'unavailable' ? { resumeIn } : {}),
      }),
      onSnapshot: (rec, state, context, cause) => this.onSnapshot(rec, state, context, cause),
      restFor: (state, context) => (restingStates.has(state) ? intervalOf(context) : undefined),
      wakeEvent: { type: 'crawl.requested' },
    })
  }

  get size(): number {
    return this.pool.size
  }

  views(): ActorView[] {
    return this.pool.views()
  }

  view(key: CrawlerKey): ActorView | undefined {
    return this.pool.get(idOf(key))?.view
  }

  /** A close look at one crawler, by id (`<cluster>/Crawler/<repository>`). */
  detail(id: string): ActorDetail | undefined {
    const rec = this.pool.get(id)
    if (!rec) return undefined
    if (rec.actor) return describeActor(rec.view, rec.actor, Date.now())
    const context = { fullName: rec.fullName, crawls: rec.crawls }
    return describeResting(rec.view, context, { delay: 'interval', event: 'crawl.requested' }, Date.now())
  }

  /** Start the Repository's crawler, or tell it the Repository changed (a new uid starts afresh). */
  ensure(cluster: string, repository: KubeObject): void {
    const key = { cluster, repository: repository.metadata.name }
    const rec = this.pool.get(idOf(key))
    const uid = repository.metadata.uid ?? repository.metadata.name
    const fullName = fullNameOf(repository)
    if (rec && rec.uid === uid) {
      this.pool.activate(rec).send({ type: 'repository.changed', fullName })
      return
    }
    if (rec) this.stop(key)
    this.start(key, uid, fullName)
  }

  stop(key: CrawlerKey): void {
    this.pool.remove(idOf(key))
  }

  /** Crawl now rather than at the next interval; false when no such crawler runs. */
  request(key: CrawlerKey): boolean {
    return this.pool.send(idOf(key), { type: 'crawl.requested' })
  }

  stopAll(): void {
    this.pool.stopAll()
  }

  private start(key: CrawlerKey, uid: string, fullName: string): void {
    const d = this.deps
    const id = idOf(key)
    const rec: CrawlerRecord = {
      key,
      uid,
      fullName,
      crawls: 0,
      view: newView(id, key.cluster, 'Crawler', key.repository, d.now().toISOString()),
      log: d.logger.child({ workspace: key.cluster, kind: 'Crawler', name: key.repository, actor: id }),
    }
    // On a cold start the first crawls are spread over one interval, resting until then.
    this.pool.add(rec, d.coldStart() ? { state: 'waiting', ms: spreadDelay(d.intervalMs, uid) } : undefined)
  }

  private async crawl(input: CrawlInput): Promise<CrawlOutcome> {
    const rec = this.pool.get(idOf(input.key))
    const onResponse = rec
      ? (r: ResponseInfo) => {
          rec.view.lastResponse = responseView(r, this.deps.now().toISOString())
        }
      : undefined
    const started = this.deps.monotonic()
    const report = (result: 'ok' | 'error', packages?: number) =>
      this.deps.observer.onCrawl({
        cluster: input.key.cluster,
        repository: input.key.repository,
        result,
        durationMs: this.deps.monotonic() - started,
        ...(packages === undefined ? {} : { packages }),
      })
    try {
      const out = await crawlPackages(this.deps, input.key, onResponse)
      report('ok', out.result === 'crawled' ? out.summary.packages : undefined)
      return out
    } catch (e) {
      report('error')
      throw toFailure(e instanceof CrawlFailed ? e.error : e)
    }
  }

  private onSnapshot(rec: CrawlerRecord, state: string, c: CrawlerContext, cause: string): void {
    const { view } = rec
    rec.crawls = c.crawls
    rec.fullName = c.fullName
    view.attempts = c.attempts
    view.lastError = c.lastError
    view.detail = {
      crawls: c.crawls,
      ...(c.summary ? { packages: c.summary.packages } : {}),
      ...(c.unavailable ? { unavailable: `${c.unavailable.reason}: ${c.unavailable.message}` } : {}),
    }
    if (state === view.state) return
    const t = { at: this.deps.now().toISOString(), from: view.state, to: state, event: cause }
    const leftCrawling = view.state === 'crawling'
    recordTransition(view, t)
    rec.log.debug('transition', { from: t.from, to: t.to, event: cause })
    this.deps.onTransition(view, t)
    if (leftCrawling) this.tellStory(rec, state, c)
  }

  /** Events on the Repository: what changed, and why crawling fails (once per reason). */
  private tellStory(rec: CrawlerRecord, state: string, c: CrawlerContext): void {
    const { cluster, repository } = c.key
    const regarding = this.deps.store.get<Repository>(cluster, 'Repository', repository)
    const record = (type: 'Normal' | 'Warning', reason: string, message: string) => {
      if (!regarding) return
      this.deps.cluster.recordEvent(cluster, regarding, { type, reason, message }).catch((e) => {
        rec.log.debug('could not record event', { error: (e as Error).message })
      })
    }
    if (state === 'waiting' && c.summary) {
      const { created, deleted, updated, packages } = c.summary
      if (rec.lastWarning) rec.log.info('package crawl recovered', { packages })
      rec.lastWarning = undefined
      if (created + deleted > 0) {
        const message = `packages: ${created} new, ${deleted} removed, ${packages} published from ${c.fullName}`
        rec.log.info(message, { updated })
        record('Normal', 'PackagesChanged', message)
      } else if (updated > 0) rec.log.debug('package versions changed', { updated })
    }
    if (state === 'backoff' && c.lastError) {
      const e = c.lastError
      if (e.reason === rec.lastWarning) return
      rec.lastWarning = e.reason
      const message = `package crawl failed (${e.reason}): ${e.message}. The existing Package objects are kept; retrying.`
      rec.log.warn(message, { reason: e.reason })
      record('Warning', 'PackageCrawlFailed', message)
      const connection = regarding?.spec.connectionRef
      if (e.reason === 'MissingScope' && connection) this.deps.revalidate(cluster, connection)
    }
  }
}
