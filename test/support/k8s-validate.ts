// Offline validation of Kubernetes objects (rendered Helm templates) against schemas nobody here
// wrote, in two passes:
//  - shape: kubernetes-models' precompiled validators (types, required fields, formats);
//  - unknown fields, which those validators allow (and the API server drops silently): a round
//    trip through @kubernetes/client-node's generated model serializer keeps only fields its
//    OpenAPI-derived models know, so whatever is lost on the way is a typo or a wrong level.
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount'

type Json = Record<string, unknown>

const models: Record<string, new (o: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
}

/** `apps/v1` + `Deployment` → `V1Deployment`, the client's model name. */
const modelName = (apiVersion: string, kind: string) => {
  const version = apiVersion.split('/').pop()!
  return `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`
}

/** Paths present in `a` but absent from `b`. */
function lostPaths(a: unknown, b: unknown, path: string): string[] {
  if (Array.isArray(a)) return a.flatMap((x, i) => lostPaths(x, Array.isArray(b) ? b[i] : undefined, `${path}[${i}]`))
  if (a === null || typeof a !== 'object') return []
  const other = (b ?? {}) as Json
  return Object.entries(a as Json).flatMap(([k, v]) => {
    if (v === null || v === undefined) return []
    const at = path ? `${path}.${k}` : k
    return k in other ? lostPaths(v, other[k], at) : [at]
  })
}

/** Problems with one object; empty when it is valid. */
export function validateKubeObject(obj: Json): string[] {
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`
  const name = `${String(obj.kind)} ${String((obj.metadata as Json | undefined)?.name)}`
  const Model = models[key]
  if (!Model) return [`${name}: no schema for ${key} (add it to test/support/k8s-validate.ts)`]
  const problems: string[] = []
  try {
    new Model(structuredClone(obj) as never).validate()
  } catch (e) {
    problems.push(`${name}: ${(e as Error).message}`)
  }
  const type = modelName(String(obj.apiVersion), String(obj.kind))
  const round = ObjectSerializer.serialize(ObjectSerializer.deserialize(structuredClone(obj), type, ''), type, '')
  for (const path of lostPaths(obj, round, '')) problems.push(`${name}: unknown field ${path}`)
  return problems
}
