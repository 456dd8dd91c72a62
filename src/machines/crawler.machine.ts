// The package crawler of one Repository: crawl, wait an interval (+0..25% jitter), crawl again.
// A crawler started while the runtime lists what exists (a cold start) spreads its first crawl
// over one interval; one started for a Repository that just turned Ready crawls at once.
//
//   crawling ─▶ waiting ──(interval)──▶ crawling
//      │  └──▶ unavailable ──(interval, or the Repository changed)──▶ crawling
//      └─(error)─▶ backoff ──(retry)──▶ crawling
//
// It runs while its Repository is Ready with a name on the host (see `crawls`); the workspace
// actor starts and stops it. Pure: the crawl itself is a named actor the runtime provides.
import { assign, fromPromise, setup } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { ReconcileFailure } from './events.ts'
import { type BackoffPolicy, backoffDelay, jittered, spreadDelay, unitHash } from './timing.ts'

export interface CrawlerKey {
  cluster: string
  /** The Repository object's name. */
  repository: string
}

export interface CrawlSummary {
  /** Packages published from this repository. */
  packages: number
  created: number
  updated: number
  deleted: number
}

export type CrawlOutcome =
  | { result: 'crawled'; summary: CrawlSummary }
  /** Packages cannot be listed with this Connection (token kind, scope): the Repository says why. */
  | { result: 'unavailable'; reason: string; message: string }

export interface CrawlInput {
  key: CrawlerKey
  attempt: number
}

export interface CrawlerInput {
  key: CrawlerKey
  /** The Repository's uid: seeds the jitter, so crawlers of one owner spread out. */
  uid: string
  fullName: string
  intervalMs: number
  backoff: BackoffPolicy
  /** Started during a cold start: the first crawl waits a spread share of the interval. */
  spreadFirst?: boolean
  /** Crawls so far, when restarted after a rest (see src/actors/virtual-actors.ts). */
  crawls?: number
  /** Restarted after resting in this state. */
  resumeIn?: 'waiting' | 'unavailable'
}

export interface CrawlerContext extends Omit<CrawlerInput, 'crawls'> {
  crawls: number
  attempts: number
  /** Crawl again as soon as the current one ends (the Repository moved, or someone asked). */
  again: boolean
  lastError?: ReconcileFailure
  summary?: CrawlSummary
  unavailable?: { reason: string; message: string }
}

export type CrawlerEvent =
  /** The Repository changed (its name on the host, its conditions). */
  { type: 'repository.changed'; fullName: string } | { type: 'crawl.requested' }

const status = (o: KubeObject) =>
  (o.status ?? {}) as { fullName?: string; conditions?: { type: string; status: string }[] }

/** A Repository gets a crawler while it is Ready, not being deleted, and has a name on the host. */
export function crawls(repository: KubeObject | undefined): boolean {
  if (!repository || repository.metadata.deletionTimestamp) return false
  const s = status(repository)
  return !!s.fullName && s.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true
}

export const fullNameOf = (repository: KubeObject) => status(repository).fullName ?? ''

const asFailure = (error: unknown): ReconcileFailure =>
  error && typeof error === 'object' && 'needsHuman' in error
    ? (error as ReconcileFailure)
    : {
        reason: 'TransientError',
        message: String((error as Error)?.message ?? error),
        needsHuman: false,
        rateLimited: false,
      }

/** The crawl interval stretched by 0..25%, different for every crawl of every repository. */
export const intervalOf = (c: Pick<CrawlerContext, 'intervalMs' | 'uid' | 'crawls'>) =>
  Math.round(c.intervalMs * (1 + 0.25 * unitHash(`${c.uid}#${c.crawls}`)))

