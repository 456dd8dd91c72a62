// Timestamps as people read them, with the exact value for machines.

/** `2026-11-29T10:00:00Z` → `2026-11-29 10:00 UTC`. */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function Time({ iso }: { iso: string | undefined }) {
  if (!iso) return <span class="muted">—</span>
  return (
    <time datetime={iso} safe>
      {formatTime(iso)}
    </time>
  )
}
