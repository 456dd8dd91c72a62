// Where a token from "Connect with GitHub" goes: straight into the caller's workspace, written as
// the caller. A Connection (type oauth) first, then the Secret `<connection>-token` owned by it, so
// deleting the Connection removes the token. Re-connecting updates both; a Connection of another
// type is never overwritten. A Connection created here is removed again if its Secret cannot be written.
import type { KubeObject } from '../apis/meta.ts'
import type { ConnectionSpec } from '../apis/v1alpha1/connection.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { SECRET_KEYS } from '../apis/v1alpha1/labels.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { describeFieldErrors } from '../apis/validate.ts'
import { isClusterError, resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'

export interface OAuthConnectionInput {
  name: string
  owner: string
  baseURL?: string
  token: string
  credentialsNamespace: string
}

export class ConnectError extends Error {
  override readonly name = 'ConnectError'
}

export const tokenSecretName = (connection: string) => `${connection}-token`

function connectionObject(i: OAuthConnectionInput): KubeObject<ConnectionSpec> {
  return {
    apiVersion: API_VERSION,
    kind: 'Connection',
    metadata: { name: i.name },
    spec: {
      provider: 'github',
      type: 'oauth',
      owner: i.owner,
      secretRef: { name: tokenSecretName(i.name), namespace: i.credentialsNamespace },
      ...(i.baseURL ? { baseURL: i.baseURL } : {}),
    },
  }
}

/** Refuses what cannot work before anyone is sent to GitHub (bad name, a Connection of another type). */
export async function checkConnectable(client: WorkspaceClient, name: string, owner: string | undefined) {
  // Without an owner (the signed-in login becomes it later) only the rest is checked now.
  const asItWillBe = connectionObject({ name, owner: owner ?? '', token: '', credentialsNamespace: 'default' })
  const problems = validateCodeObject('Connection', asItWillBe).filter((e) => owner || e.field !== 'spec.owner')
  const errors = problems.map((e) => ({
    ...e,
    field: e.field === 'metadata.name' ? 'connection' : e.field === 'spec.owner' ? 'owner' : e.field,
  }))
  if (errors.length > 0) throw new ConnectError(describeFieldErrors(errors))
  const existing = await guarded(() => client.get<KubeObject<ConnectionSpec>>(resourceTypes.Connection, name))
  if (existing && existing.spec.type !== 'oauth') {
    throw new ConnectError(
      `Connection "${name}" already exists with a ${existing.spec.type} credential; choose another connection name`,
    )
  }
}

/** Create or update the Connection and its token Secret; returns the Connection name. */
export async function storeOAuthConnection(client: WorkspaceClient, i: OAuthConnectionInput): Promise<string> {
  await checkConnectable(client, i.name, i.owner)
  const desired = connectionObject(i)
  const existing = await guarded(() => client.get<KubeObject<ConnectionSpec>>(resourceTypes.Connection, i.name))
  const connection = existing
    ? await guarded(() =>
        client.patch<KubeObject<ConnectionSpec>>(resourceTypes.Connection, i.name, {
          spec: { ...desired.spec, baseURL: desired.spec.baseURL ?? null },
        }),
      )
    : await guarded(() => client.create(resourceTypes.Connection, desired))
  try {
    await writeSecret(client, i, connection.metadata.uid)
  } catch (e) {
    if (!existing) await client.delete(resourceTypes.Connection, i.name).catch(() => undefined)
    throw e
  }
  return i.name
}

async function writeSecret(client: WorkspaceClient, i: OAuthConnectionInput, uid: string | undefined) {
  const name = tokenSecretName(i.name)
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: i.credentialsNamespace,
      labels: { 'code.kedge.faros.sh/connection': i.name },
      ...(uid ? { ownerReferences: [{ apiVersion: API_VERSION, kind: 'Connection', name: i.name, uid }] } : {}),
    },
    type: 'Opaque',
    data: { [SECRET_KEYS.token]: Buffer.from(i.token).toString('base64') },
  } as unknown as KubeObject
  const current = await guarded(() => client.get(resourceTypes.Secret, name, i.credentialsNamespace))
  if (current) {
    const replaced = { ...secret, metadata: { ...secret.metadata, resourceVersion: current.metadata.resourceVersion } }
    await guarded(() => client.update(resourceTypes.Secret, replaced))
  } else {
    await guarded(() => client.create(resourceTypes.Secret, secret))
  }
}

/** Workspace failures in words for the popup (never with the object, which may hold the token). */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    if (e instanceof ConnectError) throw e
    if (isClusterError(e, 'forbidden')) {
      throw new ConnectError('your account may not write Connections and Secrets in this workspace')
    }
    if (isClusterError(e, 'unauthorized')) throw new ConnectError('the workspace did not accept your sign-in')
    if (isClusterError(e, 'invalid')) throw new ConnectError(describeFieldErrors(e.causes))
    if (isClusterError(e, 'conflict')) throw new ConnectError('the Connection changed meanwhile; connect again')
    throw new ConnectError('the workspace could not be reached; try again')
  }
}
