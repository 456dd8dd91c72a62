// A repository's deploy keys: generated (the private half goes to a Secret) or pasted, read-only
// unless asked otherwise. The list polls itself while a key is being installed or removed.
import type { DeployKey } from '../../src/apis/v1alpha1/deploykey.ts'
import { CopyValue, DeleteAction } from '../components/actions.tsx'
import { CheckField, ErrorSummary, type FieldErrors, Flash, TextAreaField, TextField } from '../components/form.tsx'
import { pollAny, type ResourceState, StatusBadge } from '../components/status.tsx'
import type { Nav } from '../layout.tsx'

export interface DeployKeyItem {
  key: DeployKey
  state: ResourceState
}

export interface DeployKeyFormModel {
  values: Record<string, string>
  errors?: FieldErrors
  flash?: string
}

export interface DeployKeysModel {
  items: DeployKeyItem[]
  form: DeployKeyFormModel
}

export const deployKeyFieldLabels: Record<string, string> = {
  title: 'Title',
  publicKey: 'Public key',
  readOnly: 'Read-only',
}

export function DeployKeysSection(p: { nav: Nav; repository: string; model: DeployKeysModel }) {
  return (
    <section class="panel" aria-labelledby="deploy-keys-title">
      <h2 id="deploy-keys-title">Deploy keys</h2>
      <p class="hint">SSH keys that give one machine access to this repository only.</p>
      <DeployKeyList nav={p.nav} repository={p.repository} items={p.model.items} />
      <DeployKeyForm nav={p.nav} repository={p.repository} form={p.model.form} />
    </section>
  )
}

/** `oob`: sent along with another fragment, to replace the list wherever it is. */
export function DeployKeyList(p: { nav: Nav; repository: string; items: DeployKeyItem[]; oob?: boolean }) {
  const { nav, repository, items } = p
  const url = nav.href(`repositories/${repository}`)
  return (
    <div
      id="deploy-key-list"
      hx-swap-oob={p.oob ? 'true' : undefined}
      {...pollAny(
        url,
        items.map((i) => i.state),
      )}
    >
      {items.length === 0 ? (
        <p class="empty">No deploy keys.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Deploy keys</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Access</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <DeployKeyRow nav={nav} repository={repository} item={item} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

function DeployKeyRow({ nav, repository, item }: { nav: Nav; repository: string; item: DeployKeyItem }) {
  const k = item.key
  const name = k.metadata.name
  const publicKey = k.status?.publicKey ?? k.spec.publicKey
  const secret = k.status?.secretRef
  return (
    <tr id={`row-deploykey-${name}`}>
      <td>
        <strong safe>{k.spec.title || name}</strong>
        {k.status?.fingerprint ? (
          <span class="sub" safe>
            {k.status.fingerprint}
          </span>
        ) : (
          ''
        )}
        {publicKey ? (
          <details>
            <summary>Public key</summary>
            <CopyValue value={publicKey} what={`public key of ${k.spec.title || name}`} />
          </details>
        ) : (
          <span class="sub">The key pair is being generated.</span>
        )}
        {secret ? (
          <span class="sub">
            Private key in Secret <code safe>{`${secret.namespace ?? 'default'}/${secret.name}`}</code>
          </span>
        ) : k.spec.publicKey ? (
          <span class="sub">Your key: the private half stays with you.</span>
        ) : (
          ''
        )}
      </td>
      <td>
        <span class={`badge ${k.spec.readOnly === false ? 'warn' : 'idle'}`}>
          {k.spec.readOnly === false ? 'Read and write' : 'Read-only'}
        </span>
      </td>
      <td>
        <StatusBadge state={item.state} />
      </td>
      <td class="actions">
        {k.metadata.deletionTimestamp ? (
          ''
        ) : (
          <DeleteAction
            id={`delete-deploykey-${name}`}
            label="Delete"
            accessibleLabel={`Delete deploy key ${k.spec.title || name}`}
            action={nav.href(`repositories/${repository}/keys/${name}/delete`)}
            confirmPage={nav.href(`repositories/${repository}/keys/${name}/delete`)}
            question={`Delete deploy key "${k.spec.title || name}"? Machines using it lose access to the repository.`}
            target="#deploy-key-list"
          />
        )}
      </td>
    </tr>
  )
}

export function DeployKeyForm({
  nav,
  repository,
  form,
  oob,
}: {
  nav: Nav
  repository: string
  form: DeployKeyFormModel
  oob?: boolean
}) {
  const action = nav.href(`repositories/${repository}/keys`)
  const f = { form: 'deploy-key', errors: form.errors }
  return (
    <div id="deploy-key-form" hx-swap-oob={oob ? 'true' : undefined}>
      <h3 class="spaced">Add a deploy key</h3>
      <form
        class="stack"
        method="post"
        action={action}
        hx-post={action}
        hx-target="#deploy-key-form"
        hx-swap="outerHTML"
      >
        <Flash message={form.flash} />
        <ErrorSummary errors={form.errors} labels={deployKeyFieldLabels} />
        <TextField {...f} name="title" label="Title" value={form.values.title} hint="E.g. the machine that uses it." />
        <TextAreaField
          {...f}
          name="publicKey"
          label="Public key"
          optional
          value={form.values.publicKey}
          placeholder="ssh-ed25519 AAAA…"
          hint="Leave empty to have an ed25519 key pair generated; its private half is put in a Secret in this workspace."
        />
        <CheckField
          {...f}
          name="readOnly"
          label="Read-only"
          checked={form.values.readOnly !== 'false'}
          hint="Without it the key can push."
        />
        <div class="form-actions">
          <button type="submit" class="primary">
            Add deploy key
          </button>
        </div>
      </form>
    </div>
  )
}
