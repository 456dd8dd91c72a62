// DeployKey: install a key on the repository: the given public key, or a generated ed25519 pair
// whose private half lives in an owned `kubernetes.io/ssh-auth` Secret. Keys are immutable on
// the host, so any change replaces the key (delete, then create: a key can be installed once).
import { createHash } from 'node:crypto'
import type { KubeObject } from '../../apis/meta.ts'
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { DeployKey } from '../../apis/v1alpha1/deploykey.ts'
import { API_VERSION } from '../../apis/v1alpha1/group.ts'
import { FINALIZERS, SECRET_KEYS } from '../../apis/v1alpha1/labels.ts'
import type { DesiredDeployKey, ObservedDeployKey } from '../../backend/backend.ts'
import { isBackendError } from '../../backend/errors.ts'
import { isClusterError, resourceTypes } from '../../cluster/cluster.ts'
import type { HostChange } from '../../machines/events.ts'
import { Failure } from '../failures.ts'
import { fingerprint, generateEd25519, keyMaterial } from '../ssh-keys.ts'
import {
  cleanupTarget,
  nothingLeftToRemove,
  type ReconcileContext,
  type Reconciler,
  repositoryTarget,
} from './context.ts'

type SecretObject = KubeObject & { type?: string; data?: Record<string, string> }
interface Material {
  publicKey: string
  secretRef?: { name: string; namespace: string; key: string }
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** `deploykey-<name>`, shortened with a hash when it would exceed the 253-character limit. */
export function generatedSecretName(keyName: string): string {
  const name = `deploykey-${keyName}`
  if (name.length <= 253) return name
  const hash = createHash('sha256').update(keyName).digest('hex').slice(0, 10)
  return `${name.slice(0, 242).replace(/[-.]+$/, '')}-${hash}`
}

async function material(key: DeployKey, ctx: ReconcileContext): Promise<Material> {
  const given = key.spec.publicKey?.trim()
  if (given) return { publicKey: given }
  const namespace = ctx.settings.credentialsNamespace
  const name = generatedSecretName(key.metadata.name)
  const secretRef = { name, namespace, key: SECRET_KEYS.sshPrivateKey }
  const read = async () => {
    const existing = await ctx.client.get<SecretObject>(resourceTypes.Secret, name, namespace)
    const pub = existing?.data?.[SECRET_KEYS.sshPublicKey]
    return pub ? Buffer.from(pub, 'base64').toString('utf8').trim() : undefined
  }
  const reused = await read()
  if (reused) return { publicKey: reused, secretRef }
  const pair = generateEd25519(`${key.metadata.name}@kedge`)
  const secret: SecretObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace,
      labels: { 'code.kedge.faros.sh/deploykey': key.metadata.name },
      ownerReferences: [
        {
          apiVersion: API_VERSION,
          kind: 'DeployKey',
          name: key.metadata.name,
          uid: key.metadata.uid!,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: undefined,
    type: 'kubernetes.io/ssh-auth',
    data: { [SECRET_KEYS.sshPrivateKey]: b64(pair.privateKey), [SECRET_KEYS.sshPublicKey]: b64(pair.publicKey) },
  }
  try {
    await ctx.client.create(resourceTypes.Secret, secret)
    return { publicKey: pair.publicKey, secretRef }
  } catch (e) {
    if (!isClusterError(e, 'already-exists')) throw e
    const raced = await read()
    if (!raced) throw e
    return { publicKey: raced, secretRef }
  }
}

async function dropGeneratedSecret(key: DeployKey, ctx: ReconcileContext) {
  const ref = key.status?.secretRef
  if (ref) await ctx.client.delete(resourceTypes.Secret, ref.name, ref.namespace || ctx.settings.credentialsNamespace)
}

const keyInUse = (e: unknown) =>
  isBackendError(e) && e.reason === 'key-in-use'
    ? new Failure(
        Reason.KeyInUse,
        'this public key is already installed on another repository (GitHub allows a deploy key on one repository only): use a different key, or leave spec.publicKey empty to have one generated',
      )
    : e

export const deployKeyReconciler: Reconciler<DeployKey> = {
  finalizer: FINALIZERS.DeployKey,

  async reconcile(key, ctx) {
    const t = await repositoryTarget(ctx, key.spec.repositoryRef)
    const m = await material(key, ctx)
    const desired: DesiredDeployKey = {
      title: key.spec.title || key.metadata.name,
      publicKey: m.publicKey,
      readOnly: key.spec.readOnly ?? false,
    }
    const where = t.repository.status?.fullName
    const create = () => t.session.deployKeys.create(t.ref, desired).catch((e) => Promise.reject(keyInUse(e)))
    const obs = await t.session.deployKeys.observe(t.ref, desired, { id: key.status?.keyID })
    let observed: ObservedDeployKey
    let changed: HostChange | undefined
    if (!obs.exists) {
      observed = await create()
      changed = key.status?.keyID
        ? { reason: 'Reinstalled', message: `the key was gone from ${where}; installed it again` }
        : { reason: 'Installed', message: `installed on ${where} as key ${observed.id}` }
      if (t.connection.status?.tokenKind === 'classic-pat' && !key.status?.keyID) {
        changed.message +=
          ' (GitHub deletes deploy keys created with a personal access token when that token is deleted)'
      }
    } else if (!obs.upToDate) {
      await t.session.deployKeys.delete(t.ref, obs.observed.id)
      observed = await create()
      changed = {
        reason: 'Replaced',
        message: `replaced the key on ${where}: ${obs.diff.join(', ')} changed (deploy keys are immutable)`,
      }
    } else observed = obs.observed
    if (!m.secretRef && key.status?.secretRef) await dropGeneratedSecret(key, ctx)
    return {
      result: 'ready',
      status: {
        keyID: observed.id,
        fingerprint: fingerprint(m.publicKey) ?? null,
        publicKey: keyMaterial(m.publicKey),
        secretRef: m.secretRef ?? null,
      },
      detail: { message: `installed on ${where} as a ${desired.readOnly ? 'read-only' : 'read-write'} key` },
      ...(changed ? { changed } : {}),
    }
  },

  async finalize(key, ctx) {
    const t = await cleanupTarget(ctx, key.spec.repositoryRef)
    const id = key.status?.keyID
    let changed: HostChange | undefined
    if (t && id) {
      try {
        await t.session.deployKeys.delete(t.ref, id)
        changed = { reason: 'Removed', message: `removed key ${id} from ${t.repository.status?.fullName}` }
      } catch (e) {
        if (!nothingLeftToRemove(e)) throw e
      }
    } else if (id) {
      changed = {
        reason: 'Orphaned',
        message: `repository "${key.spec.repositoryRef}" is gone from the workspace; key ${id} was left as it is on the host`,
      }
    }
    // The private half must not outlive the key (owner-reference GC would remove it later).
    await dropGeneratedSecret(key, ctx)
    return changed ? { changed } : {}
  },
}
