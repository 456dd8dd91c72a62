/// <reference types="@kitajs/html/htmx.d.ts" />
// One actor up close: state, why it is there, when it wakes next, its last GitHub response,
// its recent transitions and its (redacted) context. Refreshes itself on every change.
import type { PropsWithChildren } from '@kitajs/html'
import { duration, timeOfDay, tone } from './format.ts'
import { type DebugActorDetail, detailURL } from './model.ts'

function Fact({ label, children }: PropsWithChildren<{ label: string }>) {
  return (
    <>
      <dt safe>{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

export function ActorDetailView({ actor }: { actor: DebugActorDetail }) {
  const { nextWakeup: wake, lastResponse: response, lastError: error, lastRun: run, running } = actor
  return (
    <div
      id="actor-detail"
      data-actor={actor.id}
      hx-get={detailURL(actor.id)}
      hx-trigger="debug:changed from:body"
      hx-swap="outerHTML"
    >
      <h2>
        <span class="kind" safe>
          {actor.kind}
        </span>{' '}
        <span safe>{actor.name}</span>{' '}
        <span class={tone(actor.state)} safe>
          {actor.state}
        </span>
      </h2>
      <dl class="facts">
        <Fact label="id">
          <code safe>{actor.id}</code>
        </Fact>
        <Fact label="since">
          <time datetime={actor.since} safe>
            {actor.since}
          </time>
        </Fact>
        <Fact label="actor status">
          <span safe>{actor.status}</span>
        </Fact>
        {actor.parent ? (
          <Fact label="under">
            <a
              href={`/debug/actors/${encodeURIComponent(actor.parent)}`}
              hx-get={detailURL(actor.parent)}
              hx-target="#detail"
            >
              <span safe>{actor.parent}</span>
            </a>
          </Fact>
        ) : (
          ''
        )}
        <Fact label="consecutive failures">{actor.attempts}</Fact>
        <Fact label="mailbox depth">{actor.mailboxDepth}</Fact>
        <Fact label="next wake-up">
          {wake ? (
            <span safe>{`${wake.delay} at ${wake.at} (in ${duration(wake.inMs)})`}</span>
          ) : (
            <span class="note">{running ? 'none while work runs' : 'none: waits for an event'}</span>
          )}
        </Fact>
        {running ? (
          <Fact label="running">
            <span
              safe
            >{`${running.operation} since ${timeOfDay(running.since)}${running.queued ? ', queued for a slot' : ''}`}</span>
          </Fact>
        ) : (
          ''
        )}
        {run ? (
          <Fact label="last run">
            <span
              safe
            >{`${run.operation} ${run.result}${run.reason ? ` (${run.reason})` : ''} in ${duration(run.durationMs)} at ${timeOfDay(run.at)}`}</span>
          </Fact>
        ) : (
          ''
        )}
        {error ? (
          <Fact label="last error">
            <span
              safe
            >{`${error.reason}: ${error.message}${error.status ? ` (HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})` : ''}`}</span>
          </Fact>
        ) : (
          ''
        )}
        {actor.waitingFor ? (
          <Fact label="waiting for">
            <span safe>{actor.waitingFor.message}</span>
          </Fact>
        ) : (
          ''
        )}
        {response ? (
          <Fact label="last GitHub response">
            <span safe>
              {`${response.status}${response.notModified ? ' (ETag cache)' : ''} ${response.route} · request ${response.requestId ?? 'n/a'} · gate ${response.gate} · ${timeOfDay(response.at)}`}
            </span>
          </Fact>
        ) : (
          ''
        )}
      </dl>
      <h3>Transitions (newest first)</h3>
      <table class="transitions">
        <thead>
          <tr>
            <th>at</th>
            <th>from</th>
            <th>to</th>
            <th>event</th>
          </tr>
        </thead>
        <tbody>
          {[...actor.transitions].reverse().map((t) => (
            <tr>
              <td>
                <time datetime={t.at} safe>
                  {t.at}
                </time>
              </td>
              <td safe>{t.from}</td>
              <td>
                <span class={tone(t.to)} safe>
                  {t.to}
                </span>
              </td>
              <td>
                <code safe>{t.event}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Context (secrets redacted)</h3>
      <pre class="context" safe>
        {JSON.stringify(actor.context, null, 2)}
      </pre>
    </div>
  )
}

/** What the detail pane shows once its actor has stopped. */
export function ActorGone({ id }: { id: string }) {
  return (
    <div id="actor-detail" class="empty">
      <span safe>{`${id} is not running (its object was deleted, or its workspace stopped).`}</span>
    </div>
  )
}
