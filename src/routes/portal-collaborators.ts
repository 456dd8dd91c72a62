// Collaborators of a repository: invite someone with a permission, and remove them (or their
// pending invitation), as the caller. The list on the repository page polls itself while people move.
import { randomBytes } from 'node:crypto'
import { Elysia } from 'elysia'
import { CollaboratorForm, type CollaboratorFormModel, CollaboratorList } from '../../views/pages/collaborators.tsx'
import { ConfirmPage } from '../../views/pages/confirm.tsx'
import type { Collaborator, Permission } from '../apis/v1alpha1/collaborator.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { addError, type FormBody, fieldErrors, slug, text, writeFailure } from './portal-forms.ts'
import { answerSection, collaboratorsModel } from './portal-repository-page.ts'
import { html, notFound, type PortalRequest, redirect, refused } from './portal-request.ts'
import { gone, holds, settle, workspaceState } from './portal-state.ts'

const fields = { 'metadata.name': 'username', 'spec.username': 'username', 'spec.permission': 'permission' }

export function portalCollaboratorRoutes(deps: PortalContext) {
  const { open, write } = handlers(deps)

  function answer(req: PortalRequest, repository: string, form: CollaboratorFormModel, status: number) {
    const ws = workspaceState(deps.runtime, req.cluster)
    return answerSection(req, ws, repository, {
      forms: { collaboratorForm: form },
      status,
      anchor: 'collaborators-title',
      fragment: () => CollaboratorForm({ nav: req.nav, repository, form }),
      changed: () =>
        CollaboratorList({ nav: req.nav, repository, items: collaboratorsModel(ws, repository).items, oob: true }),
    })
  }

  async function add(req: PortalRequest, repository: string, body: FormBody) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const values = { username: text(body, 'username'), permission: text(body, 'permission') || 'push' }
    // `<repository>-<user>`, with a suffix only if that name is taken by someone else's object.
    let name = `${repository.slice(0, 200)}-${slug(values.username) || 'user'}`
    if (ws.collaborator(name)) name = `${name}-${randomBytes(3).toString('hex')}`
    const collaborator: Collaborator = {
      apiVersion: API_VERSION,
      kind: 'Collaborator',
      metadata: { name },
      spec: { repositoryRef: repository, username: values.username, permission: values.permission as Permission },
    }
    const errors = fieldErrors(validateCodeObject('Collaborator', collaborator), fields)
    const already = ws
      .collaboratorsOf(repository)
      .find((c) => c.spec.username.toLowerCase() === values.username.toLowerCase() && !c.metadata.deletionTimestamp)
    if (already) addError(errors, 'username', `${already.spec.username} is a collaborator already.`)
    if (Object.keys(errors).length > 0) return answer(req, repository, { values, errors }, 422)
    let created: Collaborator
    try {
      created = await req.access.client.create(resourceTypes.Collaborator, collaborator)
    } catch (e) {
      const f = writeFailure(e, fields, { kind: 'collaborator', name, nameField: 'username' })
      return answer(req, repository, { values, errors: f.errors }, f.status)
    }
    await settle(deps.runtime, req.cluster, 'Collaborator', name, holds(created))
    const flash = `${values.username} is being invited; GitHub asks them to accept.`
    return answer(req, repository, { values: {}, flash }, 200)
  }

  async function remove(req: PortalRequest, repository: string, name: string) {
    const ws = workspaceState(deps.runtime, req.cluster)
    if (ws.collaborator(name)?.spec.repositoryRef === repository) {
      try {
        await req.access.client.delete(resourceTypes.Collaborator, name)
      } catch (e) {
        return refused(req, e, 'collaborator')
      }
      await settle(deps.runtime, req.cluster, 'Collaborator', name, gone)
    }
    if (!req.htmx) return redirect(req, `repositories/${repository}`, 'collaborators-title')
    // A fresh form too: its note about the person just invited is stale now.
    const list = await CollaboratorList({ nav: req.nav, repository, items: collaboratorsModel(ws, repository).items })
    return html(`${list}${await CollaboratorForm({ nav: req.nav, repository, form: { values: {} }, oob: true })}`)
  }

  return new Elysia()
    .post('/repositories/:name/collaborators', ({ request, params, body }) =>
      write(request, (req) => {
        if (!workspaceState(deps.runtime, req.cluster).repository(params.name)) {
          return notFound(req, `repository "${params.name}"`)
        }
        return add(req, params.name, body as FormBody)
      }),
    )
    .get('/repositories/:name/collaborators/:collaborator/delete', ({ request, params }) =>
      open(request, (req) => {
        const c = workspaceState(deps.runtime, req.cluster).collaborator(params.collaborator)
        if (c?.spec.repositoryRef !== params.name) return notFound(req, `collaborator "${params.collaborator}"`)
        return html(
          ConfirmPage({
            ctx: req.ctx,
            section: 'repositories',
            title: `Remove ${c.spec.username}`,
            consequence: `${c.spec.username} loses access to ${params.name} (or their pending invitation is withdrawn) on GitHub.`,
            action: req.nav.href(`repositories/${params.name}/collaborators/${params.collaborator}/delete`),
            button: 'Remove collaborator',
            cancel: req.nav.href(`repositories/${params.name}`),
          }),
        )
      }),
    )
    .post('/repositories/:name/collaborators/:collaborator/delete', ({ request, params }) =>
      write(request, (req) => remove(req, params.name, params.collaborator)),
    )
}
