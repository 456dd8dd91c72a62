// A list of objects on a page (a repository's deploy keys, its collaborators) that fetches itself
// again while any of them is moving, and that a form's answer can replace out of band.
import type { Children } from '@kitajs/html'
import { pollAny, type ResourceState } from './status.tsx'
import { Table } from './table.tsx'

export function PolledList(p: {
  id: string
  /** The page the list is part of, fetched again while something moves. */
  url: string
  /** One per row. */
  states: ResourceState[]
  /** Sent along with another fragment, to replace the list wherever it is. */
  oob?: boolean
  /** What an empty list says. */
  empty: string
  caption: string
  columns: string[]
  /** The rows; each ends in a cell of controls. */
  children: Children
}) {
  return (
    <div id={p.id} hx-swap-oob={p.oob ? 'true' : undefined} {...pollAny(p.url, p.states)}>
      {p.states.length === 0 ? (
        <p class="empty" safe>
          {p.empty}
        </p>
      ) : (
        <Table caption={p.caption} columns={p.columns} actions>
          {p.children}
        </Table>
      )}
    </div>
  )
}
