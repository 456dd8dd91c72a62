// TLS termination in front of the HTTP server. Bun.serve cannot show a handler the client's
// certificate, so node:tls terminates TLS (requesting, not requiring, a client certificate),
// records the verified subject under the local port of its connection to the inner plain HTTP
// server, and pipes bytes. The handler looks the subject up by the request's source port, and
// refuses connections the front did not make (the inner port is not a way around TLS).
import net from 'node:net'
import tls from 'node:tls'
import type { CertSubject } from './auth.ts'

export interface TlsFront {
  port: number
  /** Whether an inner connection comes from the front, by its source port. */
  owns(innerSourcePort: number): boolean
  /** The verified client certificate of an inner connection, by its source port. */
  subjectOf(innerSourcePort: number): CertSubject | undefined
  stop(): Promise<void>
}

export interface TlsFrontOptions {
  hostname: string
  port: number
  cert: string
  key: string
  ca: string
  innerPort: number
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

export async function startTlsFront(o: TlsFrontOptions): Promise<TlsFront> {
  const subjects = new Map<number, CertSubject | undefined>()
  const sockets = new Set<net.Socket>()
  const server = tls.createServer(
    { cert: o.cert, key: o.key, ca: o.ca, requestCert: true, rejectUnauthorized: false },
    (client) => {
      const peer = client.authorized ? client.getPeerCertificate() : undefined
      const subject = peer?.subject ? { cn: list(peer.subject.CN)[0] ?? '', groups: list(peer.subject.O) } : undefined
      const upstream = net.connect(o.innerPort, '127.0.0.1')
      sockets.add(client)
      sockets.add(upstream)
      let localPort: number | undefined
      upstream.on('connect', () => {
        localPort = upstream.localPort
        if (localPort !== undefined) subjects.set(localPort, subject)
        client.pipe(upstream)
        upstream.pipe(client)
      })
      const close = () => {
        if (localPort !== undefined) subjects.delete(localPort)
        sockets.delete(client)
        sockets.delete(upstream)
        client.destroy()
        upstream.destroy()
      }
      client.on('close', close)
      upstream.on('close', close)
      client.on('error', close)
      upstream.on('error', close)
    },
  )
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.port, o.hostname, () => resolve())
  })
  return {
    port: (server.address() as net.AddressInfo).port,
    owns: (port) => subjects.has(port),
    subjectOf: (port) => subjects.get(port),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
