// The portal's static files: htmx straight from its npm package (never a CDN) under its version,
// and public/ under a content hash, so every URL can be cached forever. Read once at start,
// gzipped once, served from memory.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
// File imports: Bun embeds them in the compiled binary (there is no node_modules at run time).
import htmxPath from 'htmx.org/dist/htmx.min.js' with { type: 'file' }
import htmxPackage from 'htmx.org/package.json'
import portalCssPath from '../../public/portal.css' with { type: 'file' }
import portalJsPath from '../../public/portal.js' with { type: 'file' }
import type { Assets } from '../../views/layout.tsx'

interface Asset {
  body: Uint8Array<ArrayBuffer>
  gzipped: Uint8Array<ArrayBuffer>
  type: string
}

const hash = (body: Uint8Array) => createHash('sha256').update(body).digest('hex').slice(0, 10)

export interface PortalAssets {
  /** URLs relative to the portal root, for the layout. */
  urls: Assets
  /** The answer to GET /assets/<file>. */
  serve(file: string, request: Request): Response
}

export function loadAssets(): PortalAssets {
  const files = new Map<string, Asset>()
  const add = (name: string, body: Uint8Array, type: string) => {
    const bytes = new Uint8Array(body)
    files.set(name, { body: bytes, gzipped: Bun.gzipSync(bytes), type })
    return `assets/${name}`
  }
  const css = readFileSync(portalCssPath)
  const js = readFileSync(portalJsPath)
  const urls: Assets = {
    htmx: add(`htmx-${htmxPackage.version}.min.js`, readFileSync(htmxPath), 'text/javascript; charset=utf-8'),
    css: add(`portal-${hash(css)}.css`, css, 'text/css; charset=utf-8'),
    js: add(`portal-${hash(js)}.js`, js, 'text/javascript; charset=utf-8'),
  }
  const serve = (file: string, request: Request) => {
    const asset = files.get(file)
    if (!asset) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } })
    const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
    return new Response(gzip ? asset.gzipped : asset.body, {
      headers: {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'Accept-Encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
    })
  }
  return { urls, serve }
}
