import { GROUP } from './group.ts'

/** Set on Packages and the repository requests: which Repository they belong to. */
export const LABEL_REPOSITORY = `${GROUP}/repository`
/** Set by kcp on every object: the logical cluster it lives in. */
export const ANNOTATION_CLUSTER = 'kcp.io/cluster'

export const FINALIZERS = {
  Connection: `connections.${GROUP}/finalizer`,
  Repository: `repositories.${GROUP}/finalizer`,
  DeployKey: `deploykeys.${GROUP}/finalizer`,
  Collaborator: `collaborators.${GROUP}/finalizer`,
} as const

/** Default data keys inside referenced Secrets. */
export const SECRET_KEYS = {
  token: 'token',
  githubAppPrivateKey: 'private-key.pem',
  sshPrivateKey: 'ssh-privatekey',
  sshPublicKey: 'ssh-publickey',
} as const
