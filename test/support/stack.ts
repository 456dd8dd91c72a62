// The whole product in one test process, over real HTTP: the embedded API server, the GitHub
// sandbox, the GitHub backend and the actor runtime, wired as `serve` wires them.
//
//   const s = await startStack({ tenants: ['root:acme'] })
//   const acme = s.tenant('root:acme')                      // a WorkspaceClient acting as the tenant
//   await s.connect('root:acme', 'github')                  // a Secret + Connection to the sandbox org
//   await acme.create(resourceTypes.Repository, repository('web'))
//   await s.waitFor(() => s.ready('root:acme', 'Repository', 'web'))
//   await s.stop()

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ReconcilerSettings } from '../../src/actors/reconcilers/context.ts'
import { createRuntime, type RequestOptions, type Runtime } from '../../src/actors/runtime.ts'
import type { KubeObject } from '../../src/apis/meta.ts'
import { API_VERSION } from '../../src/apis/v1alpha1/group.ts'
import type { CodeKind } from '../../src/apis/v1alpha1/kinds.ts'
import { createGitHubBackend } from '../../src/backend/github/github-backend.ts'
import type { BundleStore } from '../../src/bundles/bundle-store.ts'
import { createFsBundleStore } from '../../src/bundles/fs/fs-bundle-store.ts'
import { resourceTypes, type WorkspaceClient } from '../../src/cluster/cluster.ts'
import { createProviderCluster } from '../../src/cluster/kube/provider-cluster.ts'
import { createTenantClients } from '../../src/cluster/kube/tenant-clients.ts'
import { createLogger, type Logger } from '../../src/log.ts'
import type { ResourceIntervals } from '../../src/machines/events.ts'
import { startTestApiServer, type TestApiServer } from './apiserver.ts'
import { startTestSandbox, type TestSandbox } from './sandbox.ts'

export const ORG = 'acme'
export const USER = 'developer'

/** Fast clocks for tests: polls in seconds, not minutes. */
export const testIntervals: ResourceIntervals = {
  driftMs: 60_000,
  blockedRetryMs: 60_000,
  waitingRetryMs: 60_000,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
}

export interface StackOptions {
  tenants?: string[]
  intervals?: Partial<ResourceIntervals>
  settings?: Partial<ReconcilerSettings>
  /** Log lines (JSON) go here; default: kept in `logs`. */
  log?: (line: string) => void
  /** Package crawl interval (default 60 s: tests ask for a crawl with `runtime.requestReconcile`). */
  crawlIntervalMs?: number
  requests?: RequestOptions
}

export interface Stack {
  api: TestApiServer
  sandbox: TestSandbox
  runtime: Runtime
  /** The bundle store the runtime uses (a temporary directory, removed by stop). */
  bundles: BundleStore
  bundleDir: string
  logs: string[]
  /** A token for the sandbox user `developer`, admin of org `acme`. */
  token: string
  /** A client acting as the tenant (its own token, through its workspace). */
  tenant(path: string): WorkspaceClient
  /** Logical cluster id of a tenant workspace (what the provider sees). */
  clusterOf(path: string): string
  /** A Secret holding `token` and a Connection named `name` using it. */
  connect(path: string, name: string, options?: { token?: string; owner?: string }): Promise<void>
  /** The object's Ready condition is True (read through the tenant's client). */
  ready(path: string, kind: CodeKind, name: string): Promise<boolean>
  condition(
    path: string,
    kind: CodeKind,
    name: string,
    type: string,
  ): Promise<{ status: string; reason: string; message: string } | undefined>
  get<T extends KubeObject = KubeObject>(path: string, kind: CodeKind, name: string): Promise<T | undefined>
  waitFor<T>(
    check: () => Promise<T | undefined | false> | T | undefined | false,
    what?: string,
    timeoutMs?: number,
  ): Promise<T>
  /** Reasons of the Kubernetes Events recorded about an object. */
  eventReasons(path: string, name: string): Promise<string[]>
  /** Stop the runtime and start a new one (a process restart: nothing survives but the API and the host). */
  restart(): Promise<void>
  stop(): Promise<void>
  logger: Logger
}

