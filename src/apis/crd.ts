// Derives plain Kubernetes CRDs and kcp APIResourceSchemas/APIExport from kind definitions.
// Pure functions: scripts/generate-schemas.ts writes them out, a test compares them with the
// committed YAML, and the embedded API server registers kinds from the same objects.
import { createHash } from 'node:crypto'
import type { KindDefinition, PrinterColumn } from './kind.ts'

export type JsonObject = Record<string, unknown>

/** TypeBox schemas carry symbol keys; a JSON round trip leaves the plain JSON Schema. */
const plain = (schema: unknown): JsonObject => JSON.parse(JSON.stringify(schema)) as JsonObject

/** The openAPIV3Schema of a kind: envelope, spec (with its CEL rules) and status. */
export function openAPIV3Schema(def: KindDefinition): JsonObject {
  const spec = plain(def.spec)
  const specRules = def.rules
    .filter((r) => r.on === 'spec')
    .map((r) => ({ rule: r.rule, message: r.message, ...(r.fieldPath ? { fieldPath: r.fieldPath } : {}) }))
  if (specRules.length > 0) spec['x-kubernetes-validations'] = specRules
  return {
    type: 'object',
    description: def.description,
    properties: {
      apiVersion: { type: 'string', description: 'Versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'REST resource this object represents.' },
      metadata: { type: 'object' },
      spec,
      status: plain(def.status),
    },
    required: ['spec'],
  }
}

const names = (def: KindDefinition) => ({
  kind: def.kind,
  listKind: def.listKind,
  plural: def.plural,
  singular: def.singular,
  shortNames: def.shortNames,
  categories: def.categories,
})

const columns = (cols: PrinterColumn[]) => cols.map((c) => ({ ...c }))

export function customResourceDefinition(def: KindDefinition): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}` },
    spec: {
      group: def.group,
      names: names(def),
      scope: def.scope,
      versions: [
        {
          name: def.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openAPIV3Schema(def) },
          subresources: { status: {} },
          additionalPrinterColumns: columns(def.printerColumns),
        },
      ],
    },
  }
}

function apiResourceSchemaSpec(def: KindDefinition): JsonObject {
  return {
    group: def.group,
    names: names(def),
    scope: def.scope,
    versions: [
      {
        name: def.version,
        served: true,
        storage: true,
        schema: openAPIV3Schema(def),
        subresources: { status: {} },
        additionalPrinterColumns: columns(def.printerColumns),
      },
    ],
  }
}

/**
 * kcp schema names are immutable and content-versioned: `v<hash>.<plural>.<group>`. The hash
 * covers the whole spec, so any schema change yields a new name (and `init` prunes the old one).
 */
export function apiResourceSchemaName(def: KindDefinition): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(apiResourceSchemaSpec(def)))
    .digest('hex')
    .slice(0, 10)
  return `v${hash}.${def.plural}.${def.group}`
}

export function apiResourceSchema(def: KindDefinition): JsonObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1',
    kind: 'APIResourceSchema',
    metadata: { name: apiResourceSchemaName(def) },
    spec: apiResourceSchemaSpec(def),
  }
}

/**
 * What the provider may touch in tenant workspaces besides its own kinds: Secrets (read tokens,
 * write generated deploy keys) and Events (so `kubectl describe` shows what happened).
 */
export const permissionClaims = [
  { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { group: '', resource: 'events', verbs: ['get', 'list', 'watch', 'create', 'patch'] },
]

export function apiExport(exportName: string, defs: readonly KindDefinition[]): JsonObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIExport',
    metadata: { name: exportName },
    spec: {
      resources: defs.map((d) => ({
        group: d.group,
        name: d.plural,
        schema: apiResourceSchemaName(d),
        storage: { crd: {} },
      })),
      permissionClaims: permissionClaims.map((c) => ({ ...c, verbs: [...c.verbs] })),
    },
  }
}
