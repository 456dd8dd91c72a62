// Deploy keys of a repository: add one (generated or pasted, read-only by default) and delete
// one, as the caller. The list on the repository page polls itself while keys move.
import { randomBytes } from 'node:crypto'
import { Elysia } from 'elysia'
import { ConfirmPage } from '../../views/pages/confirm.tsx'
import { DeployKeyForm, type DeployKeyFormModel, DeployKeyList } from '../../views/pages/deploy-keys.tsx'
import type { DeployKey } from '../apis/v1alpha1/deploykey.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { type FormBody, fieldErrors, flag, slug, text, writeFailure } from './portal-forms.ts'
import { answerSection, deployKeysModel } from './portal-repository-page.ts'
import { html, notFound, type PortalRequest, redirect, refused } from './portal-request.ts'
import { gone, holds, settle, workspaceState } from './portal-state.ts'

const fields = {
  'metadata.name': 'title',
  'spec.title': 'title',
  'spec.publicKey': 'publicKey',
  'spec.readOnly': 'readOnly',
}

/** `<repository>-<title>-<6 hex>`: readable, and never the name of a key that exists. */
const keyName = (repository: string, title: string) =>
  `${repository.slice(0, 200)}-${slug(title) || 'key'}-${randomBytes(3).toString('hex')}`

export function portalDeployKeyRoutes(deps: PortalContext) {
  const { open, write } = handlers(deps)

  /** The form again (422 with errors, or blank with a flash) and, once added, the list out of band. */
  function answer(req: PortalRequest, repository: string, form: DeployKeyFormModel, status: number) {
    const ws = workspaceState(deps.runtime, req.cluster)
    return answerSection(req, ws, repository, {
      forms: { keyForm: form },
      status,
      anchor: 'deploy-keys-title',
      fragment: () => DeployKeyForm({ nav: req.nav, repository, form }),
      changed: () =>
        DeployKeyList({ nav: req.nav, repository, items: deployKeysModel(ws, repository).items, oob: true }),
    })
  }

  async function add(req: PortalRequest, repository: string, body: FormBody) {
    const values = {
      title: text(body, 'title'),
      publicKey: text(body, 'publicKey').replace(/\s+/g, ' '),
      readOnly: flag(body, 'readOnly'),
    }
    const key: DeployKey = {
      apiVersion: API_VERSION,
      kind: 'DeployKey',
      metadata: { name: keyName(repository, values.title) },
      spec: {
        repositoryRef: repository,
        ...(values.title ? { title: values.title } : {}),
        ...(values.publicKey ? { publicKey: values.publicKey } : {}),
        readOnly: values.readOnly === 'true',
      },
    }
    const errors = fieldErrors(validateCodeObject('DeployKey', key), fields)
    if (Object.keys(errors).length > 0) return answer(req, repository, { values, errors }, 422)
    let created: DeployKey
    try {
      created = await req.access.client.create(resourceTypes.DeployKey, key)
    } catch (e) {
      const f = writeFailure(e, fields, { kind: 'deploy key', name: key.metadata.name, nameField: 'title' })
      return answer(req, repository, { values, errors: f.errors }, f.status)
    }
    await settle(deps.runtime, req.cluster, 'DeployKey', key.metadata.name, holds(created))
    const what = values.publicKey ? 'Key added' : 'Key pair being generated'
    const flash = `${what}: ${values.title || key.metadata.name}. It is installed on GitHub in a moment.`
    return answer(req, repository, { values: {}, flash }, 200)
  }

  async function remove(req: PortalRequest, repository: string, name: string) {
    const ws = workspaceState(deps.runtime, req.cluster)
    if (ws.deployKey(name)?.spec.repositoryRef === repository) {
      try {
        await req.access.client.delete(resourceTypes.DeployKey, name)
      } catch (e) {
        return refused(req, e, 'deploy key')
      }
      await settle(deps.runtime, req.cluster, 'DeployKey', name, gone)
    }
    if (!req.htmx) return redirect(req, `repositories/${repository}`, 'deploy-keys-title')
    // A fresh form too: its note about the key just added is stale now.
    const list = await DeployKeyList({ nav: req.nav, repository, items: deployKeysModel(ws, repository).items })
    return html(`${list}${await DeployKeyForm({ nav: req.nav, repository, form: { values: {} }, oob: true })}`)
  }

  return new Elysia()
    .post('/repositories/:name/keys', ({ request, params, body }) =>
      write(request, (req) => {
        if (!workspaceState(deps.runtime, req.cluster).repository(params.name)) {
          return notFound(req, `repository "${params.name}"`)
        }
        return add(req, params.name, body as FormBody)
      }),
    )
    .get('/repositories/:name/keys/:key/delete', ({ request, params }) =>
      open(request, (req) => {
        const key = workspaceState(deps.runtime, req.cluster).deployKey(params.key)
        if (key?.spec.repositoryRef !== params.name) return notFound(req, `deploy key "${params.key}"`)
        const title = key.spec.title || params.key
        return html(
          ConfirmPage({
            ctx: req.ctx,
            section: 'repositories',
            title: `Delete deploy key ${title}`,
            consequence: `Machines that use the key "${title}" lose access to ${params.name}.`,
            action: req.nav.href(`repositories/${params.name}/keys/${params.key}/delete`),
            button: 'Delete deploy key',
            cancel: req.nav.href(`repositories/${params.name}`),
          }),
        )
      }),
    )
    .post('/repositories/:name/keys/:key/delete', ({ request, params }) =>
      write(request, (req) => remove(req, params.name, params.key)),
    )
}
