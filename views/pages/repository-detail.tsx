// One repository: its live status and addresses, its settings, which connection manages it, and
// (from their own files) its deploy keys, collaborators and packages.
import type { Connection } from '../../src/apis/v1alpha1/connection.ts'
import type { DeletionPolicy, Repository } from '../../src/apis/v1alpha1/repository.ts'
import { CopyValue, ExternalLink } from '../components/actions.tsx'
import { DeleteAction } from '../components/delete-action.tsx'
import {
  CheckField,
  ErrorSummary,
  type FieldErrors,
  Flash,
  SelectField,
  TextField,
  takeFocus,
} from '../components/form.tsx'
import { PostForm } from '../components/post-form.tsx'
import { ConditionsTable, poll, type ResourceState, StatusBadge } from '../components/status.tsx'
import { Time } from '../components/time.tsx'
import { Layout, type Nav, type PageContext } from '../layout.tsx'
import { type CollaboratorsModel, CollaboratorsSection } from './collaborators.tsx'
import { type DeployKeysModel, DeployKeysSection } from './deploy-keys.tsx'
import { type CrawlStatus, type PackageItem, PackageList } from './packages.tsx'
import {
  type ConnectionChoice,
  deleteRepositoryQuestion,
  deletionConsequence,
  policyConsequence,
  repositoryHostName,
} from './repositories.tsx'

export interface SettingsFormModel {
  values: Record<string, string>
  errors?: FieldErrors
  flash?: string
}

export interface ConnectionChangeModel {
  value: string
  errors?: FieldErrors
  flash?: string
  /** Set when the chosen connection has another owner: ask before switching. */
  confirm?: { to: string; warning: string }
}

/** What the live status region needs. */
export interface RepositoryStatusModel {
  repository: Repository
  state: ResourceState
  policy: DeletionPolicy
  connection: Connection | undefined
}

export interface RepositoryDetailModel extends RepositoryStatusModel {
  connections: ConnectionChoice[]
  settings: SettingsFormModel
  change: ConnectionChangeModel
  keys: DeployKeysModel
  collaborators: CollaboratorsModel
  packages: PackageItem[]
  crawl: CrawlStatus | undefined
}

export const settingsFieldLabels: Record<string, string> = {
  description: 'Description',
  homepage: 'Homepage',
  visibility: 'Visibility',
  topics: 'Topics',
  hasIssues: 'Issues',
  hasWiki: 'Wiki',
  hasProjects: 'Projects',
  archived: 'Archived',
  defaultBranch: 'Default branch',
}

/** The spec as the settings form shows it. */
export function settingsValues(r: Repository): Record<string, string> {
  const s = r.spec
  return {
    description: s.description ?? '',
    homepage: s.homepage ?? '',
    visibility: s.visibility ?? 'private',
    topics: (s.topics ?? []).join(', '),
    hasIssues: String(s.hasIssues ?? true),
    hasWiki: String(s.hasWiki ?? true),
    hasProjects: String(s.hasProjects ?? true),
    archived: String(s.archived ?? false),
    defaultBranch: s.defaultBranch ?? '',
  }
}

export function RepositoryDetailPage(p: { ctx: PageContext; model: RepositoryDetailModel }) {
  const { nav } = p.ctx
  const m = p.model
  const r = m.repository
  return (
    <Layout ctx={p.ctx} title={`Repository ${r.spec.name}`} section="repositories">
      <p class="crumbs">
        <a href={nav.href('repositories')}>Repositories</a> /
      </p>
      <RepositoryStatus nav={nav} model={m} />
      <div class="grid">
        <RepositorySettings nav={nav} repository={r} form={m.settings} />
        <RepositoryConnection nav={nav} repository={r} connections={m.connections} form={m.change} />
      </div>
      <DeployKeysSection nav={nav} repository={r.metadata.name} model={m.keys} />
      <CollaboratorsSection nav={nav} repository={r.metadata.name} model={m.collaborators} />
      <section class="panel" aria-labelledby="packages-title">
        <h2 id="packages-title">Packages</h2>
        <PackageList nav={nav} repository={r.metadata.name} packages={m.packages} crawl={m.crawl} />
      </section>
      <RepositoryDelete nav={nav} model={m} />
    </Layout>
  )
}

