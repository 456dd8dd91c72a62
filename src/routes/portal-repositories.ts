// Repositories: the searchable list (a page at a time), declaring a new one as the caller, and
// deleting one with the consequence of its deletion policy spelled out first.
import { Elysia } from 'elysia'
import { ConfirmPage } from '../../views/pages/confirm.tsx'
import {
  deletionConsequence,
  RepositoriesPage,
  RepositoryForm,
  type RepositoryFormModel,
  RepositoryList,
  type RepositoryListModel,
  RepositoryResults,
  RepositoryRow,
} from '../../views/pages/repositories.tsx'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { ANNOTATION_CLUSTER } from '../apis/v1alpha1/labels.ts'
import {
  type DeletionPolicy,
  deletionPolicies,
  effectiveDeletionPolicy,
  type Repository,
  type Visibility,
} from '../apis/v1alpha1/repository.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { addError, type FormBody, fieldErrors, flag, text, writeFailure } from './portal-forms.ts'
import { connectionChoices, repositoryItem } from './portal-repository-page.ts'
import { html, notFound, type PortalRequest, redirect, refused, render } from './portal-request.ts'
import { gone, holds, settle, type WorkspaceState, workspaceState } from './portal-state.ts'

export const PAGE_SIZE = 50

function listModel(ws: WorkspaceState, url: URL): RepositoryListModel {
  const q = (url.searchParams.get('q') ?? '').trim()
  // One case-insensitive pattern tests every field without a lower-cased copy of each.
  const needle = q && new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
  const all = ws.repositories()
  const matching = needle
    ? all.filter(
        (r) => needle.test(r.metadata.name) || needle.test(r.spec.name) || needle.test(r.spec.description ?? ''),
      )
    : all
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE))
  const page = Math.min(pages, Math.max(1, Math.floor(Number(url.searchParams.get('page'))) || 1))
  return {
    items: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => repositoryItem(ws, r)),
    matching: matching.length,
    total: all.length,
    q,
    page,
    pages,
  }
}

export function portalRepositoryListRoutes(deps: PortalContext) {
  const { open, write } = handlers(deps)

  function listPage(req: PortalRequest, form: RepositoryFormModel = { values: {} }, status = 200) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const list = listModel(ws, req.url)
    const connections = connectionChoices(ws)
    return render(
      req,
      () => RepositoriesPage({ ctx: req.ctx, list, connections, form }),
      {
        'repository-list': () => RepositoryList({ nav: req.nav, list }),
        'repository-results': () => RepositoryResults({ nav: req.nav, list }),
        'repository-form': () => RepositoryForm({ nav: req.nav, connections, form }),
      },
      status,
    )
  }

  async function create(req: PortalRequest, body: FormBody) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const values = {
      connection: text(body, 'connection'),
      name: text(body, 'name'),
      repoName: text(body, 'repoName'),
      visibility: text(body, 'visibility') || 'private',
      description: text(body, 'description'),
      autoInit: flag(body, 'autoInit'),
      adopt: flag(body, 'adopt'),
      deletionPolicy: text(body, 'deletionPolicy'),
    }
    const repository: Repository = {
      apiVersion: API_VERSION,
      kind: 'Repository',
      metadata: { name: values.name },
      spec: {
        connectionRef: values.connection,
        name: values.repoName || values.name,
        visibility: values.visibility as Visibility,
        ...(values.description ? { description: values.description } : {}),
        ...(values.autoInit === 'true' && values.adopt !== 'true' ? { autoInit: true } : {}),
        ...(values.adopt === 'true' ? { adopt: true } : {}),
        ...(values.deletionPolicy ? { deletionPolicy: values.deletionPolicy as DeletionPolicy } : {}),
      },
    }
    const fields = {
      'metadata.name': 'name',
      'spec.connectionRef': 'connection',
      'spec.name': values.repoName ? 'repoName' : 'name',
      'spec.visibility': 'visibility',
      'spec.description': 'description',
      'spec.autoInit': 'autoInit',
      'spec.adopt': 'adopt',
      'spec.deletionPolicy': 'deletionPolicy',
    }
    const errors = fieldErrors(validateCodeObject('Repository', repository), fields)
    if (values.deletionPolicy && !(deletionPolicies as readonly string[]).includes(values.deletionPolicy)) {
      errors.deletionPolicy ??= ['Choose one of the listed policies.']
    }
    if (!ws.connection(values.connection)) addError(errors, 'connection', 'Choose one of your connections.')
    if (values.name && ws.repository(values.name)) {
      addError(errors, 'name', `A repository named "${values.name}" exists already in this workspace.`)
    }
    if (Object.keys(errors).length > 0) return listPage(req, { values, errors }, 422)

    let created: Repository
    try {
      created = await req.access.client.create(resourceTypes.Repository, repository)
    } catch (e) {
      const f = writeFailure(e, fields, { kind: 'repository', name: values.name, nameField: 'name' })
      return listPage(req, { values, errors: f.errors }, f.status)
    }
    const cluster = created.metadata.annotations?.[ANNOTATION_CLUSTER] ?? req.cluster
    await settle(deps.runtime, cluster, 'Repository', values.name, holds(created))
    return redirect(req, `repositories/${values.name}`)
  }

  async function remove(req: PortalRequest, name: string) {
    if (workspaceState(deps.runtime, req.cluster).repository(name)) {
      try {
        await req.access.client.delete(resourceTypes.Repository, name)
      } catch (e) {
        return refused(req, e, 'repository')
      }
      await settle(deps.runtime, req.cluster, 'Repository', name, gone)
    }
    if (req.htmx && req.target.startsWith('row-')) {
      const ws = workspaceState(deps.runtime, req.cluster)
      const now = ws.repository(name)
      return html(now ? RepositoryRow({ nav: req.nav, item: repositoryItem(ws, now) }) : '')
    }
    return redirect(req, 'repositories')
  }

  return new Elysia()
    .get('/repositories', ({ request }) => open(request, (req) => listPage(req)))
    .post('/repositories', ({ request, body }) => write(request, (req) => create(req, body as FormBody)))
    .get('/repositories/:name/delete', ({ request, params }) =>
      open(request, (req) => {
        const r = workspaceState(deps.runtime, req.cluster).repository(params.name)
        if (!r) return notFound(req, `repository "${params.name}"`)
        return html(
          ConfirmPage({
            ctx: req.ctx,
            section: 'repositories',
            title: `Delete repository ${params.name}`,
            consequence: deletionConsequence(r, effectiveDeletionPolicy(r)),
            action: req.nav.href(`repositories/${params.name}/delete`),
            button: 'Delete repository',
            cancel: req.nav.href(`repositories/${params.name}`),
          }),
        )
      }),
    )
    .post('/repositories/:name/delete', ({ request, params }) => write(request, (req) => remove(req, params.name)))
}
