// How a resource is doing, in words first and colour second, and the self-polling wrapper that
// keeps a moving resource up to date on the page until it settles.
import type { Condition } from '../../src/apis/meta.ts'
import { Table } from './table.tsx'
import { Time } from './time.tsx'

export type Phase = 'ready' | 'pending' | 'provisioning' | 'updating' | 'waiting' | 'retrying' | 'failed' | 'deleting'

export interface ResourceState {
  phase: Phase
  /** One or two words: "Ready", "Creating", "Needs attention". */
  label: string
  /** Why, in a sentence, when there is something to say. */
  message?: string
  /** Ask again after this many ms while the resource is moving; absent once it settled. */
  pollMs?: number
}

const tone: Record<Phase, string> = {
  ready: 'ready',
  pending: 'busy',
  provisioning: 'busy',
  updating: 'busy',
  deleting: 'busy',
  waiting: 'warn',
  retrying: 'warn',
  failed: 'failed',
}

export function StatusBadge({ state, detail = true }: { state: ResourceState; detail?: boolean }) {
  return (
    <>
      <span class={`badge ${tone[state.phase]}`} safe>
        {state.label}
      </span>
      {detail && state.message ? (
        <span class="state-message" safe>
          {state.message}
        </span>
      ) : (
        ''
      )}
    </>
  )
}

/** htmx attributes that make an element fetch itself again while its resource is moving. */
export function poll(url: string, state: ResourceState | undefined): Record<string, string> {
  if (state?.pollMs === undefined) return {}
  return { 'hx-get': url, 'hx-trigger': `load delay:${state.pollMs}ms`, 'hx-swap': 'outerHTML' }
}

/** The same for a region that holds several resources: poll at the pace of the busiest one. */
export function pollAny(url: string, states: ResourceState[]): Record<string, string> {
  const moving = states.map((s) => s.pollMs).filter((ms): ms is number => ms !== undefined)
  return moving.length === 0 ? {} : poll(url, { phase: 'pending', label: '', pollMs: Math.min(...moving) })
}

/** Ready, Synced and Validated are good when True; the others (RateLimited, InvitationPending…) are notes. */
const positive = new Set(['Ready', 'Synced', 'Validated'])
const conditionTone = (c: Condition) =>
  positive.has(c.type) ? (c.status === 'True' ? 'ready' : 'warn') : c.status === 'True' ? 'warn' : 'idle'

export function ConditionsTable({
  conditions,
  generation,
  caption = 'Conditions',
}: {
  conditions: Condition[]
  generation?: number
  caption?: string
}) {
  if (conditions.length === 0) return <p class="empty">No conditions reported yet.</p>
  const lagging = conditions.some((c) => generation !== undefined && (c.observedGeneration ?? generation) < generation)
  return (
    <Table
      caption={caption}
      columns={['Type', 'Status', 'Reason', 'Message', 'Since']}
      above={
        lagging && (
          <p class="notice warn">
            The provider has not caught up with the latest change yet (generation {generation}); these conditions
            describe an earlier version.
          </p>
        )
      }
    >
      {conditions.map((c) => (
        <tr>
          <td safe>{c.type}</td>
          <td>
            <span class={`badge ${conditionTone(c)}`}>{c.status}</span>
          </td>
          <td safe>{c.reason}</td>
          <td safe>{c.message}</td>
          <td>
            <Time iso={c.lastTransitionTime} />
          </td>
        </tr>
      ))}
    </Table>
  )
}
