// Package objects as the crawler writes them: a deterministic name per (repository, type,
// package), labelled with and owned by the Repository (garbage-collected with it), and a status
// that is rewritten only when something observable changed. Pure.
import { createHash } from 'node:crypto'
import type { Condition } from '../apis/meta.ts'
import { Reason } from '../apis/v1alpha1/conditions.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { LABEL_REPOSITORY } from '../apis/v1alpha1/labels.ts'
import type { Package, PackageStatus, PackageType, PackageVersion } from '../apis/v1alpha1/package.ts'
import type { Repository } from '../apis/v1alpha1/repository.ts'
import type { PackageListing, PackageVersionInfo } from '../backend/backend.ts'

const MAX_NAME = 253
const HASH_HEX = 10

/**
 * `<repository>-<type>-<package>` made a valid object name (lower case, runs of anything else
 * become one `-`), cut to fit, then `-` and 10 hex of sha256 over the three parts, so names that
 * sanitize alike stay apart. At most 253 characters.
 */
export function packageObjectName(repository: string, type: string, name: string): string {
  const hash = createHash('sha256').update(`${repository}\0${type}\0${name}`).digest('hex').slice(0, HASH_HEX)
  const readable = `${repository}-${type}-${name}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_NAME - HASH_HEX - 1)
    .replace(/^-+|-+$/g, '')
  return `${readable || 'package'}-${hash}`
}

/** What the crawler saw of one package on the host. */
export interface ObservedPackage {
  listing: PackageListing
  /** Container images: most recent first (undefined when they could not be read this time). */
  versions?: PackageVersionInfo[]
  imageRepository?: string
}

/** Version metadata is kept for images (digests and tags), as people pull them by those. */
export const hasImageVersions = (type: PackageType) => type === 'container' || type === 'docker'

const MAX_VERSIONS = 100
const MAX_TAGS = 64

function versionsOf(observed: PackageVersionInfo[]): PackageVersion[] {
  return [...observed]
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
    .slice(0, MAX_VERSIONS)
    .map((v) => ({
      digest: v.digest.slice(0, 256),
      ...(v.tags.length > 0 ? { tags: v.tags.filter((t) => t.length <= 128).slice(0, MAX_TAGS) } : {}),
      ...(v.createdAt ? { createdAt: v.createdAt } : {}),
    }))
}

/** The observable part of a Package's status (what decides whether to write). */
export function observedStatus(p: ObservedPackage, previous: PackageStatus | undefined): PackageStatus {
  const l = p.listing
  const versions = p.versions ? versionsOf(p.versions) : previous?.versions
  return {
    packageName: l.name,
    type: l.type,
    visibility: l.visibility,
    htmlURL: l.htmlURL,
    // GitHub's count lags for images; never say fewer than we listed.
    versionCount: Math.max(l.versionCount, versions?.length ?? 0),
    updatedAt: l.updatedAt,
    ...(p.imageRepository ? { imageRepository: p.imageRepository } : {}),
    ...(versions ? { versions } : {}),
  }
}

const observableKeys = [
  'packageName',
  'type',
  'visibility',
  'htmlURL',
  'versionCount',
  'updatedAt',
  'imageRepository',
  'versions',
] as const

const readyOf = (s: PackageStatus | undefined) =>
  (s?.conditions as Condition[] | undefined)?.find((c) => c.type === 'Ready')

/** True when writing `next` would change what the object says (sync time and condition times aside). */
export function packageStatusDiffers(next: PackageStatus, current: PackageStatus | undefined, generation: number) {
  if (!current || current.observedGeneration !== generation) return true
  if (readyOf(current)?.status !== 'True') return true
  return observableKeys.some((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]))
}

/** The full status to write: observable fields, the sync time, and Ready. */
export function packageStatus(
  observed: PackageStatus,
  current: PackageStatus | undefined,
  generation: number,
  fullName: string,
  now: string,
): PackageStatus {
  const ready = readyOf(current)
  return {
    ...observed,
    observedGeneration: generation,
    lastSyncTime: now,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: Reason.Available,
        message: `published from ${fullName}`,
        observedGeneration: generation,
        lastTransitionTime: ready?.status === 'True' ? ready.lastTransitionTime : now,
      },
    ],
  }
}

/** A new Package object (status is written separately, on the status subresource). */
export function newPackageObject(repository: Repository, type: PackageType, packageName: string): Package {
  return {
    apiVersion: API_VERSION,
    kind: 'Package',
    metadata: {
      name: packageObjectName(repository.metadata.name, type, packageName),
      labels: { [LABEL_REPOSITORY]: repository.metadata.name },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: 'Repository',
          name: repository.metadata.name,
          uid: repository.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { repositoryRef: repository.metadata.name },
  }
}

/** Written for this Repository (a re-created Repository of the same name has another uid). */
export const ownedBy = (pkg: Package, repository: Repository) =>
  pkg.metadata.ownerReferences?.some((r) => r.kind === 'Repository' && r.uid === repository.metadata.uid) === true
