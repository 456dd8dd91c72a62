import { describe, expect, test } from 'bun:test'
import { type Session, SessionTable } from './mcp-sessions.ts'

function session(owner: string, at: number, closed: string[], id: string): Session {
  return {
    owner,
    lastSeen: at,
    close: async () => {
      closed.push(id)
    },
  }
}

describe('MCP sessions', () => {
  test('belong to the caller that opened them', () => {
    const table = new SessionTable(10, 60_000)
    table.add('s1', session('alice', 0, [], 's1'))
    expect(table.use('s1', 'bob')).toBe('forbidden')
    expect(table.use('s1', 'alice')).toMatchObject({ owner: 'alice' })
    expect(table.use('nope', 'alice')).toBeUndefined()
    table.closeAll()
  })

  test('are bounded: the least recently used one is closed to make room', () => {
    let now = 0
    const closed: string[] = []
    const table = new SessionTable(2, 60_000, () => now)
    table.add('a', session('x', 0, closed, 'a'))
    table.add('b', session('x', 1, closed, 'b'))
    now = 5
    table.use('a', 'x')
    table.add('c', session('x', 6, closed, 'c'))
    expect(closed).toEqual(['b'])
    expect(table.size).toBe(2)
    table.closeAll()
  })

  test('end after being idle', () => {
    let now = 0
    const closed: string[] = []
    const table = new SessionTable(10, 1_000, () => now)
    table.add('a', session('x', 0, closed, 'a'))
    table.add('b', session('x', 0, closed, 'b'))
    now = 900
    table.use('b', 'x')
    now = 1_500
    table.sweep()
    expect(closed).toEqual(['a'])
    table.closeAll()
    expect(closed).toEqual(['a', 'b'])
  })
})
