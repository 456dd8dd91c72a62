// The Cluster port: the Kubernetes side, as the provider sees it (every workspace bound to the
// APIExport, through its virtual workspace) and as a caller sees it (one workspace, the caller's
// own bearer, so the tenant's RBAC decides). src/cluster/kube implements it over HTTP.
import type { KubeObject } from '../apis/meta.ts'
import { codeKinds } from '../apis/v1alpha1/kinds.ts'
import type { FieldError } from '../apis/validate.ts'

/** A resource type by its REST coordinates. */
export interface ResourceType {
  group: string
  version: string
  plural: string
  kind: string
  namespaced: boolean
}

export const apiVersionOf = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version)

const code = Object.fromEntries(
  codeKinds.map((k) => [
    k.kind,
    { group: k.group, version: k.version, plural: k.plural, kind: k.kind, namespaced: false },
  ]),
) as Record<(typeof codeKinds)[number]['kind'], ResourceType>

export const resourceTypes = {
  Connection: code.Connection!,
  Repository: code.Repository!,
  DeployKey: code.DeployKey!,
  Collaborator: code.Collaborator!,
  Package: code.Package!,
  RepositoryCommit: code.RepositoryCommit!,
  RepositoryCheckout: code.RepositoryCheckout!,
  RepositoryBuildStatus: code.RepositoryBuildStatus!,
  Secret: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  Event: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  Lease: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
} as const satisfies Record<string, ResourceType>

export type ResourceKind = keyof typeof resourceTypes

export const clusterErrorCodes = [
  'not-found',
  'already-exists',
  'conflict', // stale resourceVersion
  'unauthorized',
  'forbidden',
  'invalid', // 422, with field causes
  'gone', // 410: watch resourceVersion too old
  'unavailable', // network, 5xx, timeouts
] as const
export type ClusterErrorCode = (typeof clusterErrorCodes)[number]

export class ClusterError extends Error {
  override readonly name = 'ClusterError'
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    readonly status?: number,
    /** invalid: which fields, in Kubernetes field-path form. */
    readonly causes: FieldError[] = [],
  ) {
    super(message)
  }
}

export const isClusterError = (e: unknown, code?: ClusterErrorCode): e is ClusterError =>
  e instanceof ClusterError && (code === undefined || e.code === code)

export interface ListOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
}

export interface PatchOptions {
  namespace?: string
  subresource?: 'status'
  /** merge: RFC 7386 JSON merge patch (default); json: RFC 6902 JSON patch. */
  patchType?: 'merge' | 'json'
}

/** Reads and writes in one workspace with one identity. */
export interface WorkspaceClient {
  /** Logical cluster id (or path) this client addresses. */
  readonly cluster: string
  get<T extends KubeObject = KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined>
  list<T extends KubeObject = KubeObject>(type: ResourceType, options?: ListOptions): Promise<T[]>
  create<T extends KubeObject>(type: ResourceType, obj: T): Promise<T>
  /** Full replace; `conflict` when metadata.resourceVersion is stale. */
  update<T extends KubeObject>(type: ResourceType, obj: T): Promise<T>
  /** Replace the status subresource; spec changes in `obj` are ignored by the server. */
  updateStatus<T extends KubeObject>(type: ResourceType, obj: T): Promise<T>
  patch<T extends KubeObject = KubeObject>(
    type: ResourceType,
    name: string,
    patch: unknown,
    options?: PatchOptions,
  ): Promise<T>
  /** Resolves when the delete was accepted (finalizers may keep the object a while); absent is success. */
  delete(type: ResourceType, name: string, namespace?: string): Promise<void>
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface ClusterEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType
  /** Logical cluster the object lives in (from its kcp.io/cluster annotation). */
  cluster: string
  resource: ResourceType
  object: T
}

export interface Watcher {
  /** Resolves once the initial list of every watched type was delivered. */
  readonly ready: Promise<void>
  /** True while every watch is connected and caught up. */
  synced(): boolean
  stop(): void
}

export interface RecordedEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}

/** The provider's view: every workspace bound to the APIExport, and its own. */
export interface ProviderCluster {
  /**
   * The provider's own workspace (config.workspacePath), addressed directly, not through the virtual
   * workspace: the export, its endpoint slice, and the leader-election Lease live there.
   */
  readonly providerWorkspace: WorkspaceClient
  workspace(cluster: string): WorkspaceClient
  /**
   * List, then watch, every type across all workspaces (`/clusters/*`). Reconnects on its own;
   * on 410 Gone it relists and emits only what changed (DELETED for what vanished).
   */
  watch(types: ResourceType[], onEvent: (e: ClusterEvent) => void): Watcher
  /** A Kubernetes Event about `regarding`, so `kubectl describe` tells the story. Best effort. */
  recordEvent(cluster: string, regarding: KubeObject, event: RecordedEvent): Promise<void>
}

export interface CallerIdentity {
  /** Logical cluster id (X-Kedge-Cluster) or workspace path (X-Kedge-Tenant). */
  cluster: string
  /** The caller's own bearer token. */
  token: string
}

/** Clients acting as a caller (portal, MCP); cached per (cluster, token fingerprint) with a bound. */
export interface TenantClients {
  forCaller(identity: CallerIdentity): WorkspaceClient
}
