// GET /debug/inspect: the actor tree in the Stately inspection protocol (@statelyai/inspect,
// protocol 1.0.0) as server-sent events, one JSON protocol event per `message`: first an
// `@xstate.actor` for every live actor (session id = its /debug id, parentId = where it sits in
// the tree), then `@xstate.event` and `@xstate.snapshot` for every transition. A relay can hand
// these to a Stately inspector; snapshots carry the actor's redacted view, never machine context.
import { randomUUID } from 'node:crypto'
import { Elysia } from 'elysia'
import type { ActorView, Transition } from '../actors/actor-view.ts'
import type { Runtime } from '../actors/runtime.ts'
import { redact } from '../log.ts'
import { everyActor } from './debug.ts'
import { eventStream } from './sse.ts'

const ROOT = 'system'

const base = (sessionId: string) => ({
  rootId: ROOT,
  sessionId,
  createdAt: String(Date.now()),
  id: randomUUID(),
  _version: '1.0.0',
})

const snapshot = (view: ActorView) => {
  const { transitions: _, ...context } = view
  return { status: 'active', value: view.state, context, output: undefined }
}

/** Where an actor hangs in the inspector's tree. */
const parentOf = (view: ActorView) =>
  view.id === ROOT ? undefined : view.kind === 'Workspace' ? ROOT : (view.parent ?? view.cluster)

export const actorEvent = (view: ActorView) => ({
  type: '@xstate.actor',
  ...base(view.id),
  name: `${view.kind} ${view.name}`,
  snapshot: snapshot(view),
  ...(parentOf(view) ? { parentId: parentOf(view) } : {}),
})

export const transitionEvents = (view: ActorView, t: Transition) => [
  { type: '@xstate.event', ...base(view.id), event: { type: t.event }, sourceId: undefined },
  { type: '@xstate.snapshot', ...base(view.id), event: { type: t.event }, snapshot: snapshot(view) },
]

const message = (data: unknown) => `data: ${JSON.stringify(redact(data))}\n\n`

export const statelyInspectRoutes = (runtime: Runtime) =>
  new Elysia().get('/debug/inspect', ({ request }) =>
    eventStream(request, (write) => {
      for (const view of everyActor(runtime)) write(message(actorEvent(view)))
      return runtime.onTransition((view, t) => {
        // An actor seen for the first time (started after the client connected) is announced first.
        if (t.from === 'starting') write(message(actorEvent(view)))
        for (const e of transitionEvents(view, t)) write(message(e))
      })
    }),
  )
