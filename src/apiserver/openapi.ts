// OpenAPI v3, enough for clients: kubectl (validation on) learns from the `fieldValidation`
// parameter that the server validates, and `kubectl explain` reads the schemas.
import { createHash } from 'node:crypto'
import { groupVersions } from './discovery.ts'
import type { JsonObject, ResourceDef } from './resources.ts'

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`)
const schemaName = (d: ResourceDef, version: string) =>
  `${(d.group || 'io.k8s.api.core').split('.').reverse().join('.')}.${version}.${d.kind}`

const queryParams = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}))

function operation(d: ResourceDef, version: string, action: string, ref: string): JsonObject {
  const body = ['post', 'put', 'patch'].includes(action)
  return {
    operationId: `${action}${d.kind}`,
    parameters: body ? queryParams : [],
    ...(body ? { requestBody: { content: { 'application/json': { schema: { $ref: ref } } }, required: true } } : {}),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: ref } } } } },
    'x-kubernetes-action': action === 'post' ? 'post' : action === 'put' ? 'put' : action,
    'x-kubernetes-group-version-kind': { group: d.group, version, kind: d.kind },
  }
}

export function openAPIDocument(defs: readonly ResourceDef[], group: string, version: string): JsonObject | undefined {
  const served = groupVersions(defs).get(group)?.get(version)
  if (!served) return undefined
  const paths: JsonObject = {}
  const schemas: JsonObject = {}
  for (const d of served) {
    const name = schemaName(d, version)
    const ref = `#/components/schemas/${name}`
    schemas[name] = { ...d.schema, 'x-kubernetes-group-version-kind': [{ group: d.group, version, kind: d.kind }] }
    const base = `/${gvPath(group, version)}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.plural}`
    paths[base] = { get: operation(d, version, 'list', ref), post: operation(d, version, 'post', ref) }
    const item: JsonObject = {}
    for (const a of ['get', 'put', 'patch', 'delete']) item[a] = operation(d, version, a, ref)
    paths[`${base}/{name}`] = item
    if (d.statusSubresource) {
      paths[`${base}/{name}/status`] = Object.fromEntries(
        ['get', 'put', 'patch'].map((a) => [a, operation(d, version, a, ref)]),
      )
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.34.0' }, paths, components: { schemas } }
}

export function openAPIRoot(defs: readonly ResourceDef[]): JsonObject {
  const paths: JsonObject = {}
  for (const [group, versions] of groupVersions(defs)) {
    for (const version of versions.keys()) {
      const hash = createHash('sha256')
        .update(JSON.stringify(openAPIDocument(defs, group, version)))
        .digest('hex')
        .slice(0, 32)
        .toUpperCase()
      paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` }
    }
  }
  return { paths }
}
