// Per credential (fingerprinted, never the credential): budget, reset, concurrency, parking.
import { timeOfDay } from './format.ts'
import type { DebugGate } from './model.ts'

const budget = (g: DebugGate): string => `${g.remaining ?? '?'} / ${g.limit ?? '?'}`
const parked = (g: DebugGate): string =>
  g.parkedUntil ? `${timeOfDay(g.parkedUntil)} (${g.parkedReason ?? 'parked'})` : ''
const counts = (g: DebugGate): string => `${g.requests.total} (${g.requests.notModified} / ${g.requests.errors})`
const concurrency = (g: DebugGate): string => `${g.inFlight} / ${g.maxConcurrency}`

export function GatesTable({ gates }: { gates: DebugGate[] }) {
  if (gates.length === 0) return <p class="empty">No credential has been used yet.</p>
  return (
    <table class="gates">
      <thead>
        <tr>
          <th>gate (credential fingerprint @ host)</th>
          <th>remaining / limit</th>
          <th>resets (UTC)</th>
          <th>in flight / max</th>
          <th>queued</th>
          <th>parked until</th>
          <th>writes last min</th>
          <th>requests (304 / errors)</th>
        </tr>
      </thead>
      <tbody>
        {gates.map((g) => (
          <tr data-gate={g.id}>
            <td>
              <code safe>{g.id}</code>
            </td>
            <td class="num" safe>
              {budget(g)}
            </td>
            <td safe>{timeOfDay(g.resetAt)}</td>
            <td class="num" safe>
              {concurrency(g)}
            </td>
            <td class="num">{g.queued}</td>
            <td safe>{parked(g)}</td>
            <td class="num">{g.writesLastMinute}</td>
            <td class="num" safe>
              {counts(g)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
