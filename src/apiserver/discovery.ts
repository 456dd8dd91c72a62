// Discovery documents: /version, /api, /apis, and the resource lists of each group version.
// Plain JSON only: clients asking for aggregated discovery fall back to it.
import { alternateVersions, type JsonObject, keyOf, type ResourceDef, VERBS } from './resources.ts'

export const versionInfo = {
  major: '1',
  minor: '34',
  gitVersion: 'v1.34.0+code-provider',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-29T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
}

/** group → version → resources, including the older versions some kcp kinds are also served at. */
export function groupVersions(defs: readonly ResourceDef[]): Map<string, Map<string, ResourceDef[]>> {
  const groups = new Map<string, Map<string, ResourceDef[]>>()
  for (const d of defs) {
    const versions = groups.get(d.group) ?? new Map<string, ResourceDef[]>()
    groups.set(d.group, versions)
    for (const v of [d.version, ...(alternateVersions[keyOf(d)] ?? [])])
      versions.set(v, [...(versions.get(v) ?? []), d])
  }
  return groups
}

/** The preferred version is the newest one (v1alpha2 before v1alpha1). */
const sortVersions = (versions: Iterable<string>) => [...versions].sort().reverse()

export function apiVersions(host: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  }
}

function apiGroup(name: string, versions: Map<string, ResourceDef[]>): JsonObject {
  const list = sortVersions(versions.keys()).map((v) => ({ groupVersion: `${name}/${v}`, version: v }))
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: list, preferredVersion: list[0] }
}

export function apiGroupList(defs: readonly ResourceDef[]): JsonObject {
  const groups = [...groupVersions(defs)].filter(([g]) => g !== '').map(([g, v]) => apiGroup(g, v))
  return { kind: 'APIGroupList', apiVersion: 'v1', groups }
}

export function apiGroupDoc(defs: readonly ResourceDef[], group: string): JsonObject | undefined {
  const versions = groupVersions(defs).get(group)
  return versions && group !== '' ? apiGroup(group, versions) : undefined
}

export function apiResourceList(defs: readonly ResourceDef[], group: string, version: string): JsonObject | undefined {
  const served = groupVersions(defs).get(group)?.get(version)
  if (!served) return undefined
  const resources: JsonObject[] = []
  for (const d of served) {
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: VERBS,
      ...(d.shortNames.length > 0 ? { shortNames: d.shortNames } : {}),
      ...(d.categories.length > 0 ? { categories: d.categories } : {}),
    })
    if (d.statusSubresource) {
      resources.push({
        name: `${d.plural}/status`,
        singularName: '',
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: ['get', 'patch', 'update'],
      })
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources }
}
