// One debug line per request on a listener: method, path, status, duration. Query parameters
// that may carry a credential (dev ?token=, OAuth ?code=&state=) are redacted.
import { Elysia, StatusMap } from 'elysia'
import type { Logger } from '../log.ts'

const secretParam = /token|secret|password|code|state|key|signature|auth/i

/** The request's path and query as they may be logged. */
export function loggablePath(url: URL): string {
  if (!url.search) return url.pathname
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${secretParam.test(k) ? '[redacted]' : encodeURIComponent(v)}`)
    .join('&')
  return `${url.pathname}?${query}`
}

export const requestLog = (log: Logger, listener: string) => {
  const started = new WeakMap<Request, number>()
  return new Elysia({ name: `request-log-${listener}` })
    .onRequest(({ request }) => {
      started.set(request, performance.now())
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, responseValue }) => {
      const t = started.get(request)
      const status =
        responseValue instanceof Response
          ? responseValue.status
          : typeof set.status === 'number'
            ? set.status
            : (StatusMap[set.status as keyof typeof StatusMap] ?? 200)
      log.debug('request', {
        listener,
        method: request.method,
        path: loggablePath(new URL(request.url)),
        status,
        ...(t === undefined ? {} : { durationMs: Math.round((performance.now() - t) * 10) / 10 }),
      })
    })
}
