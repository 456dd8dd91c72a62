// Conditional-request cache, one per credential: the last 200 body of each GET with its ETag.
// A 304 answer is free against the primary limit and reuses the body kept here. Bounded LRU by
// entries and by bytes (a Map iterates in insertion order; a hit re-inserts the entry).

export interface CachedAnswer {
  etag: string
  body: string
  /** Headers worth replaying on a 304 (content-type, link for pagination). */
  headers: Record<string, string>
}

export interface EtagCacheLimits {
  maxEntries: number
  maxBytes: number
  /** Bodies larger than this are not kept (downloads, huge listings). */
  maxEntryBytes: number
}

export const defaultEtagCacheLimits: EtagCacheLimits = {
  maxEntries: 10_000,
  maxBytes: 16 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
}

const sizeOf = (a: CachedAnswer) => a.body.length + a.etag.length + 64

export class EtagCache {
  private readonly entries = new Map<string, CachedAnswer>()
  private bytes = 0

  constructor(private readonly limits: EtagCacheLimits = defaultEtagCacheLimits) {}

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, answer: CachedAnswer): void {
    this.delete(key)
    if (answer.body.length > this.limits.maxEntryBytes) return
    this.entries.set(key, answer)
    this.bytes += sizeOf(answer)
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break
      this.delete(oldest)
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key)
    if (!old) return
    this.entries.delete(key)
    this.bytes -= sizeOf(old)
  }

  get size(): number {
    return this.entries.size
  }

  get byteSize(): number {
    return this.bytes
  }
}
