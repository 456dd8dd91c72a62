import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BundleError, type BundleStore } from '../bundle-store.ts'
import { createFsBundleStore } from './fs-bundle-store.ts'

let dir: string
let store: BundleStore
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundles-'))
  store = createFsBundleStore({ dir })
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)
const hex = (data: string | Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`

async function bundleError(p: Promise<unknown>): Promise<BundleError> {
  try {
    await p
  } catch (e) {
    if (e instanceof BundleError) return e
    throw e
  }
  throw new Error('expected a BundleError')
}

describe('fs bundle store', () => {
  test('round trip: text stays text, bytes stay bytes, deletions stay deletions', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff])
    const info = await store.put('cluster-a', [
      { path: 'src/main.ts', content: 'console.log("hé")\r\n' },
      { path: 'logo.png', content: png },
      { path: 'old.txt', delete: true },
      { path: 'bom.txt', content: '\uFEFFwith a byte order mark' },
    ])
    expect(info).toMatchObject({ fileCount: 4, size: 20 + 8 + 0 + 25 })
    expect(info.name).toMatch(/^bundle-[0-9a-f]{24}$/)
    const got = await store.get('cluster-a', info.name, info.digest)
    expect(got?.info).toEqual(info)
    expect(got?.files).toEqual([
      { path: 'bom.txt', content: '\uFEFFwith a byte order mark' },
      { path: 'logo.png', content: png },
      { path: 'old.txt', delete: true },
      { path: 'src/main.ts', content: 'console.log("hé")\r\n' },
    ])
  })

  test('the digest is canonical: order, ./ and backslashes do not change it; content does', async () => {
    const a = await store.put('c', [
      { path: 'b/x.txt', content: 'x' },
      { path: 'a.txt', content: 'a' },
    ])
    const b = await store.put('c', [
      { path: 'a.txt', content: new TextEncoder().encode('a') },
      { path: './b\\x.txt', content: 'x' },
    ])
    expect(b.name).toBe(a.name)
    expect(b.digest).toBe(a.digest)
    // The documented formula, computed independently.
    const expected = hex(
      JSON.stringify([
        ['a.txt', hex('a')],
        ['b/x.txt', hex('x')],
      ]),
    )
    expect(a.digest).toBe(expected)
    expect(a.name).toBe(`bundle-${expected.slice(7, 31)}`)
    const c = await store.put('c', [
      { path: 'a.txt', content: 'a' },
      { path: 'b/x.txt', content: 'y' },
    ])
    expect(c.digest).not.toBe(a.digest)
  })

  test('limits and bad input give errors naming the field', async () => {
    const small = createFsBundleStore({ dir, limits: { maxFiles: 3, maxFileBytes: 10, maxTotalBytes: 15 } })
    const cases: [Parameters<BundleStore['put']>[1], string, string, string?][] = [
      [[], 'empty', 'files'],
      [[1, 2, 3, 4].map((i) => ({ path: `f${i}`, content: 'x' })), 'too-many-files', 'files'],
      [[{ path: 'big.bin', content: bytes(11) }], 'file-too-large', 'files[0].content', 'big.bin'],
      [
        [
          { path: 'a', content: bytes(10) },
          { path: 'b', content: bytes(10) },
        ],
        'too-large',
        'files',
        'b',
      ],
      [[{ path: '../etc/passwd', content: 'x' }], 'invalid-path', 'files[0].path'],
      [[{ path: '/abs', content: 'x' }], 'invalid-path', 'files[0].path'],
      [[{ path: 'C:\\win', content: 'x' }], 'invalid-path', 'files[0].path'],
      [[{ path: 'a/.git/config', content: 'x' }], 'invalid-path', 'files[0].path'],
      [[{ path: 'nul\0byte', content: 'x' }], 'invalid-path', 'files[0].path'],
      [[{ path: './', content: 'x' }], 'invalid-path', 'files[0].path'],
      [
        [
          { path: 'ok', content: 'x' },
          { path: 'a/b', content: 'x' },
          { path: 'a//b', content: 'y' },
        ],
        'duplicate-path',
        'files[2].path',
        'a/b',
      ],
      [[{ path: 'gone', delete: true, content: 'x' }], 'invalid-content', 'files[0].content', 'gone'],
      [[{ path: 'nothing' }], 'invalid-content', 'files[0].content', 'nothing'],
    ]
    for (const [files, code, field, path] of cases) {
      const e = await bundleError(small.put('c', files))
      expect({ code: e.code, field: e.field }).toEqual({ code: code as BundleError['code'], field })
      if (path) expect(e.path).toBe(path)
      expect(e.message.length).toBeGreaterThan(10)
    }
    expect(await readdir(dir)).toEqual([]) // nothing was written for any of them
  })

  test('a reader never sees a half-written bundle; a dead writer leaves nothing visible', async () => {
    const files = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}.bin`, content: bytes(1024 * 1024, i) }))
    let writing = true
    const seen: string[] = []
    const reader = (async () => {
      const name = (await createFsBundleStore({ dir: `${dir}-probe` }).put('c', files)).name
      while (writing) {
        const got = await store.get('c', name).catch((e: Error) => e)
        seen.push(got === undefined ? 'absent' : got instanceof Error ? `error: ${got.message}` : 'complete')
        await Bun.sleep(0)
      }
    })()
    await store.put('c', files)
    writing = false
    await reader
    await rm(`${dir}-probe`, { recursive: true, force: true })
    expect(seen.filter((s) => s !== 'absent' && s !== 'complete')).toEqual([])

    // A writer that died mid-write leaves a temp file: never read as a bundle, swept later.
    const scopeDir = join(dir, (await readdir(dir))[0]!)
    await writeFile(join(scopeDir, '.tmp-4242-dead'), 'KEDGE-BUNDLE 1\n{"partial')
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    await utimes(join(scopeDir, '.tmp-4242-dead'), twoMinutesAgo, twoMinutesAgo)
    expect((await readdir(scopeDir)).filter((f) => f.endsWith('.bundle'))).toHaveLength(1)
    await store.sweep({ olderThan: new Date(Date.now() + 1000), keep: () => true })
    expect((await readdir(scopeDir)).some((f) => f.startsWith('.tmp-'))).toBe(false)
  })

  test('scopes are isolated', async () => {
    const info = await store.put('tenant-a', [{ path: 'secret.txt', content: 'only for a' }])
    expect(await store.get('tenant-b', info.name)).toBeUndefined()
    await store.delete('tenant-b', info.name)
    expect(await store.get('tenant-a', info.name)).toBeDefined()
    expect((await readdir(dir)).length).toBe(1)
    expect((await bundleError(store.put('', [{ path: 'a', content: 'x' }]))).field).toBe('scope')
  })

  test('delete is idempotent, and put/delete pair up like leases', async () => {
    const files = [{ path: 'a.txt', content: 'a' }]
    const first = await store.put('c', files)
    const second = await store.put('c', files) // another request with the same files
    expect(second).toEqual(first)
    await store.delete('c', first.name)
    expect(await store.get('c', first.name)).toBeDefined() // the second request still holds it
    await store.delete('c', first.name)
    expect(await store.get('c', first.name)).toBeUndefined()
    await store.delete('c', first.name)
    await store.delete('c', 'bundle-000000000000000000000000')
    await store.delete('c', '../../etc')
    await store.delete('never-used', first.name)
    expect(await store.get('c', '../../etc')).toBeUndefined()
  })

  test('a digest that does not match, and a damaged file, are refused', async () => {
    const info = await store.put('c', [{ path: 'a.txt', content: 'a' }])
    const e = await bundleError(store.get('c', info.name, `sha256:${'0'.repeat(64)}`))
    expect(e.code).toBe('digest-mismatch')
    const scopeDir = join(dir, (await readdir(dir))[0]!)
    const file = join(scopeDir, `${info.name}.bundle`)
    const text = await Bun.file(file).text()
    await writeFile(file, `${text.slice(0, -1)}b`)
    expect((await bundleError(store.get('c', info.name))).message).toContain('damaged')
  })

  test('directories are 0700 and files 0600', async () => {
    const info = await store.put('c', [{ path: 'a.txt', content: 'a' }])
    const scopeDir = join(dir, (await readdir(dir))[0]!)
    expect((await stat(scopeDir)).mode & 0o777).toBe(0o700)
    for (const f of await readdir(scopeDir)) expect((await stat(join(scopeDir, f))).mode & 0o777).toBe(0o600)
    const [bundle, lease, scope] = (await readdir(scopeDir)).sort()
    expect([bundle, scope]).toEqual([`${info.name}.bundle`, 'scope'])
    expect(lease).toStartWith(`${info.name}.lease.`)
  })

  test('sweep removes what is older than the cutoff, unless kept', async () => {
    const old = await store.put('c', [{ path: 'old.txt', content: 'old' }])
    const kept = await store.put('c', [{ path: 'kept.txt', content: 'kept' }])
    expect(await store.sweep({ olderThan: new Date(Date.now() - 60_000) })).toEqual({ removed: 0 })
    const swept = await store.sweep({
      olderThan: new Date(Date.now() + 60_000),
      keep: (scope, name) => scope === 'c' && name === kept.name,
    })
    expect(swept.removed).toBe(1)
    expect(await store.get('c', old.name)).toBeUndefined()
    expect(await store.get('c', kept.name)).toBeDefined()
    const scopeDir = join(dir, (await readdir(dir))[0]!)
    expect((await readdir(scopeDir)).filter((f) => f.startsWith(old.name))).toEqual([]) // its lease went too
  })

  test('two store instances on one directory see the same bundles', async () => {
    const other = createFsBundleStore({ dir })
    const info = await store.put('c', [{ path: 'a.txt', content: 'from one' }])
    expect((await other.get('c', info.name))?.files).toEqual([{ path: 'a.txt', content: 'from one' }])
    await other.delete('c', info.name)
    expect(await store.get('c', info.name)).toBeUndefined()
  })

  test('two processes putting and deleting the same files never pull them from under each other', async () => {
    const rounds = 150
    const child = Bun.spawn([process.execPath, 'test/support/bundle-churn.ts', dir, 'shared', String(rounds)], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const files = [
      { path: 'shared/a.txt', content: 'the same content in both processes\n' },
      { path: 'shared/b.bin', content: new Uint8Array(64 * 1024).fill(7) },
    ]
    const missing: number[] = []
    for (let i = 0; i < rounds; i++) {
      const info = await store.put('shared', files)
      if (!(await store.get('shared', info.name))) missing.push(i)
      await store.delete('shared', info.name)
    }
    expect(await child.exited).toBe(0)
    expect((await new Response(child.stdout).text()).trim()).toBe(`ok ${rounds}`)
    expect(missing).toEqual([])
    // Every lease was given back: nothing is left but the scope marker.
    const scopeDir = join(dir, (await readdir(dir))[0]!)
    expect(await readdir(scopeDir)).toEqual(['scope'])
  }, 30_000)
})
