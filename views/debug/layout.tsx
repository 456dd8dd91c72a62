/// <reference types="@kitajs/html/htmx.d.ts" />
// The /debug shell: htmx and the live-update script, both served under /debug/assets.
import type { PropsWithChildren } from '@kitajs/html'
import { HtmlDocument } from '../components/document.tsx'

export function DebugLayout({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <HtmlDocument
      title={title}
      head={
        <>
          <link rel="stylesheet" href="/debug/assets/debug.css" />
          <script src="/debug/assets/htmx.min.js" />
          <script src="/debug/assets/live.js" defer />
        </>
      }
    >
      {children}
    </HtmlDocument>
  )
}
