// One per tenant logical cluster: the supervisor of that workspace's actors. It turns informer
// changes into actor lifecycle (start, forward, stop) and wakes dependents when a dependency
// changes in a way they care about. It stops itself once the workspace has nothing to reconcile.
// Pure: the actions below are named effects the runtime implements.
import { assign, enqueueActions, setup } from 'xstate'
import type { KubeObject } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import { type DependencyKind, reconciledKinds, wakesDependents } from './dependencies.ts'

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

const isMember = (kind: DependencyKind): kind is CodeKind => (reconciledKinds as readonly string[]).includes(kind)

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
            if (!isMember(event.kind) || event.change === 'MODIFIED') return context.members
            return Math.max(0, context.members + (event.change === 'ADDED' ? 1 : -1))
          },
        }),
        enqueueActions(({ event, enqueue }) => {
          const { kind, name } = event
          if (isMember(kind)) {
            if (event.change === 'DELETED') enqueue({ type: 'stopActor', params: { kind, name } })
            else enqueue({ type: 'ensureActor', params: { kind, name, object: event.object } })
          }
          const after = event.change === 'DELETED' ? undefined : event.object
          if (wakesDependents(kind, event.previous, after))
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
