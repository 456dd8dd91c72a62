import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Int64, Name, Str, Timestamp } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'

/** GitHub's package_type values (Gradle publishes as maven). */
export const packageTypes = ['container', 'docker', 'npm', 'maven', 'rubygems', 'nuget'] as const
export type PackageType = (typeof packageTypes)[number]

export const PackageSpec = Type.Object({
  repositoryRef: Name('Repository the package was published from.'),
})
export type PackageSpec = Static<typeof PackageSpec>

export const PackageVersion = Type.Object({
  digest: Str(256, 'Version name; for images the manifest digest (sha256:...).'),
  tags: Type.Optional(Type.Array(Str(128, 'Tag.'), { maxItems: 64, description: 'Tags on this version.' })),
  createdAt: Type.Optional(Str(64, 'When the version was published (RFC 3339).')),
})
export type PackageVersion = Static<typeof PackageVersion>

export const PackageStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  packageName: Type.Optional(Str(255, 'Package name on the host.')),
  type: Type.Optional(Str(32, 'container, docker, npm, maven, rubygems or nuget.')),
  visibility: Type.Optional(Str(32, 'public, internal or private.')),
  htmlURL: Type.Optional(Str(2048, 'Web URL.')),
  versionCount: Type.Optional(Int64('Number of versions; 0 means unknown.', { minimum: 0 })),
  updatedAt: Type.Optional(Str(64, 'Last update on the host (RFC 3339).')),
  imageRepository: Type.Optional(Str(512, 'Pullable image repository, e.g. ghcr.io/owner/name (images only).')),
  versions: Type.Optional(Type.Array(PackageVersion, { maxItems: 100, description: 'Most recent first.' })),
  lastSyncTime: Type.Optional(Timestamp('Last crawl that changed this object.')),
  conditions: Type.Optional(Conditions),
})
export type PackageStatus = Static<typeof PackageStatus>
export type Package = KubeObject<PackageSpec, PackageStatus>

export const packageKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Package',
  listKind: 'PackageList',
  plural: 'packages',
  singular: 'package',
  shortNames: ['gpkg'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A package published from a repository (observed by the crawler; read-only for tenants).',
  spec: PackageSpec,
  status: PackageStatus,
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.repositoryRef' },
    { name: 'Package', type: 'string', jsonPath: '.status.packageName' },
    { name: 'Type', type: 'string', jsonPath: '.status.type' },
    { name: 'Versions', type: 'integer', jsonPath: '.status.versionCount' },
    { name: 'Synced', type: 'date', jsonPath: '.status.lastSyncTime' },
    { name: 'Image', type: 'string', jsonPath: '.status.imageRepository', priority: 1 },
    ageColumn,
  ],
  rules: [],
  observedOnly: true,
}
