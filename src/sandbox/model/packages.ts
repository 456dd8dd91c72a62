// Packages and versions, published and unpublished through the control API (the sandbox has no
// registry): what the crawler lists through the packages endpoints.
import { PACKAGE_TYPES, type Package, type PackageType, type PackageVersion, type SandboxState } from './state.ts'

export interface PackageInput {
  owner: string
  type: PackageType
  name: string
  visibility?: 'public' | 'private'
  /** Linked repository: a name under `owner`, or `owner/name`. */
  repository?: string
}

export interface VersionInput {
  owner: string
  type: PackageType
  name: string
  /** The version name; for containers the manifest digest (`sha256:…`). */
  version: string
  tags?: string[]
  description?: string
  createdAt?: number
}

export function findPackage(state: SandboxState, owner: string, type: string, name: string): Package | undefined {
  const account = state.account(owner)
  return [...state.packages.values()].find((p) => p.ownerId === account?.id && p.type === type && p.name === name)
}

export function publishPackage(state: SandboxState, input: PackageInput): Package {
  const owner = state.account(input.owner)
  if (!owner) throw new RangeError(`no account ${input.owner}`)
  if (!(PACKAGE_TYPES as readonly string[]).includes(input.type)) {
    throw new RangeError(`package type must be one of ${PACKAGE_TYPES.join(', ')}`)
  }
  if (!/^[a-z0-9][a-z0-9._/-]*$/i.test(input.name)) throw new RangeError(`"${input.name}" is not a package name`)
  let repoId: number | undefined
  if (input.repository) {
    const [o, n] = input.repository.includes('/') ? input.repository.split('/') : [input.owner, input.repository]
    repoId = state.repo(o!, n!)?.id
    if (repoId === undefined) throw new RangeError(`no repository ${input.repository}`)
  }
  const now = state.now()
  const existing = findPackage(state, input.owner, input.type, input.name)
  const pkg: Package = existing ?? {
    id: state.nextId(),
    ownerId: owner.id,
    type: input.type,
    name: input.name,
    visibility: input.visibility ?? 'private',
    createdAt: now,
    updatedAt: now,
    versions: new Map(),
  }
  if (input.visibility) pkg.visibility = input.visibility
  if (repoId !== undefined) pkg.repoId = repoId
  pkg.updatedAt = now
  state.packages.set(pkg.id, pkg)
  return pkg
}

/** Publishes a version (creating the package if needed); tags move to it from older versions. */
export function publishVersion(state: SandboxState, input: VersionInput): PackageVersion {
  const pkg = findPackage(state, input.owner, input.type, input.name) ?? publishPackage(state, input)
  const now = input.createdAt ?? state.now()
  const tags = input.tags ?? []
  for (const v of pkg.versions.values()) v.tags = v.tags.filter((t) => !tags.includes(t))
  const version: PackageVersion = {
    id: state.nextId(),
    name: input.version,
    tags,
    ...(input.description ? { description: input.description } : {}),
    createdAt: now,
    updatedAt: now,
  }
  pkg.versions.set(version.id, version)
  pkg.updatedAt = Math.max(pkg.updatedAt, now)
  return version
}
