// Kind-specific behaviour on write, the way kcp's and Kubernetes' admission and registry
// strategies do it: Secrets fold stringData into data, Namespaces are Active, Workspaces get a
// logical cluster, APIBindings report Bound, APIExportEndpointSlices publish their virtual
// workspace URL. Pure functions of (object, context).
import { newClusterId } from './logical-clusters.ts'
import type { JsonObject, ResourceDef } from './resources.ts'

export interface AdmissionContext {
  cluster: string
  /** Workspace path of `cluster`. */
  path: string
  baseURL: () => string
  /** Logical cluster id of a workspace path (or id); undefined when there is none. */
  resolve: (path: string) => string | undefined
}

const meta = (o: JsonObject) => (o.metadata ?? {}) as JsonObject

export function admit(
  def: ResourceDef,
  obj: JsonObject,
  old: JsonObject | undefined,
  ctx: AdmissionContext,
): JsonObject {
  switch (`${def.group}/${def.kind}`) {
    case '/Secret': {
      const { stringData, ...rest } = obj
      const data = { ...((rest.data as JsonObject | undefined) ?? {}) }
      for (const [k, v] of Object.entries((stringData as JsonObject | undefined) ?? {})) {
        data[k] = Buffer.from(String(v)).toString('base64')
      }
      return { ...rest, type: rest.type ?? 'Opaque', ...(Object.keys(data).length > 0 ? { data } : {}) }
    }
    case '/Namespace':
      return {
        ...obj,
        spec: { finalizers: ['kubernetes'], ...((obj.spec as JsonObject | undefined) ?? {}) },
        status: { phase: meta(obj).deletionTimestamp ? 'Terminating' : 'Active' },
      }
    case 'tenancy.kcp.io/Workspace': {
      const spec = (obj.spec ?? {}) as JsonObject
      const oldSpec = (old?.spec ?? {}) as JsonObject
      const id = (oldSpec.cluster as string | undefined) ?? newClusterId()
      const path = `${ctx.path}:${String(meta(obj).name)}`
      return {
        ...obj,
        spec: {
          ...spec,
          type: spec.type ?? { name: 'universal', path: 'root' },
          cluster: id,
          URL: `${ctx.baseURL()}/clusters/${path}`,
        },
        status: { phase: 'Ready', ...((old?.status as JsonObject | undefined) ?? {}) },
      }
    }
    case 'apis.kcp.io/APIExportEndpointSlice':
      return {
        ...obj,
        status: { ...((obj.status as JsonObject | undefined) ?? {}), endpoints: sliceEndpoints(obj, ctx) },
      }
    case 'apis.kcp.io/APIBinding':
      if (old) return obj
      return { ...obj, status: { phase: 'Bound', ...((obj.status as JsonObject | undefined) ?? {}) } }
    default:
      return obj
  }
}

/** What kcp's endpoint-slice controller publishes: the export's virtual workspace URL, once the export's workspace exists. */
function sliceEndpoints(slice: JsonObject, ctx: AdmissionContext): { url: string }[] {
  const ref = ((slice.spec as JsonObject | undefined)?.export ?? {}) as JsonObject
  if (typeof ref.name !== 'string' || ref.name === '') return []
  const cluster = typeof ref.path === 'string' && ref.path !== '' ? ctx.resolve(ref.path) : ctx.cluster
  return cluster ? [{ url: `${ctx.baseURL()}/services/apiexport/${cluster}/${ref.name}` }] : []
}
