// The repository page's models, shared by the routes that post to its sections (settings,
// connection, deploy keys, collaborators), and how such a post answers: the section again (with
// errors, or a flash plus the refreshed list out of band) for htmx; for a plain form, a redirect
// once done, or the whole page with the section as it came back.

import type { CollaboratorFormModel, CollaboratorsModel } from '../../views/pages/collaborators.tsx'
import type { DeployKeyFormModel, DeployKeysModel } from '../../views/pages/deploy-keys.tsx'
import type { ConnectionChoice, RepositoryItem } from '../../views/pages/repositories.tsx'
import {
  type ConnectionChangeModel,
  type RepositoryDetailModel,
  RepositoryDetailPage,
  type RepositoryStatusModel,
  type SettingsFormModel,
  settingsValues,
} from '../../views/pages/repository-detail.tsx'
import type { Repository } from '../apis/v1alpha1/repository.ts'
import { effectiveDeletionPolicy } from '../apis/v1alpha1/repository.ts'
import { html, notFound, type PortalRequest, redirect } from './portal-request.ts'
import type { WorkspaceState } from './portal-state.ts'

export const repositoryItem = (ws: WorkspaceState, repository: Repository): RepositoryItem => ({
  repository,
  state: ws.state('Repository', repository),
  policy: effectiveDeletionPolicy(repository),
})

/** Connections a repository can use (not being deleted), with whether they work yet. */
export const connectionChoices = (ws: WorkspaceState): ConnectionChoice[] =>
  ws
    .connections()
    .filter((c) => !c.metadata.deletionTimestamp)
    .map((c) => ({ name: c.metadata.name, owner: c.spec.owner, ready: ws.state('Connection', c).phase === 'ready' }))

export const deployKeysModel = (
  ws: WorkspaceState,
  repository: string,
  form?: DeployKeyFormModel,
): DeployKeysModel => ({
  items: ws.deployKeysOf(repository).map((key) => ({ key, state: ws.state('DeployKey', key) })),
  form: form ?? { values: {} },
})

export const collaboratorsModel = (
  ws: WorkspaceState,
  repository: string,
  form?: CollaboratorFormModel,
): CollaboratorsModel => ({
  items: ws.collaboratorsOf(repository).map((collaborator) => ({
    collaborator,
    state: ws.state('Collaborator', collaborator),
  })),
  form: form ?? { values: {} },
})

export const statusModel = (ws: WorkspaceState, repository: Repository): RepositoryStatusModel => ({
  repository,
  state: ws.state('Repository', repository),
  policy: effectiveDeletionPolicy(repository),
  connection: ws.connection(repository.spec.connectionRef),
})

/** Sections whose form came back (with errors, a flash or a question) instead of fresh. */
export interface SectionForms {
  settings?: SettingsFormModel
  change?: ConnectionChangeModel
  keyForm?: DeployKeyFormModel
  collaboratorForm?: CollaboratorFormModel
}

export function repositoryDetailModel(
  ws: WorkspaceState,
  repository: Repository,
  forms: SectionForms = {},
): RepositoryDetailModel {
  const name = repository.metadata.name
  return {
    ...statusModel(ws, repository),
    connections: connectionChoices(ws),
    settings: forms.settings ?? { values: settingsValues(repository) },
    change: forms.change ?? { value: repository.spec.connectionRef },
    keys: deployKeysModel(ws, name, forms.keyForm),
    collaborators: collaboratorsModel(ws, name, forms.collaboratorForm),
    packages: ws.packagesOf(name),
    crawl: ws.crawl(name),
  }
}

export interface SectionAnswer {
  /** What the section form says now. */
  forms: SectionForms
  status: number
  /** The section itself, for htmx. */
  fragment: () => JSX.Element
  /** Sent along after a change (out of band): the region the change shows up in. */
  changed?: () => JSX.Element
  /** Where a plain form post lands (an element id on the repository page). */
  anchor: string
  /** A 200 that still has something to ask (no redirect). */
  ask?: boolean
}

export async function answerSection(req: PortalRequest, ws: WorkspaceState, name: string, a: SectionAnswer) {
  if (!req.htmx) {
    if (a.status === 200 && !a.ask) return redirect(req, `repositories/${name}`, a.anchor)
    const repository = ws.repository(name)
    if (!repository) return notFound(req, `repository "${name}"`)
    return html(RepositoryDetailPage({ ctx: req.ctx, model: repositoryDetailModel(ws, repository, a.forms) }), a.status)
  }
  const parts = [await a.fragment(), a.status === 200 && a.changed ? await a.changed() : '']
  return html(parts.join(''), a.status)
}