/**
 * What deleting does, which depends on the repository's state (nothing made yet, created,
 * adopted): refreshed out of band whenever the live status region is.
 */
export function RepositoryDelete({ nav, model, oob }: { nav: Nav; model: RepositoryStatusModel; oob?: boolean }) {
  const r = model.repository
  const name = r.metadata.name
  return (
    <section
      class="panel"
      id="repository-delete"
      aria-labelledby="repository-danger"
      hx-swap-oob={oob ? 'true' : undefined}
    >
      <h2 id="repository-danger">Delete</h2>
      {r.metadata.deletionTimestamp ? (
        <p>Being deleted.</p>
      ) : (
        <>
          <p safe>{deletionConsequence(r, model.policy)}</p>
          <DeleteAction
            nav={nav}
            path={`repositories/${name}`}
            what="repository"
            name={name}
            label="Delete repository"
            question={deleteRepositoryQuestion(r, model.policy)}
            target="#repository-status"
          />
        </>
      )}
    </section>
  )
}

/** Header, addresses and conditions: the part that changes by itself, so it polls while moving. */
export function RepositoryStatus({ nav, model, oob }: { nav: Nav; model: RepositoryStatusModel; oob?: boolean }) {
  const r = model.repository
  const s = r.status ?? {}
  const name = r.metadata.name
  return (
    <div
      id="repository-status"
      hx-swap-oob={oob ? 'true' : undefined}
      {...poll(nav.href(`repositories/${name}`), model.state)}
    >
      <div class="page-head">
        <div>
          <h1 safe>{r.spec.name}</h1>
          <p>
            {s.htmlURL ? (
              <ExternalLink href={s.htmlURL}>
                <span safe>{s.fullName ?? s.htmlURL}</span>
              </ExternalLink>
            ) : (
              'Not created on GitHub yet'
            )}
            {r.spec.description ? (
              <>
                {' · '}
                <span safe>{r.spec.description}</span>
              </>
            ) : (
              ''
            )}
          </p>
        </div>
        <div aria-live="polite">
          <StatusBadge state={model.state} />
        </div>
      </div>
      <section class="panel" aria-labelledby="repository-overview">
        <h2 id="repository-overview">Overview</h2>
        <dl class="facts">
          <dt>Clone (HTTPS)</dt>
          <dd>{s.cloneURL ? <CopyValue value={s.cloneURL} what="HTTPS clone URL" /> : <span class="muted">—</span>}</dd>
          <dt>Clone (SSH)</dt>
          <dd>{s.sshURL ? <CopyValue value={s.sshURL} what="SSH clone URL" /> : <span class="muted">—</span>}</dd>
          <dt>Connection</dt>
          <dd>
            <a href={nav.href(`connections/${r.spec.connectionRef}`)} safe>
              {r.spec.connectionRef}
            </a>
            {model.connection ? <span class="muted" safe>{` (owner ${model.connection.spec.owner})`}</span> : ''}
          </dd>
          <dt>Visibility</dt>
          <dd safe>{s.visibility ?? r.spec.visibility ?? 'private'}</dd>
          <dt>Default branch</dt>
          <dd>{s.defaultBranch ? <code safe>{s.defaultBranch}</code> : <span class="muted">—</span>}</dd>
          <dt>Ownership</dt>
          <dd>
            {s.ownership === 'Adopted'
              ? 'Adopted (it existed before)'
              : s.ownership === 'Created'
                ? 'Created by this workspace'
                : '—'}
          </dd>
          <dt>When deleted here</dt>
          <dd safe>{`${model.policy}: ${policyConsequence(model.policy, repositoryHostName(r))}`}</dd>
          <dt>Created</dt>
          <dd>
            <Time iso={s.createdAt} />
          </dd>
        </dl>
        <details>
          <summary>Conditions</summary>
          <ConditionsTable conditions={s.conditions ?? []} generation={r.metadata.generation} />
        </details>
      </section>
    </div>
  )
}

