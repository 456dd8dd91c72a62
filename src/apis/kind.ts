// What defines a kind: its names, schema, printer columns and cross-field rules. CRDs,
// kcp APIResourceSchemas, validation and the embedded API server are all derived from this.
import type { TSchema } from '@sinclair/typebox'

export interface PrinterColumn {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  jsonPath: string
  description?: string
  priority?: number
}

/**
 * A rule the schema language cannot say. `rule` is the CEL expression written into the CRD
 * (`x-kubernetes-validations`) so real Kubernetes and kcp enforce it; `check` is the same
 * rule in TypeScript so our own validation (and the embedded API server) enforces it too.
 * `oldSelf` is set only on update; transition rules pass when it is absent.
 */
export interface CrossFieldRule {
  /** JSON path of the object the rule sits on, e.g. `spec`. */
  on: string
  rule: string
  message: string
  /** Field the error is reported on, relative to `on`, e.g. `.secretRef`. */
  fieldPath?: string
  check: (self: unknown, oldSelf?: unknown) => boolean
}

export interface KindDefinition {
  group: string
  version: string
  kind: string
  listKind: string
  plural: string
  singular: string
  shortNames: string[]
  categories: string[]
  scope: 'Cluster' | 'Namespaced'
  description: string
  spec: TSchema
  status: TSchema
  printerColumns: PrinterColumn[]
  rules: CrossFieldRule[]
  /** Written by the provider, not by tenants (Package). */
  observedOnly?: boolean
}

export const readyColumn: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
}
export const syncedColumn: PrinterColumn = {
  name: 'Synced',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Synced")].status',
}
export const reasonColumn: PrinterColumn = {
  name: 'Reason',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
  priority: 1,
}
export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

/** `self == oldSelf` on one field: the field can be set once and never changed. */
export const immutable = (on: string, field: string): CrossFieldRule => ({
  on,
  rule: `self.${field} == oldSelf.${field}`,
  message: `${field} is immutable`,
  fieldPath: `.${field}`,
  check: (self, oldSelf) =>
    oldSelf === undefined || (self as Record<string, unknown>)[field] === (oldSelf as Record<string, unknown>)[field],
})
