// Fault injection and latency: answer the next N matching requests with a given status, body and
// headers (after authentication and rate limiting, so injected failures are billed like real ones),
// or delay them.

export interface FaultSpec {
  /** Any method when absent. */
  method?: string
  /**
   * A route template as in the request log (`/repos/{owner}/{repo}/keys`), or a concrete path where
   * `*` matches anything (`/repos/acme/*`).
   */
  route: string
  status: number
  /** Default: GitHub's error body for the status. */
  body?: unknown
  headers?: Record<string, string>
  /** How many requests it answers; default 1, `Infinity` for all. */
  count?: number
}

export interface LatencySpec {
  ms: number
  method?: string
  route?: string
}

interface ActiveFault extends FaultSpec {
  id: number
  remaining: number
}

export function routeMatches(pattern: string, template: string | undefined, path: string): boolean {
  if (pattern.includes('{')) return pattern === template
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)
  return re.test(path)
}

const matches = (
  spec: { method?: string; route?: string },
  method: string,
  template: string | undefined,
  path: string,
) => (!spec.method || spec.method.toUpperCase() === method) && (!spec.route || routeMatches(spec.route, template, path))

export class Faults {
  private active: ActiveFault[] = []
  private delays: LatencySpec[] = []
  private lastId = 0

  add(spec: FaultSpec): number {
    if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
      throw new RangeError(`fault status ${spec.status} is not an HTTP status`)
    }
    this.lastId += 1
    this.active.push({ ...spec, id: this.lastId, remaining: spec.count ?? 1 })
    return this.lastId
  }

  clear(): void {
    this.active = []
    this.delays = []
  }

  /** The fault answering this request, if any (its remaining count goes down). */
  take(method: string, template: string | undefined, path: string): FaultSpec | undefined {
    const fault = this.active.find((f) => f.remaining > 0 && matches(f, method, template, path))
    if (!fault) return undefined
    fault.remaining -= 1
    this.active = this.active.filter((f) => f.remaining > 0)
    return fault
  }

  setLatency(spec: LatencySpec | undefined): void {
    this.delays = spec ? [...this.delays.filter((d) => d.method !== spec.method || d.route !== spec.route), spec] : []
  }

  delayFor(method: string, template: string | undefined, path: string): number {
    return Math.max(0, ...this.delays.filter((d) => matches(d, method, template, path)).map((d) => d.ms))
  }
}
