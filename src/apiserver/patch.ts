// The patch formats Kubernetes clients send: JSON merge patch (RFC 7386), JSON patch (RFC 6902)
// and strategic merge patch, which we apply as a merge patch after dropping its `$` directives
// (exact for our custom kinds, close enough for the maps-only builtins we store).
import { ApiError, badRequest } from './status.ts'

type Json = unknown
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch
  const out: Record<string, Json> = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

export function withoutDirectives(patch: Json): Json {
  if (Array.isArray(patch)) return patch.map(withoutDirectives)
  if (!isObject(patch)) return patch
  return Object.fromEntries(
    Object.entries(patch)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, withoutDirectives(v)]),
  )
}

interface Operation {
  op: string
  path: string
  from?: string
  value?: Json
}

const unescapeToken = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~')

function pointer(path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`)
  return path.slice(1).split('/').map(unescapeToken)
}

function parentOf(doc: Json, tokens: string[], path: string): Json {
  let cur = doc
  for (const t of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined
    if (cur === undefined) throw new ApiError(422, 'Invalid', `jsonpatch: path ${path} does not exist`)
  }
  return cur
}

function read(doc: Json, path: string): Json {
  let cur = doc
  for (const t of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(t)] : isObject(cur) ? cur[t] : undefined
    if (cur === undefined) throw new ApiError(422, 'Invalid', `jsonpatch: path ${path} does not exist`)
  }
  return cur
}

function arrayIndex(arr: Json[], t: string, path: string, forAdd: boolean): number {
  if (forAdd && t === '-') return arr.length
  const i = Number(t)
  if (!/^\d+$/.test(t) || i > arr.length || (!forAdd && i === arr.length)) {
    throw new ApiError(422, 'Invalid', `jsonpatch: index out of range in ${path}`)
  }
  return i
}

function add(doc: Json, path: string, value: Json): Json {
  const tokens = pointer(path)
  if (tokens.length === 0) return value
  const parent = parentOf(doc, tokens, path)
  const last = tokens.at(-1)!
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, true), 0, value)
  else if (isObject(parent)) parent[last] = value
  else throw new ApiError(422, 'Invalid', `jsonpatch: cannot add at ${path}`)
  return doc
}

function remove(doc: Json, path: string): Json {
  const tokens = pointer(path)
  const parent = parentOf(doc, tokens, path)
  const last = tokens.at(-1)!
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, false), 1)
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last]
  else throw new ApiError(422, 'Invalid', `jsonpatch: path ${path} does not exist`)
  return doc
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('a JSON patch must be an array of operations')
  let doc = structuredClone(target)
  for (const raw of ops as Operation[]) {
    if (!isObject(raw) || typeof raw.path !== 'string') throw badRequest('invalid JSON patch operation')
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, structuredClone(raw.value))
        break
      case 'remove':
        doc = remove(doc, raw.path)
        break
      case 'replace':
        read(doc, raw.path)
        doc = add(remove(doc, raw.path), raw.path, structuredClone(raw.value))
        break
      case 'move': {
        const v = read(doc, raw.from ?? '')
        doc = add(remove(doc, raw.from ?? ''), raw.path, v)
        break
      }
      case 'copy':
        doc = add(doc, raw.path, structuredClone(read(doc, raw.from ?? '')))
        break
      case 'test':
        if (JSON.stringify(read(doc, raw.path)) !== JSON.stringify(raw.value)) {
          throw new ApiError(422, 'Invalid', `jsonpatch: test failed at ${raw.path}`)
        }
        break
      default:
        throw badRequest(`unknown JSON patch operation "${String(raw.op)}"`)
    }
  }
  return doc
}
