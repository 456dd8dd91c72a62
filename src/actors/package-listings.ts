// Package listings shared by every crawler of one owner. GitHub lists packages per owner and
// type only (no per-repository endpoint), so the crawlers of 100 repositories under one owner
// ask once per (credential gate, owner, type), not 100 times: a request in flight is joined, an
// answer is reused for the crawl interval, a failure for a short while (so a failing host is not
// asked once per repository). The backend's ETags make the refreshes free (304) when nothing changed.
// An image's versions are read again only when its listing moved (updated_at, version_count), or
// after `versionsMaxAgeMs` at the latest (a tag moved without either changing).
import type { OwnerKind } from '../apis/v1alpha1/connection.ts'
import type { PackageType } from '../apis/v1alpha1/package.ts'
import type { PackageListing, PackageOps, PackageVersionInfo } from '../backend/backend.ts'

/** What the cache needs of a session: its gate (credential + host) and the packages capability. */
export interface ListingSession {
  readonly gate: string
  packages?: PackageOps
}

export interface PackageListingsOptions {
  /** Reuse of an answer (the crawl interval). */
  ttlMs: number
  /** Reuse of a failure. */
  failureTtlMs: number
  /** Longest reuse of an unchanged package's versions (default 10 × ttlMs). */
  versionsMaxAgeMs?: number
  /** Monotonic milliseconds. */
  now: () => number
}

interface Entry {
  promise: Promise<unknown>
  settledAt?: number
  failed?: boolean
  /** What the answer was read for (versions: the listing's updated_at and version count). */
  fingerprint?: string
}

export interface ListingStats {
  entries: number
  /** Calls that went to the host. */
  fetched: number
  /** Calls answered by a request already in flight, or by a fresh answer. */
  shared: number
}

export class PackageListings {
  private readonly entries = new Map<string, Entry>()
  private pruneAt = 256
  private fetched = 0
  private shared = 0

  constructor(private readonly o: PackageListingsOptions) {}

  list(session: ListingSession, owner: string, ownerKind: OwnerKind, type: PackageType): Promise<PackageListing[]> {
    return this.once(`${session.gate}|${owner.toLowerCase()}|${type}`, () => need(session).list(owner, ownerKind, type))
  }

  /** Versions of the listed package (most recent first, at most 100). */
  versions(
    session: ListingSession,
    owner: string,
    ownerKind: OwnerKind,
    listing: PackageListing,
  ): Promise<PackageVersionInfo[]> {
    const { type, name } = listing
    return this.once(
      `${session.gate}|${owner.toLowerCase()}|${type}|${name}`,
      () => need(session).versions(owner, ownerKind, type, name, 100),
      {
        fingerprint: `${listing.updatedAt}|${listing.versionCount}`,
        maxAgeMs: this.o.versionsMaxAgeMs ?? 10 * this.o.ttlMs,
      },
    )
  }

  stats(): ListingStats {
    return { entries: this.entries.size, fetched: this.fetched, shared: this.shared }
  }

  private once<T>(
    key: string,
    fetch: () => Promise<T>,
    unchanged?: { fingerprint: string; maxAgeMs: number },
  ): Promise<T> {
    const now = this.o.now()
    const known = this.entries.get(key)
    if (known && this.reusable(known, now, unchanged)) {
      this.shared++
      return known.promise as Promise<T>
    }
    this.fetched++
    const entry: Entry = { promise: fetch(), ...(unchanged ? { fingerprint: unchanged.fingerprint } : {}) }
    entry.promise.then(
      () => {
        entry.settledAt = this.o.now()
      },
      () => {
        entry.settledAt = this.o.now()
        entry.failed = true
      },
    )
    this.entries.set(key, entry)
    if (this.entries.size > this.pruneAt) this.prune(now)
    return entry.promise as Promise<T>
  }

  private reusable(e: Entry, now: number, unchanged?: { fingerprint: string; maxAgeMs: number }): boolean {
    if (e.settledAt === undefined) return true // in flight: join it
    const age = now - e.settledAt
    if (e.failed) return age < this.o.failureTtlMs
    if (!unchanged) return age < this.o.ttlMs
    return e.fingerprint === unchanged.fingerprint && age < unchanged.maxAgeMs
  }

  private ttlOf(e: Entry): number {
    return e.failed
      ? this.o.failureTtlMs
      : e.fingerprint !== undefined
        ? (this.o.versionsMaxAgeMs ?? 10 * this.o.ttlMs)
        : this.o.ttlMs
  }

  /** Drop answers nobody can reuse any more (owners and packages that went away). */
  private prune(now: number): void {
    for (const [key, e] of this.entries) {
      if (e.settledAt !== undefined && now - e.settledAt >= this.ttlOf(e)) this.entries.delete(key)
    }
    this.pruneAt = Math.max(256, this.entries.size * 2)
  }
}

function need(session: ListingSession): PackageOps {
  if (!session.packages) throw new Error('this credential cannot list packages')
  return session.packages
}
