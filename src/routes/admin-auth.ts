// The admin listener's optional token (CODE_ADMIN_TOKEN). When set, every route but the probes
// needs it: `Authorization: Bearer <token>`, or Basic with the token as the password, so a
// browser can open /debug through its own login prompt (and its EventSource inherits it).
import { createHash, timingSafeEqual } from 'node:crypto'
import { Elysia } from 'elysia'
import type { Logger } from '../log.ts'
import { loggablePath } from './request-log.ts'

const open = new Set(['/healthz', '/readyz'])
const realm = 'code-provider admin'

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Constant-time: both sides are hashed to the same length before comparing. */
export const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected))

/** The secret an Authorization header offers: a bearer token, or a Basic password. */
export function offeredSecret(header: string | null): string | undefined {
  const [scheme, value] = (header ?? '').trim().split(/\s+/, 2)
  if (!scheme || !value) return undefined
  if (scheme.toLowerCase() === 'bearer') return value
  if (scheme.toLowerCase() !== 'basic') return undefined
  const decoded = Buffer.from(value, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : decoded.slice(colon + 1)
}

export const adminAuth = (token: string | undefined, log: Logger) =>
  new Elysia({ name: 'admin-auth' }).onRequest(({ request }) => {
    if (!token) return
    const url = new URL(request.url)
    if (open.has(url.pathname)) return
    const offered = offeredSecret(request.headers.get('authorization'))
    if (offered !== undefined && sameSecret(offered, token)) return
    // Refused requests never reach the request log's after-response hook: log them here, alike.
    log.debug('request', {
      listener: 'admin',
      method: request.method,
      path: loggablePath(url),
      status: 401,
      refused: offered === undefined ? 'no token' : 'wrong token',
    })
    const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' })
    // Basic first: browsers read only the first challenge of a header line, and Bun joins them into one.
    headers.append('www-authenticate', `Basic realm="${realm}", charset="UTF-8"`)
    headers.append('www-authenticate', `Bearer realm="${realm}"`)
    return new Response(JSON.stringify({ error: 'unauthorized', message: 'this admin route needs CODE_ADMIN_TOKEN' }), {
      status: 401,
      headers,
    })
  })
