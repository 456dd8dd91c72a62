// Repositories: the workspace's repositories (searchable, a page at a time; moving rows poll
// themselves) and the form that declares a new one.
import { type DeletionPolicy, type Repository, reachedHost } from '../../src/apis/v1alpha1/repository.ts'
import { ExternalLink } from '../components/actions.tsx'
import { DeleteCell } from '../components/delete-action.tsx'
import { CheckField, type FieldErrors, SelectField, TextField } from '../components/form.tsx'
import { PostForm } from '../components/post-form.tsx'
import { poll, type ResourceState, StatusBadge } from '../components/status.tsx'
import { Table } from '../components/table.tsx'
import { Layout, type Nav, type PageContext } from '../layout.tsx'

export interface RepositoryItem {
  repository: Repository
  state: ResourceState
  /** The policy deleting the object applies (spec, or the default for its ownership). */
  policy: DeletionPolicy
}

export interface ConnectionChoice {
  name: string
  owner: string
  ready: boolean
}

export interface RepositoryFormModel {
  values: Record<string, string>
  errors?: FieldErrors
}

export interface RepositoryListModel {
  items: RepositoryItem[]
  /** Repositories matching the search, over all pages. */
  matching: number
  total: number
  q: string
  page: number
  pages: number
}

export const repositoryFieldLabels: Record<string, string> = {
  connection: 'Connection',
  name: 'Name',
  repoName: 'Name on GitHub',
  visibility: 'Visibility',
  description: 'Description',
  autoInit: 'Initialize with a README',
  adopt: 'Adopt an existing repository',
  deletionPolicy: 'When deleted here',
}

/** What deleting the object does to the repository on GitHub, in one sentence. */
export function policyConsequence(policy: DeletionPolicy, fullName: string): string {
  switch (policy) {
    case 'Delete':
      return `This deletes ${fullName} on GitHub, with its code, issues and settings. This cannot be undone.`
    case 'Archive':
      return `${fullName} is archived on GitHub (read-only; it can be unarchived there). Only its management here ends.`
    case 'Orphan':
      return `${fullName} stays on GitHub untouched. Only its management here ends.`
  }
}

export const repositoryHostName = (r: Repository) =>
  r.status?.fullName ?? `${r.spec.owner || '(connection owner)'}/${r.spec.name}`

/** What deleting this object will do, as the question before it and the no-JavaScript confirmation say. */
export function deletionConsequence(r: Repository, policy: DeletionPolicy): string {
  if (!reachedHost(r)) return 'Nothing was created on GitHub yet: only the declaration here is removed.'
  return policyConsequence(policy, repositoryHostName(r))
}

export function deleteRepositoryQuestion(r: Repository, policy: DeletionPolicy): string {
  return `Delete repository "${r.metadata.name}"? ${deletionConsequence(r, policy)}`
}

export function RepositoriesPage(p: {
  ctx: PageContext
  list: RepositoryListModel
  connections: ConnectionChoice[]
  form: RepositoryFormModel
}) {
  return (
    <Layout ctx={p.ctx} title="Repositories" section="repositories">
      <div class="page-head">
        <div>
          <h1>Repositories</h1>
          <p>Repositories declared in this workspace and kept in line on GitHub.</p>
        </div>
      </div>
      <RepositoryList nav={p.ctx.nav} list={p.list} />
      <RepositoryForm nav={p.ctx.nav} connections={p.connections} form={p.form} />
    </Layout>
  )
}

export function RepositoryRow({ nav, item }: { nav: Nav; item: RepositoryItem }) {
  const r = item.repository
  const name = r.metadata.name
  const url = nav.href(`repositories/${name}`)
  return (
    <tr id={`row-repository-${name}`} {...poll(url, item.state)}>
      <td>
        <a href={url} safe>
          {r.spec.name}
        </a>
        {r.spec.name !== name ? <span class="sub" safe>{`object ${name}`}</span> : ''}
        {r.spec.description ? (
          <span class="sub" safe>
            {r.spec.description}
          </span>
        ) : (
          ''
        )}
      </td>
      <td>
        <a href={nav.href(`connections/${r.spec.connectionRef}`)} safe>
          {r.spec.connectionRef}
        </a>
      </td>
      <td safe>{r.status?.visibility ?? r.spec.visibility ?? 'private'}</td>
      <td>
        {r.status?.htmlURL ? (
          <ExternalLink href={r.status.htmlURL}>
            <span safe>{r.status.fullName ?? 'open'}</span>
          </ExternalLink>
        ) : (
          <span class="muted">not created yet</span>
        )}
      </td>
      <td>
        <StatusBadge state={item.state} />
      </td>
      <DeleteCell
        object={r}
        nav={nav}
        path={`repositories/${name}`}
        what="repository"
        question={deleteRepositoryQuestion(r, item.policy)}
      />
    </tr>
  )
}

