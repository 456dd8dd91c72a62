import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition, readyColumn, reasonColumn, syncedColumn } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Name, Str, StringEnum, Timestamp } from '../schema.ts'
import { ownerKinds } from './connection.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'

export const visibilities = ['private', 'public', 'internal'] as const
export const deletionPolicies = ['Delete', 'Orphan', 'Archive'] as const
export const ownerships = ['Created', 'Adopted'] as const
export type Visibility = (typeof visibilities)[number]
export type DeletionPolicy = (typeof deletionPolicies)[number]

// Kubernetes evaluates patterns with RE2 (no look-ahead), so "." and ".." are ruled out by a rule below.
const repoNamePattern = '^[A-Za-z0-9_.-]+$'
const ownerPattern = '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$'

export const RepositoryTemplate = Type.Object({
  owner: Type.String({ minLength: 1, maxLength: 100, pattern: ownerPattern, description: 'Template owner.' }),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: repoNamePattern, description: 'Template repository.' }),
  includeAllBranches: Type.Optional(Type.Boolean({ description: 'Copy every branch, not only the default one.' })),
})

export const RepositorySpec = Type.Object({
  connectionRef: Name('Connection in this workspace whose credential manages the repository.'),
  name: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: repoNamePattern,
    description:
      'Repository name on the git host (letters, digits, ".", "-", "_"). Changing it renames the repository.',
  }),
  owner: Type.Optional(
    Type.String({
      maxLength: 100,
      pattern: `${ownerPattern}|^$`,
      description: "Organization or user to create under; empty means the Connection's owner.",
    }),
  ),
  visibility: Type.Optional(StringEnum(visibilities, 'private (default), public, or internal (organizations only).')),
  description: Type.Optional(Str(2048, 'Short description shown on the git host.')),
  homepage: Type.Optional(Str(2048, 'Website URL shown on the git host.')),
  topics: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Topic.' }), {
      maxItems: 20,
      description: 'Topics (lower-case letters, digits and "-").',
      'x-kubernetes-list-type': 'set',
    }),
  ),
  hasIssues: Type.Optional(Type.Boolean({ description: 'Enable issues (host default: true).' })),
  hasWiki: Type.Optional(Type.Boolean({ description: 'Enable the wiki (host default: true).' })),
  hasProjects: Type.Optional(Type.Boolean({ description: 'Enable projects (host default: true).' })),
  archived: Type.Optional(Type.Boolean({ description: 'Archive (read-only) or unarchive the repository.' })),
  defaultBranch: Type.Optional(Str(255, 'Default branch; applied after creation once the branch exists.')),
  autoInit: Type.Optional(Type.Boolean({ description: 'Create an initial commit with a README (creation only).' })),
  template: Type.Optional(
    Type.Object(RepositoryTemplate.properties, {
      description: 'Create from this template repository (creation only).',
    }),
  ),
  gitignoreTemplate: Type.Optional(Str(100, 'gitignore template, e.g. Go (creation only).')),
  licenseTemplate: Type.Optional(Str(100, 'License keyword, e.g. mit (creation only).')),
  adopt: Type.Optional(
    Type.Boolean({
      description:
        'Take over a repository that already exists under this name. Without it, an existing repository is an error.',
    }),
  ),
  deletionPolicy: Type.Optional(
    StringEnum(
      deletionPolicies,
      'What deleting this object does on the host: Delete, Orphan (leave it) or Archive. Default: Delete for repositories this provider created, Orphan for adopted ones.',
    ),
  ),
})
export type RepositorySpec = Static<typeof RepositorySpec>

export const RepositoryStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  repoID: Type.Optional(Str(64, 'Numeric repository id on the host.')),
  fullName: Type.Optional(Str(201, 'owner/name on the host.')),
  htmlURL: Type.Optional(Str(2048, 'Web URL.')),
  cloneURL: Type.Optional(Str(2048, 'HTTPS clone URL.')),
  sshURL: Type.Optional(Str(2048, 'SSH clone URL.')),
  defaultBranch: Type.Optional(Str(255, 'Default branch observed on the host.')),
  visibility: Type.Optional(Str(32, 'Visibility observed on the host.')),
  archived: Type.Optional(Type.Boolean({ description: 'Archived on the host.' })),
  ownerKind: Type.Optional(StringEnum(ownerKinds, 'Whether the owner is an organization or a user.')),
  ownership: Type.Optional(StringEnum(ownerships, 'Created by this provider, or Adopted through spec.adopt.')),
  createdAt: Type.Optional(Timestamp('When the repository was created on the host.')),
  createRequestedAt: Type.Optional(
    Timestamp('Set just before the create call: after a crash, a repository created after it is ours, not a stranger.'),
  ),
  conditions: Type.Optional(Conditions),
})
export type RepositoryStatus = Static<typeof RepositoryStatus>
export type Repository = KubeObject<RepositorySpec, RepositoryStatus>

/** What deleting the object does on the host: spec.deletionPolicy, else Delete for repositories created here and Orphan for adopted ones. */
export const effectiveDeletionPolicy = (r: Repository): DeletionPolicy =>
  r.spec.deletionPolicy ?? (r.status?.ownership === 'Adopted' ? 'Orphan' : 'Delete')

/** Whether anything was (or may have been) created on the host: without it, deletion has nothing to undo. */
export const reachedHost = (r: Repository): boolean => Boolean(r.status?.repoID || r.status?.createRequestedAt)

export const repositoryKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Repository',
  listKind: 'RepositoryList',
  plural: 'repositories',
  singular: 'repository',
  shortNames: ['grepo'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A repository on the git host, created (or explicitly adopted) and kept in line with spec.',
  spec: RepositorySpec,
  status: RepositoryStatus,
  printerColumns: [
    { name: 'Connection', type: 'string', jsonPath: '.spec.connectionRef' },
    { name: 'Repo', type: 'string', jsonPath: '.spec.name' },
    { name: 'Visibility', type: 'string', jsonPath: '.spec.visibility' },
    { name: 'URL', type: 'string', jsonPath: '.status.htmlURL' },
    readyColumn,
    syncedColumn,
    reasonColumn,
    { name: 'Policy', type: 'string', jsonPath: '.spec.deletionPolicy', priority: 1 },
    ageColumn,
  ],
  rules: [
    {
      on: 'spec',
      rule: "self.name != '.' && self.name != '..'",
      message: 'name cannot be "." or ".."',
      fieldPath: '.name',
      check: (s) => !['.', '..'].includes((s as RepositorySpec).name),
    },
    {
      on: 'spec',
      rule: '!has(self.template) || !has(self.autoInit) || !self.autoInit',
      message: 'autoInit cannot be combined with template',
      fieldPath: '.autoInit',
      check: (s) => (s as RepositorySpec).template === undefined || (s as RepositorySpec).autoInit !== true,
    },
  ],
}
