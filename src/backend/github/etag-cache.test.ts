import { expect, test } from 'bun:test'
import { EtagCache } from './etag-cache.ts'

const answer = (body: string) => ({ etag: `"${body.length}"`, body, headers: {} })

test('least recently used entries go first, by count and by bytes; huge bodies are not kept', () => {
  const cache = new EtagCache({ maxEntries: 3, maxBytes: 1000, maxEntryBytes: 500 })
  cache.set('a', answer('a'))
  cache.set('b', answer('b'))
  cache.set('c', answer('c'))
  cache.get('a') // a is now the most recent
  cache.set('d', answer('d'))
  expect(cache.get('b')).toBeUndefined()
  expect(cache.get('a')?.body).toBe('a')
  expect(cache.size).toBe(3)

  cache.set('big', answer('x'.repeat(501)))
  expect(cache.get('big')).toBeUndefined()

  cache.set('e', answer('y'.repeat(450)))
  cache.set('f', answer('z'.repeat(450)))
  expect(cache.byteSize).toBeLessThanOrEqual(1000)
  expect(cache.get('f')?.body.length).toBe(450)

  cache.set('f', answer('short'))
  expect(cache.get('f')?.body).toBe('short')
})
