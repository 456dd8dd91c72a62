// A server-sent event stream as a Response: `start` subscribes and returns its cleanup, which
// runs when the client goes away. A comment line every few seconds keeps the connection open
// through Bun's idle timeout (10 s) and proxies.
import { redact } from '../log.ts'

/** One event, ready to write. Every payload goes through redact(): the second line of defence for secrets. */
export const sseFrame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(redact(data))}\n\n`

/** Writes a frame (from sseFrame) to the client. */
export type Write = (frame: string) => void

export function eventStream(request: Request, start: (write: Write) => () => void, keepAliveMs = 5_000): Response {
  const encoder = new TextEncoder()
  let cleanup: (() => void) | undefined
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => {
    clearInterval(timer)
    cleanup?.()
    cleanup = undefined
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          stop()
        }
      }
      write('retry: 2000\n\n')
      cleanup = start(write)
      timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs)
      request.signal.addEventListener('abort', () => {
        stop()
        try {
          controller.close()
        } catch {}
      })
    },
    cancel: stop,
  })
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  })
}
