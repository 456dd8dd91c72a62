// Label selectors (equality- and set-based, as in k8s.io/apimachinery/pkg/labels) and field
// selectors (`a.b=c,d!=e` on any dotted path). Parse errors become 400s in the handler.
import { badRequest } from './status.ts'

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean

type Requirement =
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: '>' | '<'; value: number }

/** Split on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out.map((s) => s.trim()).filter((s) => s !== '')
}

const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/

function requirement(term: string, selector: string): Requirement {
  const fail = () => badRequest(`unable to parse requirement: invalid label selector: "${selector}"`)
  let m = /^!\s*(\S+)$/.exec(term)
  if (m) return { key: m[1]!, op: '!' }
  m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term)
  if (m) {
    const values = m[3]!.split(',').map((v) => v.trim())
    return { key: m[1]!, op: m[2] as 'in' | 'notin', values }
  }
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(term)
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string]
    if (op === '>' || op === '<') {
      const n = Number(value)
      if (!Number.isInteger(n)) throw fail()
      return { key, op, value: n }
    }
    return { key, op: op === '!=' ? '!=' : '=', value }
  }
  if (labelKey.test(term)) return { key: term, op: 'exists' }
  throw fail()
}

export function parseLabelSelector(selector: string | null | undefined): LabelMatcher | undefined {
  if (!selector?.trim()) return undefined
  const reqs = splitTop(selector).map((t) => requirement(t, selector))
  for (const r of reqs) {
    if (!labelKey.test(r.key)) throw badRequest(`unable to parse requirement: invalid label key "${r.key}"`)
  }
  return (labels = {}) =>
    reqs.every((r) => {
      const has = Object.hasOwn(labels, r.key)
      const v = labels[r.key]
      switch (r.op) {
        case 'exists':
          return has
        case '!':
          return !has
        case '=':
          return has && v === r.value
        case '!=':
          return !has || v !== r.value
        case 'in':
          return has && r.values.includes(v!)
        case 'notin':
          return !has || !r.values.includes(v!)
        case '>':
          return has && Number(v) > r.value
        case '<':
          return has && Number(v) < r.value
        default:
          return false
      }
    })
}

export interface FieldRequirement {
  path: string
  op: '=' | '!='
  value: string
}

export function parseFieldSelector(selector: string | null | undefined): FieldRequirement[] {
  if (!selector?.trim()) return []
  return splitTop(selector).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term)
    if (!m) throw badRequest(`invalid field selector: "${selector}"`)
    return { path: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() }
  })
}

const fieldValue = (obj: unknown, path: string): string => {
  const v = path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj)
  return v === undefined || v === null ? '' : String(v)
}

export const matchesFields = (obj: unknown, reqs: readonly FieldRequirement[]): boolean =>
  reqs.every((r) => (fieldValue(obj, r.path) === r.value) === (r.op === '='))
