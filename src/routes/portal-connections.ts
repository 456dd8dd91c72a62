// Connections: list, add with a token (the Secret first, then the Connection, both as the
// caller; the Secret is then owned by the Connection), detail, delete.
import { Elysia } from 'elysia'
import type { FieldErrors } from '../../views/components/form.tsx'
import { ConfirmPage } from '../../views/pages/confirm.tsx'
import {
  ConnectionDetail,
  type ConnectionDetailModel,
  ConnectionDetailPage,
  ConnectionGone,
} from '../../views/pages/connection-detail.tsx'
import {
  ConnectionForm,
  type ConnectionFormModel,
  type ConnectionItem,
  ConnectionList,
  ConnectionRow,
  ConnectionsPage,
  deleteConnectionQuestion,
} from '../../views/pages/connections.tsx'
import type { KubeObject } from '../apis/meta.ts'
import type { Connection } from '../apis/v1alpha1/connection.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { ANNOTATION_CLUSTER, SECRET_KEYS } from '../apis/v1alpha1/labels.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { addError, type FormBody, fieldErrors, text, writeFailure } from './portal-forms.ts'
import { html, notFound, type PortalRequest, redirect, refused, render } from './portal-request.ts'
import { gone, holds, settle, workspaceState } from './portal-state.ts'

/** Validation paths of a Connection → the add form's fields. */
const fields = { 'metadata.name': 'name', 'spec.owner': 'owner', 'spec.baseURL': 'baseURL' }

/** Whether `baseURL` is the GitHub sandbox this provider runs (`host:port` from config). */
export function pointsAtSandbox(baseURL: string | undefined, sandboxAddr: string): boolean {
  if (!baseURL) return false
  const local = (h: string) => ['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0', ''].includes(h)
  try {
    const u = new URL(baseURL)
    const i = sandboxAddr.lastIndexOf(':')
    const host = sandboxAddr.slice(0, i)
    const port = sandboxAddr.slice(i + 1)
    return u.port === port && (u.hostname === host || (local(u.hostname) && local(host)))
  } catch {
    return false
  }
}

