// A fresh embedded API server for a test: port 0, a temp data dir, TLS with a PKI generated once
// per test process (so a start takes milliseconds), a dev tenant `root:acme`, and helpers to
// call it as admin, provider or a tenant.
//
//   const api = await startTestApiServer()               // or ({ tenants: ['root:acme', 'root:globex'] })
//   const res = await api.fetch('/clusters/root:acme/apis/code.kedge.faros.sh/v1alpha1/repositories')
//   const acme = api.tenants['root:acme']!               // { cluster, token, kubeconfig, url, path }
//   await api.stop()
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensurePki, type Pki } from '../../src/apiserver/pki.ts'
import { type ApiServer, type ApiServerOptions, startApiServer } from '../../src/apiserver/server.ts'

export interface TestApiServer extends ApiServer {
  /**
   * fetch a path (or absolute URL) on the server; as admin (client certificate) unless `token`
   * is given ('' for no credentials). JSON bodies: pass `json`.
   */
  fetch(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>
  /** Bun fetch TLS options trusting the server's CA. */
  tls: { ca: string }
}

let sharedPki: Promise<Pki> | undefined

/** One PKI for every server this test process starts (a CA and certs for 127.0.0.1/localhost). */
export function testPki(): Promise<Pki> {
  sharedPki ??= ensurePki(mkdtempSync(join(tmpdir(), 'code-apiserver-pki-')), ['127.0.0.1', 'localhost', '::1'])
  return sharedPki
}

export async function startTestApiServer(options: Partial<ApiServerOptions> = {}): Promise<TestApiServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'code-apiserver-'))
  const tls = options.tls ?? true
  const server = await startApiServer({
    addr: '127.0.0.1:0',
    ...options,
    dataDir,
    tls,
    pki: tls ? (options.pki ?? (await testPki())) : undefined,
  })
  const pki = server.pki
  const ca = pki?.ca.cert ?? ''
  return {
    ...server,
    tls: { ca },
    fetch(path, init = {}) {
      const { token, json, ...rest } = init
      const headers = new Headers(rest.headers)
      if (token) headers.set('authorization', `Bearer ${token}`)
      if (token === undefined && !pki) headers.set('authorization', `Bearer ${server.tokens.admin}`)
      if (json !== undefined) {
        headers.set('content-type', headers.get('content-type') ?? 'application/json')
        rest.body = JSON.stringify(json)
      }
      const asAdmin = token === undefined && pki ? { cert: pki.clients.admin!.cert, key: pki.clients.admin!.key } : {}
      const url = /^https?:/.test(path) ? path : `${server.url}${path}`
      return fetch(url, { ...rest, headers, tls: { ca, ...asAdmin } } as RequestInit)
    },
    async stop() {
      await server.stop()
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
