// One connection: who it authenticates as, what its token may do, what a missing scope turns
// off, and, when something is wrong, what to do about it in plain words.
import type { Condition } from '../../src/apis/meta.ts'
import type { Connection } from '../../src/apis/v1alpha1/connection.ts'
import { ExternalLink } from '../components/actions.tsx'
import { DeleteAction } from '../components/delete-action.tsx'
import { ConditionsTable, poll, type ResourceState, StatusBadge } from '../components/status.tsx'
import { Time } from '../components/time.tsx'
import { Layout, type Nav, type PageContext } from '../layout.tsx'
import { deleteConnectionQuestion } from './connections.tsx'

export interface ConnectionDetailModel {
  connection: Connection
  state: ResourceState
  repositories: string[]
  /** The connection's baseURL is the GitHub sandbox this provider runs (dev). */
  sandbox: boolean
  /** Namespace and key the token is read from (defaults filled in). */
  secret: { name: string; namespace: string; key: string } | undefined
}

const featureNames: Record<string, string> = {
  'create-repositories': 'Creating repositories',
  'private-repositories': 'Private repositories',
  'delete-repositories': 'Deleting repositories',
  packages: 'Packages',
  'workflow-files': 'Changing workflow files',
}

/** What a person can do about a connection that is not ready, keyed by the condition reason. */
export function connectionHint(m: ConnectionDetailModel): string | undefined {
  const conditions = m.connection.status?.conditions ?? []
  const failing = conditions.find((c) => c.type === 'Validated' && c.status === 'False') ?? readyCondition(conditions)
  if (m.state.phase === 'ready') return undefined
  if (!failing || failing.status === 'True') {
    return m.state.phase === 'deleting'
      ? undefined
      : 'The provider has not checked this connection yet. This normally takes a second or two.'
  }
  const s = m.secret
  const secret = s ? `Secret "${s.name}" in namespace "${s.namespace}" with the key "${s.key}"` : 'the Secret'
  switch (failing.reason) {
    case 'CredentialUnavailable':
      return `The token cannot be read. Check that ${secret} exists in this workspace.`
    case 'Unauthorized':
    case 'ValidationFailed':
      return 'GitHub did not accept the token: it may have expired, been revoked, or been mistyped. Create a new token, then delete this connection and add it again with the new token.'
    case 'MissingScope':
      return 'The token lacks a scope this connection needs. Edit the token on GitHub to add the scope, or create a new one.'
    case 'Forbidden':
      return 'GitHub refused: the token may not reach this owner. For an organization, check that the token is authorized for it (SSO) and that its owner is a member.'
    case 'NotFound':
      return `GitHub knows no account "${m.connection.spec.owner}" that this token can see. Check the owner's spelling.`
    case 'ProviderNotFound':
    case 'UnsupportedTokenType':
      return 'This kind of credential is not supported by the provider. Ask an administrator.'
    case 'RateLimited':
      return 'GitHub is rate-limiting this token. The provider waits and tries again by itself.'
    case 'TransientError':
      return 'GitHub could not be reached. The provider keeps trying.'
    default:
      return failing.message
  }
}

const readyCondition = (conditions: Condition[]) => conditions.find((c) => c.type === 'Ready')

export function ConnectionDetailPage(p: { ctx: PageContext; model: ConnectionDetailModel }) {
  const name = p.model.connection.metadata.name
  return (
    <Layout ctx={p.ctx} title={`Connection ${name}`} section="connections">
      <p class="crumbs">
        <a href={p.ctx.nav.href('connections')}>Connections</a> /
      </p>
      <ConnectionDetail nav={p.ctx.nav} model={p.model} />
    </Layout>
  )
}

