// Validation of objects against a kind's openAPIV3Schema and cross-field rules, reporting
// Kubernetes-style field paths (`spec.topics[0]`) and messages. One validator for every caller:
// the embedded API server (422 causes), the portal (form errors) and MCP (tool errors).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { CrossFieldRule } from './kind.ts'

export interface FieldError {
  /** e.g. `spec.name`, `spec.topics[0]` */
  field: string
  /** Kubernetes cause type, e.g. FieldValueRequired, FieldValueInvalid. */
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueTooLong'
    | 'FieldValueTypeInvalid'
  message: string
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, verbose: true })
addFormats(ajv)
ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) })
ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 })

/** `/spec/topics/0` → `spec.topics[0]` */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : path ? `${path}.${seg}` : seg), '')
}

const show = (v: unknown) => JSON.stringify(v)

function toFieldError(e: ErrorObject): FieldError {
  const at = fieldPath(e.instancePath)
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required': {
      const field = at ? `${at}.${String(p.missingProperty)}` : String(p.missingProperty)
      return { field, type: 'FieldValueRequired', message: 'Required value' }
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(show).join(', ')
      return {
        field: at,
        type: 'FieldValueNotSupported',
        message: `Unsupported value: ${show(e.data)}: supported values: ${allowed}`,
      }
    }
    case 'maxLength':
      return { field: at, type: 'FieldValueTooLong', message: `Too long: may not be more than ${p.limit} bytes` }
    case 'minLength':
      return {
        field: at,
        type: 'FieldValueInvalid',
        message: `Invalid value: ${show(e.data)}: should be at least ${p.limit} chars long`,
      }
    case 'pattern':
      return {
        field: at,
        type: 'FieldValueInvalid',
        message: `Invalid value: ${show(e.data)}: should match '${p.pattern}'`,
      }
    case 'maxItems':
      return { field: at, type: 'FieldValueTooLong', message: `Too many: must have at most ${p.limit} items` }
    case 'type':
      return {
        field: at,
        type: 'FieldValueTypeInvalid',
        message: `Invalid value: ${show(e.data)}: must be of type ${p.type}`,
      }
    case 'minimum':
    case 'maximum':
      return { field: at, type: 'FieldValueInvalid', message: `Invalid value: ${show(e.data)}: ${e.message}` }
    default:
      return {
        field: at,
        type: 'FieldValueInvalid',
        message: `Invalid value: ${show(e.data)}: ${e.message ?? e.keyword}`,
      }
  }
}

const get = (obj: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)

/** Duplicate map keys in `x-kubernetes-list-type: map` lists are rejected by Kubernetes too. */
function listMapErrors(schema: unknown, value: unknown, at: string, out: FieldError[]): void {
  if (!schema || typeof schema !== 'object' || value === null || value === undefined) return
  const s = schema as Record<string, unknown>
  if (Array.isArray(value) && s['x-kubernetes-list-type'] === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] as string[]
    const seen = new Set<string>()
    value.forEach((item, i) => {
      const key = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)?.[k]))
      if (seen.has(key))
        out.push({ field: `${at}[${i}]`, type: 'FieldValueInvalid', message: `Duplicate value: ${key}` })
      seen.add(key)
    })
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) listMapErrors(s.items, v, `${at}[${i}]`, out)
  } else if (typeof value === 'object' && s.properties) {
    for (const [k, sub] of Object.entries(s.properties as Record<string, unknown>)) {
      listMapErrors(sub, (value as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out)
    }
  }
}

export type Validator = (obj: unknown, old?: unknown) => FieldError[]

/** Compile once per schema; the result is cheap to call. */
export function createValidator(schema: object, rules: readonly CrossFieldRule[] = []): Validator {
  const check: ValidateFunction = ajv.compile(schema)
  return (obj, old) => {
    const errors = check(obj) ? [] : (check.errors ?? []).map(toFieldError)
    listMapErrors(schema, obj, '', errors)
    if (errors.length > 0) return dedupe(errors)
    for (const r of rules) {
      const self = get(obj, r.on)
      if (self === undefined) continue
      if (!r.check(self, old === undefined ? undefined : get(old, r.on))) {
        errors.push({ field: `${r.on}${r.fieldPath ?? ''}`, type: 'FieldValueInvalid', message: r.message })
      }
    }
    return errors
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = `${e.field}\0${e.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** metadata.name rules for cluster-scoped objects (and most namespaced ones). */
export function validateObjectName(name: unknown, field = 'metadata.name'): FieldError[] {
  if (typeof name !== 'string' || name === '') return [{ field, type: 'FieldValueRequired', message: 'Required value' }]
  if (name.length > 253)
    return [{ field, type: 'FieldValueTooLong', message: 'Too long: may not be more than 253 bytes' }]
  if (!dns1123Subdomain.test(name)) {
    return [
      {
        field,
        type: 'FieldValueInvalid',
        message: `Invalid value: ${show(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      },
    ]
  }
  return []
}

/** Human summary of field errors, e.g. for a tool error or a log line. */
export const describeFieldErrors = (errors: readonly FieldError[]): string =>
  errors.map((e) => `${e.field}: ${e.message}`).join('; ')
