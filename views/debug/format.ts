// Small display helpers shared by the /debug views.

const tones: Record<string, string> = {
  ready: 'ok',
  settled: 'ok',
  running: 'ok',
  active: 'ok',
  finalized: 'ok',
  ok: 'ok',
  provisioning: 'busy',
  deleting: 'busy',
  starting: 'busy',
  waiting: 'wait',
  idle: 'wait',
  stopped: 'wait',
  backoff: 'bad',
  blocked: 'bad',
  deletionBackoff: 'bad',
  deletionBlocked: 'bad',
  degraded: 'bad',
  failing: 'bad',
}

/** CSS class for a state's colour. */
export const tone = (state: string) => `state state-${tones[state] ?? 'other'}`

/** Time of day (UTC) of an ISO timestamp; the full timestamp goes in a title. */
export const timeOfDay = (iso: string | undefined) => (iso ? iso.slice(11, 19) : '')

export const duration = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`
