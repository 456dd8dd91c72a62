// Reads the text files of a gzipped repository tarball as it streams in, within limits. Stops
// downloading once nothing more can be taken and the skipped list is full.

import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'

export interface TarLimits {
  maxFiles: number
  maxFileBytes: number
  maxTotalBytes: number
}

export interface TarContents {
  files: { path: string; content: string }[]
  /** `<path> (<reason>)`, at most MAX_SKIPPED entries, the last one `(more paths skipped)` if cut. */
  skipped: string[]
}

export const MAX_SKIPPED = 100
export const MORE_SKIPPED = '(more paths skipped)'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Text is valid UTF-8 without NUL bytes; anything else is treated as binary. */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

/** GitHub's tarballs put everything under one `<owner>-<repo>-<sha>/` directory. */
const withoutTopDirectory = (name: string) => name.replace(/^\.?\/?[^/]*\/?/, '')

export async function readTextFiles(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  limits: TarLimits,
): Promise<TarContents> {
  const files: TarContents['files'] = []
  const skipped: string[] = []
  let more = false
  let total = 0
  const skip = (path: string, reason: string) => {
    if (skipped.length < MAX_SKIPPED - 1) skipped.push(`${path} (${reason})`)
    else more = true
  }

  const source =
    body instanceof ReadableStream ? Readable.fromWeb(body as unknown as WebReadableStream) : Readable.from(body)
  const gunzip = createGunzip()
  const tar = extract()
  const fail = (e: Error) => tar.destroy(e)
  source.on('error', fail)
  gunzip.on('error', fail)
  source.pipe(gunzip).pipe(tar)
  try {
    for await (const entry of tar) {
      const { header } = entry
      const path = withoutTopDirectory(header.name)
      const type = header.type ?? 'file'
      if ((type !== 'file' && type !== 'contiguous-file') || !path) {
        if (type === 'symlink' && path) skip(path, 'symlink')
        entry.resume()
        continue
      }
      const size = header.size ?? 0
      const reason =
        files.length >= limits.maxFiles
          ? 'file-count cap'
          : size > limits.maxFileBytes
            ? 'file too large'
            : total + size > limits.maxTotalBytes
              ? 'total-size cap'
              : undefined
      if (reason) {
        skip(path, reason)
        entry.resume()
        // Full, and the list of what was left out is full too: the rest cannot change the answer.
        if (more && files.length >= limits.maxFiles) break
        continue
      }
      const chunks: Buffer[] = []
      for await (const chunk of entry) chunks.push(chunk as Buffer)
      const content = decodeText(Buffer.concat(chunks))
      if (content === undefined) skip(path, 'binary')
      else {
        files.push({ path, content })
        total += size
      }
    }
  } finally {
    source.destroy()
    gunzip.destroy()
    tar.destroy()
  }
  if (more) skipped.push(MORE_SKIPPED)
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return { files, skipped }
}
