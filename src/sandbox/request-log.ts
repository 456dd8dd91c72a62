// What the sandbox was asked, for assertions like "steady state costs no billed requests":
// a bounded log plus counts per route, per status, 304s and billed requests. Never holds tokens.

export interface RequestLogEntry {
  requestId: string
  at: string
  method: string
  /** Path without the query. */
  path: string
  /** `GET /repos/{owner}/{repo}`; for unknown paths the method and path. */
  route: string
  status: number
  login?: string
  tokenKind?: string
  billed: boolean
  notModified: boolean
  fault: boolean
  durationMs: number
}

export interface RequestCounts {
  total: number
  billed: number
  unbilled: number
  notModified: number
  byRoute: Record<string, number>
  byStatus: Record<string, number>
}

export interface RequestFilter {
  method?: string
  /** Exact route (`GET /repos/{owner}/{repo}`) or route template without the method. */
  route?: string
  status?: number
  login?: string
}

const MAX_ENTRIES = 10_000

const selects = (f: RequestFilter) => (e: RequestLogEntry) =>
  (!f.method || e.method === f.method.toUpperCase()) &&
  (!f.route || e.route === f.route || e.route.endsWith(` ${f.route}`)) &&
  (f.status === undefined || e.status === f.status) &&
  (!f.login || e.login === f.login)

export class RequestLog {
  private entries: RequestLogEntry[] = []

  add(entry: RequestLogEntry): void {
    this.entries.push(entry)
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES)
  }

  list(filter: RequestFilter = {}): RequestLogEntry[] {
    return this.entries.filter(selects(filter))
  }

  counts(filter: RequestFilter = {}): RequestCounts {
    const c: RequestCounts = { total: 0, billed: 0, unbilled: 0, notModified: 0, byRoute: {}, byStatus: {} }
    for (const e of this.list(filter)) {
      c.total += 1
      if (e.billed) c.billed += 1
      else c.unbilled += 1
      if (e.notModified) c.notModified += 1
      c.byRoute[e.route] = (c.byRoute[e.route] ?? 0) + 1
      c.byStatus[e.status] = (c.byStatus[e.status] ?? 0) + 1
    }
    return c
  }

  clear(): void {
    this.entries = []
  }
}
