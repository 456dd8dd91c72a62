import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Int64, Str } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'
import {
  BundleRef,
  Phase,
  phaseColumn,
  repositoryColumn,
  repositoryRefField,
  requestTimes,
  SourceSummary,
  specIsImmutable,
} from './request.ts'

export const RepositoryCommitSpec = Type.Object({
  repositoryRef: repositoryRefField,
  branch: Type.Optional(
    Str(255, "Branch to commit to; empty means the repository's default branch. A new branch starts from it."),
  ),
  message: Type.Optional(Str(512, 'Commit message; empty means a default message.')),
  source: Type.Object(
    { bundleRef: Type.Object(BundleRef.properties, { description: 'Files to commit, staged in the bundle store.' }) },
    { description: 'Where the file contents are (never in the object itself).' },
  ),
})
export type RepositoryCommitSpec = Static<typeof RepositoryCommitSpec>

export const CommittedFile = Type.Object({
  path: Type.String({ minLength: 1, maxLength: 1024, description: 'Path in the repository.' }),
  size: Type.Optional(Int64('Bytes.', { minimum: 0 })),
  digest: Type.Optional(Str(96, 'Content digest.')),
  delete: Type.Optional(Type.Boolean({ description: 'The path was deleted.' })),
})

export const RepositoryCommitStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  phase: Type.Optional(Phase),
  ...requestTimes,
  branch: Type.Optional(Str(255, 'Branch committed to.')),
  commitSHA: Type.Optional(Str(128, 'The commit.')),
  commitURL: Type.Optional(Str(2048, 'Web URL of the commit.')),
  source: Type.Optional(SourceSummary),
  files: Type.Optional(
    Type.Array(CommittedFile, {
      maxItems: 500,
      description: 'What the commit wrote.',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['path'],
    }),
  ),
  conditions: Type.Optional(Conditions),
})
export type RepositoryCommitStatus = Static<typeof RepositoryCommitStatus>
export type RepositoryCommit = KubeObject<RepositoryCommitSpec, RepositoryCommitStatus>

export const repositoryCommitKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'RepositoryCommit',
  listKind: 'RepositoryCommitList',
  plural: 'repositorycommits',
  singular: 'repositorycommit',
  shortNames: ['gcommit'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A one-shot request: write a staged bundle of files as one commit (no clone).',
  spec: RepositoryCommitSpec,
  status: RepositoryCommitStatus,
  printerColumns: [
    repositoryColumn,
    phaseColumn,
    { name: 'Branch', type: 'string', jsonPath: '.status.branch' },
    { name: 'Commit', type: 'string', jsonPath: '.status.commitSHA' },
    ageColumn,
  ],
  rules: [specIsImmutable],
}
