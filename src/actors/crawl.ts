// One crawl of one Repository: the owner's shared listings filtered to this repository, fanned
// out to its own Package objects. It diffs against the informer cache (no extra API reads),
// writes only what changed, removes what vanished, and leaves the Packages of a type it could
// not list as they were (a failing host never empties the list).
import type { Connection } from '../apis/v1alpha1/connection.ts'
import { LABEL_REPOSITORY } from '../apis/v1alpha1/labels.ts'
import { type Package, type PackageType, packageTypes } from '../apis/v1alpha1/package.ts'
import type { Repository } from '../apis/v1alpha1/repository.ts'
import type { GitBackend, GitSession, ResponseInfo } from '../backend/backend.ts'
import { isClusterError, type ProviderCluster, resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'
import type { CrawlerKey, CrawlOutcome, CrawlSummary } from '../machines/crawler.machine.ts'
import { crawls } from '../machines/crawler.machine.ts'
import type { CredentialResolver } from './credentials.ts'
import { Waiting } from './failures.ts'
import type { PackageListings } from './package-listings.ts'
import {
  hasImageVersions,
  newPackageObject,
  type ObservedPackage,
  observedStatus,
  ownedBy,
  packageObjectName,
  packageStatus,
  packageStatusDiffers,
} from './package-objects.ts'
import { readyDependency, sessionFor } from './reconcilers/context.ts'
import { packagesUnavailable } from './reconcilers/scopes.ts'
import type { ObjectStore } from './store.ts'

export interface CrawlDeps {
  cluster: ProviderCluster
  backend: GitBackend
  store: ObjectStore
  credentials: CredentialResolver
  listings: PackageListings
  now: () => Date
}

/** Thrown after a partial crawl: what could be written was, the rest was kept. */
export class CrawlFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly summary: CrawlSummary,
  ) {
    super((error as Error)?.message ?? String(error))
  }
}

const unavailable = (reason: string, message: string): CrawlOutcome => ({ result: 'unavailable', reason, message })

/** The Repository's packages on the host, by object name; failures per type. */
async function observe(
  d: CrawlDeps,
  session: GitSession,
  repository: Repository,
): Promise<{ observed: Map<string, ObservedPackage>; failedTypes: Set<PackageType>; errors: unknown[] }> {
  const [owner, hostName] = repository.status!.fullName!.split('/') as [string, string]
  const ownerKind = repository.status?.ownerKind ?? (await session.ownerKind(owner))
  const packages = session.packages!
  const observed = new Map<string, ObservedPackage>()
  const failedTypes = new Set<PackageType>()
  const errors: unknown[] = []
  await Promise.all(
    packageTypes.map(async (type) => {
      let listing: Awaited<ReturnType<PackageListings['list']>>
      try {
        listing = await d.listings.list(session, owner, ownerKind, type)
      } catch (e) {
        failedTypes.add(type)
        errors.push(e)
        return
      }
      for (const l of listing.filter((p) => p.repository?.toLowerCase() === hostName.toLowerCase())) {
        const name = packageObjectName(repository.metadata.name, type, l.name)
        const image = hasImageVersions(type)
        let versions: ObservedPackage['versions']
        if (image) {
          versions = await d.listings.versions(session, owner, ownerKind, l).catch((e) => {
            errors.push(e) // keep the versions already known; say so through the failure
            return undefined
          })
        }
        observed.set(name, {
          listing: l,
          ...(versions ? { versions } : {}),
          ...(image ? { imageRepository: packages.imageRepository(owner, l.name) } : {}),
        })
      }
    }),
  )
  return { observed, failedTypes, errors }
}

async function createPackage(client: WorkspaceClient, repository: Repository, p: ObservedPackage): Promise<Package> {
  const fresh = newPackageObject(repository, p.listing.type, p.listing.name)
  try {
    return await client.create(resourceTypes.Package, fresh)
  } catch (e) {
    // Created a moment ago and not in the cache yet (or by another replica): write its status.
    if (isClusterError(e, 'already-exists')) return fresh
    throw e
  }
}

export async function crawlPackages(
  d: CrawlDeps,
  key: CrawlerKey,
  onResponse?: (info: ResponseInfo) => void,
): Promise<CrawlOutcome> {
  const repository = d.store.get<Repository>(key.cluster, 'Repository', key.repository)
  if (!crawls(repository)) return unavailable('DependencyNotReady', `Repository "${key.repository}" is not ready`)
  const lookup = { cluster: key.cluster, store: d.store, backend: d.backend, credentials: d.credentials, onResponse }
  let session: GitSession
  try {
    const connection = readyDependency<Connection>(lookup, 'Connection', repository!.spec.connectionRef)
    const why = packagesUnavailable(connection)
    if (why) return unavailable(why.reason, why.message)
    session = await sessionFor(lookup, connection)
  } catch (e) {
    if (e instanceof Waiting) return unavailable('DependencyNotReady', e.message)
    throw e
  }
  if (!session.packages) return unavailable('UnsupportedTokenType', 'this credential cannot list packages')

  const repo = repository as Repository
  const { observed, failedTypes, errors } = await observe(d, session, repo)
  const client = d.cluster.workspace(key.cluster)
  const now = d.now().toISOString()
  const summary: CrawlSummary = { packages: observed.size, created: 0, updated: 0, deleted: 0 }
  const existing = new Map(
    d.store
      .list<Package>(key.cluster, 'Package')
      .filter((p) => p.metadata.labels?.[LABEL_REPOSITORY] === key.repository)
      .map((p) => [p.metadata.name, p]),
  )
  const act = async (what: () => Promise<unknown>) => {
    try {
      await what()
    } catch (e) {
      if (!isClusterError(e, 'not-found')) errors.push(e)
    }
  }

  for (const [name, pkg] of existing) {
    const type = pkg.status?.type as PackageType | undefined
    const vanished = !observed.has(name) && !(type && failedTypes.has(type))
    if (vanished || !ownedBy(pkg, repo)) {
      // Gone from the host, or left over from an earlier Repository of the same name.
      await act(async () => {
        await client.delete(resourceTypes.Package, name)
        if (vanished) summary.deleted++
        existing.delete(name)
      })
    }
  }
  for (const [name, p] of observed) {
    const current = existing.get(name)
    await act(async () => {
      const stored = current ?? (await createPackage(client, repo, p))
      const generation = stored.metadata.generation ?? 1
      const next = observedStatus(p, current?.status)
      if (!packageStatusDiffers(next, current?.status, generation)) return
      const status = packageStatus(next, current?.status, generation, repo.status!.fullName!, now)
      await client.patch(resourceTypes.Package, name, { status }, { subresource: 'status' })
      if (current) summary.updated++
      else summary.created++
    })
  }
  if (errors.length > 0) throw new CrawlFailed(errors[0], summary)
  return { result: 'crawled', summary }
}
