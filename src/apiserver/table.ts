// meta.k8s.io/v1 Table output, so `kubectl get` shows each kind's printer columns. Column values
// come from the kinds' JSONPath expressions (the subset CRD printer columns use).
import type { PrinterColumn } from '../apis/kind.ts'
import type { JsonObject, ResourceDef } from './resources.ts'

type Step = { field: string } | { index: number } | { all: true } | { filter: string[]; value: string }

function parsePath(expr: string): Step[] {
  const steps: Step[] = []
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\)\]/g
  for (const m of expr.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ field: m[1] })
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) })
    else if (m[3] !== undefined) steps.push({ filter: m[3].split('.'), value: m[4]! })
    else steps.push({ all: true })
  }
  return steps
}

const dig = (v: unknown, fields: string[]) =>
  fields.reduce<unknown>((o, f) => (o && typeof o === 'object' ? (o as JsonObject)[f] : undefined), v)

export function jsonPath(obj: unknown, expr: string): unknown[] {
  let current: unknown[] = [obj]
  for (const step of parsePath(expr)) {
    const next: unknown[] = []
    for (const v of current) {
      if ('field' in step) {
        const f = dig(v, [step.field])
        if (f !== undefined) next.push(f)
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index])
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v)
      } else if (Array.isArray(v)) {
        next.push(...v.filter((item) => String(dig(item, step.filter)) === step.value))
      }
    }
    current = next
  }
  return current
}

/** k8s.io/apimachinery duration.HumanDuration, as kubectl shows ages. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < -1) return '<invalid>'
  if (s < 0) return '0s'
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
  if (h < 48) return `${h}h`
  if (h < 192) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`
  const d = Math.floor(h / 24)
  if (d < 730) return `${d}d`
  const y = Math.floor(d / 365)
  return d % 365 === 0 || y >= 8 ? `${y}y` : `${y}y${d % 365}d`
}

const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

function cell(obj: JsonObject, c: PrinterColumn, now: number): unknown {
  const values = jsonPath(obj, c.jsonPath)
  if (values.length === 0) return null
  if (c.type === 'date') return humanDuration(now - Date.parse(String(values[0])))
  if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',')
  const v = values[0]
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : v
}

export type IncludeObject = 'None' | 'Metadata' | 'Object'

export function tableFor(
  def: ResourceDef,
  objects: JsonObject[],
  now: number,
  include: IncludeObject,
  listMeta: JsonObject = {},
): JsonObject {
  const columns = def.printerColumns.length > 0 ? def.printerColumns : [ageColumn]
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the object.', priority: 0 },
      ...columns.map((c) => ({
        name: c.name,
        type: c.type === 'date' ? 'string' : c.type,
        format: '',
        description: c.description ?? '',
        priority: c.priority ?? 0,
      })),
    ],
    rows: objects.map((o) => ({
      cells: [(o.metadata as JsonObject).name, ...columns.map((c) => cell(o, c, now))],
      object:
        include === 'Object'
          ? o
          : include === 'None'
            ? null
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  }
}
