// Pure: GitHub's repository JSON in our words, what differs from the desired settings, and the
// sequence of writes an update needs (an archived repository is read-only until unarchived).

import type { OwnerKind } from '../../apis/v1alpha1/connection.ts'
import { type ObservedRepository, type RepositorySettings, repositorySettingKeys } from '../backend.ts'

export interface RepositoryJSON {
  id: number
  name: string
  full_name: string
  owner: { login: string; type?: string }
  html_url: string
  clone_url?: string
  ssh_url?: string
  default_branch?: string
  private?: boolean
  visibility?: string
  archived?: boolean
  description?: string | null
  homepage?: string | null
  topics?: string[]
  has_issues?: boolean
  has_wiki?: boolean
  has_projects?: boolean
  created_at?: string
}

export function toObservedRepository(r: RepositoryJSON): ObservedRepository {
  const visibility = r.visibility === 'internal' || r.visibility === 'public' || r.visibility === 'private'
  return {
    id: String(r.id),
    owner: r.owner.login,
    name: r.name,
    fullName: r.full_name,
    htmlURL: r.html_url,
    cloneURL: r.clone_url ?? '',
    sshURL: r.ssh_url ?? '',
    defaultBranch: r.default_branch ?? '',
    visibility: visibility ? (r.visibility as ObservedRepository['visibility']) : r.private ? 'private' : 'public',
    archived: r.archived === true,
    description: r.description ?? '',
    homepage: r.homepage ?? '',
    topics: r.topics ?? [],
    hasIssues: r.has_issues ?? true,
    hasWiki: r.has_wiki ?? true,
    hasProjects: r.has_projects ?? true,
    createdAt: r.created_at ?? '',
    ownerKind: (r.owner.type === 'Organization' ? 'Organization' : 'User') satisfies OwnerKind,
  }
}

const sameSet = (a: string[], b: string[]) => {
  const x = [...new Set(a)].sort()
  const y = [...new Set(b)].sort()
  return x.length === y.length && x.every((v, i) => v === y[i])
}

/** The keys of `desired` that are set and differ from the repository as observed. */
export function repositoryDiff(desired: RepositorySettings, observed: ObservedRepository): string[] {
  return repositorySettingKeys.filter((key) => {
    const want = desired[key]
    if (want === undefined) return false
    if (key === 'topics') return !sameSet(want as string[], observed.topics)
    return want !== observed[key]
  })
}

// RepositorySettings keys → PATCH /repos fields (topics and archived go their own ways).
const patchFields: Partial<Record<keyof RepositorySettings, string>> = {
  name: 'name',
  description: 'description',
  homepage: 'homepage',
  visibility: 'visibility',
  hasIssues: 'has_issues',
  hasWiki: 'has_wiki',
  hasProjects: 'has_projects',
  defaultBranch: 'default_branch',
}

export interface UpdatePlan {
  /** PATCH {archived: false} before anything else. */
  unarchiveFirst: boolean
  /** PATCH body for the settings that differ (empty: no PATCH). */
  patch: Record<string, unknown>
  /** PUT /topics with these names. */
  topics?: string[]
  /** PATCH {archived: true} last. */
  archiveAfter: boolean
  /** Must exist before it can become the default branch. */
  branchToCheck?: string
}

export function planRepositoryUpdate(current: ObservedRepository, changes: RepositorySettings): UpdatePlan {
  const diff = repositoryDiff(changes, current)
  const patch: Record<string, unknown> = {}
  for (const key of diff) {
    const field = patchFields[key as keyof RepositorySettings]
    if (field) patch[field] = changes[key as keyof RepositorySettings]
  }
  const topics = diff.includes('topics') ? [...new Set(changes.topics)] : undefined
  const writes = Object.keys(patch).length > 0 || topics !== undefined
  const targetArchived = changes.archived ?? current.archived
  const unarchiveFirst = current.archived && (writes || !targetArchived)
  const archiveAfter = targetArchived && (!current.archived || unarchiveFirst)
  return {
    unarchiveFirst,
    patch,
    ...(topics ? { topics } : {}),
    archiveAfter,
    ...(typeof patch.default_branch === 'string' ? { branchToCheck: patch.default_branch } : {}),
  }
}
