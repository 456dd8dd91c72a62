// One per tenant logical cluster: the supervisor of that workspace's actors. It turns informer
// changes into actor lifecycle (start, forward, stop) and wakes dependents when a dependency
// changes in a way they care about. It stops itself once the workspace has nothing to reconcile.
// Three families: a resource actor per reconciled object, a package crawler per Ready
// Repository, a request actor per request that has not finished.
// Pure: the actions below are named effects the runtime implements.
import { assign, enqueueActions, setup } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import { crawls } from './crawler.machine.ts'
import { type DependencyKind, dependedOnKinds, reconciledKinds, wakesDependents } from './dependencies.ts'
import { isRequestKind, isTerminal, type RequestKind } from './request.machine.ts'

export interface ObjectChange {
  change: 'ADDED' | 'MODIFIED' | 'DELETED'
  kind: DependencyKind
  name: string
  object: KubeObject
  /** The version before this change, if the runtime had one. */
  previous?: KubeObject
}

export type WorkspaceEvent = { type: 'object.changed' } & ObjectChange

export interface WorkspaceContext {
  cluster: string
  /** Objects with an actor of their own. */
  members: number
  /** How long an empty workspace lingers before it stops (a quick re-create keeps it). */
  idleGraceMs: number
}

const isReconciled = (kind: DependencyKind): kind is CodeKind => (reconciledKinds as readonly string[]).includes(kind)

/** The object has an actor of its own: every reconciled object, and requests until they finish. */
export function hasActor(kind: DependencyKind, object: KubeObject | undefined): boolean {
  if (!object) return false
  if (isReconciled(kind)) return true
  return isRequestKind(kind) && !isTerminal(object)
}

/** This change starts (or keeps) an actor, so its workspace must be running. */
export const startsActor = (c: ObjectChange) => c.change !== 'DELETED' && hasActor(c.kind, c.object)

export const workspaceMachine = setup({
  types: {
    context: {} as WorkspaceContext,
    events: {} as WorkspaceEvent,
    input: {} as { cluster: string; idleGraceMs: number },
  },
  actions: {
    /** Start the object's actor, or hand it the new version if it runs. */
    ensureActor: (_, _params: { kind: CodeKind; name: string; object: KubeObject }) => {},
    /** The object is gone from the API: end its actor. */
    stopActor: (_, _params: { kind: CodeKind; name: string }) => {},
    /** Tell every actor that depends on this object that it changed. */
    notifyDependents: (_, _params: { kind: DependencyKind; name: string }) => {},
    /** Start the Repository's package crawler, or tell it the Repository changed. */
    ensureCrawler: (_, _params: { name: string; object: KubeObject }) => {},
    stopCrawler: (_, _params: { name: string }) => {},
    /** Start the request's actor, or hand it the new version. */
    ensureRequest: (_, _params: { kind: RequestKind; name: string; object: KubeObject }) => {},
    /** The request finished or is gone: its actor has nothing left to do. */
    stopRequest: (_, _params: { kind: RequestKind; name: string }) => {},
  },
  guards: {
    empty: ({ context }) => context.members === 0,
    occupied: ({ context }) => context.members > 0,
  },
  delays: {
    idleGrace: ({ context }) => context.idleGraceMs,
  },
}).createMachine({
  id: 'workspace',
  context: ({ input }) => ({ cluster: input.cluster, members: 0, idleGraceMs: input.idleGraceMs }),
  on: {
    'object.changed': {
      actions: [
        assign({
          members: ({ context, event }) => {
            const before = event.change === 'ADDED' ? undefined : (event.previous ?? event.object)
            const after = event.change === 'DELETED' ? undefined : event.object
            const delta = Number(hasActor(event.kind, after)) - Number(hasActor(event.kind, before))
            return Math.max(0, context.members + delta)
          },
        }),
        enqueueActions(({ event, enqueue }) => {
          const { kind, name } = event
          const gone = event.change === 'DELETED'
          if (isReconciled(kind)) {
            if (gone) enqueue({ type: 'stopActor', params: { kind, name } })
            else enqueue({ type: 'ensureActor', params: { kind, name, object: event.object } })
          }
          if (kind === 'Repository') {
            if (!gone && crawls(event.object))
              enqueue({ type: 'ensureCrawler', params: { name, object: event.object } })
            else enqueue({ type: 'stopCrawler', params: { name } })
          }
          if (isRequestKind(kind)) {
            if (gone || isTerminal(event.object)) enqueue({ type: 'stopRequest', params: { kind, name } })
            else enqueue({ type: 'ensureRequest', params: { kind, name, object: event.object } })
          }
          const after = event.change === 'DELETED' ? undefined : event.object
          if (dependedOnKinds.includes(kind) && wakesDependents(kind, event.previous, after))
            enqueue({ type: 'notifyDependents', params: { kind, name } })
        }),
      ],
    },
  },
  initial: 'active',
  states: {
    active: { always: { guard: 'empty', target: 'idle' } },
    idle: {
      always: { guard: 'occupied', target: 'active' },
      after: { idleGrace: 'done' },
    },
    done: { type: 'final' },
  },
})

export type WorkspaceMachine = typeof workspaceMachine
