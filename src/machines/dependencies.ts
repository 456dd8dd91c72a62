// Which objects depend on which, and which changes of a dependency are worth waking its
// dependents for. Pure: the runtime keeps the reverse index, the workspace machine the policy.
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'

export type DependencyKind = CodeKind | 'Secret'

export interface DependencyRef {
  kind: DependencyKind
  /** `name`, or `namespace/name` for Secrets. */
  name: string
}

export const refKey = (r: DependencyRef) => `${r.kind}/${r.name}`

const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>

/** What `obj` needs before it can be reconciled. `credentialsNamespace` fills empty secret namespaces. */
export function dependenciesOf(kind: DependencyKind, obj: KubeObject, credentialsNamespace: string): DependencyRef[] {
  const s = spec(obj)
  switch (kind) {
    case 'Connection': {
      const refs = [s.secretRef, (s.githubApp as Record<string, unknown> | undefined)?.privateKeySecretRef]
      return refs
        .filter((r): r is { name: string; namespace?: string } => !!r && typeof r === 'object')
        .map((r) => ({ kind: 'Secret' as const, name: `${r.namespace || credentialsNamespace}/${r.name}` }))
    }
    case 'Repository':
      return typeof s.connectionRef === 'string' ? [{ kind: 'Connection', name: s.connectionRef }] : []
    case 'DeployKey':
    case 'Collaborator':
    case 'RepositoryCommit':
    case 'RepositoryCheckout':
    case 'RepositoryBuildStatus':
      return typeof s.repositoryRef === 'string' ? [{ kind: 'Repository', name: s.repositoryRef }] : []
    default:
      return []
  }
}

const readyStatus = (o: KubeObject | undefined) =>
  ((o?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === 'Ready',
  )?.status

const status = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, unknown>

/**
 * A dependency changed in a way its dependents care about: it appeared or vanished, turned
 * Ready or not, its spec moved, or (Secrets) its content changed; a Connection's token kind or
 * disabled features moved (its Repositories say whether packages can be crawled). Status
 * chatter does not count.
 */
export function wakesDependents(
  kind: DependencyKind,
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): boolean {
  if (!before || !after) return true
  if (kind === 'Secret') return before.metadata.resourceVersion !== after.metadata.resourceVersion
  if (before.metadata.generation !== after.metadata.generation) return true
  if ((before.metadata.deletionTimestamp === undefined) !== (after.metadata.deletionTimestamp === undefined))
    return true
  if (readyStatus(before) !== readyStatus(after)) return true
  if (kind === 'Connection') {
    const features = (o: KubeObject | undefined) => JSON.stringify(status(o).disabledFeatures ?? [])
    return features(before) !== features(after) || status(before).tokenKind !== status(after).tokenKind
  }
  // A renamed or re-created repository moves its keys and collaborators with it.
  if (kind === 'Repository')
    return status(before).fullName !== status(after).fullName || status(before).repoID !== status(after).repoID
  return false
}

/** Kinds something can depend on (see dependenciesOf); changes of the others wake nobody. */
export const dependedOnKinds: readonly DependencyKind[] = ['Secret', 'Connection', 'Repository']

/** Kinds a resource actor reconciles; the rest are watched only as dependencies or requests. */
export const reconciledKinds: readonly CodeKind[] = ['Connection', 'Repository', 'DeployKey', 'Collaborator']
