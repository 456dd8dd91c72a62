// Deploy keys and collaborators belong to one repository (spec.repositoryRef) and are managed in
// a section of its page. The routes they share: add one (the kind builds and creates it), ask
// before deleting one when JavaScript is off, and delete it, as the caller. A child named in a
// URL counts only under the repository that URL names.
import { Elysia } from 'elysia'
import type { FieldErrors } from '../../views/components/form.tsx'
import type { Nav } from '../../views/layout.tsx'
import { ConfirmPage } from '../../views/pages/confirm.tsx'
import type { KubeObject } from '../apis/meta.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import type { FormBody } from './portal-forms.ts'
import { answerSection, type SectionForms } from './portal-repository-page.ts'
import { html, notFound, type PortalRequest, redirect, refused } from './portal-request.ts'
import { gone, settle, type WorkspaceState, workspaceState } from './portal-state.ts'

type Child = KubeObject<{ repositoryRef: string }>

/** A section's form as it comes back: the values, what is wrong with them, or what went through. */
export interface ChildForm {
  values: Record<string, string>
  errors?: FieldErrors
  flash?: string
}

/** The section's form again (`status` 422 with errors, or 200 blank with a flash, the list then out of band). */
export type AnswerWith = (form: ChildForm, status: number) => Promise<Response>

export interface RepositoryChildKind<T extends Child> {
  kind: 'DeployKey' | 'Collaborator'
  /** The path under `repositories/<name>/`: `keys`, `collaborators`. */
  segment: string
  /** In words, for "not found" and refusals: "deploy key". */
  noun: string
  /** The section's heading id, where a plain form post lands on the repository page. */
  anchor: string
  find(ws: WorkspaceState, name: string): T | undefined
  /** The repository page's forms, with this section's as it came back. */
  forms(form: ChildForm): SectionForms
  Form(p: { nav: Nav; repository: string; form: ChildForm; oob?: boolean }): JSX.Element
  List(p: { nav: Nav; repository: string; ws: WorkspaceState; oob?: boolean }): JSX.Element
  /** What the page that asks before a delete says. */
  confirm(child: T, repository: string): { title: string; consequence: string; button: string }
  /** Builds the child from the posted form and creates it as the caller. */
  add(req: PortalRequest, repository: string, body: FormBody, answer: AnswerWith): Promise<Response>
}

export function repositoryChildRoutes<T extends Child>(deps: PortalContext, c: RepositoryChildKind<T>) {
  const { open, write } = handlers(deps)
  const childOf = (req: PortalRequest, repository: string, name: string) => {
    const child = c.find(workspaceState(deps.runtime, req.cluster), name)
    return child?.spec.repositoryRef === repository ? child : undefined
  }

  const answer = (req: PortalRequest, repository: string) => (form: ChildForm, status: number) => {
    const ws = workspaceState(deps.runtime, req.cluster)
    return answerSection(req, ws, repository, {
      forms: c.forms(form),
      status,
      anchor: c.anchor,
      fragment: () => c.Form({ nav: req.nav, repository, form }),
      changed: () => c.List({ nav: req.nav, repository, ws, oob: true }),
    })
  }

  async function remove(req: PortalRequest, repository: string, name: string) {
    if (childOf(req, repository, name)) {
      try {
        await req.access.client.delete(resourceTypes[c.kind], name)
      } catch (e) {
        return refused(req, e, c.noun)
      }
      await settle(deps.runtime, req.cluster, c.kind, name, gone)
    }
    if (!req.htmx) return redirect(req, `repositories/${repository}`, c.anchor)
    // A fresh form too: its note about the one just added is stale now.
    const ws = workspaceState(deps.runtime, req.cluster)
    const list = await c.List({ nav: req.nav, repository, ws })
    return html(`${list}${await c.Form({ nav: req.nav, repository, form: { values: {} }, oob: true })}`)
  }

  return new Elysia()
    .post(`/repositories/:name/${c.segment}`, ({ request, params, body }) =>
      write(request, (req) => {
        if (!workspaceState(deps.runtime, req.cluster).repository(params.name)) {
          return notFound(req, `repository "${params.name}"`)
        }
        return c.add(req, params.name, body as FormBody, answer(req, params.name))
      }),
    )
    .get(`/repositories/:name/${c.segment}/:child/delete`, ({ request, params }) =>
      open(request, (req) => {
        const child = childOf(req, params.name, params.child)
        if (!child) return notFound(req, `${c.noun} "${params.child}"`)
        return html(
          ConfirmPage({
            ctx: req.ctx,
            section: 'repositories',
            ...c.confirm(child, params.name),
            action: req.nav.href(`repositories/${params.name}/${c.segment}/${params.child}/delete`),
            cancel: req.nav.href(`repositories/${params.name}`),
          }),
        )
      }),
    )
    .post(`/repositories/:name/${c.segment}/:child/delete`, ({ request, params }) =>
      write(request, (req) => remove(req, params.name, params.child)),
    )
}
