// What the portal's route factories share: their dependencies, and the two ways a handler
// starts (read: identity and access; write: the same after refusing cross-site requests).

import type { Assets } from '../../views/layout.tsx'
import type { Runtime } from '../actors/runtime.ts'
import type { AccessChecker } from '../auth/access.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import { crossSite, navFor, openRequest, type PortalRequest, problem } from './portal-request.ts'

export interface PortalDeps {
  config: Config
  runtime: Runtime
  access: AccessChecker
  logger: Logger
}

export interface PortalContext extends PortalDeps {
  assets: Assets
}

type Handler = (req: PortalRequest) => Promise<Response> | Response

export function handlers(deps: PortalContext) {
  const open = async (request: Request, then: Handler) => {
    const o = await openRequest(deps, request)
    if (!o.ok) return o.response
    try {
      return await then(o.req)
    } catch (e) {
      deps.logger.error('portal request failed', {
        method: request.method,
        path: o.req.url.pathname,
        error: (e as Error).message,
      })
      return problem(o.req.ctx, o.req.htmx, {
        status: 500,
        title: 'Something went wrong',
        message:
          'The portal could not finish this request (the error is in the provider log). Reload to see what was saved.',
      })
    }
  }
  const write = (request: Request, then: Handler) => {
    if (!crossSite(request)) return open(request, then)
    const nav = navFor(request, new URL(request.url), deps.config.devAllowTenantQuery)
    return problem({ nav, assets: deps.assets }, request.headers.get('hx-request') === 'true', {
      status: 403,
      title: 'Refused',
      message: 'This change came from another site. Make it from the portal itself.',
    })
  }
  return { open, write }
}
