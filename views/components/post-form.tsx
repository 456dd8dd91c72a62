// The portal's forms: they post with or without JavaScript, and come back with what happened on top.
import type { Children } from '@kitajs/html'
import { ErrorSummary, type FieldErrors, Flash } from './form.tsx'

/**
 * htmx posts the form and swaps `region` (the element the form sits in, by id) for the answer: the
 * form again, with its errors or a flash. Without JavaScript the browser posts it and shows the page
 * the server answers with.
 */
export function PostForm(p: {
  action: string
  region: string
  /** The primary button's words. */
  submit: string
  /** The form as it came back: what is wrong with it, or what went through. */
  form: { errors?: FieldErrors; flash?: string }
  /** Field labels, to name the fields in the error summary. */
  labels: Record<string, string>
  children: Children
}) {
  return (
    <form
      class="stack"
      method="post"
      action={p.action}
      hx-post={p.action}
      hx-target={`#${p.region}`}
      hx-swap="outerHTML"
    >
      <Flash message={p.form.flash} />
      <ErrorSummary errors={p.form.errors} labels={p.labels} />
      {p.children}
      <div class="form-actions">
        <button type="submit" class="primary" safe>
          {p.submit}
        </button>
      </div>
    </form>
  )
}
