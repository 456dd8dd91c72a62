import { expect, test } from 'bun:test'
import { Table } from './table.ts'

test('secondary indexes follow inserts, replacements and deletes', () => {
  const t = new Table<{ id: number; repo: number; key: string }, 'repo' | 'key'>({
    repo: (r) => r.repo,
    key: (r) => r.key,
  })
  t.set({ id: 1, repo: 10, key: 'a' })
  t.set({ id: 2, repo: 10, key: 'b' })
  t.set({ id: 3, repo: 20, key: 'c' })
  expect(t.where('repo', 10).map((r) => r.id)).toEqual([1, 2])
  t.set({ id: 2, repo: 20, key: 'b2' })
  expect(t.where('repo', 10).map((r) => r.id)).toEqual([1])
  expect(t.where('key', 'b')).toEqual([])
  expect(t.where('key', 'b2').map((r) => r.id)).toEqual([2])
  expect(t.delete(3)).toBe(true)
  expect(t.delete(3)).toBe(false)
  expect(t.where('repo', 20).map((r) => r.id)).toEqual([2])
  expect(t.size).toBe(2)
})
