// Kubeconfig files for the identities the server issues (admin, provider, dev tenants).
import { writeFileSync } from 'node:fs'
import { stringify } from 'yaml'

export interface KubeconfigUser {
  token?: string
  cert?: string
  key?: string
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

export function kubeconfigYaml(name: string, server: string, ca: string, user: KubeconfigUser): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'code-provider', cluster: { server, 'certificate-authority-data': b64(ca) } }],
    users: [
      {
        name,
        user: user.token
          ? { token: user.token }
          : { 'client-certificate-data': b64(user.cert ?? ''), 'client-key-data': b64(user.key ?? '') },
      },
    ],
    contexts: [{ name, context: { cluster: 'code-provider', user: name } }],
    'current-context': name,
  })
}

export function writeKubeconfig(path: string, name: string, server: string, ca: string, user: KubeconfigUser): string {
  writeFileSync(path, kubeconfigYaml(name, server, ca, user), { mode: 0o600 })
  return path
}
