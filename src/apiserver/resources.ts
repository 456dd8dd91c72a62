// Every kind the server serves, as data: names, scope, subresources, schema, validation, printer
// columns. Code kinds come from src/apis; builtins carry loose schemas but real scoping.
import { openAPIV3Schema } from '../apis/crd.ts'
import type { PrinterColumn } from '../apis/kind.ts'
import { codeKinds } from '../apis/v1alpha1/kinds.ts'
import { createValidator, type FieldError, validateObjectName } from '../apis/validate.ts'

export type JsonObject = Record<string, unknown>

export interface ResourceDef {
  group: string
  version: string
  plural: string
  singular: string
  kind: string
  listKind: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  statusSubresource: boolean
  /** Track metadata.generation (custom kinds and kcp objects; not core builtins). */
  generation: boolean
  /** Served only in workspaces bound to an APIExport that exports it. */
  exported: boolean
  schema: JsonObject
  printerColumns: PrinterColumn[]
  validate: (obj: JsonObject, old?: JsonObject) => FieldError[]
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

/** `code.kedge.faros.sh/repositories`, `core/secrets`. */
export const resourceKey = (group: string, plural: string) => `${group || 'core'}/${plural}`
export const keyOf = (d: ResourceDef) => resourceKey(d.group, d.plural)
export const apiVersionOf = (d: ResourceDef) => (d.group ? `${d.group}/${d.version}` : d.version)

const loose: JsonObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function nameOnly(obj: JsonObject): FieldError[] {
  const meta = (obj.metadata ?? {}) as JsonObject
  return meta.generateName && !meta.name ? [] : validateObjectName(meta.name)
}

function labelName(obj: JsonObject): FieldError[] {
  const name = ((obj.metadata ?? {}) as JsonObject).name
  if (typeof name === 'string' && name.length <= 63 && dns1123Label.test(name)) return []
  if (((obj.metadata ?? {}) as JsonObject).generateName && !name) return []
  return [
    {
      field: 'metadata.name',
      type: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
    },
  ]
}

function secretData(obj: JsonObject): FieldError[] {
  const errors = nameOnly(obj)
  const data = obj.data
  if (data === undefined || data === null) return errors
  if (typeof data !== 'object' || Array.isArray(data)) {
    return [...errors, { field: 'data', type: 'FieldValueTypeInvalid', message: 'must be an object' }]
  }
  for (const [k, v] of Object.entries(data as JsonObject)) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
      errors.push({ field: `data[${k}]`, type: 'FieldValueInvalid', message: 'Invalid value: must be base64' })
    }
  }
  return errors
}

/** RBAC names are path segments, not DNS subdomains (`system:controller:x` is valid), as in Kubernetes. */
function pathSegmentName(obj: JsonObject): FieldError[] {
  const name = ((obj.metadata ?? {}) as JsonObject).name
  if (typeof name !== 'string' || name === '') return validateObjectName(name)
  if (name === '.' || name === '..' || /[/%]/.test(name)) {
    return [
      {
        field: 'metadata.name',
        type: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(name)}: may not be '.' or '..' and may not contain '/' or '%'`,
      },
    ]
  }
  return []
}

/** kcp: `spec.export` of an APIExportEndpointSlice is immutable (a CEL `self == oldSelf` rule). */
function endpointSlice(obj: JsonObject, old?: JsonObject): FieldError[] {
  const errors = nameOnly(obj)
  const exportOf = (o: JsonObject | undefined) => JSON.stringify((o?.spec as JsonObject | undefined)?.export ?? null)
  if (old && exportOf(obj) !== exportOf(old)) {
    errors.push({
      field: 'spec.export',
      type: 'FieldValueInvalid',
      message: 'Invalid value: "object": APIExport reference must not be changed',
    })
  }
  return errors
}

interface Builtin {
  group: string
  version: string
  kind: string
  plural: string
  namespaced: boolean
  shortNames?: string[]
  statusSubresource?: boolean
  generation?: boolean
  validate?: ResourceDef['validate']
}

function builtin(b: Builtin): ResourceDef {
  return {
    group: b.group,
    version: b.version,
    plural: b.plural,
    singular: b.kind.toLowerCase(),
    kind: b.kind,
    listKind: `${b.kind}List`,
    namespaced: b.namespaced,
    shortNames: b.shortNames ?? [],
    categories: [],
    statusSubresource: b.statusSubresource ?? false,
    generation: b.generation ?? false,
    exported: false,
    schema: loose,
    printerColumns: [],
    validate: b.validate ?? nameOnly,
  }
}

const kcp = (group: string, version: string, kind: string, plural: string, status = true): Builtin => ({
  group,
  version,
  kind,
  plural,
  namespaced: false,
  statusSubresource: status,
  generation: true,
})

export const builtinResources: ResourceDef[] = [
  builtin({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    validate: labelName,
  }),
  builtin({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, validate: secretData }),
  builtin({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] }),
  builtin({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] }),
  builtin({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true }),
  builtin({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
    validate: pathSegmentName,
  }),
  builtin({
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
    validate: pathSegmentName,
  }),
  builtin(kcp('apis.kcp.io', 'v1alpha1', 'APIResourceSchema', 'apiresourceschemas', false)),
  builtin(kcp('apis.kcp.io', 'v1alpha2', 'APIExport', 'apiexports')),
  builtin({
    ...kcp('apis.kcp.io', 'v1alpha1', 'APIExportEndpointSlice', 'apiexportendpointslices'),
    validate: endpointSlice,
  }),
  builtin(kcp('apis.kcp.io', 'v1alpha2', 'APIBinding', 'apibindings')),
  builtin({ ...kcp('tenancy.kcp.io', 'v1alpha1', 'Workspace', 'workspaces'), shortNames: ['ws'], validate: labelName }),
  builtin(kcp('providers.kedge.faros.sh', 'v1alpha1', 'CatalogEntry', 'catalogentries')),
]

/** v1alpha1 of the kcp API objects that have moved on: same storage, older version string. */
export const alternateVersions: Record<string, string[]> = {
  'apis.kcp.io/apiexports': ['v1alpha1'],
  'apis.kcp.io/apibindings': ['v1alpha1'],
}

export const codeResources: ResourceDef[] = codeKinds.map((def) => {
  const schema = openAPIV3Schema(def)
  const check = createValidator(schema, def.rules)
  return {
    group: def.group,
    version: def.version,
    plural: def.plural,
    singular: def.singular,
    kind: def.kind,
    listKind: def.listKind,
    namespaced: def.scope === 'Namespaced',
    shortNames: def.shortNames,
    categories: def.categories,
    statusSubresource: true,
    generation: true,
    exported: true,
    schema,
    printerColumns: def.printerColumns,
    validate: (obj, old) => [...nameOnly(obj), ...check(obj, old)],
  }
})

export class Registry {
  private readonly byKey = new Map<string, ResourceDef>()
  constructor(readonly all: ResourceDef[] = [...builtinResources, ...codeResources]) {
    for (const d of all) this.byKey.set(keyOf(d), d)
  }
  get(group: string, plural: string): ResourceDef | undefined {
    return this.byKey.get(resourceKey(group, plural))
  }
  /** For ownerReferences: `apiVersion` + `kind` → the resource. */
  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
    return this.all.find((d) => d.group === group && d.kind === kind)
  }
  byResourceKey(key: string): ResourceDef | undefined {
    return this.byKey.get(key)
  }
  /** Whether `version` names this resource (its storage version or an older alias). */
  servesVersion(d: ResourceDef, version: string): boolean {
    return d.version === version || (alternateVersions[keyOf(d)] ?? []).includes(version)
  }
}
