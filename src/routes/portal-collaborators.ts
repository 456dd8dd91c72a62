// Collaborators of a repository: invite someone with a permission, and remove them (or their
// pending invitation), as the caller. The list on the repository page polls itself while people move.
import { randomBytes } from 'node:crypto'
import { CollaboratorForm, CollaboratorList } from '../../views/pages/collaborators.tsx'
import type { Collaborator, Permission } from '../apis/v1alpha1/collaborator.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import type { PortalContext } from './portal-context.ts'
import { addError, type FormBody, fieldErrors, slug, text, writeFailure } from './portal-forms.ts'
import { type AnswerWith, repositoryChildRoutes } from './portal-repository-children.ts'
import { collaboratorsModel } from './portal-repository-page.ts'
import type { PortalRequest } from './portal-request.ts'
import { holds, settle, workspaceState } from './portal-state.ts'

const fields = { 'metadata.name': 'username', 'spec.username': 'username', 'spec.permission': 'permission' }

export function portalCollaboratorRoutes(deps: PortalContext) {
  async function add(req: PortalRequest, repository: string, body: FormBody, answer: AnswerWith) {
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
    if (Object.keys(errors).length > 0) return answer({ values, errors }, 422)
    let created: Collaborator
    try {
      created = await req.access.client.create(resourceTypes.Collaborator, collaborator)
    } catch (e) {
      const f = writeFailure(e, fields, { kind: 'collaborator', name, nameField: 'username' })
      return answer({ values, errors: f.errors }, f.status)
    }
    await settle(deps.runtime, req.cluster, 'Collaborator', name, holds(created))
    const flash = `${values.username} is being invited; GitHub asks them to accept.`
    return answer({ values: {}, flash }, 200)
  }

  return repositoryChildRoutes<Collaborator>(deps, {
    kind: 'Collaborator',
    segment: 'collaborators',
    noun: 'collaborator',
    anchor: 'collaborators-title',
    find: (ws, name) => ws.collaborator(name),
    forms: (collaboratorForm) => ({ collaboratorForm }),
    Form: CollaboratorForm,
    List: ({ ws, ...p }) => CollaboratorList({ ...p, items: collaboratorsModel(ws, p.repository).items }),
    confirm: (c, repository) => ({
      title: `Remove ${c.spec.username}`,
      consequence: `${c.spec.username} loses access to ${repository} (or their pending invitation is withdrawn) on GitHub.`,
      button: 'Remove collaborator',
    }),
    add,
  })
}
