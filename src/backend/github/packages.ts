// Packages: GitHub lists them per owner and type (there is no per-repository endpoint); each listing
// names the repository it was published from. Needs a classic PAT or OAuth token with read:packages.

import type { OwnerKind } from '../../apis/v1alpha1/connection.ts'
import type { PackageType } from '../../apis/v1alpha1/package.ts'
import type { PackageListing, PackageOps, PackageVersionInfo } from '../backend.ts'
import { type SessionContext, sameLogin } from './context.ts'
import { registryHost } from './host.ts'

interface PackageJSON {
  name: string
  package_type: PackageType
  visibility?: string
  html_url?: string
  repository?: { name: string } | null
  version_count?: number
  updated_at?: string
}

interface VersionJSON {
  name: string
  created_at?: string
  metadata?: { container?: { tags?: string[] } }
}

export const toPackageListing = (p: PackageJSON): PackageListing => ({
  name: p.name,
  type: p.package_type,
  visibility: p.visibility ?? '',
  htmlURL: p.html_url ?? '',
  ...(p.repository?.name ? { repository: p.repository.name } : {}),
  versionCount: p.version_count ?? 0,
  updatedAt: p.updated_at ?? '',
})

export const toVersionInfo = (v: VersionJSON): PackageVersionInfo => ({
  digest: v.name,
  tags: v.metadata?.container?.tags ?? [],
  createdAt: v.created_at ?? '',
})

export function packageOps(ctx: SessionContext): PackageOps {
  const { transport: t } = ctx

  /** The authenticated user's own namespace includes private packages; others' only what they show. */
  async function namespace(owner: string, ownerKind: OwnerKind): Promise<{ route: string; params: object }> {
    if (ownerKind === 'Organization') return { route: '/orgs/{org}/packages', params: { org: owner } }
    if (sameLogin(await ctx.authenticatedLogin(), owner)) return { route: '/user/packages', params: {} }
    return { route: '/users/{username}/packages', params: { username: owner } }
  }

  async function list(owner: string, ownerKind: OwnerKind, type: PackageType): Promise<PackageListing[]> {
    const ns = await namespace(owner, ownerKind)
    const all = await t.paginate<PackageJSON>(
      `GET ${ns.route}`,
      { ...ns.params, package_type: type },
      ctx.call(`list ${type} packages of ${owner}`, { scope: 'read:packages' }),
    )
    return all.map(toPackageListing)
  }

  async function versions(
    owner: string,
    ownerKind: OwnerKind,
    type: PackageType,
    name: string,
    limit = 100,
  ): Promise<PackageVersionInfo[]> {
    const ns = await namespace(owner, ownerKind)
    // The template escapes the name exactly once ("a/b" → "a%2Fb").
    const all = await t.paginate<VersionJSON>(
      `GET ${ns.route}/{package_type}/{package_name}/versions`,
      { ...ns.params, package_type: type, package_name: name, per_page: Math.min(100, Math.max(1, limit)) },
      ctx.call(`list versions of ${type} package ${owner}/${name}`, { scope: 'read:packages' }),
      { max: limit },
    )
    return all.map(toVersionInfo)
  }

  const imageRepository = (owner: string, name: string) => `${registryHost(ctx.baseURL)}/${owner}/${name}`.toLowerCase()

  return { list, versions, imageRepository }
}
