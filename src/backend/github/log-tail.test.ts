import { describe, expect, test } from 'bun:test'
import { tailLines } from './log-tail.ts'

const enc = new TextEncoder()
async function* chunks(text: string, size: number) {
  const bytes = enc.encode(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size)
}

describe('log tail', () => {
  const log = Array.from({ length: 1000 }, (_, i) => `2026-01-01T00:00:00Z line ${i}`).join('\n')

  test('keeps the last N lines', async () => {
    expect(await tailLines(chunks(`${log}\n`, 100), 3)).toBe(
      ['2026-01-01T00:00:00Z line 997', '2026-01-01T00:00:00Z line 998', '2026-01-01T00:00:00Z line 999'].join('\n'),
    )
    expect(await tailLines(chunks('a\r\nb\r\n', 7), 10)).toBe('a\nb')
    expect(await tailLines(chunks('a\nb', 7), 0)).toBe('')
  })

  test('keeps only a window of bytes, dropping the line cut in half', async () => {
    const tail = await tailLines(chunks(log, 37), 10_000, 100)
    const lines = tail.split('\n')
    expect(lines.at(-1)).toBe('2026-01-01T00:00:00Z line 999')
    expect(lines.every((l) => l.startsWith('2026-01-01T00:00:00Z line '))).toBe(true)
    expect(tail.length).toBeLessThanOrEqual(100)
  })

  test('stops reading after maxReadBytes', async () => {
    let read = 0
    async function* counted() {
      for await (const c of chunks(log, 50)) {
        read += c.length
        yield c
      }
    }
    const tail = await tailLines(counted(), 1, 1000, 500)
    expect(read).toBe(500)
    expect(tail).not.toContain('line 999')
  })

  test('reads web streams', async () => {
    const body = new Response('one\ntwo\nthree\n').body!
    expect(await tailLines(body, 2)).toBe('two\nthree')
  })
})
