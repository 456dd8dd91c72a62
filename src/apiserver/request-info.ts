// Parse a request path the way kcp does: an optional virtual-workspace prefix
// (`/services/apiexport/<workspace>/<export>`), an optional logical cluster (`/clusters/<name>`,
// `*` for all), then either a resource path (`/api/v1/...`, `/apis/<g>/<v>/...`) or a
// non-resource path (discovery, /version, /openapi, health).
export interface ResourcePath {
  group: string
  version: string
  /** The deprecated `/watch/` path prefix. */
  watchPath: boolean
  namespace?: string
  plural: string
  name?: string
  subresource?: string
}

export interface RequestInfo {
  /** Virtual workspace of an APIExport: where the export lives and its name. */
  vw?: { workspace: string; exportName: string }
  /** `/clusters/<segment>` as given; undefined means root. */
  cluster?: string
  /** Path after the cluster prefix, e.g. `/apis/code.kedge.faros.sh/v1alpha1`. */
  rest: string
  resource?: ResourcePath
}

export function parseRequestPath(pathname: string): RequestInfo {
  let segs = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent)
  const info: RequestInfo = { rest: '' }
  if (segs[0] === 'services' && segs[1] === 'apiexport' && segs.length >= 4) {
    info.vw = { workspace: segs[2]!, exportName: segs[3]! }
    segs = segs.slice(4)
  }
  if (segs[0] === 'clusters' && segs.length >= 2) {
    info.cluster = segs[1]!
    segs = segs.slice(2)
  }
  info.rest = `/${segs.join('/')}`
  let rest: string[]
  let group: string
  let version: string
  if (segs[0] === 'api' && segs.length >= 3) {
    group = ''
    version = segs[1]!
    rest = segs.slice(2)
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!
    version = segs[2]!
    rest = segs.slice(3)
  } else return info
  const watchPath = rest[0] === 'watch'
  if (watchPath) rest = rest.slice(1)
  const r: ResourcePath = { group, version, watchPath, plural: '' }
  // namespaces/<ns>/<plural>... is namespaced, except the Namespace object's own subresources.
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]!))
  ) {
    r.namespace = rest[1]!
    rest = rest.slice(2)
  }
  if (rest.length === 0 || rest.length > 3) return info
  r.plural = rest[0]!
  r.name = rest[1]
  r.subresource = rest[2]
  info.resource = r
  return info
}

/** Go's strconv.ParseBool, which Kubernetes uses for query booleans (`watch=True`). */
export function queryBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)
}
