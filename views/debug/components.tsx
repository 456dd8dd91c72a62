// Parts that are not actors (hub heartbeat, embedded API server...), as they last reported.
import { timeOfDay, tone } from './format.ts'
import type { DebugComponent } from './model.ts'

const lastError = (c: DebugComponent): string =>
  c.lastError ? `${timeOfDay(c.lastError.at)} ${c.lastError.message}` : ''

export function ComponentsTable({ components }: { components: DebugComponent[] }) {
  if (components.length === 0) return <p class="empty">No components registered.</p>
  return (
    <table class="components">
      <thead>
        <tr>
          <th>component</th>
          <th>status</th>
          <th>last success (UTC)</th>
          <th>last error</th>
          <th>failures in a row</th>
        </tr>
      </thead>
      <tbody>
        {components.map((c) => (
          <tr data-component={c.name} data-status={c.status}>
            <td>
              <strong safe>{c.name}</strong>
              {c.description ? (
                <div class="note" safe>
                  {c.description}
                </div>
              ) : (
                ''
              )}
            </td>
            <td>
              <span class={tone(c.status)} safe>
                {c.status}
              </span>
              {c.detail ? (
                <div class="note" safe>
                  {c.detail}
                </div>
              ) : (
                ''
              )}
            </td>
            <td safe>{timeOfDay(c.lastSuccess)}</td>
            <td safe>{lastError(c)}</td>
            <td class="num">{c.consecutiveFailures}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
