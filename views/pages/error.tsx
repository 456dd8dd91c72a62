// When a page cannot be shown: a whole page for a navigation, an alert for an htmx request.
import { Layout, type PageContext } from '../layout.tsx'

export interface Problem {
  status: number
  title: string
  message: string
  /** What the person can do about it. */
  hint?: string
}

export function ErrorPage(p: { ctx: Pick<PageContext, 'nav' | 'assets'> & Partial<PageContext>; problem: Problem }) {
  return (
    <Layout ctx={p.ctx} title={p.problem.title}>
      <section class="panel" aria-labelledby="problem-title">
        <h1 id="problem-title" safe>
          {p.problem.title}
        </h1>
        <p safe>{p.problem.message}</p>
        {p.problem.hint ? (
          <p class="muted" safe>
            {p.problem.hint}
          </p>
        ) : (
          ''
        )}
      </section>
    </Layout>
  )
}

/** Goes into #alerts (the response retargets there). */
export function ProblemAlert({ problem }: { problem: Problem }) {
  return (
    <div class="notice err">
      <p>
        <strong safe>{problem.title}</strong>
        {': '}
        <span safe>{problem.message}</span>
      </p>
      {problem.hint ? <p safe>{problem.hint}</p> : ''}
    </div>
  )
}
