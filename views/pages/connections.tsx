// Connections: the credentials repositories are managed with. The page, its list (each moving
// row polls itself) and the add form (a token, or "Connect with GitHub" when OAuth is on).
import type { Connection } from '../../src/apis/v1alpha1/connection.ts'
import { DeleteCell } from '../components/delete-action.tsx'
import { type FieldErrors, TextField } from '../components/form.tsx'
import { PostForm } from '../components/post-form.tsx'
import { poll, type ResourceState, StatusBadge } from '../components/status.tsx'
import { Table } from '../components/table.tsx'
import { Layout, type Nav, type PageContext } from '../layout.tsx'

export interface ConnectionItem {
  connection: Connection
  state: ResourceState
  /** Repositories (object names) that use this connection. */
  repositories: string[]
}

export interface ConnectionFormModel {
  values: { name?: string; owner?: string; baseURL?: string }
  errors?: FieldErrors
  /** Set when "Connect with GitHub" is configured. */
  oauth?: { startURL: string }
}

export const connectionFieldLabels: Record<string, string> = {
  name: 'Name',
  owner: 'Owner',
  token: 'Personal access token',
  baseURL: 'GitHub Enterprise API URL',
}

export function ConnectionsPage(p: { ctx: PageContext; items: ConnectionItem[]; form: ConnectionFormModel }) {
  return (
    <Layout ctx={p.ctx} title="Connections" section="connections">
      <div class="page-head">
        <div>
          <h1>Connections</h1>
          <p>A connection is a GitHub credential; repositories are created under its owner.</p>
        </div>
      </div>
      <ConnectionList nav={p.ctx.nav} items={p.items} />
      <ConnectionForm nav={p.ctx.nav} form={p.form} />
    </Layout>
  )
}

export function deleteConnectionQuestion(name: string, repositories: string[]): string {
  if (repositories.length === 0) return `Delete connection "${name}"? No repositories use it.`
  const shown = repositories.slice(0, 5).join(', ') + (repositories.length > 5 ? ', …' : '')
  return `Delete connection "${name}"? The ${repositories.length} repositories using it (${shown}) will stop reconciling until they get another connection.`
}

export function ConnectionRow({ nav, item }: { nav: Nav; item: ConnectionItem }) {
  const c = item.connection
  const name = c.metadata.name
  const url = nav.href(`connections/${name}`)
  return (
    <tr id={`row-connection-${name}`} {...poll(url, item.state)}>
      <td>
        <a href={url} safe>
          {name}
        </a>
      </td>
      <td safe>{c.spec.owner}</td>
      <td>{c.status?.login ? <span safe>{c.status.login}</span> : <span class="muted">—</span>}</td>
      <td>
        <StatusBadge state={item.state} />
      </td>
      <DeleteCell
        object={c}
        nav={nav}
        path={`connections/${name}`}
        what="connection"
        question={deleteConnectionQuestion(name, item.repositories)}
      />
    </tr>
  )
}

export function ConnectionList({ nav, items }: { nav: Nav; items: ConnectionItem[] }) {
  return (
    <section class="panel" id="connection-list" aria-labelledby="connection-list-title">
      <h2 id="connection-list-title">Your connections</h2>
      {items.length === 0 ? (
        <p class="empty">No connections yet. Add one below to start managing repositories.</p>
      ) : (
        <Table columns={['Name', 'Owner', 'Authenticated as', 'Status']} actions>
          {items.map((item) => (
            <ConnectionRow nav={nav} item={item} />
          ))}
        </Table>
      )}
    </section>
  )
}

export function ConnectionForm({ nav, form }: { nav: Nav; form: ConnectionFormModel }) {
  const action = nav.href('connections')
  const f = { form: 'connection', errors: form.errors }
  return (
    <section class="panel" id="connection-form" aria-labelledby="connection-form-title">
      <h2 id="connection-form-title">Add a connection</h2>
      <PostForm
        action={action}
        region="connection-form"
        submit="Add connection"
        form={form}
        labels={connectionFieldLabels}
      >
        <TextField
          {...f}
          name="name"
          label="Name"
          value={form.values.name}
          required
          hint="How repositories refer to it: lower-case letters, digits, '-' and '.', e.g. github-acme."
        />
        <TextField
          {...f}
          name="owner"
          label="Owner"
          value={form.values.owner}
          required
          hint="The GitHub organization or user that new repositories belong to."
        />
        {form.oauth ? (
          <>
            <div class="form-actions" hidden data-needs-js>
              <button
                type="button"
                class="primary"
                data-oauth-start={form.oauth.startURL}
                data-identity={nav.identity}
                data-refresh={action}
                aria-describedby="oauth-status"
              >
                Connect with GitHub
              </button>
              <span class="hint">Opens GitHub in a small window; no token to copy.</span>
            </div>
            <p id="oauth-status" class="hint" role="status" aria-live="polite" />
            <p class="or" hidden data-needs-js>
              or use a personal access token
            </p>
          </>
        ) : (
          <p class="hint">
            Tip: an administrator can enable "Connect with GitHub" (GITHUB_OAUTH_CLIENT_ID and friends), so nobody has
            to copy tokens.
          </p>
        )}
        <TextField
          {...f}
          name="token"
          type="password"
          label="Personal access token"
          required
          autocomplete="new-password"
          hint="A classic token (ghp_…) with the repo, delete_repo and read:packages scopes, or a fine-grained token. It is kept in a Secret in your workspace and never shown again."
        />
        <TextField
          {...f}
          name="baseURL"
          type="url"
          label="GitHub Enterprise API URL"
          optional
          value={form.values.baseURL}
          placeholder="https://ghe.example.com/api/v3"
          hint="Leave empty for github.com."
        />
      </PostForm>
    </section>
  )
}