export function RepositorySettings({
  nav,
  repository,
  form,
}: {
  nav: Nav
  repository: Repository
  form: SettingsFormModel
}) {
  const action = nav.href(`repositories/${repository.metadata.name}/settings`)
  const v = form.values
  const f = { form: 'settings', errors: form.errors }
  return (
    <section class="panel" id="repository-settings" aria-labelledby="repository-settings-title">
      <h2 id="repository-settings-title">Settings</h2>
      <PostForm
        action={action}
        region="repository-settings"
        submit="Save settings"
        form={form}
        labels={settingsFieldLabels}
      >
        <TextField {...f} name="description" label="Description" optional value={v.description} />
        <TextField {...f} name="homepage" type="url" label="Homepage" optional value={v.homepage} />
        <SelectField
          {...f}
          name="visibility"
          label="Visibility"
          value={v.visibility}
          options={[
            { value: 'private', label: 'Private' },
            { value: 'public', label: 'Public' },
            { value: 'internal', label: 'Internal' },
          ]}
        />
        <TextField
          {...f}
          name="topics"
          label="Topics"
          optional
          value={v.topics}
          hint="Separated by commas or spaces: lower-case letters, digits and '-'."
        />
        <TextField
          {...f}
          name="defaultBranch"
          label="Default branch"
          optional
          value={v.defaultBranch}
          hint="The branch must exist on GitHub."
        />
        <fieldset class="options">
          <legend>Features</legend>
          <CheckField {...f} name="hasIssues" label="Issues" checked={v.hasIssues === 'true'} />
          <CheckField {...f} name="hasWiki" label="Wiki" checked={v.hasWiki === 'true'} />
          <CheckField {...f} name="hasProjects" label="Projects" checked={v.hasProjects === 'true'} />
          <CheckField
            {...f}
            name="archived"
            label="Archived"
            checked={v.archived === 'true'}
            hint="Archived repositories are read-only on GitHub."
          />
        </fieldset>
      </PostForm>
    </section>
  )
}

export function RepositoryConnection({
  nav,
  repository,
  connections,
  form,
}: {
  nav: Nav
  repository: Repository
  connections: ConnectionChoice[]
  form: ConnectionChangeModel
}) {
  const action = nav.href(`repositories/${repository.metadata.name}/connection`)
  const target = { 'hx-post': action, 'hx-target': '#repository-connection', 'hx-swap': 'outerHTML' }
  return (
    <section class="panel" id="repository-connection" aria-labelledby="repository-connection-title">
      <h2 id="repository-connection-title">Connection</h2>
      {form.confirm ? (
        <form class="stack" method="post" action={action} {...target}>
          <div class="notice warn" role="alert" tabindex="-1" {...takeFocus}>
            <p safe>{form.confirm.warning}</p>
          </div>
          <input type="hidden" name="connection" value={form.confirm.to} />
          <input type="hidden" name="confirm" value="yes" />
          <div class="form-actions">
            <button type="submit" class="danger">
              Switch anyway
            </button>
            <a class="button" href={nav.href(`repositories/${repository.metadata.name}`)}>
              Cancel
            </a>
          </div>
        </form>
      ) : (
        <form class="stack" method="post" action={action} {...target}>
          <Flash message={form.flash} />
          <ErrorSummary errors={form.errors} labels={{ connection: 'Connection' }} />
          <SelectField
            form="change"
            errors={form.errors}
            name="connection"
            label="Managed with"
            value={form.value}
            options={connections.map((c) => ({ value: c.name, label: `${c.name} (${c.owner})` }))}
            hint="A connection with another owner creates a new repository under that owner; this one is left as it is."
          />
          <div class="form-actions">
            <button type="submit">Change connection</button>
          </div>
        </form>
      )}
    </section>
  )
}

/** What the polling status region turns into once the repository is gone. */
export function RepositoryGone({ nav, name }: { nav: Nav; name: string }) {
  return (
    <div id="repository-status">
      <p class="notice info">
        <span safe>{`Repository ${name} was deleted.`}</span>{' '}
        <a href={nav.href('repositories')}>Back to repositories</a>
      </p>
    </div>
  )
}
