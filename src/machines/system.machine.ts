// The root of the actor tree: routes informer changes to one workspace actor per logical
// cluster (spawned on first sight, stopped once it reports itself done), and knows whether the
// informers are caught up (what /readyz reports). Pure: spawning and delivery are runtime effects.
import { setup } from 'xstate'
import type { ObjectChange } from './workspace.machine.ts'

export type SystemEvent =
  | { type: 'objects.changed'; cluster: string; change: ObjectChange }
  /** Every informer delivered its initial list and is watching. */
  | { type: 'watch.synced' }
  /** An informer lost its connection; it will relist on its own. */
  | { type: 'watch.lost' }
  | { type: 'workspace.done'; cluster: string }
  | { type: 'shutdown' }

export const systemMachine = setup({
  types: { events: {} as SystemEvent },
  actions: {
    /** Hand the change to the cluster's workspace actor, spawning it on first sight. */
    deliver: (_, _params: { cluster: string; change: ObjectChange }) => {},
    stopWorkspace: (_, _params: { cluster: string }) => {},
    stopAll: () => {},
  },
}).createMachine({
  id: 'system',
  on: {
    'objects.changed': {
      actions: { type: 'deliver', params: ({ event }) => ({ cluster: event.cluster, change: event.change }) },
    },
    'workspace.done': { actions: { type: 'stopWorkspace', params: ({ event }) => ({ cluster: event.cluster }) } },
    shutdown: '.stopped',
  },
  initial: 'starting',
  states: {
    /** Informers are listing: actors start as objects arrive, but we are not ready yet. */
    starting: { on: { 'watch.synced': 'running' } },
    running: { on: { 'watch.lost': 'degraded' } },
    degraded: { on: { 'watch.synced': 'running' } },
    stopped: { type: 'final', entry: 'stopAll' },
  },
})

export type SystemMachine = typeof systemMachine
