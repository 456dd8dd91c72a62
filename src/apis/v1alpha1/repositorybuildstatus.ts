import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Int64, Str, StringEnum } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'
import { Phase, phaseColumn, repositoryColumn, repositoryRefField, requestTimes, specIsImmutable } from './request.ts'

export const buildActions = ['status', 'rerun'] as const

export const RepositoryBuildStatusSpec = Type.Object({
  repositoryRef: repositoryRefField,
  workflowFileName: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'Workflow file under .github/workflows, e.g. build.yml.',
  }),
  ref: Type.Optional(
    Str(255, "status: commit SHA to look for (empty: latest run). rerun: branch (empty: the repository's default)."),
  ),
  action: Type.Optional(StringEnum(buildActions, 'status (default): read the latest run; rerun: dispatch a new run.')),
  maxLogLines: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Tail length of failed job logs (default 200).' }),
  ),
})
export type RepositoryBuildStatusSpec = Static<typeof RepositoryBuildStatusSpec>

export const BuildJob = Type.Object({
  name: Str(255, 'Job name.'),
  status: Type.Optional(Str(32, 'queued, in_progress or completed.')),
  conclusion: Type.Optional(Str(32, 'success, failure, cancelled, ...')),
  failureLog: Type.Optional(Str(262144, 'Tail of the log of a failed job.')),
})

export const WorkflowRun = Type.Object({
  found: Type.Boolean({ description: 'A run exists for the workflow (and ref).' }),
  runID: Type.Optional(Int64('Run id.')),
  htmlURL: Type.Optional(Str(2048, 'Web URL of the run.')),
  headSHA: Type.Optional(Str(128, 'Commit the run built.')),
  headBranch: Type.Optional(Str(255, 'Branch the run built.')),
  status: Type.Optional(Str(32, 'queued, in_progress or completed.')),
  conclusion: Type.Optional(Str(32, 'success, failure, cancelled, ...')),
  jobs: Type.Optional(Type.Array(BuildJob, { maxItems: 100, description: 'Jobs of the run.' })),
})

export const RepositoryBuildStatusStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  phase: Type.Optional(Phase),
  ...requestTimes,
  ref: Type.Optional(Str(255, 'Ref that was used.')),
  run: Type.Optional(WorkflowRun),
  dispatched: Type.Optional(Type.Boolean({ description: 'rerun: the workflow was dispatched.' })),
  conditions: Type.Optional(Conditions),
})
export type RepositoryBuildStatusStatus = Static<typeof RepositoryBuildStatusStatus>
export type RepositoryBuildStatus = KubeObject<RepositoryBuildStatusSpec, RepositoryBuildStatusStatus>

export const repositoryBuildStatusKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'RepositoryBuildStatus',
  listKind: 'RepositoryBuildStatusList',
  plural: 'repositorybuildstatuses',
  singular: 'repositorybuildstatus',
  shortNames: ['gbuildstatus'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A one-shot request: read the latest run of a GitHub Actions workflow, or dispatch a new one.',
  spec: RepositoryBuildStatusSpec,
  status: RepositoryBuildStatusStatus,
  printerColumns: [
    repositoryColumn,
    phaseColumn,
    { name: 'Workflow', type: 'string', jsonPath: '.spec.workflowFileName' },
    { name: 'Conclusion', type: 'string', jsonPath: '.status.run.conclusion' },
    ageColumn,
  ],
  rules: [specIsImmutable],
}
