// The HTML document around every page we serve (portal, /debug, the OAuth popup's last page):
// language, charset, a viewport that fits phones, the title, then what each page adds.
import type { Children } from '@kitajs/html'

export function HtmlDocument(p: {
  title: string
  /** What relative links resolve against; it comes before anything in the head that holds a link. */
  base?: string
  /** The rest of the head: styles, scripts, meta. */
  head?: Children
  children: Children
}) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {p.base !== undefined && <base href={p.base} />}
          <title safe>{p.title}</title>
          {p.head}
        </head>
        <body>{p.children}</body>
      </html>
    </>
  )
}
