/// <reference types="@kitajs/html/htmx.d.ts" />
// GET /debug: the live actor tree with filters, one actor's detail beside it, credential gates
// and components. Fragments refresh on `debug:changed` (fired by live.js when transitions arrive).
import { ComponentsTable } from './components.tsx'
import { GatesTable } from './gates.tsx'
import { DebugLayout } from './layout.tsx'
import type {
  DebugActor,
  DebugChoices,
  DebugComponent,
  DebugFilter,
  DebugGate,
  DebugSummary,
  DebugTreeNode,
} from './model.ts'
import { ActorTree } from './tree.tsx'

export interface DebugPageProps {
  summary: DebugSummary
  filter: DebugFilter
  choices: DebugChoices
  tree: { system: DebugActor; workspaces: DebugTreeNode[]; omitted: number }
  gates: DebugGate[]
  components: DebugComponent[]
}

function Choice({ name, label, values, current }: { name: string; label: string; values: string[]; current?: string }) {
  const options = current && !values.includes(current) ? [current, ...values] : values
  return (
    <label>
      <span safe>{label}</span>{' '}
      <select name={name}>
        <option value="">any</option>
        {options.map((v) => (
          <option value={v} selected={v === current} safe>
            {v}
          </option>
        ))}
      </select>
    </label>
  )
}

export function SummaryLine({ summary }: { summary: DebugSummary }) {
  return (
    <p
      id="summary"
      class="summary"
      hx-get="/debug/view/summary"
      hx-trigger="debug:changed from:body"
      hx-swap="outerHTML"
    >
      <span safe>{`system ${summary.systemState}, ${summary.ready ? 'ready' : 'not ready'}`}</span> ·{' '}
      <span>{summary.workspaces}</span> workspaces · <span>{summary.actors}</span> actors ·{' '}
      <span>{summary.pendingTimers}</span> timers pending
    </p>
  )
}

export function DebugPage(p: DebugPageProps) {
  return (
    <DebugLayout title="code-provider /debug">
      <header>
        <h1>code-provider /debug</h1>
        <span id="live" data-state="connecting">
          connecting…
        </span>
        <SummaryLine summary={p.summary} />
        <nav>
          JSON: <a href="/debug/tree">tree</a> · <a href="/debug/actors">actors</a> · <a href="/debug/gates">gates</a> ·{' '}
          <a href="/debug/components">components</a> · <a href="/debug/events">events (SSE)</a> ·{' '}
          <a href="/metrics">metrics</a>
        </nav>
      </header>
      <main>
        <section class="actors">
          <form
            id="filters"
            hx-get="/debug/view/tree"
            hx-target="#tree"
            hx-trigger="change"
            action="/debug"
            method="get"
          >
            <Choice name="workspace" label="workspace" values={p.choices.workspaces} current={p.filter.workspace} />
            <Choice name="kind" label="kind" values={p.choices.kinds} current={p.filter.kind} />
            <Choice name="state" label="state" values={p.choices.states} current={p.filter.state} />
            <noscript>
              <button type="submit">filter</button>
            </noscript>
          </form>
          <div id="tree" hx-get="/debug/view/tree" hx-include="#filters" hx-trigger="debug:changed from:body">
            <ActorTree {...p.tree} />
          </div>
        </section>
        <aside id="detail">
          <p class="empty">Pick an actor to see its state, timers, last GitHub response, transitions and context.</p>
        </aside>
      </main>
      <section>
        <h2>Credential gates</h2>
        <div id="gates" hx-get="/debug/view/gates" hx-trigger="debug:changed from:body, every 5s">
          <GatesTable gates={p.gates} />
        </div>
      </section>
      <section>
        <h2>Components</h2>
        <div id="components" hx-get="/debug/view/components" hx-trigger="debug:components from:body">
          <ComponentsTable components={p.components} />
        </div>
      </section>
    </DebugLayout>
  )
}