export const crawlerMachine = setup({
  types: {
    context: {} as CrawlerContext,
    events: {} as CrawlerEvent,
    input: {} as CrawlerInput,
  },
  actors: {
    crawl: fromPromise<CrawlOutcome, CrawlInput>(async () => {
      throw new Error('crawl is provided by the runtime')
    }),
  },
  guards: {
    unavailable: ({ event }) => (event as { output?: CrawlOutcome }).output?.result === 'unavailable',
    again: ({ context }) => context.again,
    moved: ({ context, event }) => event.type === 'repository.changed' && event.fullName !== context.fullName,
    spreadFirst: ({ context }) => context.spreadFirst === true,
    resumeWaiting: ({ context }) => context.resumeIn === 'waiting',
    resumeUnavailable: ({ context }) => context.resumeIn === 'unavailable',
  },
  delays: {
    interval: ({ context }) =>
      context.crawls === 0 && context.spreadFirst ? spreadDelay(context.intervalMs, context.uid) : intervalOf(context),
    retry: ({ context }) => {
      const e = context.lastError
      if (e?.rateLimited && e.retryAfterMs !== undefined)
        return jittered(e.retryAfterMs, 0.05, `${context.uid}#${context.attempts}`) + 1000
      // Only a person can fix it (a scope, a permission): no faster than the regular crawl.
      if (e?.needsHuman) return intervalOf(context)
      return backoffDelay(
        context.attempts,
        { ...context.backoff, maxMs: Math.min(context.backoff.maxMs, context.intervalMs) },
        context.uid,
      )
    },
  },
  actions: {
    keepFullName: assign({
      fullName: ({ context, event }) => (event.type === 'repository.changed' ? event.fullName : context.fullName),
    }),
    crawlAgain: assign({ again: true }),
    startCrawl: assign({ again: false }),
    crawled: assign(({ context, event }) => {
      const out = (event as unknown as { output: Extract<CrawlOutcome, { result: 'crawled' }> }).output
      return {
        crawls: context.crawls + 1,
        attempts: 0,
        lastError: undefined,
        unavailable: undefined,
        summary: out.summary,
      }
    }),
    markUnavailable: assign(({ context, event }) => {
      const out = (event as unknown as { output: Extract<CrawlOutcome, { result: 'unavailable' }> }).output
      return {
        crawls: context.crawls + 1,
        attempts: 0,
        lastError: undefined,
        unavailable: { reason: out.reason, message: out.message },
      }
    }),
    fail: assign(({ context, event }) => ({
      attempts: context.attempts + 1,
      lastError: asFailure((event as { error?: unknown }).error),
    })),
  },
}).createMachine({
  id: 'crawler',
  context: ({ input }) => ({ ...input, crawls: input.crawls ?? 0, attempts: 0, again: false }),
  initial: 'starting',
  states: {
    starting: {
      always: [
        { guard: 'resumeWaiting', target: 'waiting' },
        { guard: 'resumeUnavailable', target: 'unavailable' },
        { guard: 'spreadFirst', target: 'waiting' },
        { target: 'crawling' },
      ],
    },
    crawling: {
      entry: 'startCrawl',
      invoke: {
        src: 'crawl',
        input: ({ context }) => ({ key: context.key, attempt: context.attempts + 1 }),
        onDone: [
          { guard: 'again', target: 'crawling', reenter: true, actions: 'crawled' },
          { guard: 'unavailable', target: 'unavailable', actions: 'markUnavailable' },
          { target: 'waiting', actions: 'crawled' },
        ],
        onError: [
          { guard: 'again', target: 'crawling', reenter: true, actions: 'fail' },
          { target: 'backoff', actions: 'fail' },
        ],
      },
      on: {
        'repository.changed': [{ guard: 'moved', actions: ['keepFullName', 'crawlAgain'] }],
        'crawl.requested': { actions: 'crawlAgain' },
      },
    },
    waiting: {
      after: { interval: 'crawling' },
      on: {
        'repository.changed': [{ guard: 'moved', target: 'crawling', actions: 'keepFullName' }],
        'crawl.requested': 'crawling',
      },
    },
    /** The Connection cannot list packages; the Repository's PackagesUnavailable condition says why. */
    unavailable: {
      after: { interval: 'crawling' },
      on: {
        // Any change of the Repository may be the PackagesUnavailable condition clearing.
        'repository.changed': { target: 'crawling', actions: 'keepFullName' },
        'crawl.requested': 'crawling',
      },
    },
    backoff: {
      after: { retry: 'crawling' },
      on: {
        'repository.changed': [{ guard: 'moved', target: 'crawling', actions: 'keepFullName' }],
        'crawl.requested': 'crawling',
      },
    },
  },
})

export type CrawlerMachine = typeof crawlerMachine
