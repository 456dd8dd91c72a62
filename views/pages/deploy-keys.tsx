// A repository's deploy keys: generated (the private half goes to a Secret) or pasted, read-only
// unless asked otherwise. The list polls itself while a key is being installed or removed.
import type { DeployKey } from '../../src/apis/v1alpha1/deploykey.ts'
import { CopyValue } from '../components/actions.tsx'
import { DeleteCell } from '../components/delete-action.tsx'
import { CheckField, type FieldErrors, TextAreaField, TextField } from '../components/form.tsx'
import { PolledList } from '../components/polled-list.tsx'
import { PostForm } from '../components/post-form.tsx'
import { type ResourceState, StatusBadge } from '../components/status.tsx'
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
  return (
    <PolledList
      id="deploy-key-list"
      url={nav.href(`repositories/${repository}`)}
      states={items.map((i) => i.state)}
      oob={p.oob}
      empty="No deploy keys."
      caption="Deploy keys"
      columns={['Key', 'Access', 'Status']}
    >
      {items.map((item) => (
        <DeployKeyRow nav={nav} repository={repository} item={item} />
      ))}
    </PolledList>
  )
}

function DeployKeyRow({ nav, repository, item }: { nav: Nav; repository: string; item: DeployKeyItem }) {
  const k = item.key
  const name = k.metadata.name
  const publicKey = k.status?.publicKey ?? k.spec.publicKey
  const secret = k.status?.secretRef
  const title = k.spec.title || name
  return (
    <tr id={`row-deploykey-${name}`}>
      <td>
        <strong safe>{title}</strong>
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
            <CopyValue value={publicKey} what={`public key of ${title}`} />
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
      <DeleteCell
        object={k}
        nav={nav}
        path={`repositories/${repository}/keys/${name}`}
        what="deploy key"
        shown={title}
        question={`Delete deploy key "${title}"? Machines using it lose access to the repository.`}
        target="#deploy-key-list"
      />
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
      <PostForm
        action={action}
        region="deploy-key-form"
        submit="Add deploy key"
        form={form}
        labels={deployKeyFieldLabels}
      >
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
      </PostForm>
    </div>
  )
}
