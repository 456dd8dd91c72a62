// /debug as JSON and server-sent events: the actor tree, actors (filtered, paged), one actor up
// close, credential gates, components, and the stream of transitions. Everything leaves through
// redact(); the runtime keeps secrets out of views in the first place.
import { Elysia } from 'elysia'
import type { ActorView, Transition } from '../actors/actor-view.ts'
import type { Runtime } from '../actors/runtime.ts'
import { redact } from '../log.ts'
import type { StatusBoard } from '../status-board.ts'
import {
  type ActorFilter,
  buildTree,
  byKindThenName,
  filterFrom,
  matches,
  paginate,
  transitionMatches,
} from './debug-data.ts'
import { eventStream, sseFrame, type Write } from './sse.ts'

export interface DebugDeps {
  runtime: Runtime
  status: StatusBoard
}

type Query = Record<string, string | undefined>

export const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(redact(value)), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  })

/** The actor id in a wildcard path segment (ids contain slashes; clients may encode them). */
export const actorIdFrom = (params: Record<string, string | undefined>) => decodeURIComponent(params['*'] ?? '')

export const everyActor = (runtime: Runtime) => [...runtime.supervisors(), ...runtime.actors()]

export function summary(runtime: Runtime) {
  return {
    ready: runtime.ready(),
    systemState: runtime.systemState(),
    workspaces: runtime.supervisors().length - 1,
    actors: runtime.actors().length,
    pendingTimers: runtime.pendingTimers(),
  }
}

export const debugTree = (runtime: Runtime, filter: ActorFilter) =>
  buildTree(runtime.supervisors(), runtime.actors(), filter)

const eventPayload = (view: ActorView, transition: Transition) => ({
  actor: {
    id: view.id,
    cluster: view.cluster,
    kind: view.kind,
    name: view.name,
    state: view.state,
    attempts: view.attempts,
  },
  transition,
})

/**
 * Transitions for every connected client from one runtime subscription: each transition is
 * serialized once, and only when some client's filter wants it.
 */
function transitionFeed(runtime: Runtime) {
  const clients = new Map<Write, ActorFilter>()
  let unsubscribe: (() => void) | undefined
  const deliver = (view: ActorView, t: Transition) => {
    let frame: string | undefined
    for (const [write, filter] of clients) {
      if (!transitionMatches(view, t, filter)) continue
      frame ??= sseFrame('transition', eventPayload(view, t))
      write(frame)
    }
  }
  return (write: Write, filter: ActorFilter) => {
    clients.set(write, filter)
    unsubscribe ??= runtime.onTransition(deliver)
    return () => {
      clients.delete(write)
      if (clients.size === 0) {
        unsubscribe?.()
        unsubscribe = undefined
      }
    }
  }
}

export const debugRoutes = ({ runtime, status }: DebugDeps) => {
  const follow = transitionFeed(runtime)
  return new Elysia()
    .get('/debug/tree', ({ query }) =>
      json({ summary: summary(runtime), ...debugTree(runtime, filterFrom(query as Query)) }),
    )
    .get('/debug/actors', ({ query }) => {
      const filter = filterFrom(query as Query)
      const all = everyActor(runtime)
        .filter((a) => matches(a, filter))
        .sort(byKindThenName)
      return json(paginate(all, query as Query, filter))
    })
    .get('/debug/actors/*', ({ params }) => {
      const id = actorIdFrom(params)
      const detail = runtime.actorDetail(id)
      return detail ? json(detail) : json({ error: 'not-found', message: `no actor ${id} is running` }, 404)
    })
    .get('/debug/gates', () => json(runtime.gates()))
    .get('/debug/components', () => json(status.list()))
    .get('/debug/events', ({ query, request }) =>
      eventStream(request, (write) => {
        const offTransitions = follow(write, filterFrom(query as Query))
        const offComponents = status.onChange((c) => write(sseFrame('component', c)))
        return () => {
          offTransitions()
          offComponents()
        }
      }),
    )
}
