import type { Children } from '@kitajs/html'
import { HtmlDocument } from './components/document.tsx'
// The one layout every portal page extends, and what a page needs to render links and assets.
// All links are relative to <base href>: the portal root as the browser sees it, so the same HTML
// works at /, under /ui/providers/code/ and under /services/providers/code/.

/** Links as the browser needs them. Built per request by the routes. */
export interface Nav {
  /** The portal root: absolute from X-Forwarded-Prefix, else relative to the requested path. */
  base: string
  /** A portal path (no leading slash) plus query, carrying the dev identity when the caller used one. */
  href(path: string, query?: Record<string, string | undefined>): string
  /** This page's own address relative to the root, for in-page anchors (`#x` alone resolves against <base>). */
  self: string
  /** The dev identity query ('' when identity came from the hub's headers). */
  identity: string
}

export interface Assets {
  css: string
  js: string
  htmx: string
}

export interface PageContext {
  nav: Nav
  assets: Assets
  /** Workspace path or cluster id the caller works in. */
  workspace: string
  user: string
}

export type Section = 'connections' | 'repositories' | 'packages'

const sections: { id: Section; label: string }[] = [
  { id: 'connections', label: 'Connections' },
  { id: 'repositories', label: 'Repositories' },
  { id: 'packages', label: 'Packages' },
]

/**
 * htmx 2 settings: swap 4xx/5xx answers too (forms answer 422 with their field errors; other
 * errors retarget #alerts), no eval, no inline styles (the CSP allows none), scripts in
 * fragments never run, and invalid forms say why before anything is sent.
 */
const htmxConfig = JSON.stringify({
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyRestoreAsHxRequest: false,
  reportValidityOfForms: true,
  selfRequestsOnly: true,
})

export function Layout(p: {
  ctx: Pick<PageContext, 'nav' | 'assets'> & Partial<PageContext>
  title: string
  section?: Section
  children?: Children
}) {
  const { nav, assets } = p.ctx
  return (
    <HtmlDocument
      title={`${p.title} · Code`}
      base={nav.base}
      head={
        <>
          <meta name="htmx-config" content={htmxConfig} />
          <link rel="stylesheet" href={assets.css} />
          <script src={assets.htmx} defer />
          <script src={assets.js} defer />
        </>
      }
    >
      <a class="skip-link" href={`${nav.self}#main`}>
        Skip to content
      </a>
      <header class="top">
        <div class="top-inner">
          <a class="brand" href={nav.href('connections')}>
            Code
          </a>
          {p.ctx.workspace !== undefined && (
            <nav aria-label="Sections">
              <ul class="tabs">
                {sections.map((s) => (
                  <li>
                    <a href={nav.href(s.id)} aria-current={p.section === s.id ? 'page' : undefined} safe>
                      {s.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {p.ctx.workspace !== undefined && (
            <p class="who">
              <span class="visually-hidden">Workspace </span>
              <span safe>{p.ctx.workspace}</span>
              {p.ctx.user ? (
                <>
                  {' · '}
                  <span class="visually-hidden">signed in as </span>
                  <span safe>{p.ctx.user}</span>
                </>
              ) : (
                ''
              )}
            </p>
          )}
        </div>
      </header>
      <main id="main" tabindex="-1">
        <div id="alerts" role="alert" />
        <p id="copy-status" class="visually-hidden" aria-live="polite" />
        {p.children}
      </main>
    </HtmlDocument>
  )
}
