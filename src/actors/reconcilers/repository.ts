// Repository: create it (or adopt it when asked), keep every spec field in line, and on deletion
// apply the policy. Identity is the host's repository id, so renames and re-creations are seen.
//
// Crash safety: `status.createRequestedAt` is written *before* the create call. A repository that
// exists with no id in status is ours only if the host created it after that instant; otherwise
// it is a stranger and is adopted only with spec.adopt. So a crash between "created on GitHub" and
// "status written" yields neither a duplicate nor a false adoption.
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { Connection } from '../../apis/v1alpha1/connection.ts'
import { FINALIZERS } from '../../apis/v1alpha1/labels.ts'
import {
  effectiveDeletionPolicy,
  type Repository,
  type RepositorySpec,
  reachedHost,
} from '../../apis/v1alpha1/repository.ts'
import {
  type GitSession,
  type ObservedRepository,
  type RepoRef,
  type RepositoryCreate,
  type RepositorySettings,
  repositorySettingKeys,
} from '../../backend/backend.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import type { HostChange } from '../../machines/events.ts'
import { Failure } from '../failures.ts'
import { patchStatus } from '../finalizers.ts'
import { type ReconcileContext, type Reconciler, readyDependency, sessionFor } from './context.ts'
import { packagesUnavailable } from './scopes.ts'

/** Clock skew we tolerate between our createRequestedAt and the host's created_at. */
const SKEW_MS = 120_000

/** Only what the spec sets: an unset field is "no opinion", never "reset to default". */
export function settingsOf(spec: RepositorySpec): RepositorySettings {
  const out: Record<string, unknown> = {}
  for (const k of repositorySettingKeys) if (spec[k] !== undefined && spec[k] !== '') out[k] = spec[k]
  return out as RepositorySettings
}

function createOf(spec: RepositorySpec): RepositoryCreate {
  return {
    ...settingsOf(spec),
    name: spec.name,
    visibility: spec.visibility ?? 'private',
    ...(spec.autoInit === undefined ? {} : { autoInit: spec.autoInit }),
    ...(spec.template ? { template: spec.template } : {}),
    ...(spec.gitignoreTemplate ? { gitignoreTemplate: spec.gitignoreTemplate } : {}),
    ...(spec.licenseTemplate ? { licenseTemplate: spec.licenseTemplate } : {}),
  }
}

const createdAfter = (createdAt: string, requestedAt: string | undefined) =>
  requestedAt !== undefined && Date.parse(createdAt) >= Date.parse(requestedAt) - SKEW_MS

const refOf = (o: ObservedRepository): RepoRef => ({ owner: o.owner, name: o.name })

function statusOf(o: ObservedRepository, ownership: 'Created' | 'Adopted') {
  return {
    repoID: o.id,
    fullName: o.fullName,
    htmlURL: o.htmlURL,
    cloneURL: o.cloneURL,
    sshURL: o.sshURL,
    defaultBranch: o.defaultBranch,
    visibility: o.visibility,
    archived: o.archived,
    ownerKind: o.ownerKind,
    ownership,
    createdAt: o.createdAt,
  }
}

interface Target {
  connection: Connection
  session: GitSession
  owner: string
  /** Known id, if status describes a repository under the same owner. */
  knownID?: string
}

async function target(repo: Repository, ctx: ReconcileContext, connection: Connection): Promise<Target> {
  const session = await sessionFor(ctx, connection)
  const owner = repo.spec.owner || connection.spec.owner
  const status = repo.status ?? {}
  const sameOwner = status.fullName?.split('/')[0]?.toLowerCase() === owner.toLowerCase()
  return { connection, session, owner, ...(sameOwner && status.repoID ? { knownID: status.repoID } : {}) }
}

async function createRepository(repo: Repository, ctx: ReconcileContext, t: Target): Promise<ObservedRepository> {
  const connectionOwner = t.connection.spec.owner.toLowerCase()
  const ownerKind =
    t.owner.toLowerCase() === connectionOwner && t.connection.status?.ownerKind
      ? t.connection.status.ownerKind
      : await t.session.ownerKind(t.owner)
  const login = t.connection.status?.login ?? ''
  if (ownerKind === 'User' && t.owner.toLowerCase() !== login.toLowerCase()) {
    throw new Failure(
      Reason.InvalidSpec,
      `cannot create a repository under user "${t.owner}" with the credential of "${login}": only ${t.owner} can; use an organization, or adopt an existing repository`,
      { unavailable: true },
    )
  }
  const requestedAt = ctx.now().toISOString()
  await patchStatus(ctx.client, resourceTypes.Repository, repo.metadata.name, { createRequestedAt: requestedAt })
  const { observed, alreadyExisted } = await t.session.repositories.create(t.owner, ownerKind, createOf(repo.spec))
  if (alreadyExisted && !createdAfter(observed.createdAt, requestedAt)) throw strangerFailure(repo, t.owner)
  return observed
}

