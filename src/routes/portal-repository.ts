// One repository: the detail page and its live regions, editing its settings (only what changed
// is patched, as the caller), and moving it to another connection (asking first when that
// connection has another owner).
import { Elysia } from 'elysia'
import type { FieldErrors } from '../../views/components/form.tsx'
import { CollaboratorList } from '../../views/pages/collaborators.tsx'
import { DeployKeyList } from '../../views/pages/deploy-keys.tsx'
import { PackageList } from '../../views/pages/packages.tsx'
import { RepositoryRow } from '../../views/pages/repositories.tsx'
import {
  type ConnectionChangeModel,
  RepositoryConnection,
  RepositoryDelete,
  RepositoryDetailPage,
  RepositoryGone,
  RepositorySettings,
  RepositoryStatus,
  settingsValues,
} from '../../views/pages/repository-detail.tsx'
import type { Repository, RepositorySpec } from '../apis/v1alpha1/repository.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { addError, type FormBody, fieldErrors, flag, text, writeFailure } from './portal-forms.ts'
import {
  answerSection,
  repositoryDetailModel,
  repositoryItem,
  type SectionForms,
  statusModel,
} from './portal-repository-page.ts'
import { html, notFound, type PortalRequest, redirect, render } from './portal-request.ts'
import { holds, settle, workspaceState } from './portal-state.ts'

const settingFields = {
  'spec.description': 'description',
  'spec.homepage': 'homepage',
  'spec.visibility': 'visibility',
  'spec.topics': 'topics',
  'spec.hasIssues': 'hasIssues',
  'spec.hasWiki': 'hasWiki',
  'spec.hasProjects': 'hasProjects',
  'spec.archived': 'archived',
  'spec.defaultBranch': 'defaultBranch',
}

/** The spec fields a submitted settings form changes; null removes a field (merge patch). */
export function settingsChanges(repo: Repository, body: FormBody): Partial<Record<keyof RepositorySpec, unknown>> {
  const before = settingsValues(repo)
  const after: Record<string, string> = {
    description: text(body, 'description'),
    homepage: text(body, 'homepage'),
    visibility: text(body, 'visibility') || 'private',
    topics: text(body, 'topics'),
    defaultBranch: text(body, 'defaultBranch'),
    hasIssues: flag(body, 'hasIssues'),
    hasWiki: flag(body, 'hasWiki'),
    hasProjects: flag(body, 'hasProjects'),
    archived: flag(body, 'archived'),
  }
  const topics = (s: string) => s.split(/[\s,]+/).filter(Boolean)
  const changes: Partial<Record<keyof RepositorySpec, unknown>> = {}
  for (const [key, value] of Object.entries(after)) {
    if (key === 'topics') {
      if (topics(value).join(',') !== topics(before.topics ?? '').join(',')) changes.topics = topics(value)
    } else if (value !== before[key]) {
      const k = key as keyof RepositorySpec
      if (['hasIssues', 'hasWiki', 'hasProjects', 'archived'].includes(key)) changes[k] = value === 'true'
      // An empty default branch means "whatever GitHub has": stop managing it rather than ask for "".
      else if (key === 'defaultBranch' && value === '') changes[k] = null
      else changes[k] = value
    }
  }
  return changes
}

function applyMergePatch(repo: Repository, changes: Record<string, unknown>): Repository {
  const spec: Record<string, unknown> = { ...repo.spec }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete spec[k]
    else spec[k] = v
  }
  return { ...repo, spec: spec as RepositorySpec }
}

