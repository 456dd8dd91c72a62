// Liveness on the main port (the CatalogEntry's backend.healthPath) and, on the admin port,
// readiness: informers caught up and the API reachable. With leader election a standby is not
// ready (503, naming the leader), so a Service sends portal and MCP traffic to the leader only:
// they read the leader's actor state.
import { Elysia } from 'elysia'
import type { LeaderStatus } from '../actors/leader-elector.ts'

export const healthRoutes = () => new Elysia().get('/healthz', () => ({ status: 'ok' }))

export interface ReadinessProbe {
  ready(): boolean
  systemState(): string
}

export interface LeadershipProbe {
  status(): LeaderStatus
}

export const readinessRoutes = (runtime: ReadinessProbe, leader?: LeadershipProbe) =>
  new Elysia().get('/readyz', ({ set }) => {
    const election = leader?.status()
    if (election && election.state !== 'leader') {
      set.status = 503
      const { state, holder, identity } = election
      const message =
        state === 'standby'
          ? `standing by: ${holder} leads`
          : state === 'starting'
            ? 'looking for the leader'
            : `not leading (${state})`
      return { status: state, message, ...(holder && state === 'standby' ? { leader: holder } : {}), identity }
    }
    const ready = runtime.ready()
    if (!ready) set.status = 503
    return {
      status: ready ? 'ok' : 'starting',
      runtime: runtime.systemState(),
      ...(election ? { leader: election.identity } : {}),
    }
  })
