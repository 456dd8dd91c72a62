// The output of a long-running child process, collected as it arrives.

/** Read `stream` to its end in the background; the returned function gives what arrived so far. */
export function collect(stream: ReadableStream<Uint8Array>): () => string {
  let text = ''
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      text += decoder.decode(value, { stream: true })
    }
  })()
  return () => text
}