export function portalRepositoryRoutes(deps: PortalContext) {
  const { open, write } = handlers(deps)

  function detail(req: PortalRequest, name: string) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const repository = ws.repository(name)
    if (!repository) {
      if (req.target === 'repository-status') return html(RepositoryGone({ nav: req.nav, name }))
      if (req.htmx) return html('')
      return notFound(req, `repository "${name}"`)
    }
    const nav = req.nav
    const model = repositoryDetailModel(ws, repository)
    return render(req, () => RepositoryDetailPage({ ctx: req.ctx, model }), {
      // The delete section's words depend on the same state, so it rides along.
      'repository-status': async () =>
        `${await RepositoryStatus({ nav, model })}${await RepositoryDelete({ nav, model, oob: true })}`,
      'row-repository-*': () => RepositoryRow({ nav, item: repositoryItem(ws, repository) }),
      'deploy-key-list': () => DeployKeyList({ nav, repository: name, items: model.keys.items }),
      'collaborator-list': () => CollaboratorList({ nav, repository: name, items: model.collaborators.items }),
      'package-list': () => PackageList({ nav, repository: name, packages: model.packages, crawl: model.crawl }),
    })
  }

  /** A section form after a post: the form again and, once saved, the live status out of band. */
  function answer(
    req: PortalRequest,
    name: string,
    target: 'repository-settings' | 'repository-connection',
    forms: SectionForms,
    status: number,
  ) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const current = () => ws.repository(name)!
    const model = () => repositoryDetailModel(ws, current(), forms)
    return answerSection(req, ws, name, {
      forms,
      status,
      anchor: target,
      ask: forms.change?.confirm !== undefined,
      fragment: () =>
        target === 'repository-settings'
          ? RepositorySettings({ nav: req.nav, repository: current(), form: model().settings })
          : RepositoryConnection({
              nav: req.nav,
              repository: current(),
              connections: model().connections,
              form: model().change,
            }),
      changed: async () => {
        const model = statusModel(ws, current())
        return `${await RepositoryStatus({ nav: req.nav, model, oob: true })}${await RepositoryDelete({ nav: req.nav, model, oob: true })}`
      },
    })
  }

  async function patch(req: PortalRequest, repository: Repository, changes: Record<string, unknown>) {
    const updated = await req.access.client.patch<Repository>(resourceTypes.Repository, repository.metadata.name, {
      spec: changes,
    })
    await settle(deps.runtime, req.cluster, 'Repository', repository.metadata.name, holds(updated))
  }

  async function saveSettings(req: PortalRequest, name: string, body: FormBody) {
    const repository = workspaceState(deps.runtime, req.cluster).repository(name)
    if (!repository) return notFound(req, `repository "${name}"`)
    const values = {
      ...settingsValues(repository),
      ...Object.fromEntries(Object.keys(settingFields).map((f) => [f.slice(5), text(body, f.slice(5))])),
      hasIssues: flag(body, 'hasIssues'),
      hasWiki: flag(body, 'hasWiki'),
      hasProjects: flag(body, 'hasProjects'),
      archived: flag(body, 'archived'),
    }
    const changes = settingsChanges(repository, body)
    if (Object.keys(changes).length === 0) {
      return answer(req, name, 'repository-settings', { settings: { values, flash: 'Nothing changed.' } }, 200)
    }
    const errors: FieldErrors = fieldErrors(
      validateCodeObject('Repository', applyMergePatch(repository, changes), repository),
      settingFields,
    )
    if (Object.keys(errors).length > 0) {
      return answer(req, name, 'repository-settings', { settings: { values, errors } }, 422)
    }
    try {
      await patch(req, repository, changes)
    } catch (e) {
      const f = writeFailure(e, settingFields, { kind: 'repository', name, nameField: '' })
      return answer(req, name, 'repository-settings', { settings: { values, errors: f.errors } }, f.status)
    }
    const saved = workspaceState(deps.runtime, req.cluster).repository(name) ?? repository
    const flash = `Saved: ${Object.keys(changes).join(', ')}. The provider is applying it on GitHub.`
    return answer(req, name, 'repository-settings', { settings: { values: settingsValues(saved), flash } }, 200)
  }

  async function changeConnection(req: PortalRequest, name: string, body: FormBody) {
    const ws = workspaceState(deps.runtime, req.cluster)
    const repository = ws.repository(name)
    if (!repository) return notFound(req, `repository "${name}"`)
    const to = text(body, 'connection')
    const form = (m: Omit<ConnectionChangeModel, 'value'>, status: number, value = to) =>
      answer(req, name, 'repository-connection', { change: { value, ...m } }, status)
    if (to === repository.spec.connectionRef) return form({ flash: `Already managed with ${to}.` }, 200)
    const target = ws.connection(to)
    if (!target) return form({ errors: addError({}, 'connection', 'Choose one of your connections.') }, 422)
    const current = ws.connection(repository.spec.connectionRef)
    const ownerMoves =
      !repository.spec.owner && current && current.spec.owner.toLowerCase() !== target.spec.owner.toLowerCase()
    if (ownerMoves && text(body, 'confirm') !== 'yes') {
      const where = repository.status?.fullName ?? `${current.spec.owner}/${repository.spec.name}`
      const warning = `Connection "${to}" belongs to ${target.spec.owner}, not ${current.spec.owner}. Switching may create a new repository ${target.spec.owner}/${repository.spec.name}; ${where} is left as it is and no longer managed here.`
      return form({ confirm: { to, warning } }, 200)
    }
    try {
      await patch(req, repository, { connectionRef: to })
    } catch (e) {
      const f = writeFailure(e, { 'spec.connectionRef': 'connection' }, { kind: 'repository', name, nameField: '' })
      return form({ errors: f.errors }, f.status)
    }
    return form({ flash: `Now managed with ${to}.` }, 200)
  }

  // The address a plain form post leaves in the browser: reloading or sharing it shows the page.
  const back = (section: string) => (request: Request, name: string) =>
    open(request, (req) => redirect(req, `repositories/${name}`, section))

  return new Elysia()
    .get('/repositories/:name', ({ request, params }) => open(request, (req) => detail(req, params.name)))
    .get('/repositories/:name/settings', ({ request, params }) => back('repository-settings')(request, params.name))
    .get('/repositories/:name/connection', ({ request, params }) => back('repository-connection')(request, params.name))
    .get('/repositories/:name/keys', ({ request, params }) => back('deploy-keys-title')(request, params.name))
    .get('/repositories/:name/collaborators', ({ request, params }) =>
      back('collaborators-title')(request, params.name),
    )
    .post('/repositories/:name/settings', ({ request, params, body }) =>
      write(request, (req) => saveSettings(req, params.name, body as FormBody)),
    )
    .post('/repositories/:name/connection', ({ request, params, body }) =>
      write(request, (req) => changeConnection(req, params.name, body as FormBody)),
    )
}
