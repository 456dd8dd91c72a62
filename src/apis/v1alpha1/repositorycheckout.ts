import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Str } from '../schema.ts'
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

export const RepositoryCheckoutSpec = Type.Object({
  repositoryRef: repositoryRefField,
  ref: Type.Optional(Str(255, "Branch, tag or commit SHA; empty means the repository's default branch.")),
})
export type RepositoryCheckoutSpec = Static<typeof RepositoryCheckoutSpec>

export const RepositoryCheckoutStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  phase: Type.Optional(Phase),
  ...requestTimes,
  ref: Type.Optional(Str(255, 'Ref that was read.')),
  commitSHA: Type.Optional(Str(128, 'Commit the ref resolved to.')),
  source: Type.Optional(SourceSummary),
  bundleRef: Type.Optional(Type.Object(BundleRef.properties, { description: 'Bundle holding the files.' })),
  skipped: Type.Optional(
    Type.Array(Str(1100, 'Path with the reason, e.g. "logo.png (binary)".'), {
      maxItems: 100,
      description: 'Paths left out of the bundle, with why.',
    }),
  ),
  conditions: Type.Optional(Conditions),
})
export type RepositoryCheckoutStatus = Static<typeof RepositoryCheckoutStatus>
export type RepositoryCheckout = KubeObject<RepositoryCheckoutSpec, RepositoryCheckoutStatus>

export const repositoryCheckoutKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'RepositoryCheckout',
  listKind: 'RepositoryCheckoutList',
  plural: 'repositorycheckouts',
  singular: 'repositorycheckout',
  shortNames: ['gcheckout'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A one-shot request: read the text files of a repository at a ref into a bundle.',
  spec: RepositoryCheckoutSpec,
  status: RepositoryCheckoutStatus,
  printerColumns: [
    repositoryColumn,
    phaseColumn,
    { name: 'Ref', type: 'string', jsonPath: '.status.ref' },
    { name: 'Commit', type: 'string', jsonPath: '.status.commitSHA' },
    ageColumn,
  ],
  rules: [specIsImmutable],
}
