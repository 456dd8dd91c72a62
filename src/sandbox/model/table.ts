// A map by id with secondary indexes on fields that never change after insert (a key's
// repository and material, an invitation's invitee), so lookups stay O(1) with many rows.

export class Table<T extends { id: number }, I extends string = string> {
  private readonly rows = new Map<number, T>()
  private readonly indexes = new Map<I, Map<unknown, Set<number>>>()

  constructor(private readonly keys: Record<I, (row: T) => unknown>) {
    for (const name of Object.keys(keys) as I[]) this.indexes.set(name, new Map())
  }

  get size(): number {
    return this.rows.size
  }

  get(id: number): T | undefined {
    return this.rows.get(id)
  }

  has(id: number): boolean {
    return this.rows.has(id)
  }

  values(): IterableIterator<T> {
    return this.rows.values()
  }

  set(row: T): void {
    this.delete(row.id)
    this.rows.set(row.id, row)
    for (const [name, index] of this.indexes) {
      const value = this.keys[name](row)
      const ids = index.get(value) ?? new Set<number>()
      ids.add(row.id)
      index.set(value, ids)
    }
  }

  delete(id: number): boolean {
    const row = this.rows.get(id)
    if (!row) return false
    this.rows.delete(id)
    for (const [name, index] of this.indexes) {
      const value = this.keys[name](row)
      const ids = index.get(value)
      ids?.delete(id)
      if (ids?.size === 0) index.delete(value)
    }
    return true
  }

  /** Rows whose indexed field equals `value`, in insertion order. */
  where(index: I, value: unknown): T[] {
    const ids = this.indexes.get(index)?.get(value)
    return ids ? [...ids].map((id) => this.rows.get(id)!) : []
  }
}
