import { describe, expect, test } from 'bun:test'
import { jsonPatch, mergePatch, withoutDirectives } from './patch.ts'
import { ApiError } from './status.ts'

describe('JSON merge patch (RFC 7386)', () => {
  test('merges objects, null deletes, arrays replace', () => {
    const target = { a: 1, b: { c: 2, d: 3 }, list: [1, 2] }
    expect(mergePatch(target, { b: { c: null, e: 4 }, list: [3], f: 'x' })).toEqual({
      a: 1,
      b: { d: 3, e: 4 },
      list: [3],
      f: 'x',
    })
    expect(target.b).toEqual({ c: 2, d: 3 })
  })
  test('a non-object patch replaces the target', () => {
    expect(mergePatch({ a: 1 }, 'x')).toBe('x')
  })
})

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { finalizers: ['a', 'b'] }, spec: { topics: ['x'] } }
  test('add, remove, replace, move, copy, test', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/spec/topics/-', value: 'y' },
      { op: 'add', path: '/spec/topics/0', value: 'w' },
      { op: 'remove', path: '/metadata/finalizers/0' },
      { op: 'replace', path: '/spec/topics/1', value: 'X' },
      { op: 'copy', from: '/spec/topics', path: '/spec/copy' },
      { op: 'move', from: '/spec/copy', path: '/spec/moved' },
      { op: 'test', path: '/metadata/finalizers', value: ['b'] },
    ])
    expect(out).toEqual({ metadata: { finalizers: ['b'] }, spec: { topics: ['w', 'X', 'y'], moved: ['w', 'X', 'y'] } })
    expect(doc.spec.topics).toEqual(['x'])
  })
  test('escaped pointers', () => {
    expect(jsonPatch({ a: {} }, [{ op: 'add', path: '/a/x~1y~0z', value: 1 }])).toEqual({ a: { 'x/y~z': 1 } })
  })
  test('failures are errors, not half-applied documents', () => {
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/spec/topics', value: [] }])).toThrow(ApiError)
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(ApiError)
    expect(() => jsonPatch(doc, [{ op: 'add', path: '/spec/topics/9', value: 1 }])).toThrow(ApiError)
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(ApiError)
    expect(() => jsonPatch(doc, [{ op: 'frobnicate', path: '/a' }])).toThrow(ApiError)
  })
})

test('strategic merge patch directives are dropped before merging', () => {
  const patch = { $setElementOrder: [], metadata: { labels: { a: 'b' }, $retainKeys: ['x'] } }
  expect(withoutDirectives(patch)).toEqual({ metadata: { labels: { a: 'b' } } })
})
