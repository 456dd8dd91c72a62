// What the pages read: objects from the informer cache and the live state of their actors, for
// a workspace whose access was already checked as the caller. No API call, no GitHub call.

import type { ResourceState } from '../../views/components/status.tsx'
import type { CrawlStatus } from '../../views/pages/packages.tsx'
import type { ActorView } from '../actors/actor-view.ts'
import type { Runtime } from '../actors/runtime.ts'
import type { Condition, KubeObject } from '../apis/meta.ts'
import type { Collaborator } from '../apis/v1alpha1/collaborator.ts'
import type { Connection } from '../apis/v1alpha1/connection.ts'
import type { DeployKey } from '../apis/v1alpha1/deploykey.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import { LABEL_REPOSITORY } from '../apis/v1alpha1/labels.ts'
import type { Package } from '../apis/v1alpha1/package.ts'
import type { Repository } from '../apis/v1alpha1/repository.ts'

/** How soon a moving resource asks again; waiting on another resource is slower. */
export const POLL_MS = 2000
export const WAITING_POLL_MS = 5000

type Reconciled = 'Connection' | 'Repository' | 'DeployKey' | 'Collaborator'

const conditionsOf = (o: KubeObject) =>
  ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []) as Condition[]

/**
 * Where a resource stands, from its conditions (what the API says) and its actor (what the
 * provider is doing right now). Settled states carry no pollMs: the page stops asking.
 */
export function stateOf(kind: Reconciled, o: KubeObject, actor: ActorView | undefined): ResourceState {
  const ready = conditionsOf(o).find((c) => c.type === 'Ready')
  const generation = o.metadata.generation ?? 0
  const observed = (o.status as { observedGeneration?: number } | undefined)?.observedGeneration
  const current = (observed ?? ready?.observedGeneration ?? -1) >= generation
  const state = actor?.state
  const error = actor?.lastError?.message
  if (o.metadata.deletionTimestamp) {
    if (state === 'deletionBlocked')
      return { phase: 'failed', label: 'Cannot delete', message: error, pollMs: WAITING_POLL_MS }
    return {
      phase: 'deleting',
      label: 'Deleting',
      message: state === 'deletionBackoff' ? error : undefined,
      pollMs: POLL_MS,
    }
  }
  if (state === 'blocked') return { phase: 'failed', label: 'Needs attention', message: error ?? ready?.message }
  if (state === 'backoff') return { phase: 'retrying', label: 'Retrying', message: error, pollMs: POLL_MS }
  if (state === 'waiting') {
    return { phase: 'waiting', label: 'Waiting', message: actor?.waitingFor?.message, pollMs: WAITING_POLL_MS }
  }
  if (ready?.status === 'True') {
    if (current) return { phase: 'ready', label: kind === 'Connection' ? 'Validated' : 'Ready' }
    return { phase: 'updating', label: 'Updating', pollMs: POLL_MS }
  }
  if (ready?.status === 'False' && ready.reason !== 'Creating') {
    // With no actor nothing is about to change; with one, it is trying again.
    if (!actor) return { phase: 'failed', label: 'Needs attention', message: ready.message }
    return { phase: 'retrying', label: 'Retrying', message: ready.message, pollMs: POLL_MS }
  }
  return {
    phase: actor ? 'provisioning' : 'pending',
    label: kind === 'Connection' ? 'Validating' : actor ? 'Creating' : 'Pending',
    pollMs: POLL_MS,
  }
}

/** A package crawler's view, as the repository page says it. */
export function crawlStatus(view: ActorView | undefined): CrawlStatus | undefined {
  if (!view) return undefined
  const unavailable = view.detail?.unavailable
  return {
    crawling: view.state === 'crawling' || view.state === 'starting',
    since: view.since,
    next: view.nextWakeAt,
    problem:
      view.state === 'unavailable' && unavailable
        ? `Packages cannot be listed with this repository's connection (${unavailable}).`
        : view.state === 'backoff' && view.lastError
          ? `The last look failed and is retried soon: ${view.lastError.message}`
          : undefined,
  }
}

