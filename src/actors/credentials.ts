// Connection → Endpoint: read the credential from the tenant's Secret (through the APIExport's
// secrets claim), cached per Secret resourceVersion so a drift poll costs no extra API call.
// Credentials live only here, in memory, never in machine context, status, logs or /debug.
import type { KubeObject } from '../apis/meta.ts'
import { Reason } from '../apis/v1alpha1/conditions.ts'
import type { Connection } from '../apis/v1alpha1/connection.ts'
import { SECRET_KEYS } from '../apis/v1alpha1/labels.ts'
import type { Endpoint } from '../backend/backend.ts'
import { type ProviderCluster, resourceTypes } from '../cluster/cluster.ts'
import { Failure, Waiting } from './failures.ts'
import type { ObjectStore } from './store.ts'

export interface CredentialResolver {
  endpoint(cluster: string, connection: Connection): Promise<Endpoint>
}

interface SecretRef {
  name: string
  namespace?: string
  key?: string
}

export function createCredentialResolver(
  cluster: ProviderCluster,
  store: ObjectStore,
  credentialsNamespace: string,
): CredentialResolver {
  const cache = new Map<string, { version: string; value: string }>()

  async function read(clusterName: string, ref: SecretRef, defaultKey: string): Promise<string> {
    const namespace = ref.namespace || credentialsNamespace
    const key = ref.key || defaultKey
    const id = `${clusterName}/${namespace}/${ref.name}/${key}`
    const known = store.get(clusterName, 'Secret', `${namespace}/${ref.name}`)?.metadata.resourceVersion
    const hit = cache.get(id)
    if (hit && known && hit.version === known) return hit.value
    const secret = await cluster
      .workspace(clusterName)
      .get<KubeObject & { data?: Record<string, string> }>(resourceTypes.Secret, ref.name, namespace)
    if (!secret) {
      throw new Waiting({
        kind: 'Secret',
        name: `${namespace}/${ref.name}`,
        message: `Secret "${namespace}/${ref.name}" not found: create it with the credential under key "${key}"`,
      })
    }
    const raw = secret.data?.[key]
    const value = raw ? Buffer.from(raw, 'base64').toString('utf8').trim() : ''
    if (!value) {
      throw new Failure(
        Reason.CredentialUnavailable,
        `Secret "${namespace}/${ref.name}" has no value under key "${key}"`,
        {
          unavailable: true,
        },
      )
    }
    if (secret.metadata.resourceVersion) cache.set(id, { version: secret.metadata.resourceVersion, value })
    return value
  }

  return {
    async endpoint(clusterName, connection) {
      const spec = connection.spec
      const baseURL = spec.baseURL || undefined
      if (spec.type === 'github-app') {
        const app = spec.githubApp!
        const privateKey = await read(clusterName, app.privateKeySecretRef, SECRET_KEYS.githubAppPrivateKey)
        return {
          baseURL,
          credential: { kind: 'github-app', appID: app.appID, installationID: app.installationID, privateKey },
        }
      }
      const token = await read(clusterName, spec.secretRef!, SECRET_KEYS.token)
      return { baseURL, credential: { kind: 'token', token } }
    },
  }
}
