// The table markup the pages share: column headings for screen readers, a wrapper that scrolls
// sideways on narrow screens, and (for lists of objects) a last column of controls.
import type { Children } from '@kitajs/html'

export function Table(p: {
  /** Read by screen readers only. */
  caption?: string
  columns: string[]
  /** Rows end in a cell of controls (delete): its heading is for screen readers only. */
  actions?: boolean
  /** A note shown above the table, inside the wrapper. */
  above?: Children
  /** A note shown below the table, inside the wrapper. */
  below?: Children
  children: Children
}) {
  return (
    <div class="table-wrap">
      {p.above}
      <table>
        {p.caption !== undefined && (
          <caption class="visually-hidden" safe>
            {p.caption}
          </caption>
        )}
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th scope="col" safe>
                {c}
              </th>
            ))}
            {p.actions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{p.children}</tbody>
      </table>
      {p.below}
    </div>
  )
}
