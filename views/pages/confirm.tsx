// The question a destructive action asks when JavaScript is off: what will happen, and a button.
import { Layout, type PageContext, type Section } from '../layout.tsx'

export function ConfirmPage(p: {
  ctx: PageContext
  section: Section
  title: string
  consequence: string
  action: string
  button: string
  cancel: string
}) {
  return (
    <Layout ctx={p.ctx} title={p.title} section={p.section}>
      <section class="panel" aria-labelledby="confirm-title">
        <h1 id="confirm-title" safe>
          {p.title}
        </h1>
        <p class="notice warn" safe>
          {p.consequence}
        </p>
        <form method="post" action={p.action} class="form-actions">
          <button type="submit" class="danger" safe>
            {p.button}
          </button>
          <a class="button" href={p.cancel}>
            Cancel
          </a>
        </form>
      </section>
    </Layout>
  )
}
