import type { Children } from '@kitajs/html'
// Small controls shared by the pages: a value with a copy button, and a link to the git host.

/** A value people copy (clone URL, pull command): the copy button appears only with JavaScript. */
export function CopyValue({ value, what, id }: { value: string; what: string; id?: string }) {
  return (
    <span class="copy-row">
      <code id={id} safe>
        {value}
      </code>
      <button
        type="button"
        class="small"
        data-copy={value}
        data-what={what}
        aria-label={`Copy ${what}`}
        hidden
        data-needs-js
      >
        Copy
      </button>
    </span>
  )
}

/** A link to the git host; never sends the portal's address (which may carry a dev token) along. */
export function ExternalLink({ href, children }: { href: string; children: Children }) {
  if (!/^https?:\/\//i.test(href)) return <span safe>{href}</span>
  return (
    <a href={href} rel="noopener noreferrer" target="_blank">
      {children}
      <span class="visually-hidden"> (opens in a new tab)</span>
    </a>
  )
}
