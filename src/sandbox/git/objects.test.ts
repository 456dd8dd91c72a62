// The sandbox's git objects must hash exactly as git does: checked against the git CLI.
import { expect, test } from 'bun:test'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeCommit } from './commit-files.ts'
import { GitStore, hashObject } from './objects.ts'
import { editTree, flattenTree } from './trees.ts'

function git(cwd: string, args: string[], input?: string, env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd, input, encoding: 'utf8', env: { ...process.env, ...env } })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

test('well-known SHAs: empty blob, empty tree', () => {
  expect(hashObject({ type: 'blob', data: new Uint8Array() })).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391')
  expect(hashObject({ type: 'tree', entries: [] })).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904')
})

test('blobs, nested trees (git ordering) and commits hash as the git CLI computes them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-git-'))
  try {
    git(dir, ['init', '-q'])
    const store = new GitStore()
    const files: Record<string, string> = {
      'README.md': '# hi\n',
      'a-b/x.txt': 'dash\n',
      'a/b/c.txt': 'deep\n',
      'a.txt': 'dot sorts before slash\n',
      'bin/run': '#!/bin/sh\necho run\n',
    }
    const author = { name: 'Ada Lovelace', email: 'ada@example.com', seconds: 1700000000, tzMinutes: 120 }
    const sha = writeCommit(store, {
      files: Object.entries(files).map(([path, content]) => ({
        path,
        content,
        ...(path === 'bin/run' ? { mode: '100755' as const } : {}),
      })),
      message: 'First\n\nWith a body.\n',
      author,
    })
    for (const [path, content] of Object.entries(files)) {
      const blobSha = flattenTree(store, store.commit(sha)!.tree, true).find((e) => e.path === path)!.sha
      expect(git(dir, ['hash-object', '-w', '--stdin'], content)).toBe(blobSha)
      git(dir, [
        'update-index',
        '--add',
        '--cacheinfo',
        `${path === 'bin/run' ? '100755' : '100644'},${blobSha},${path}`,
      ])
    }
    const tree = git(dir, ['write-tree'])
    expect(tree).toBe(store.commit(sha)!.tree)
    const env = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: '1700000000 +0200',
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: '1700000000 +0200',
    }
    // git commit-tree reads the message verbatim from stdin when given with -F -
    expect(git(dir, ['commit-tree', tree, '-F', '-'], 'First\n\nWith a body.\n', env)).toBe(sha)

    // An edit with deletion keeps untouched subtrees and prunes emptied ones.
    const edited = editTree(store, tree, [
      { path: 'a/b/c.txt', mode: '100644', sha: null },
      { path: 'new/file.txt', mode: '100644', sha: store.put({ type: 'blob', data: new TextEncoder().encode('n\n') }) },
    ])
    git(dir, ['update-index', '--force-remove', 'a/b/c.txt'])
    git(dir, [
      'update-index',
      '--add',
      '--cacheinfo',
      `100644,${git(dir, ['hash-object', '-w', '--stdin'], 'n\n')},new/file.txt`,
    ])
    expect(git(dir, ['write-tree'])).toBe(edited)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
