// Replays @octokit/fixtures recordings of real GitHub traffic against another server (the sandbox)
// and reports where status codes or response shapes (key sets and JSON types) differ. Ids the
// recording normalised (1000, 1001, …) are mapped to the ids the target hands out.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface Recorded {
  method: string
  path: string
  body?: unknown
  status: number
  response: unknown
  reqheaders: Record<string, string | number>
  /** Normalized recordings carry headers as an object, raw ones as a flat [name, value, …] list. */
  headers?: Record<string, string | number>
  rawHeaders?: string[]
}

function responseHeader(r: Recorded, name: string): string | undefined {
  if (r.headers?.[name] !== undefined) return String(r.headers[name])
  const raw = r.rawHeaders ?? []
  const i = raw.findIndex((h, at) => at % 2 === 0 && h.toLowerCase() === name)
  return i >= 0 ? raw[i + 1] : undefined
}

const root = dirname(createRequire(import.meta.url).resolve('@octokit/fixtures/package.json'))

const read = (scenario: string, file: string) =>
  JSON.parse(readFileSync(join(root, 'scenarios', 'api.github.com', scenario, file), 'utf8')) as Recorded[]

/** The normalized recording (ids 1000+, fake tokens), as @octokit/fixtures replays it. */
export const recording = (scenario: string) => read(scenario, 'normalized-fixture.json')

/** The raw recording: also the set-up and tear-down requests (temporary repository create/delete). */
export const rawRecording = (scenario: string) => read(scenario, 'raw-fixture.json')

export interface ReplayReport {
  /** Status and shape differences: these must not happen. */
  mismatches: string[]
  /** Keys our answers have that the (older) recordings lack, as `step: path.key`. */
  extraKeys: string[]
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

function compare(expected: unknown, actual: unknown, at: string, report: ReplayReport, step: string): void {
  const [te, ta] = [typeOf(expected), typeOf(actual)]
  // A recorded null says "this field may be empty"; our value may be empty or set.
  if (te === 'null') return
  if (te !== ta) {
    report.mismatches.push(`${step}: ${at || '(body)'} is ${ta}, recorded ${te}`)
    return
  }
  if (te === 'array') {
    const [e, a] = [expected as unknown[], actual as unknown[]]
    if (e.length > 0 && a.length > 0) compare(e[0], a[0], `${at}[]`, report, step)
    if (e.length !== a.length)
      report.mismatches.push(`${step}: ${at || '(body)'} has ${a.length} items, recorded ${e.length}`)
    return
  }
  if (te !== 'object') return
  const [e, a] = [expected as Record<string, unknown>, actual as Record<string, unknown>]
  for (const key of Object.keys(e)) {
    if (!(key in a)) report.mismatches.push(`${step}: ${at}.${key} missing`)
    else compare(e[key], a[key], `${at}.${key}`, report, step)
  }
  for (const key of Object.keys(a)) if (!(key in e)) report.extraKeys.push(`${step}: ${at}.${key}`)
}

export interface ReplayOptions {
  /** Base URL of the server to replay against. */
  target: string
  /** The token to send for a recorded Authorization header (the recordings use fake tokens per user). */
  tokenFor: (recordedAuthorization: string) => string
}

export const replay = (scenario: string, options: ReplayOptions) => replaySteps(recording(scenario), options)

export async function replaySteps(steps: Recorded[], options: ReplayOptions): Promise<ReplayReport> {
  const report: ReplayReport = { mismatches: [], extraKeys: [] }
  const ids = new Map<string, string>()
  const mapIds = (text: string) => text.replace(/\/(\d+)(?=\/|$|\?)/g, (m, id) => (ids.has(id) ? `/${ids.get(id)}` : m))
  for (const [i, r] of steps.entries()) {
    const path = mapIds(r.path)
    const step = `${i + 1} ${r.method.toUpperCase()} ${r.path}`
    const headers: Record<string, string> = {
      accept: 'application/vnd.github.v3+json',
      authorization: `token ${options.tokenFor(String(r.reqheaders.authorization ?? ''))}`,
    }
    const hasBody = r.body !== undefined && r.body !== ''
    if (hasBody) headers['content-type'] = 'application/json; charset=utf-8'
    const res = await fetch(options.target + path, {
      method: r.method.toUpperCase(),
      headers,
      redirect: 'manual',
      ...(hasBody ? { body: JSON.stringify(r.body) } : {}),
    })
    const text = await res.text()
    const body = text ? JSON.parse(text) : ''
    if (res.status !== r.status) report.mismatches.push(`${step}: status ${res.status}, recorded ${r.status}`)
    compare(r.response, body, '', report, step)
    const recordedId = (r.response as { id?: unknown } | null)?.id
    const actualId = (body as { id?: unknown } | null)?.id
    if (typeof recordedId === 'number' && typeof actualId === 'number') ids.set(String(recordedId), String(actualId))
    const recordedLocation = responseHeader(r, 'location')?.replace(/^https:\/\/api\.github\.com/, '')
    if (recordedLocation) {
      const expected = options.target + mapIds(recordedLocation)
      if (res.headers.get('location') !== expected) {
        report.mismatches.push(`${step}: location ${res.headers.get('location')}, expected ${expected}`)
      }
    }
  }
  return report
}