const byName = <T extends KubeObject>(a: T, b: T) => (a.metadata.name < b.metadata.name ? -1 : 1)

/**
 * The sorted list of one kind in one workspace, re-sorted only when the cache changed: the same
 * objects in the same order (every update replaces an object) reuse the last sort. Pages poll;
 * between changes a page costs no sort. Bounded, oldest entries go first.
 */
const sorted = new Map<string, { source: KubeObject[]; sorted: KubeObject[] }>()
const MAX_SORTED = 4096

function sortedByName<T extends KubeObject>(key: string, source: T[]): T[] {
  const hit = sorted.get(key)
  if (hit && hit.source.length === source.length && hit.source.every((o, i) => o === source[i])) {
    return hit.sorted as T[]
  }
  const result = [...source].sort(byName)
  sorted.delete(key)
  sorted.set(key, { source, sorted: result })
  if (sorted.size > MAX_SORTED) sorted.delete(sorted.keys().next().value!)
  return result
}

/** Reads for one workspace (its logical cluster id). */
export function workspaceState(runtime: Runtime, cluster: string) {
  const list = <T extends KubeObject>(kind: CodeKind) =>
    sortedByName(`${cluster}/${kind}`, runtime.objects<T>(cluster, kind))
  const state = (kind: Reconciled, o: KubeObject) => stateOf(kind, o, runtime.actor(cluster, kind, o.metadata.name))
  return {
    state,
    connection: (name: string) => runtime.object<Connection>(cluster, 'Connection', name),
    repository: (name: string) => runtime.object<Repository>(cluster, 'Repository', name),
    deployKey: (name: string) => runtime.object<DeployKey>(cluster, 'DeployKey', name),
    collaborator: (name: string) => runtime.object<Collaborator>(cluster, 'Collaborator', name),
    crawl: (repository: string) => crawlStatus(runtime.actor(cluster, 'Crawler', repository)),
    connections: () => list<Connection>('Connection'),
    repositories: () => list<Repository>('Repository'),
    packages: () => list<Package>('Package'),
    repositoriesUsing: (connection: string) =>
      runtime
        .objects<Repository>(cluster, 'Repository')
        .filter((r) => r.spec.connectionRef === connection)
        .map((r) => r.metadata.name)
        .sort(),
    deployKeysOf: (repository: string) =>
      runtime
        .objects<DeployKey>(cluster, 'DeployKey')
        .filter((k) => k.spec.repositoryRef === repository)
        .sort(byName),
    collaboratorsOf: (repository: string) =>
      runtime
        .objects<Collaborator>(cluster, 'Collaborator')
        .filter((c) => c.spec.repositoryRef === repository)
        .sort(byName),
    packagesOf: (repository: string) =>
      runtime
        .objects<Package>(cluster, 'Package')
        .filter((p) => p.spec.repositoryRef === repository || p.metadata.labels?.[LABEL_REPOSITORY] === repository)
        .sort(byName),
  }
}

export type WorkspaceState = ReturnType<typeof workspaceState>

/**
 * Read your own writes: the cache follows the API by a watch event (milliseconds). Wait until it
 * has the written version (or, after a delete, the deletion), so the next page shows the change.
 */
export async function settle(
  runtime: Runtime,
  cluster: string,
  kind: CodeKind,
  name: string,
  done: (cached: KubeObject | undefined) => boolean,
  timeoutMs = 3000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (done(runtime.object(cluster, kind, name))) return true
    if (Date.now() > deadline) return false
    await Bun.sleep(10)
  }
}

/** The cache holds `written` or something newer (resourceVersions are numbers in kcp and ours). */
export const holds = (written: KubeObject) => (cached: KubeObject | undefined) =>
  cached !== undefined &&
  cached.metadata.uid === written.metadata.uid &&
  Number(cached.metadata.resourceVersion) >= Number(written.metadata.resourceVersion)

export const gone = (cached: KubeObject | undefined) => cached === undefined || !!cached.metadata.deletionTimestamp
