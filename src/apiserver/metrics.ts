// Request counters per (verb, resource, code), for /metrics to read.
export interface RequestCount {
  verb: string
  resource: string
  code: number
  count: number
}

export class RequestMetrics {
  private readonly counts = new Map<string, RequestCount>()
  /** Open watch streams right now. */
  watches = 0

  record(verb: string, resource: string, code: number): void {
    const key = `${verb}\0${resource}\0${code}`
    const c = this.counts.get(key)
    if (c) c.count++
    else this.counts.set(key, { verb, resource, code, count: 1 })
  }

  snapshot(): RequestCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }))
  }
}
