// Deploy keys of a repository: add one (generated or pasted, read-only by default) and delete
// one, as the caller. The list on the repository page polls itself while keys move.
import { randomBytes } from 'node:crypto'
import { DeployKeyForm, DeployKeyList } from '../../views/pages/deploy-keys.tsx'
import type { DeployKey } from '../apis/v1alpha1/deploykey.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import type { PortalContext } from './portal-context.ts'
import { type FormBody, fieldErrors, flag, slug, text, writeFailure } from './portal-forms.ts'
import { type AnswerWith, repositoryChildRoutes } from './portal-repository-children.ts'
import { deployKeysModel } from './portal-repository-page.ts'
import type { PortalRequest } from './portal-request.ts'
import { holds, settle } from './portal-state.ts'

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
  async function add(req: PortalRequest, repository: string, body: FormBody, answer: AnswerWith) {
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
    if (Object.keys(errors).length > 0) return answer({ values, errors }, 422)
    let created: DeployKey
    try {
      created = await req.access.client.create(resourceTypes.DeployKey, key)
    } catch (e) {
      const f = writeFailure(e, fields, { kind: 'deploy key', name: key.metadata.name, nameField: 'title' })
      return answer({ values, errors: f.errors }, f.status)
    }
    await settle(deps.runtime, req.cluster, 'DeployKey', key.metadata.name, holds(created))
    const what = values.publicKey ? 'Key added' : 'Key pair being generated'
    const flash = `${what}: ${values.title || key.metadata.name}. It is installed on GitHub in a moment.`
    return answer({ values: {}, flash }, 200)
  }

  return repositoryChildRoutes<DeployKey>(deps, {
    kind: 'DeployKey',
    segment: 'keys',
    noun: 'deploy key',
    anchor: 'deploy-keys-title',
    find: (ws, name) => ws.deployKey(name),
    forms: (keyForm) => ({ keyForm }),
    Form: DeployKeyForm,
    List: ({ ws, ...p }) => DeployKeyList({ ...p, items: deployKeysModel(ws, p.repository).items }),
    confirm(key, repository) {
      const title = key.spec.title || key.metadata.name
      return {
        title: `Delete deploy key ${title}`,
        consequence: `Machines that use the key "${title}" lose access to ${repository}.`,
        button: 'Delete deploy key',
      }
    },
    add,
  })
}
