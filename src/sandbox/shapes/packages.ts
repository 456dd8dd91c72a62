// Packages and package versions as the API shows them. Package names may contain '/', which
// appears percent-encoded once in URLs.
import { isoSeconds } from '../clock.ts'
import type { Urls } from '../http/types.ts'
import type { Package, PackageVersion, SandboxState } from '../model/state.ts'
import { simpleUser } from './accounts.ts'
import { simpleRepository } from './repos.ts'

function paths(state: SandboxState, urls: Urls, pkg: Package) {
  const owner = state.accounts.get(pkg.ownerId)!
  const scope = owner.kind === 'Organization' ? `orgs/${owner.login}` : `users/${owner.login}`
  const name = encodeURIComponent(pkg.name)
  return {
    api: `${urls.api}/${scope}/packages/${pkg.type}/${name}`,
    html: `${urls.web}/${scope}/packages/${pkg.type}/package/${name}`,
  }
}

export function packageJSON(state: SandboxState, urls: Urls, pkg: Package) {
  const repo = pkg.repoId === undefined ? undefined : state.repos.get(pkg.repoId)
  const p = paths(state, urls, pkg)
  return {
    id: pkg.id,
    name: pkg.name,
    package_type: pkg.type,
    owner: simpleUser(urls, state.accounts.get(pkg.ownerId)!),
    version_count: pkg.versions.size,
    visibility: pkg.visibility,
    url: p.api,
    created_at: isoSeconds(pkg.createdAt),
    updated_at: isoSeconds(pkg.updatedAt),
    ...(repo ? { repository: simpleRepository(state, urls, repo) } : {}),
    html_url: p.html,
  }
}

export function packageVersionJSON(state: SandboxState, urls: Urls, pkg: Package, v: PackageVersion) {
  const p = paths(state, urls, pkg)
  return {
    id: v.id,
    name: v.name,
    url: `${p.api}/versions/${v.id}`,
    package_html_url: p.html,
    html_url: `${p.html}/${v.id}`,
    created_at: isoSeconds(v.createdAt),
    updated_at: isoSeconds(v.updatedAt),
    ...(v.description ? { description: v.description } : {}),
    metadata:
      pkg.type === 'container'
        ? { package_type: 'container' as const, container: { tags: v.tags } }
        : { package_type: pkg.type },
  }
}
