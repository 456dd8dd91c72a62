import { describe, expect, test } from 'bun:test'
import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'
import { decodeText, MORE_SKIPPED, readTextFiles } from './tarball.ts'

type Entry = { name: string; content?: string | Uint8Array; type?: 'file' | 'directory' | 'symlink'; linkname?: string }

/** A gzipped tarball shaped like GitHub's: a pax global header, then everything under one directory. */
async function tarball(entries: Entry[], top = 'acme-web-0123abc/'): Promise<Uint8Array> {
  const p = pack()
  const chunks: Buffer[] = []
  p.on('data', (c) => chunks.push(c as Buffer))
  const ended = new Promise<void>((resolve) => p.on('end', () => resolve()))
  p.entry({ name: 'pax_global_header', type: 'pax-global-header', pax: { comment: '0123abc' } } as never, '')
  p.entry({ name: top, type: 'directory' })
  for (const e of entries) {
    if (e.type === 'directory') p.entry({ name: top + e.name, type: 'directory' })
    else if (e.type === 'symlink') p.entry({ name: top + e.name, type: 'symlink', linkname: e.linkname ?? 'x' })
    else p.entry({ name: top + e.name }, Buffer.from(e.content ?? ''))
  }
  p.finalize()
  await ended
  return gzipSync(Buffer.concat(chunks))
}

const streamOf = (bytes: Uint8Array, chunk = 512) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk))
      controller.close()
    },
  })

const roomy = { maxFiles: 500, maxFileBytes: 256 * 1024, maxTotalBytes: 16 * 1024 * 1024 }

describe('tarball reading', () => {
  test('text files by path, without the top directory; binary, symlinks and directories left out', async () => {
    const bytes = await tarball([
      { name: 'src/', type: 'directory' },
      { name: 'src/main.ts', content: 'console.log("hi")\n' },
      { name: 'README.md', content: '# web\n' },
      { name: 'logo.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]) },
      { name: 'latin1.txt', content: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) },
      { name: 'link', type: 'symlink', linkname: 'README.md' },
      { name: 'empty.txt', content: '' },
    ])
    const got = await readTextFiles(streamOf(bytes), roomy)
    expect(got.files).toEqual([
      { path: 'README.md', content: '# web\n' },
      { path: 'empty.txt', content: '' },
      { path: 'src/main.ts', content: 'console.log("hi")\n' },
    ])
    expect(got.skipped).toEqual(['logo.png (binary)', 'latin1.txt (binary)', 'link (symlink)'])
  })

  test('enforces the file count, file size and total size caps', async () => {
    const bytes = await tarball([
      { name: 'a.txt', content: 'a'.repeat(10) },
      { name: 'big.txt', content: 'b'.repeat(200) },
      { name: 'c.txt', content: 'c'.repeat(60) },
      { name: 'd.txt', content: 'd'.repeat(20) },
      { name: 'e.txt', content: 'e' },
    ])
    const got = await readTextFiles(streamOf(bytes), { maxFiles: 2, maxFileBytes: 100, maxTotalBytes: 50 })
    expect(got.files.map((f) => f.path)).toEqual(['a.txt', 'd.txt'])
    expect(got.skipped).toEqual(['big.txt (file too large)', 'c.txt (total-size cap)', 'e.txt (file-count cap)'])
  })

  test('the skipped list is bounded with a final marker, and reading stops early', async () => {
    // Incompressible text, so that the compressed stream is long and stopping early shows.
    const noise = () => Buffer.from(crypto.getRandomValues(new Uint8Array(1500))).toString('hex')
    const many = Array.from({ length: 300 }, (_, i) => ({
      name: `f${String(i).padStart(3, '0')}.txt`,
      content: noise(),
    }))
    const bytes = await tarball(many)
    let pulled = 0
    const counting = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64) controller.enqueue(bytes.slice(i, i + 64))
        controller.close()
      },
    }).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.length
          controller.enqueue(chunk)
        },
      }),
    )
    const got = await readTextFiles(counting, { maxFiles: 10, maxFileBytes: 4096, maxTotalBytes: 1024 * 1024 })
    expect(got.files).toHaveLength(10)
    expect(got.skipped).toHaveLength(100)
    expect(got.skipped[0]).toBe('f010.txt (file-count cap)')
    expect(got.skipped[98]).toBe('f108.txt (file-count cap)')
    expect(got.skipped[99]).toBe(MORE_SKIPPED)
    // 110 of 300 entries decide the answer; the rest of the download is never pulled.
    expect(pulled).toBeLessThan(bytes.length * 0.6)
  })

  test('a corrupt download is an error, not a partial answer', async () => {
    const bytes = await tarball([{ name: 'a.txt', content: 'a' }])
    await expect(readTextFiles(streamOf(bytes.slice(0, bytes.length / 2)), roomy)).rejects.toThrow()
  })

  test('text detection: NUL bytes and invalid UTF-8 are binary', () => {
    expect(decodeText(new TextEncoder().encode('héllo ✓'))).toBe('héllo ✓')
    expect(decodeText(new Uint8Array([104, 0, 105]))).toBeUndefined()
    expect(decodeText(new Uint8Array([0xff, 0xfe]))).toBeUndefined()
  })
})
