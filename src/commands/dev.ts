// `code-provider dev` (what `npm start` runs): the whole product on one machine. The GitHub
// sandbox stands in for GitHub, the embedded API server for kcp (unless a kubeconfig is set),
// the dev tenant gets a ready Connection to the sandbox, and "Connect with GitHub" works offline
// against the sandbox's OAuth endpoints. Prints where everything is.
import type { KubeObject } from '../apis/meta.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { devIdentityQuery } from '../auth/identity.ts'
import { isClusterError, resourceTypes, type WorkspaceClient } from '../cluster/cluster.ts'
import { type Config, DEFAULT_OAUTH_SCOPES } from '../config.ts'
import type { Logger } from '../log.ts'
import { sandboxBanner, startConfiguredSandbox } from '../sandbox/cli.ts'
import { DEV_ORG, DEV_TOKEN, DEV_USER } from '../sandbox/seed.ts'
import { type Product, startProduct } from './serve.ts'

export const DEV_TENANT = 'root:acme'

/**
 * Dev defaults on top of the environment: tenant query parameters, OAuth against the sandbox at
 * `sandboxURL`, and no leader election (dev is one process, even against a kubeconfig).
 */
export function devConfig(config: Config, sandboxURL: string): Config {
  const main = `http://localhost:${config.port}`
  return {
    ...config,
    devAllowTenantQuery: true,
    leaderElection: { ...config.leaderElection, enabled: false },
    oauth: config.oauth ?? {
      clientId: 'code-provider-dev',
      clientSecret: 'dev-oauth-secret-works-only-with-the-sandbox',
      redirectURL: `${main}/oauth/github/callback`,
      startURL: `${main}/oauth/github/start`,
      portalOrigin: main,
      scopes: DEFAULT_OAUTH_SCOPES,
      webURL: sandboxURL,
      apiURL: sandboxURL,
    },
  }
}

async function createIfMissing(
  client: WorkspaceClient,
  type: (typeof resourceTypes)[keyof typeof resourceTypes],
  obj: KubeObject,
) {
  try {
    await client.create(type, obj)
  } catch (e) {
    if (!isClusterError(e, 'already-exists')) throw e
  }
}

/**
 * A Secret and Connection `sandbox` in the dev tenant, so repositories can be declared at once.
 * Kept across restarts (.data); only its baseURL follows the sandbox if that moved.
 */
async function seedSandboxConnection(client: WorkspaceClient, sandboxURL: string) {
  await createIfMissing(client, resourceTypes.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sandbox-token', namespace: 'default' },
    stringData: { token: DEV_TOKEN },
  } as unknown as KubeObject)
  await createIfMissing(client, resourceTypes.Connection, {
    apiVersion: API_VERSION,
    kind: 'Connection',
    metadata: { name: 'sandbox' },
    spec: {
      provider: 'github',
      type: 'pat',
      owner: DEV_ORG,
      secretRef: { name: 'sandbox-token' },
      baseURL: sandboxURL,
    },
  })
  const connection = await client.get<KubeObject<{ baseURL?: string }>>(resourceTypes.Connection, 'sandbox')
  if (connection && connection.spec.baseURL !== sandboxURL) {
    await client.patch(resourceTypes.Connection, 'sandbox', { spec: { baseURL: sandboxURL } })
  }
}

export async function startDev(
  environment: Config,
  logger: Logger,
): Promise<{ product: Product; banner: string; stop(): Promise<void> }> {
  // The sandbox first: with CODE_SANDBOX_ADDR on port 0 its URL is known only once it listens.
  const sandbox = await startConfiguredSandbox(environment)
  const config = devConfig(environment, sandbox.url)
  if (!environment.oauth && config.oauth) {
    sandbox.control.registerOAuthApp({
      name: 'code-provider (dev)',
      callbackURL: config.oauth.redirectURL,
      clientId: config.oauth.clientId,
      clientSecret: config.oauth.clientSecret,
    })
  }
  const product = await startProduct(config, logger)
  const lines = [sandboxBanner(sandbox)]
  if (product.embedded) {
    const tenant = product.embedded.tenant(DEV_TENANT)
    await seedSandboxConnection(
      product.tenants.forCaller({ cluster: tenant.cluster, token: tenant.token }),
      sandbox.url,
    )
    const who = devIdentityQuery({ tenant: tenant.path, cluster: tenant.cluster, user: DEV_USER, token: tenant.token })
    lines.push(`code-provider is running (dev)

  Portal:       ${product.url}/?${who}
  MCP:          ${product.url}/mcp?${who}
  Debug:        ${product.adminURL}/debug
  Metrics:      ${product.adminURL}/metrics
  kubectl:      kubectl --kubeconfig ${tenant.kubeconfig} get kedge
  Data:         ${product.embedded.dataDir} (kept across restarts)

  The workspace ${DEV_TENANT} has a Connection "sandbox" to the GitHub sandbox. Try:
    kubectl --kubeconfig ${tenant.kubeconfig} apply -f config/samples/repository-sandbox.yaml
`)
  } else {
    lines.push(`code-provider is running (dev, against ${product.kubeconfig})

  Portal:  ${product.url}/     MCP: ${product.url}/mcp     Debug: ${product.adminURL}/debug
`)
  }
  return {
    product,
    banner: lines.join('\n'),
    async stop() {
      await product.stop()
      await sandbox.stop()
    },
  }
}
