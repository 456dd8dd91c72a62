import { describe, expect, test } from 'bun:test'
import { BackendError } from '../errors.ts'
import { hasTrailer, normalizeCommitFiles, normalizePath, withTrailer } from './commit-files.ts'

const reasonOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError)
    expect((e as BackendError).code).toBe('invalid')
    return (e as BackendError).reason
  }
  throw new Error('expected an error')
}

describe('paths', () => {
  test('normalizes separators, "." and empty segments', () => {
    expect(normalizePath('src\\app\\main.ts')).toBe('src/app/main.ts')
    expect(normalizePath('./a//b/./c.txt')).toBe('a/b/c.txt')
  })
  test('refuses absolute paths, "..", NUL, .git and empty names', () => {
    for (const bad of [
      '/etc/passwd',
      'C:\\x',
      'a/../../b',
      'a\0b',
      '.git/config',
      'x/.GIT/hooks/pre-commit',
      './',
      '',
    ]) {
      expect(reasonOf(() => normalizePath(bad))).toBe('invalid-path')
    }
  })
})

describe('commit files', () => {
  test('sorted, typed, deletions without content', () => {
    const bytes = new Uint8Array([0, 1, 2])
    expect(
      normalizeCommitFiles([
        { path: 'b.txt', content: 'b' },
        { path: 'a.bin', content: bytes },
        { path: 'old.txt', delete: true },
        { path: 'empty.txt', content: '' },
      ]),
    ).toEqual([
      { path: 'a.bin', content: bytes, delete: false },
      { path: 'b.txt', content: 'b', delete: false },
      { path: 'empty.txt', content: '', delete: false },
      { path: 'old.txt', delete: true },
    ])
  })
  test('refuses duplicates after normalization, deletions with content, files without content, nothing', () => {
    expect(
      reasonOf(() =>
        normalizeCommitFiles([
          { path: 'a/b', content: '1' },
          { path: 'a\\b', content: '2' },
        ]),
      ),
    ).toBe('duplicate-path')
    expect(reasonOf(() => normalizeCommitFiles([{ path: 'a', delete: true, content: 'x' }]))).toBe(
      'delete-with-content',
    )
    expect(reasonOf(() => normalizeCommitFiles([{ path: 'a' }]))).toBe('missing-content')
    expect(reasonOf(() => normalizeCommitFiles([]))).toBe('no-files')
  })
})

describe('idempotency trailer', () => {
  test('appended once, after a blank line', () => {
    const message = withTrailer('Add app\n', 'uid-1')
    expect(message).toBe('Add app\n\nKedge-RepositoryCommit: uid-1')
    expect(withTrailer(message, 'uid-1')).toBe(message)
    expect(withTrailer('', 'k')).toBe('Update generated application files\n\nKedge-RepositoryCommit: k')
  })
  test('found only as an exact line', () => {
    expect(hasTrailer('x\n\nKedge-RepositoryCommit: uid-1', 'uid-1')).toBe(true)
    expect(hasTrailer('x\n\nKedge-RepositoryCommit: uid-10', 'uid-1')).toBe(false)
    expect(hasTrailer('mentions Kedge-RepositoryCommit: uid-1 inline', 'uid-1')).toBe(false)
  })
  test('the key is one line', () => {
    expect(reasonOf(() => withTrailer('m', 'a\nb'))).toBe('invalid-idempotency-key')
    expect(reasonOf(() => withTrailer('m', ' '))).toBe('invalid-idempotency-key')
  })
})
