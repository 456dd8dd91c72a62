// A repository's collaborators: who has which permission, and whether they accepted yet. The
// list polls itself while someone is being added or removed.
import type { Collaborator, Permission } from '../../src/apis/v1alpha1/collaborator.ts'
import { DeleteCell } from '../components/delete-action.tsx'
import { type FieldErrors, SelectField, TextField } from '../components/form.tsx'
import { PolledList } from '../components/polled-list.tsx'
import { PostForm } from '../components/post-form.tsx'
import { type ResourceState, StatusBadge } from '../components/status.tsx'
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
    <PolledList
      id="collaborator-list"
      url={nav.href(`repositories/${repository}`)}
      states={items.map((i) => i.state)}
      oob={p.oob}
      empty="No collaborators."
      caption="Collaborators"
      columns={['User', 'Permission', 'Invitation', 'Status']}
    >
      {items.map((item) => (
        <CollaboratorRow nav={nav} repository={repository} item={item} />
      ))}
    </PolledList>
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
      <DeleteCell
        object={c}
        nav={nav}
        path={`repositories/${repository}/collaborators/${name}`}
        what="collaborator"
        shown={user}
        verb="Remove"
        question={`Remove ${user} from the repository? Their access (or pending invitation) ends on GitHub.`}
        target="#collaborator-list"
      />
    </tr>
  )
}

export function CollaboratorForm(p: { nav: Nav; repository: string; form: CollaboratorFormModel; oob?: boolean }) {
  const action = p.nav.href(`repositories/${p.repository}/collaborators`)
  const f = { form: 'collaborator', errors: p.form.errors }
  return (
    <div id="collaborator-form" hx-swap-oob={p.oob ? 'true' : undefined}>
      <h3 class="spaced">Add a collaborator</h3>
      <PostForm
        action={action}
        region="collaborator-form"
        submit="Add collaborator"
        form={p.form}
        labels={collaboratorFieldLabels}
      >
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
      </PostForm>
    </div>
  )
}