export function portalConnectionRoutes(deps: PortalContext) {
  const oauth = deps.config.oauth ? { startURL: deps.config.oauth.startURL } : undefined
  const blankForm = (): ConnectionFormModel => ({ values: {}, oauth })

  function items(req: PortalRequest): ConnectionItem[] {
    const ws = workspaceState(deps.runtime, req.cluster)
    const users = new Map<string, string[]>()
    for (const r of ws.repositories()) {
      const list = users.get(r.spec.connectionRef) ?? []
      list.push(r.metadata.name)
      users.set(r.spec.connectionRef, list)
    }
    return ws.connections().map((connection) => ({
      connection,
      state: ws.state('Connection', connection),
      repositories: users.get(connection.metadata.name) ?? [],
    }))
  }

  function item(req: PortalRequest, connection: Connection): ConnectionItem {
    const ws = workspaceState(deps.runtime, req.cluster)
    return {
      connection,
      state: ws.state('Connection', connection),
      repositories: ws.repositoriesUsing(connection.metadata.name),
    }
  }

  function detailModel(req: PortalRequest, connection: Connection): ConnectionDetailModel {
    const ref = connection.spec.secretRef
    return {
      ...item(req, connection),
      sandbox: pointsAtSandbox(connection.spec.baseURL, deps.config.sandboxAddr),
      secret: ref && {
        name: ref.name,
        namespace: ref.namespace || deps.config.credentialsNamespace,
        key: ref.key || SECRET_KEYS.token,
      },
    }
  }

  function listPage(req: PortalRequest, form = blankForm(), status = 200) {
    const all = items(req)
    return render(
      req,
      () => ConnectionsPage({ ctx: req.ctx, items: all, form }),
      {
        'connection-list': () => ConnectionList({ nav: req.nav, items: all }),
        'connection-form': () => ConnectionForm({ nav: req.nav, form }),
      },
      status,
    )
  }

  async function create(req: PortalRequest, body: FormBody) {
    const values = { name: text(body, 'name'), owner: text(body, 'owner'), baseURL: text(body, 'baseURL') }
    const token = text(body, 'token')
    const namespace = deps.config.credentialsNamespace
    const connection: Connection = {
      apiVersion: API_VERSION,
      kind: 'Connection',
      metadata: { name: values.name },
      spec: {
        provider: 'github',
        type: 'pat',
        owner: values.owner,
        secretRef: { name: 'pending', namespace, key: SECRET_KEYS.token },
        ...(values.baseURL ? { baseURL: values.baseURL } : {}),
      },
    }
    const errors: FieldErrors = fieldErrors(validateCodeObject('Connection', connection), fields)
    if (!token) addError(errors, 'token', 'Enter the token.')
    else if (/\s/.test(token)) addError(errors, 'token', 'A token has no spaces: check what was pasted.')
    if (values.name && workspaceState(deps.runtime, req.cluster).connection(values.name)) {
      addError(errors, 'name', `A connection named "${values.name}" exists already: choose another name.`)
    }
    const again = (errs: FieldErrors, status: number) => listPage(req, { values, errors: errs, oauth }, status)
    if (Object.keys(errors).length > 0) return again(errors, 422)

    const client = req.access.client
    const what = { kind: 'connection', name: values.name, nameField: 'name' }
    let secret: KubeObject
    try {
      secret = await client.create(resourceTypes.Secret, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          generateName: `${values.name.slice(0, 40)}-token-`,
          namespace,
          labels: { 'app.kubernetes.io/managed-by': 'code-provider-portal' },
        },
        type: 'Opaque',
        stringData: { [SECRET_KEYS.token]: token },
      } as unknown as KubeObject)
    } catch (e) {
      const f = writeFailure(e, {}, { ...what, kind: 'Secret' })
      return again(f.errors, f.status)
    }
    const secretName = secret.metadata.name
    connection.spec.secretRef = { name: secretName, namespace, key: SECRET_KEYS.token }
    let created: Connection
    try {
      created = await client.create(resourceTypes.Connection, connection)
    } catch (e) {
      // Nothing half-made stays behind: the token goes with the refused connection.
      await client.delete(resourceTypes.Secret, secretName, namespace).catch((err: Error) => {
        deps.logger.warn('could not remove the token Secret of a refused connection', { error: err.message })
      })
      const f = writeFailure(e, fields, what)
      return again(f.errors, f.status)
    }
    const owner = { apiVersion: API_VERSION, kind: 'Connection', name: values.name, uid: created.metadata.uid! }
    await client
      .patch(resourceTypes.Secret, secretName, { metadata: { ownerReferences: [owner] } }, { namespace })
      .catch((err: Error) => {
        deps.logger.warn('token Secret left without its owner reference', { secret: secretName, error: err.message })
      })
    const cluster = created.metadata.annotations?.[ANNOTATION_CLUSTER] ?? req.cluster
    await settle(deps.runtime, cluster, 'Connection', values.name, holds(created))
    return redirect(req, `connections/${values.name}`)
  }

  async function remove(req: PortalRequest, name: string) {
    const connection = workspaceState(deps.runtime, req.cluster).connection(name)
    if (connection) {
      try {
        await req.access.client.delete(resourceTypes.Connection, name)
      } catch (e) {
        return refused(req, e, 'connection')
      }
      await settle(deps.runtime, req.cluster, 'Connection', name, gone)
    }
    if (req.htmx && req.target.startsWith('row-')) {
      const now = workspaceState(deps.runtime, req.cluster).connection(name)
      return html(now ? ConnectionRow({ nav: req.nav, item: item(req, now) }) : '')
    }
    return redirect(req, 'connections')
  }

  const { open, write } = handlers(deps)

  return new Elysia()
    .get('/', ({ request }) => open(request, (req) => listPage(req)))
    .get('/connections', ({ request }) => open(request, (req) => listPage(req)))
    .post('/connections', ({ request, body }) => write(request, (req) => create(req, body as FormBody)))
    .get('/connections/:name', ({ request, params }) =>
      open(request, (req) => {
        const c = workspaceState(deps.runtime, req.cluster).connection(params.name)
        if (!c) {
          if (req.target.startsWith('row-')) return html('')
          if (req.target === 'connection-detail') return html(ConnectionGone({ nav: req.nav, name: params.name }))
          return notFound(req, `connection "${params.name}"`)
        }
        const model = detailModel(req, c)
        return render(req, () => ConnectionDetailPage({ ctx: req.ctx, model }), {
          'connection-detail': () => ConnectionDetail({ nav: req.nav, model }),
          'row-connection-*': () => ConnectionRow({ nav: req.nav, item: model }),
        })
      }),
    )
    .get('/connections/:name/delete', ({ request, params }) =>
      open(request, (req) => {
        const ws = workspaceState(deps.runtime, req.cluster)
        if (!ws.connection(params.name)) return notFound(req, `connection "${params.name}"`)
        return html(
          ConfirmPage({
            ctx: req.ctx,
            section: 'connections',
            title: `Delete connection ${params.name}`,
            consequence: deleteConnectionQuestion(params.name, ws.repositoriesUsing(params.name)),
            action: req.nav.href(`connections/${params.name}/delete`),
            button: 'Delete connection',
            cancel: req.nav.href(`connections/${params.name}`),
          }),
        )
      }),
    )
    .post('/connections/:name/delete', ({ request, params }) => write(request, (req) => remove(req, params.name)))
}
