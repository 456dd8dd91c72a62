/// <reference types="@kitajs/html/htmx.d.ts" />
// The /debug shell: htmx and the live-update script, both served under /debug/assets.
import type { PropsWithChildren } from '@kitajs/html'

export function DebugLayout({ title, children }: PropsWithChildren<{ title: string }>) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title}</title>
          <link rel="stylesheet" href="/debug/assets/debug.css" />
          <script src="/debug/assets/htmx.min.js" />
          <script src="/debug/assets/live.js" defer />
        </head>
        <body>{children}</body>
      </html>
    </>
  )
}
