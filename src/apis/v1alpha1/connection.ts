import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, type KindDefinition, readyColumn, reasonColumn } from '../kind.ts'
import { Conditions, type KubeObject, LocalSecretReference, ObservedGeneration } from '../meta.ts'
import { Int64, Str, StringEnum, Timestamp } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'

export const connectionProviders = ['github'] as const
export const connectionTypes = ['pat', 'oauth', 'github-app'] as const
export const tokenKinds = [
  'classic-pat',
  'fine-grained-pat',
  'oauth',
  'github-app-user',
  'github-app-installation',
  'unknown',
] as const
export const ownerKinds = ['Organization', 'User'] as const
export type TokenKind = (typeof tokenKinds)[number]
export type OwnerKind = (typeof ownerKinds)[number]
export type ConnectionType = (typeof connectionTypes)[number]

export const GitHubAppSpec = Type.Object({
  appID: Int64('GitHub App ID.', { minimum: 1 }),
  installationID: Int64('Installation of the App on the owner account.', { minimum: 1 }),
  privateKeySecretRef: LocalSecretReference,
})

export const ConnectionSpec = Type.Object({
  provider: StringEnum(connectionProviders, 'Git host: github (github.com or GitHub Enterprise Server).'),
  type: StringEnum(connectionTypes, 'Credential kind: pat (personal access token), oauth, or github-app.'),
  owner: Type.String({ minLength: 1, maxLength: 100, description: 'Organization or user that owns repositories.' }),
  secretRef: Type.Optional(
    Type.Object(LocalSecretReference.properties, {
      description: 'Secret holding the token (key default "token"). Required for pat and oauth.',
    }),
  ),
  githubApp: Type.Optional(
    Type.Object(GitHubAppSpec.properties, { description: 'GitHub App credentials. Required for github-app.' }),
  ),
  baseURL: Type.Optional(
    Str(2048, 'GitHub Enterprise Server API URL, e.g. https://ghe.example.com/api/v3. Empty means github.com.', {
      pattern: '^(https?://.+)?$',
    }),
  ),
})
export type ConnectionSpec = Static<typeof ConnectionSpec>

export const DisabledFeature = Type.Object({
  feature: Str(64, 'Feature that cannot work with this credential, e.g. packages.'),
  reason: Str(512, 'Why, e.g. the missing scope.'),
})

export const ConnectionStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  login: Type.Optional(Str(100, 'Account the credential authenticates as.')),
  scopes: Type.Optional(Type.Array(Str(100, 'OAuth scope.'), { maxItems: 64, description: 'From X-OAuth-Scopes.' })),
  tokenKind: Type.Optional(StringEnum(tokenKinds, 'Kind of token, from its prefix.')),
  ownerKind: Type.Optional(StringEnum(ownerKinds, 'Whether spec.owner is an organization or a user.')),
  disabledFeatures: Type.Optional(
    Type.Array(DisabledFeature, { maxItems: 16, description: 'Features a missing scope or the token kind disables.' }),
  ),
  lastValidatedTime: Type.Optional(Timestamp('When the credential was last checked against the git host.')),
  conditions: Type.Optional(Conditions),
})
export type ConnectionStatus = Static<typeof ConnectionStatus>
export type Connection = KubeObject<ConnectionSpec, ConnectionStatus>

export const connectionKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'Connection',
  listKind: 'ConnectionList',
  plural: 'connections',
  singular: 'connection',
  shortNames: ['gconn'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'A credential for one git-host account; repositories are created under spec.owner.',
  spec: ConnectionSpec,
  status: ConnectionStatus,
  printerColumns: [
    { name: 'Provider', type: 'string', jsonPath: '.spec.provider' },
    { name: 'Owner', type: 'string', jsonPath: '.spec.owner' },
    { name: 'Login', type: 'string', jsonPath: '.status.login' },
    { name: 'Validated', type: 'string', jsonPath: '.status.conditions[?(@.type=="Validated")].status' },
    readyColumn,
    reasonColumn,
    { name: 'Type', type: 'string', jsonPath: '.spec.type', priority: 1 },
    ageColumn,
  ],
  rules: [
    {
      on: 'spec',
      rule: "self.type == 'github-app' || has(self.secretRef)",
      message: 'secretRef is required for pat and oauth connections',
      fieldPath: '.secretRef',
      check: (s) => (s as ConnectionSpec).type === 'github-app' || (s as ConnectionSpec).secretRef !== undefined,
    },
    {
      on: 'spec',
      rule: "self.type != 'github-app' || has(self.githubApp)",
      message: 'githubApp is required for github-app connections',
      fieldPath: '.githubApp',
      check: (s) => (s as ConnectionSpec).type !== 'github-app' || (s as ConnectionSpec).githubApp !== undefined,
    },
  ],
}
