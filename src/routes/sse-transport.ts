// The legacy MCP SSE transport (protocol 2024-11-05) as a web-standard Response: the GET opens an
// event stream whose first event names the endpoint to POST messages to; server messages follow as
// `message` events. The SDK's own SSEServerTransport needs node:http; this needs only a stream.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js'

const encoder = new TextEncoder()

export class SseTransport implements Transport {
  readonly sessionId = crypto.randomUUID()
  readonly response: Response
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void
  private controller?: ReadableStreamDefaultController<Uint8Array>
  private keepAlive?: ReturnType<typeof setInterval>
  private closed = false

  /** `endpoint(sessionId)` is the URL (relative to the stream's URL, or absolute) clients POST to. */
  constructor(endpoint: (sessionId: string) => string, keepAliveMs: number) {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller
        controller.enqueue(encoder.encode(`event: endpoint\ndata: ${endpoint(this.sessionId)}\n\n`))
        if (keepAliveMs > 0) this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), keepAliveMs)
      },
      cancel: () => void this.close(),
    })
    this.response = new Response(stream, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    })
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('the SSE stream is closed')
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`)
  }

  /** A message the client POSTed to the endpoint. */
  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.keepAlive)
    try {
      this.controller?.close()
    } catch {
      // already closed by the client going away
    }
    this.onclose?.()
  }

  private write(frame: string) {
    if (this.closed) return
    try {
      this.controller?.enqueue(encoder.encode(frame))
    } catch (e) {
      this.onerror?.(e as Error)
      void this.close()
    }
  }
}
