// The end of a job log: only the last `windowBytes` are kept while the log streams in, and no more
// than `maxReadBytes` are read at all, so a huge log costs bounded memory and time.

export const LOG_WINDOW_BYTES = 1024 * 1024
export const LOG_MAX_READ_BYTES = 16 * 1024 * 1024

/** A web stream read chunk by chunk (the DOM typings give it no async iterator). */
export async function* chunksOf(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>) {
  if (!(body instanceof ReadableStream)) return yield* body
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

export async function tailLines(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  maxLines: number,
  windowBytes = LOG_WINDOW_BYTES,
  maxReadBytes = LOG_MAX_READ_BYTES,
): Promise<string> {
  const chunks: Uint8Array[] = []
  let kept = 0
  let read = 0
  let cut = false
  for await (const chunk of chunksOf(body)) {
    chunks.push(chunk)
    kept += chunk.length
    read += chunk.length
    // Drop whole chunks from the front while what remains still fills the window.
    while (chunks.length > 1 && kept - chunks[0]!.length >= windowBytes) {
      kept -= chunks.shift()!.length
      cut = true
    }
    if (read >= maxReadBytes) break
  }
  let bytes = Buffer.concat(chunks)
  if (bytes.length > windowBytes) {
    bytes = bytes.subarray(bytes.length - windowBytes)
    cut = true
  }
  const lines = new TextDecoder().decode(bytes).split(/\r?\n/)
  if (cut) lines.shift() // the first line was cut in the middle
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return maxLines > 0 ? lines.slice(-maxLines).join('\n') : ''
}
