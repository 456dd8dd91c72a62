// Structural pruning: drop fields the schema does not know (unless it preserves unknown fields),
// and report them so `fieldValidation=Strict` can refuse and `Warn` can warn.
import type { JsonObject } from './resources.ts'

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Returns the pruned copy and the paths of the dropped fields (`spec.foo`). */
export function prune(schema: JsonObject, value: unknown, at = ''): { value: unknown; unknown: string[] } {
  const unknown: string[] = []
  const walk = (s: JsonObject | undefined, v: unknown, path: string): unknown => {
    if (!s || (s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties)) return v
    if (Array.isArray(v)) return s.items ? v.map((item, i) => walk(s.items as JsonObject, item, `${path}[${i}]`)) : v
    if (!isObject(v)) return v
    const props = s.properties as Record<string, JsonObject> | undefined
    const additional = s.additionalProperties
    const out: JsonObject = {}
    for (const [k, child] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k
      if (props && Object.hasOwn(props, k)) out[k] = walk(props[k], child, p)
      else if (isObject(additional)) out[k] = walk(additional, child, p)
      else if (additional === true || s['x-kubernetes-preserve-unknown-fields'] === true) out[k] = child
      else if (!props) out[k] = child
      else unknown.push(p)
    }
    return out
  }
  return { value: walk(schema, value, at), unknown }
}

/** Prune a whole object: metadata, apiVersion and kind are the server's business, not the schema's. */
export function pruneObject(schema: JsonObject, obj: JsonObject): { value: JsonObject; unknown: string[] } {
  const { metadata, apiVersion, kind, ...rest } = obj
  const { value, unknown } = prune(schema, rest)
  return { value: { apiVersion, kind, metadata, ...(value as JsonObject) }, unknown }
}