const strangerFailure = (repo: Repository, owner: string) =>
  new Failure(
    Reason.AlreadyExists,
    `repository ${owner}/${repo.spec.name} already exists and was not created by this object: set spec.adopt: true to manage it (its deletionPolicy then defaults to Orphan), or choose another name`,
    { unavailable: true },
  )

export const repositoryReconciler: Reconciler<Repository> = {
  finalizer: FINALIZERS.Repository,

  async reconcile(repo, ctx) {
    const connection = readyDependency<Connection>(ctx, 'Connection', repo.spec.connectionRef)
    const t = await target(repo, ctx, connection)
    const desired = settingsOf(repo.spec)
    const status = repo.status ?? {}
    const obs = await t.session.repositories.observe({ owner: t.owner, name: repo.spec.name }, desired, {
      id: t.knownID,
    })

    let observed: ObservedRepository
    let ownership = t.knownID ? status.ownership : undefined
    let changed: HostChange | undefined
    if (!obs.exists) {
      observed = await createRepository(repo, ctx, t)
      changed = t.knownID
        ? { reason: 'Recreated', message: `${observed.fullName} was gone from the host and was created again` }
        : { reason: 'Created', message: `created ${observed.fullName}` }
      ownership = 'Created'
    } else {
      observed = obs.observed
      if (!ownership) {
        if (createdAfter(observed.createdAt, status.createRequestedAt)) ownership = 'Created'
        else if (repo.spec.adopt) {
          ownership = 'Adopted'
          changed = { reason: 'Adopted', message: `adopted existing repository ${observed.fullName}` }
        } else throw strangerFailure(repo, t.owner)
      }
    }

    // Bring the settings in line (after a create: what creation could not set).
    const check = obs.exists ? obs : await t.session.repositories.observe(refOf(observed), desired, { id: observed.id })
    if (check.exists && !check.upToDate) {
      const changes = Object.fromEntries(check.diff.map((k) => [k, desired[k as keyof RepositorySettings]]))
      observed = await t.session.repositories.update(refOf(check.observed), changes as RepositorySettings)
      changed ??= { reason: 'Updated', message: `updated ${check.diff.join(', ')} of ${observed.fullName}` }
    }
    // Conditions have one writer: the crawler cannot say why it has no packages; this reconcile can.
    const packages = packagesUnavailable(connection)
    return {
      result: 'ready',
      status: statusOf(observed, ownership ?? 'Created'),
      detail: {
        message: `${observed.fullName} is available at ${observed.htmlURL}`,
        ...(packages
          ? { packagesUnavailable: true, packagesReason: packages.reason, packagesMessage: packages.message }
          : { packagesUnavailable: false }),
      },
      ...(changed ? { changed } : {}),
    }
  },

  async finalize(repo, ctx) {
    const status = repo.status ?? {}
    const policy = effectiveDeletionPolicy(repo)
    const label = status.fullName ?? `${repo.spec.owner ?? '<connection owner>'}/${repo.spec.name}`
    if (!reachedHost(repo)) return {}
    if (policy === 'Orphan')
      return { changed: { reason: 'Orphaned', message: `left ${label} on the host (deletionPolicy Orphan)` } }

    // A Connection that is itself being deleted still serves: it waits for its repositories.
    const connection = ctx.store.get<Connection>(ctx.cluster, 'Connection', repo.spec.connectionRef)
    if (!connection) {
      throw new Failure(
        Reason.DependencyNotReady,
        `cannot ${policy.toLowerCase()} ${label}: Connection "${repo.spec.connectionRef}" is gone. Restore it, or set spec.deletionPolicy: Orphan to leave the repository`,
      )
    }
    const t = await target(repo, ctx, connection)
    // Find it by id: never act on a different repository that took the same name.
    const obs = await t.session.repositories.observe({ owner: t.owner, name: repo.spec.name }, {}, { id: t.knownID })
    if (!obs.exists) return {}
    if (!t.knownID && !createdAfter(obs.observed.createdAt, status.createRequestedAt)) return {}
    const ref = refOf(obs.observed)
    if (policy === 'Archive') {
      if (!obs.observed.archived) await t.session.repositories.update(ref, { archived: true })
      return { changed: { reason: 'Archived', message: `archived ${obs.observed.fullName} (deletionPolicy Archive)` } }
    }
    await t.session.repositories.delete(ref)
    const after = await t.session.repositories.observe(ref, {}, { id: obs.observed.id })
    if (after.exists)
      throw new Failure(Reason.TransientError, `${obs.observed.fullName} is still visible after delete`, {
        needsHuman: false,
      })
    return { changed: { reason: 'Deleted', message: `deleted ${obs.observed.fullName} (deletionPolicy Delete)` } }
  },
}
