// Pure: the files of a commit request made safe (relative paths, no "..", no NUL, no duplicates),
// and the idempotency trailer written into (and looked for in) commit messages.

import type { CommitFile } from '../backend.ts'
import { invalidInput } from './errors.ts'

export interface CommitEntry {
  path: string
  content?: string | Uint8Array
  delete: boolean
}

const WHAT = 'commit files'

export function normalizePath(raw: string): string {
  const path = raw.replace(/\\/g, '/')
  if (path.includes('\0')) throw invalidInput(WHAT, `path ${JSON.stringify(raw)} contains a NUL byte`, 'invalid-path')
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path)) {
    throw invalidInput(WHAT, `path "${raw}" must be relative to the repository root`, 'invalid-path')
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.includes('..')) throw invalidInput(WHAT, `path "${raw}" must not contain ".."`, 'invalid-path')
  if (segments.some((s) => s.toLowerCase() === '.git')) {
    throw invalidInput(WHAT, `path "${raw}" must not reach into .git`, 'invalid-path')
  }
  if (segments.length === 0) throw invalidInput(WHAT, `path ${JSON.stringify(raw)} names no file`, 'invalid-path')
  return segments.join('/')
}

/** Validated, normalized and sorted by path; throws `invalid` on the first problem. */
export function normalizeCommitFiles(files: CommitFile[]): CommitEntry[] {
  if (files.length === 0) throw invalidInput(WHAT, 'at least one file is required', 'no-files')
  const seen = new Map<string, string>()
  const out: CommitEntry[] = []
  for (const file of files) {
    const path = normalizePath(file.path)
    const earlier = seen.get(path)
    if (earlier !== undefined) {
      throw invalidInput(WHAT, `"${file.path}" and "${earlier}" are the same path "${path}"`, 'duplicate-path')
    }
    seen.set(path, file.path)
    if (file.delete) {
      if (file.content !== undefined && file.content.length > 0) {
        throw invalidInput(WHAT, `"${path}" is marked for deletion but has content`, 'delete-with-content')
      }
      out.push({ path, delete: true })
    } else {
      if (file.content === undefined) throw invalidInput(WHAT, `"${path}" has no content`, 'missing-content')
      out.push({ path, content: file.content, delete: false })
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export const trailerLine = (key: string) => `Kedge-RepositoryCommit: ${key}`

export const hasTrailer = (message: string, key: string): boolean =>
  message.split(/\r?\n/).some((line) => line.trim() === trailerLine(key))

export function withTrailer(message: string, key: string): string {
  if (!key.trim() || /[\r\n]/.test(key)) {
    throw invalidInput(WHAT, 'the idempotency key must be one non-empty line', 'invalid-idempotency-key')
  }
  const body = message.trim() || 'Update generated application files'
  return hasTrailer(body, key) ? body : `${body}\n\n${trailerLine(key)}`
}
