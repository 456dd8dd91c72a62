// Read watch events from a streaming response: next() resolves with the next event, or rejects
// after a timeout so a broken watch fails the test instead of hanging it.
// biome-ignore lint/suspicious/noExplicitAny: watch events are free-form JSON
export type WatchEvent = { type: string; object: any }

export function watchEvents(res: Response) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  const queue: WatchEvent[] = []
  let ended = false
  const fill = async () => {
    const { done, value } = await reader.read()
    if (done) ended = true
    else buffered += decoder.decode(value, { stream: true })
    let nl = buffered.indexOf('\n')
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim()
      if (line) queue.push(JSON.parse(line))
      buffered = buffered.slice(nl + 1)
      nl = buffered.indexOf('\n')
    }
  }
  return {
    async next(timeoutMs = 5000): Promise<WatchEvent> {
      const deadline = Date.now() + timeoutMs
      while (queue.length === 0) {
        if (ended) throw new Error('watch ended')
        const left = deadline - Date.now()
        if (left <= 0) throw new Error('no watch event in time')
        await Promise.race([fill(), Bun.sleep(left)])
      }
      return queue.shift()!
    },
    get ended() {
      return ended && queue.length === 0
    },
    cancel: () => reader.cancel().catch(() => {}),
  }
}
