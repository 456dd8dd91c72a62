/// <reference types="@kitajs/html/htmx.d.ts" />
// The actor tree as table rows: system, workspaces, and each workspace's actors nested under what
// they depend on. Clicking a name opens its detail beside the tree.
import { timeOfDay, tone } from './format.ts'
import { type DebugActor, type DebugTreeNode, detailURL } from './model.ts'

function ActorRow({ actor, depth }: { actor: DebugActor; depth: number }) {
  const response = actor.lastResponse
  return (
    <tr id={`actor-${actor.id}`} data-actor={actor.id} data-kind={actor.kind} data-state={actor.state}>
      <td class="name" style={`padding-left: ${0.5 + depth * 1.25}rem`}>
        <span class="kind" safe>
          {actor.kind}
        </span>{' '}
        <a href={`/debug/actors/${encodeURIComponent(actor.id)}`} hx-get={detailURL(actor.id)} hx-target="#detail">
          <span safe>{actor.name}</span>
        </a>
      </td>
      <td>
        <span class={tone(actor.state)} safe>
          {actor.state}
        </span>
        {actor.running?.queued ? <span class="note"> queued for a slot</span> : ''}
      </td>
      <td>
        <time datetime={actor.since} safe>
          {timeOfDay(actor.since)}
        </time>
      </td>
      <td class="num">{actor.attempts > 0 ? actor.attempts : ''}</td>
      <td safe>
        {actor.lastError
          ? actor.lastError.reason
          : actor.waitingFor
            ? `waiting for ${actor.waitingFor.kind} ${actor.waitingFor.name}`
            : ''}
      </td>
      <td class="num" title={response?.route ?? ''}>
        {response ? `${response.status}${response.notModified ? ' (cached)' : ''}` : ''}
      </td>
    </tr>
  )
}

function Rows({ node, depth }: { node: DebugTreeNode; depth: number }): JSX.Element {
  return (
    <>
      <ActorRow actor={node.actor} depth={depth} />
      {node.children.map((child) => (
        <Rows node={child} depth={depth + 1} />
      ))}
    </>
  )
}

export function ActorTree({
  system,
  workspaces,
  omitted,
}: {
  system: DebugActor
  workspaces: DebugTreeNode[]
  omitted: number
}) {
  return (
    <table class="tree">
      <thead>
        <tr>
          <th>actor</th>
          <th>state</th>
          <th>since (UTC)</th>
          <th>failures</th>
          <th>why</th>
          <th>last GitHub response</th>
        </tr>
      </thead>
      <tbody>
        <ActorRow actor={system} depth={0} />
        {workspaces.map((w) => (
          <Rows node={w} depth={1} />
        ))}
        {workspaces.length === 0 ? (
          <tr>
            <td colspan="6" class="empty">
              No workspace actors match.
            </td>
          </tr>
        ) : (
          ''
        )}
        {omitted > 0 ? (
          <tr>
            <td colspan="6" class="empty">
              {omitted} more actors match: narrow the filter, or page through /debug/actors.
            </td>
          </tr>
        ) : (
          ''
        )}
      </tbody>
    </table>
  )
}
