// Liveness on the main port (the CatalogEntry's backend.healthPath) and, on the admin port,
// readiness: informers caught up and the API reachable.
import { Elysia } from 'elysia'

export const healthRoutes = () => new Elysia().get('/healthz', () => ({ status: 'ok' }))

export interface ReadinessProbe {
  ready(): boolean
  systemState(): string
}

export const readinessRoutes = (runtime: ReadinessProbe) =>
  new Elysia().get('/readyz', ({ set }) => {
    const ready = runtime.ready()
    if (!ready) set.status = 503
    return { status: ready ? 'ok' : 'starting', runtime: runtime.systemState() }
  })
