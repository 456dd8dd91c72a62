import { type Static, Type } from '@sinclair/typebox'
import { ageColumn, immutable, type KindDefinition, readyColumn, reasonColumn, syncedColumn } from '../kind.ts'
import { Conditions, type KubeObject, LocalSecretReference, ObservedGeneration } from '../meta.ts'
import { Name, Str } from '../schema.ts'
import { CATEGORY, GROUP, VERSION } from './group.ts'

/** Key types GitHub accepts (DSA has been refused since 2022). */
export const publicKeyPattern =
  '^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/]+={0,3}( .*)?$'

export const DeployKeySpec = Type.Object({
  repositoryRef: Name('Repository in this workspace the key is installed on.'),
  title: Type.Optional(Str(255, 'Title on the git host; empty means metadata.name.')),
  publicKey: Type.Optional(
    Str(8192, 'OpenSSH public key to install. Empty: the provider generates an ed25519 key pair.', {
      pattern: `${publicKeyPattern}|^$`,
    }),
  ),
  readOnly: Type.Optional(Type.Boolean({ description: 'Install without push access.' })),
})
export type DeployKeySpec = Static<typeof DeployKeySpec>

export const DeployKeyStatus = Type.Object({
  observedGeneration: Type.Optional(ObservedGeneration),
  keyID: Type.Optional(Str(64, 'Key id on the git host.')),
  fingerprint: Type.Optional(Str(128, 'SHA256 fingerprint of the installed public key.')),
  publicKey: Type.Optional(Str(8192, 'The installed public key (generated or given).')),
  secretRef: Type.Optional(
    Type.Object(LocalSecretReference.properties, {
      description: 'Secret (type kubernetes.io/ssh-auth) holding the generated private key.',
    }),
  ),
  conditions: Type.Optional(Conditions),
})
export type DeployKeyStatus = Static<typeof DeployKeyStatus>
export type DeployKey = KubeObject<DeployKeySpec, DeployKeyStatus>

export const deployKeyKind: KindDefinition = {
  group: GROUP,
  version: VERSION,
  kind: 'DeployKey',
  listKind: 'DeployKeyList',
  plural: 'deploykeys',
  singular: 'deploykey',
  shortNames: ['gkey'],
  categories: [CATEGORY],
  scope: 'Cluster',
  description: 'An SSH deploy key on a repository; bring your own public key or let the provider generate one.',
  spec: DeployKeySpec,
  status: DeployKeyStatus,
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.repositoryRef' },
    { name: 'ReadOnly', type: 'boolean', jsonPath: '.spec.readOnly' },
    { name: 'KeyID', type: 'string', jsonPath: '.status.keyID' },
    readyColumn,
    syncedColumn,
    reasonColumn,
    { name: 'Secret', type: 'string', jsonPath: '.status.secretRef.name', priority: 1 },
    ageColumn,
  ],
  rules: [immutable('spec', 'repositoryRef')],
}
