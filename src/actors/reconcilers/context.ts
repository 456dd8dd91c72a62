// What every reconciler gets to work with, and the small shared steps they all take.
import type { KubeObject } from '../../apis/meta.ts'
import type { Connection } from '../../apis/v1alpha1/connection.ts'
import type { CodeKind } from '../../apis/v1alpha1/kinds.ts'
import type { Repository } from '../../apis/v1alpha1/repository.ts'
import type { GitBackend, GitSession, RepoRef, ResponseInfo, SessionOptions } from '../../backend/backend.ts'
import type { WorkspaceClient } from '../../cluster/cluster.ts'
import type { ReconcileOutcome } from '../../machines/events.ts'
import type { FinalizeOutcome } from '../../machines/resource.machine.ts'
import type { CredentialResolver } from '../credentials.ts'
import { Waiting } from '../failures.ts'
import type { ObjectStore } from '../store.ts'

export interface ReconcilerSettings {
  credentialsNamespace: string
  /** Re-validation of a Ready Connection. */
  revalidateMs: number
  /** Re-observation of a pending invitation (faster than drift, to notice acceptance). */
  invitationPollMs: number
  /** Re-invitations after expiry before giving up. */
  maxReinvitations: number
}

export interface ReconcileContext {
  cluster: string
  /** The provider's client for this workspace (through the APIExport virtual workspace). */
  client: WorkspaceClient
  store: ObjectStore
  backend: GitBackend
  credentials: CredentialResolver
  settings: ReconcilerSettings
  now: () => Date
  /** Every host response of this actor (for /debug: last status and request id). */
  onResponse?: (info: ResponseInfo) => void
}

export interface Reconciler<T extends KubeObject = KubeObject> {
  finalizer: string
  reconcile(object: T, ctx: ReconcileContext): Promise<ReconcileOutcome>
  finalize(object: T, ctx: ReconcileContext): Promise<FinalizeOutcome>
}

const readyCondition = (o: KubeObject) =>
  (
    (o.status as { conditions?: { type: string; status: string; message?: string }[] } | undefined)?.conditions ?? []
  ).find((c) => c.type === 'Ready')

/** What looking things up and opening sessions needs (requests and crawlers have it too). */
export type LookupContext = Pick<ReconcileContext, 'cluster' | 'store' | 'backend' | 'credentials' | 'onResponse'>

/** The named object from the cache, Ready; otherwise the reconcile waits for it. */
export function readyDependency<T extends KubeObject>(
  ctx: Pick<ReconcileContext, 'cluster' | 'store'>,
  kind: CodeKind,
  name: string,
): T {
  const dep = ctx.store.get<T>(ctx.cluster, kind, name)
  if (!dep) throw new Waiting({ kind, name, message: `${kind} "${name}" does not exist in this workspace` })
  if (dep.metadata.deletionTimestamp) throw new Waiting({ kind, name, message: `${kind} "${name}" is being deleted` })
  const ready = readyCondition(dep)
  if (ready?.status !== 'True') {
    const why = ready?.message ? `: ${ready.message}` : ''
    throw new Waiting({ kind, name, message: `${kind} "${name}" is not ready${why}` })
  }
  return dep
}

/** A session on the git host for a Ready Connection (`interactive` when someone waits on the answer). */
export async function sessionFor(
  ctx: LookupContext,
  connection: Connection,
  priority: SessionOptions['priority'] = 'background',
): Promise<GitSession> {
  const endpoint = await ctx.credentials.endpoint(ctx.cluster, connection)
  return ctx.backend.session(endpoint, { priority, ...(ctx.onResponse ? { onResponse: ctx.onResponse } : {}) })
}

export interface RepositoryTarget {
  repository: Repository
  connection: Connection
  session: GitSession
  ref: RepoRef
}

/** The Repository (Ready, with a name on the host) and its Ready Connection, or Waiting. */
export function readyRepository(
  ctx: Pick<ReconcileContext, 'cluster' | 'store'>,
  repositoryRef: string,
): { repository: Repository; connection: Connection; ref: RepoRef } {
  const repository = readyDependency<Repository>(ctx, 'Repository', repositoryRef)
  const connection = readyDependency<Connection>(ctx, 'Connection', repository.spec.connectionRef)
  const fullName = repository.status?.fullName
  if (!fullName)
    throw new Waiting({
      kind: 'Repository',
      name: repositoryRef,
      message: `Repository "${repositoryRef}" has no name on the host yet`,
    })
  const [owner, name] = fullName.split('/') as [string, string]
  return { repository, connection, ref: { owner, name } }
}

/** For keys, collaborators and requests: their Repository (Ready, with a name on the host) and a session. */
export async function repositoryTarget(
  ctx: LookupContext,
  repositoryRef: string,
  priority: SessionOptions['priority'] = 'background',
): Promise<RepositoryTarget> {
  const { repository, connection, ref } = readyRepository(ctx, repositoryRef)
  return { repository, connection, session: await sessionFor(ctx, connection, priority), ref }
}

/**
 * For deleting keys and collaborators: where to act, whatever state the Repository is in.
 * Undefined when the host cannot be reached any more (no Repository or Connection left).
 */
export async function cleanupTarget(
  ctx: ReconcileContext,
  repositoryRef: string,
): Promise<RepositoryTarget | undefined> {
  const repository = ctx.store.get<Repository>(ctx.cluster, 'Repository', repositoryRef)
  const fullName = repository?.status?.fullName
  const connection = repository && ctx.store.get<Connection>(ctx.cluster, 'Connection', repository.spec.connectionRef)
  if (!repository || !fullName || !connection) return undefined
  const [owner, name] = fullName.split('/') as [string, string]
  return { repository, connection, session: await sessionFor(ctx, connection), ref: { owner, name } }
}

/** Removing something from a repository that is gone or archived leaves nothing to do. */
export function nothingLeftToRemove(error: unknown): boolean {
  const e = error as { name?: string; code?: string; reason?: string }
  return e?.name === 'BackendError' && (e.code === 'not-found' || e.reason === 'archived')
}
