// REST paths of a resource type under a base URL (a workspace or a virtual workspace cluster).
import type { ResourceType } from '../cluster.ts'

export function resourceURL(base: string, type: ResourceType, namespace?: string, name?: string, sub?: string): string {
  const gv = type.group ? `apis/${type.group}/${type.version}` : `api/${type.version}`
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  const tail = (name ? `/${encodeURIComponent(name)}` : '') + (sub ? `/${sub}` : '')
  return `${base}/${gv}${ns}/${type.plural}${tail}`
}
