import type { KindDefinition } from '../kind.ts'
import { collaboratorKind } from './collaborator.ts'
import { connectionKind } from './connection.ts'
import { deployKeyKind } from './deploykey.ts'
import { packageKind } from './package.ts'
import { repositoryKind } from './repository.ts'
import { repositoryBuildStatusKind } from './repositorybuildstatus.ts'
import { repositoryCheckoutKind } from './repositorycheckout.ts'
import { repositoryCommitKind } from './repositorycommit.ts'

/** Every kind of group code.kedge.faros.sh, in the order people meet them. */
export const codeKinds: readonly KindDefinition[] = [
  connectionKind,
  repositoryKind,
  deployKeyKind,
  collaboratorKind,
  packageKind,
  repositoryCommitKind,
  repositoryCheckoutKind,
  repositoryBuildStatusKind,
]

export type CodeKind =
  | 'Connection'
  | 'Repository'
  | 'DeployKey'
  | 'Collaborator'
  | 'Package'
  | 'RepositoryCommit'
  | 'RepositoryCheckout'
  | 'RepositoryBuildStatus'

const byKind = new Map(codeKinds.map((k) => [k.kind, k]))
const byPlural = new Map(codeKinds.map((k) => [k.plural, k]))

export const kindDefinition = (kind: CodeKind): KindDefinition => byKind.get(kind)!
export const kindByPlural = (plural: string): KindDefinition | undefined => byPlural.get(plural)
