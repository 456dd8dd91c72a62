// /debug as HTML for people: the page, the fragments htmx swaps in, and the page's own assets
// (htmx from its npm package, never a CDN), all under /debug so they cannot clash with the portal's.
import { Elysia } from 'elysia'
// File imports: Bun embeds them in the compiled binary (there is no node_modules at run time).
import htmxPath from 'htmx.org/dist/htmx.min.js' with { type: 'file' }
import debugCssPath from '../../public/debug/debug.css' with { type: 'file' }
import liveJsPath from '../../public/debug/live.js' with { type: 'file' }
import { ActorDetailView, ActorGone } from '../../views/debug/actor.tsx'
import { ComponentsTable } from '../../views/debug/components.tsx'
import { GatesTable } from '../../views/debug/gates.tsx'
import { DebugPage, SummaryLine } from '../../views/debug/page.tsx'
import { ActorTree } from '../../views/debug/tree.tsx'
import type { Runtime } from '../actors/runtime.ts'
import { redact } from '../log.ts'
import type { StatusBoard } from '../status-board.ts'
import { actorIdFrom, debugTree, everyActor, summary } from './debug.ts'
import { choices, filterFrom } from './debug-data.ts'

type Query = Record<string, string | undefined>

const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}

const html = async (body: JSX.Element) => new Response(await body, { headers: htmlHeaders })

const assets: Record<string, { path: string; type: string }> = {
  'htmx.min.js': { path: htmxPath, type: 'text/javascript' },
  'live.js': { path: liveJsPath, type: 'text/javascript' },
  'debug.css': { path: debugCssPath, type: 'text/css' },
}

export const debugPages = ({ runtime, status }: { runtime: Runtime; status: StatusBoard }) =>
  new Elysia()
    .get('/debug', ({ query }) => {
      const filter = filterFrom(query as Query)
      return html(
        DebugPage({
          summary: summary(runtime),
          filter,
          choices: choices(everyActor(runtime)),
          tree: redact(debugTree(runtime, filter)) as ReturnType<typeof debugTree>,
          gates: runtime.gates(),
          components: status.list(),
        }),
      )
    })
    .get('/debug/view/tree', ({ query }) =>
      html(ActorTree(redact(debugTree(runtime, filterFrom(query as Query))) as ReturnType<typeof debugTree>)),
    )
    .get('/debug/view/summary', () => html(SummaryLine({ summary: summary(runtime) })))
    .get('/debug/view/actors/*', ({ params }) => {
      const id = actorIdFrom(params)
      const detail = runtime.actorDetail(id)
      // 200 either way: htmx swaps only successful responses, and "gone" is an answer.
      return html(detail ? ActorDetailView({ actor: redact(detail) as typeof detail }) : ActorGone({ id }))
    })
    .get('/debug/view/gates', () => html(GatesTable({ gates: runtime.gates() })))
    .get('/debug/view/components', () => html(ComponentsTable({ components: status.list() })))
    .get('/debug/assets/:file', ({ params, set }) => {
      const asset = assets[params.file]
      if (!asset) {
        set.status = 404
        return 'no such asset'
      }
      return new Response(Bun.file(asset.path), {
        headers: { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'no-cache' },
      })
    })
