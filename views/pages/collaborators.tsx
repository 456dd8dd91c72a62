// A repository's collaborators: who has which permission, and whether they accepted yet. The
// list polls itself while someone is being added or removed.
import type { Collaborator, Permission } from '../../src/apis/v1alpha1/collaborator.ts'
import { DeleteAction } from '../components/actions.tsx'
import { ErrorSummary, type FieldErrors, Flash, SelectField, TextField } from '../components/form.tsx'
import { pollAny, type ResourceState, StatusBadge } from '../components/status.tsx'
import { Time } from '../components/time.tsx'
import type { Nav } from '../layout.tsx'

export interface CollaboratorItem {
  collaborator: Collaborator
  state: ResourceState
}

export interface CollaboratorFormModel {
  values: Record<string, string>
  errors?: FieldErrors
  flash?: string
}

export interface CollaboratorsModel {
  items: CollaboratorItem[]
  form: CollaboratorFormModel
}

export const collaboratorFieldLabels: Record<string, string> = { username: 'GitHub username', permission: 'Permission' }

export const permissionLabels: Record<Permission, string> = {
  pull: 'Read (pull)',
  triage: 'Triage',
  push: 'Write (push)',
  maintain: 'Maintain',
  admin: 'Admin',
}

export function CollaboratorsSection(p: { nav: Nav; repository: string; model: CollaboratorsModel }) {
  return (
    <section class="panel" aria-labelledby="collaborators-title">
      <h2 id="collaborators-title">Collaborators</h2>
      <p class="hint">People invited to this repository. GitHub asks each of them to accept.</p>
      <CollaboratorList nav={p.nav} repository={p.repository} items={p.model.items} />
      <CollaboratorForm nav={p.nav} repository={p.repository} form={p.model.form} />
    </section>
  )
}

/** `oob`: sent along with another fragment, to replace the list wherever it is. */
export function CollaboratorList(p: { nav: Nav; repository: string; items: CollaboratorItem[]; oob?: boolean }) {
  const { nav, repository, items } = p
  return (
    <div
      id="collaborator-list"
      hx-swap-oob={p.oob ? 'true' : undefined}
      {...pollAny(
        nav.href(`repositories/${repository}`),
        items.map((i) => i.state),
      )}
    >
      {items.length === 0 ? (
        <p class="empty">No collaborators.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Collaborators</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Permission</th>
                <th scope="col">Invitation</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <CollaboratorRow nav={nav} repository={repository} item={item} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

function CollaboratorRow({ nav, repository, item }: { nav: Nav; repository: string; item: CollaboratorItem }) {
  const c = item.collaborator
  const name = c.metadata.name
  const user = c.spec.username
  const state = c.status?.state
  return (
    <tr id={`row-collaborator-${name}`}>
      <td>
        <strong safe>{user}</strong>
      </td>
      <td safe>{permissionLabels[c.spec.permission ?? 'pull']}</td>
      <td>
        {state === 'Invited' ? (
          <>
            <span class="badge warn">Invited</span>
            <span class="sub">
              expires <Time iso={c.status?.expiresAt} />
            </span>
          </>
        ) : state === 'Active' ? (
          <span class="badge ready">Active</span>
        ) : state === 'Expired' ? (
          <span class="badge failed">Expired</span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td>
        <StatusBadge state={item.state} />
      </td>
      <td class="actions">
        {c.metadata.deletionTimestamp ? (
          ''
        ) : (
          <DeleteAction
            id={`delete-collaborator-${name}`}
            label="Remove"
            accessibleLabel={`Remove collaborator ${user}`}
            action={nav.href(`repositories/${repository}/collaborators/${name}/delete`)}
            confirmPage={nav.href(`repositories/${repository}/collaborators/${name}/delete`)}
            question={`Remove ${user} from the repository? Their access (or pending invitation) ends on GitHub.`}
            target="#collaborator-list"
          />
        )}
      </td>
    </tr>
  )
}

export function CollaboratorForm(p: { nav: Nav; repository: string; form: CollaboratorFormModel; oob?: boolean }) {
  const action = p.nav.href(`repositories/${p.repository}/collaborators`)
  const f = { form: 'collaborator', errors: p.form.errors }
  return (
    <div id="collaborator-form" hx-swap-oob={p.oob ? 'true' : undefined}>
      <h3 class="spaced">Add a collaborator</h3>
      <form
        class="stack"
        method="post"
        action={action}
        hx-post={action}
        hx-target="#collaborator-form"
        hx-swap="outerHTML"
      >
        <Flash message={p.form.flash} />
        <ErrorSummary errors={p.form.errors} labels={collaboratorFieldLabels} />
        <div class="inline-form">
          <TextField {...f} name="username" label="GitHub username" value={p.form.values.username} required />
          <SelectField
            {...f}
            name="permission"
            label="Permission"
            value={p.form.values.permission || 'push'}
            options={Object.entries(permissionLabels).map(([value, label]) => ({ value, label }))}
            hint="Repositories of a personal account know only write access."
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            Add collaborator
          </button>
        </div>
      </form>
    </div>
  )
}
