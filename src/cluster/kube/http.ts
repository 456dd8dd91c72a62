// JSON over HTTP(S) with a Connection: one function for every request the client makes.
import type { Connection } from './connection.ts'
import { clusterError, unavailable } from './errors.ts'

export interface HttpRequest {
  method?: string
  body?: unknown
  contentType?: string
  signal?: AbortSignal
}

export function fetchInit(conn: Connection, req: HttpRequest = {}): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json', ...conn.headers }
  if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json'
  return {
    method: req.method ?? 'GET',
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    signal: req.signal,
    // Bun's fetch takes TLS material here (stack-notes §4).
    tls: conn.tls,
  } as RequestInit
}

/** Send a request; 2xx → parsed JSON, anything else → ClusterError. */
export async function requestJson<T>(conn: Connection, url: string, req: HttpRequest = {}, what = url): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, fetchInit(conn, req))
  } catch (e) {
    throw unavailable(what, e)
  }
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!res.ok) throw clusterError(res.status, body, what)
  return body as T
}