export const codeObject = (kind: CodeKind, name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name },
  spec,
})

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const tenants = options.tenants ?? ['root:acme']
  const api = await startTestApiServer({ tenants })
  const sandbox = await startTestSandbox({ clock: { now: () => Date.now() } })
  sandbox.control.createUser({ login: USER })
  sandbox.control.createOrg({ login: ORG, members: [{ login: USER, role: 'admin' }] })
  const token = sandbox.control.issueToken({ user: USER })
  const logs: string[] = []
  const logger = createLogger('debug', options.log ?? ((l) => logs.push(l)))
  const cluster = await createProviderCluster({
    kubeconfig: { path: api.kubeconfigs.provider },
    workspacePath: api.workspacePath,
  })
  const bundleDir = await mkdtemp(join(tmpdir(), 'stack-bundles-'))
  const bundles = createFsBundleStore({ dir: bundleDir })
  const newRuntime = () =>
    createRuntime({
      cluster,
      // A fresh backend per runtime: a restart loses the gates and the ETag cache too.
      backend: createGitHubBackend({ gate: { writeSpacingMs: 0 }, retryBaseDelayMs: 10 }),
      logger,
      bundles,
      packages: { intervalMs: options.crawlIntervalMs ?? 60_000 },
      requests: { backoffBaseMs: 50, backoffMaxMs: 500, ...options.requests },
      intervals: { ...testIntervals, ...options.intervals },
      settings: {
        credentialsNamespace: 'default',
        revalidateMs: 3_600_000,
        invitationPollMs: 1_000,
        maxReinvitations: 3,
        ...options.settings,
      },
      idleGraceMs: 1_000,
    })
  let runtime = newRuntime()
  await runtime.start()
  const tenantClients = await createTenantClients({ kubeconfig: { path: api.kubeconfigs.admin } })
  const tenant = (path: string) => {
    const t = api.tenants[path] ?? api.tenant(path)
    return tenantClients.forCaller({ cluster: t.cluster, token: t.token })
  }
  const get = <T extends KubeObject>(path: string, kind: CodeKind, name: string) =>
    tenant(path).get<T>(resourceTypes[kind], name)
  const condition = async (path: string, kind: CodeKind, name: string, type: string) => {
    const o = await get(path, kind, name)
    return (
      (o?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] })?.conditions ??
      []
    ).find((c) => c.type === type)
  }
  return {
    api,
    sandbox,
    get runtime() {
      return runtime
    },
    bundles,
    bundleDir,
    logs,
    token,
    logger,
    tenant,
    clusterOf: (path) => (api.tenants[path] ?? api.tenant(path)).cluster,
    async connect(path, name, o = {}) {
      const client = tenant(path)
      await client.create(resourceTypes.Secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${name}-token`, namespace: 'default' },
        spec: undefined,
        stringData: { token: o.token ?? token },
      } as unknown as KubeObject)
      await client.create(
        resourceTypes.Connection,
        codeObject('Connection', name, {
          provider: 'github',
          type: 'pat',
          owner: o.owner ?? ORG,
          secretRef: { name: `${name}-token` },
          baseURL: sandbox.url,
        }),
      )
    },
    ready: async (path, kind, name) => (await condition(path, kind, name, 'Ready'))?.status === 'True',
    condition,
    get,
    async waitFor(check, what = 'condition', timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const v = await check()
        if (v) return v as never
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
        await Bun.sleep(25)
      }
    },
    async eventReasons(path, name) {
      const events = await tenant(path).list(resourceTypes.Event, { namespace: 'default' })
      return events
        .map((e) => e as unknown as { reason: string; involvedObject: { name: string } })
        .filter((e) => e.involvedObject.name === name)
        .map((e) => e.reason)
    },
    async restart() {
      await runtime.stop()
      runtime = newRuntime()
      await runtime.start()
    },
    async stop() {
      await runtime.stop()
      await sandbox.stop()
      await api.stop()
      await rm(bundleDir, { recursive: true, force: true })
    },
  }
}
