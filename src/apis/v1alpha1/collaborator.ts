import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, immutable, type KindDefinition, readyColumn, reasonColumn, syncedColumn } from '../kind.ts'
import { Conditions, type KubeObject, ObservedGeneration } from '../meta.ts'
import { Int64, Name, Str, StringEnum, Timestamp } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'

export const permissions = ['pull', 'triage', 'push', 'maintain', 'admin'] as const
export const collaboratorStates = ['Invited', 'Active', 'Expired'] as const
export type Permission = (typeof permissions)[number]
export type CollaboratorState = (typeof collaboratorStates)[number]

export const CollaboratorSpec = Type.Object({
  repositoryRef: Name('Repository in this workspace to grant access to.'),
  username: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$',
    description: 'Login on the git host.',
  }),
  permission: Type.Optional(
    StringEnum(permissions, 'pull (default), triage, push, maintain or admin. Personal repositories only know push.'),
  ),
})
export type CollaboratorSpec = Static<typeof CollaboratorSpec>

export const CollaboratorStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  state: Type.Optional(StringEnum(collaboratorStates, 'Invited (waiting for the user), Active, or Expired.')),
  invitationID: Type.Optional(Str(64, 'Pending invitation id on the git host.')),
  invitedAt: Type.Optional(Timestamp('When the current invitation was sent.')),
  expiresAt: Type.Optional(Timestamp('When the current invitation expires (7 days on GitHub).')),
  reinvitations: Type.Optional(Int64('Invitations re-sent after expiry (bounded).', { minimum: 0 })),
  permission: Type.Optional(Str(32, 'Permission observed on the git host.')),
  conditions: Type.Optional(Conditions),
})
export type CollaboratorStatus = Static<typeof CollaboratorStatus>
export type Collaborator = KubeObject<CollaboratorSpec, CollaboratorStatus>

export const collaboratorKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Collaborator',
  listKind: 'CollaboratorList',
  plural: 'collaborators',
  singular: 'collaborator',
  shortNames: ['gcollab'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'Access for one user to a repository, tracked from invitation to acceptance or expiry.',
  spec: CollaboratorSpec,
  status: CollaboratorStatus,
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.repositoryRef' },
    { name: 'User', type: 'string', jsonPath: '.spec.username' },
    { name: 'Permission', type: 'string', jsonPath: '.spec.permission' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    readyColumn,
    syncedColumn,
    reasonColumn,
    ageColumn,
  ],
  rules: [immutable('spec', 'repositoryRef'), immutable('spec', 'username')],
}