export function RepositoryList({ nav, list }: { nav: Nav; list: RepositoryListModel }) {
  const action = nav.href('repositories')
  return (
    <section class="panel" id="repository-list" aria-labelledby="repository-list-title">
      <div class="panel-head">
        <h2 id="repository-list-title" safe>
          {list.total === 0
            ? 'No repositories yet'
            : `${list.total} ${list.total === 1 ? 'repository' : 'repositories'}`}
        </h2>
        {list.total > 0 && (
          <search>
            <form class="search" method="get" action={action}>
              {nav.identity ? identityInputs(nav.identity) : ''}
              <label for="repository-search" class="visually-hidden">
                Search repositories
              </label>
              <input
                type="search"
                id="repository-search"
                name="q"
                value={list.q}
                placeholder="Search by name"
                hx-get={action}
                hx-trigger="input changed delay:300ms, search"
                hx-target="#repository-results"
                hx-swap="outerHTML"
                hx-include="closest form"
                aria-controls="repository-results"
              />
              <button type="submit">Search</button>
            </form>
          </search>
        )}
      </div>
      <RepositoryResults nav={nav} list={list} />
    </section>
  )
}

/** The table and pager: what a search replaces, leaving the search box (and its focus) alone. */
export function RepositoryResults({ nav, list }: { nav: Nav; list: RepositoryListModel }) {
  const pageLink = (page: number) => nav.href('repositories', { q: list.q || undefined, page: String(page) })
  return (
    <div id="repository-results">
      {list.total === 0 ? (
        <p class="empty">Declare one below; it is created on GitHub within seconds.</p>
      ) : list.items.length === 0 ? (
        <p class="empty" safe>{`No repository matches "${list.q}".`}</p>
      ) : (
        <Table columns={['Name', 'Connection', 'Visibility', 'On GitHub', 'Status']} actions>
          {list.items.map((item) => (
            <RepositoryRow nav={nav} item={item} />
          ))}
        </Table>
      )}
      {list.pages > 1 && (
        <nav class="pager" aria-label="Pages">
          {list.page > 1 ? <a href={pageLink(list.page - 1)}>Previous page</a> : <span />}
          <span class="muted">
            Page {list.page} of {list.pages} ({list.matching} matching)
          </span>
          {list.page < list.pages ? <a href={pageLink(list.page + 1)}>Next page</a> : <span />}
        </nav>
      )}
    </div>
  )
}

/** GET forms replace the query: carry the dev identity along as hidden inputs. */
function identityInputs(identity: string) {
  return [...new URLSearchParams(identity)].map(([k, v]) => <input type="hidden" name={k} value={v} />)
}

export function RepositoryForm(p: { nav: Nav; connections: ConnectionChoice[]; form: RepositoryFormModel }) {
  const action = p.nav.href('repositories')
  const v = p.form.values
  const f = { form: 'repository', errors: p.form.errors }
  return (
    <section class="panel" id="repository-form" aria-labelledby="repository-form-title">
      <h2 id="repository-form-title">New repository</h2>
      {p.connections.length === 0 ? (
        <p class="notice info">
          Add a <a href={p.nav.href('connections')}>connection</a> first: it says which GitHub account the repository
          belongs to.
        </p>
      ) : (
        <PostForm
          action={action}
          region="repository-form"
          submit="Create repository"
          form={p.form}
          labels={repositoryFieldLabels}
        >
          <SelectField
            {...f}
            name="connection"
            label="Connection"
            value={v.connection}
            options={p.connections.map((c) => ({
              value: c.name,
              label: `${c.name} (${c.owner})${c.ready ? '' : ' – not ready'}`,
            }))}
            hint="The repository is created under this connection's owner."
          />
          <TextField
            {...f}
            name="name"
            label="Name"
            value={v.name}
            required
            hint="The name of the object in this workspace: lower-case letters, digits, '-' and '.'."
          />
          <TextField
            {...f}
            name="repoName"
            label="Name on GitHub"
            optional
            value={v.repoName}
            hint="Defaults to the name above. Letters, digits, '.', '-' and '_'."
          />
          <SelectField
            {...f}
            name="visibility"
            label="Visibility"
            value={v.visibility || 'private'}
            options={[
              { value: 'private', label: 'Private' },
              { value: 'public', label: 'Public' },
              { value: 'internal', label: 'Internal (organizations on GitHub Enterprise)' },
            ]}
          />
          <TextField {...f} name="description" label="Description" optional value={v.description} />
          <CheckField
            {...f}
            name="autoInit"
            label="Initialize with a README"
            checked={v.autoInit !== 'false'}
            hint="Gives the repository a first commit and a default branch."
          />
          <CheckField
            {...f}
            name="adopt"
            label="Adopt an existing repository"
            checked={v.adopt === 'true'}
            hint="Take over a repository that already exists on GitHub under this name, instead of failing."
          />
          <SelectField
            {...f}
            name="deletionPolicy"
            label="When deleted here"
            value={v.deletionPolicy}
            options={[
              { value: '', label: 'Default: delete on GitHub if created here, leave it if adopted' },
              { value: 'Delete', label: 'Delete it on GitHub' },
              { value: 'Archive', label: 'Archive it on GitHub' },
              { value: 'Orphan', label: 'Leave it on GitHub' },
            ]}
          />
        </PostForm>
      )}
    </section>
  )
}