export function ConnectionDetail({ nav, model }: { nav: Nav; model: ConnectionDetailModel }) {
  const c = model.connection
  const status = c.status ?? {}
  const name = c.metadata.name
  const hint = connectionHint(model)
  const disabled = status.disabledFeatures ?? []
  return (
    <div id="connection-detail" {...poll(nav.href(`connections/${name}`), model.state)}>
      <div class="page-head">
        <div>
          <h1 safe>{name}</h1>
          <p>
            {status.login ? (
              <>
                Authenticated as <strong safe>{status.login}</strong>
              </>
            ) : (
              'Not validated yet'
            )}
          </p>
        </div>
        <div aria-live="polite">
          <StatusBadge state={model.state} detail={false} />
        </div>
      </div>
      {model.sandbox && (
        <div class="notice info">
          <p>
            <strong>This connection points at the GitHub sandbox,</strong> the offline GitHub emulator this provider
            runs for development. Repositories made with it exist only in the sandbox's memory, not on github.com.
          </p>
        </div>
      )}
      {hint ? (
        <div class="notice warn" role="status">
          <p>
            <strong>What to do: </strong>
            <span safe>{hint}</span>
          </p>
          {model.state.message && model.state.message !== hint ? (
            <p class="state-message" safe>
              {model.state.message}
            </p>
          ) : (
            ''
          )}
        </div>
      ) : (
        ''
      )}
      <div class="grid">
        <section class="panel" aria-labelledby="connection-overview">
          <h2 id="connection-overview">Overview</h2>
          <dl class="facts">
            <dt>Provider</dt>
            <dd>{c.spec.provider}</dd>
            <dt>Credential</dt>
            <dd safe>{credentialLabel(c)}</dd>
            <dt>Owner</dt>
            <dd>
              <span safe>{c.spec.owner}</span>
              {status.ownerKind ? <span class="muted" safe>{` (${status.ownerKind.toLowerCase()})`}</span> : ''}
            </dd>
            <dt>Authenticated as</dt>
            <dd>{status.login ? <span safe>{status.login}</span> : <span class="muted">—</span>}</dd>
            <dt>Token kind</dt>
            <dd>{status.tokenKind ? <span>{status.tokenKind}</span> : <span class="muted">—</span>}</dd>
            <dt>Git host</dt>
            <dd>
              {c.spec.baseURL ? (
                <ExternalLink href={c.spec.baseURL}>{<span safe>{c.spec.baseURL}</span>}</ExternalLink>
              ) : (
                'github.com'
              )}
            </dd>
            <dt>Token Secret</dt>
            <dd>
              {model.secret ? (
                <code safe>{`${model.secret.namespace}/${model.secret.name} · ${model.secret.key}`}</code>
              ) : (
                <span class="muted">—</span>
              )}
            </dd>
            <dt>Last checked</dt>
            <dd>
              <Time iso={status.lastValidatedTime} />
            </dd>
            <dt>Reconciled</dt>
            <dd safe>{reconciledLabel(c)}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="connection-scopes">
          <h2 id="connection-scopes">What the token may do</h2>
          {status.scopes && status.scopes.length > 0 ? (
            <ul class="chips" aria-label="Scopes">
              {status.scopes.map((s) => (
                <li class="chip" safe>
                  {s}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">
              {status.tokenKind && status.tokenKind !== 'classic-pat' && status.tokenKind !== 'oauth'
                ? 'This kind of token does not report scopes; its permissions are set on GitHub.'
                : 'No scopes reported yet.'}
            </p>
          )}
          <h3 class="spaced">Turned off by missing scopes</h3>
          {disabled.length === 0 ? (
            <p class="muted">{status.login ? 'Nothing: every feature works with this token.' : '—'}</p>
          ) : (
            <ul>
              {disabled.map((d) => (
                <li>
                  <strong safe>{featureNames[d.feature] ?? d.feature}</strong>: <span safe>{d.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section class="panel" aria-labelledby="connection-repositories">
        <h2 id="connection-repositories">Repositories using it</h2>
        {model.repositories.length === 0 ? (
          <p class="empty">None yet.</p>
        ) : (
          <ul class="chips">
            {model.repositories.map((r) => (
              <li>
                <a href={nav.href(`repositories/${r}`)} safe>
                  {r}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="connection-conditions">
        <h2 id="connection-conditions">Conditions</h2>
        <ConditionsTable conditions={status.conditions ?? []} generation={c.metadata.generation} />
      </section>
      {!c.metadata.deletionTimestamp && (
        <section class="panel" aria-labelledby="connection-danger">
          <h2 id="connection-danger">Delete</h2>
          <p>Deleting the connection also deletes the token Secret the portal made for it.</p>
          <DeleteAction
            nav={nav}
            path={`connections/${name}`}
            what="connection"
            name={name}
            label="Delete connection"
            question={deleteConnectionQuestion(name, model.repositories)}
            target="#connection-detail"
          />
        </section>
      )}
    </div>
  )
}

function credentialLabel(c: Connection): string {
  if (c.spec.type === 'oauth') return 'GitHub OAuth token'
  if (c.spec.type === 'github-app') return `GitHub App ${c.spec.githubApp?.appID ?? ''}`.trim()
  return 'Personal access token'
}

function reconciledLabel(c: Connection): string {
  const observed = c.status?.observedGeneration
  const generation = c.metadata.generation
  if (observed === undefined) return 'Not yet'
  if (generation !== undefined && observed < generation)
    return `The provider has not caught up yet (spec ${generation}, observed ${observed})`
  return 'Up to date'
}

/** What the polling detail region turns into once the connection is gone. */
export function ConnectionGone({ nav, name }: { nav: Nav; name: string }) {
  return (
    <div id="connection-detail">
      <p class="notice info">
        <span safe>{`Connection ${name} was deleted.`}</span> <a href={nav.href('connections')}>Back to connections</a>
      </p>
    </div>
  )
}
