// Repositories: observe (by id when known: it survives renames), create under an organization or the
// authenticated user, update settings in the order GitHub needs, delete.

import type { OwnerKind } from '../../apis/v1alpha1/connection.ts'
import type {
  Observation,
  ObservedRepository,
  RepoRef,
  RepositoryCreate,
  RepositoryOps,
  RepositorySettings,
} from '../backend.ts'
import { isBackendError } from '../errors.ts'
import { refPath, type SessionContext, sameLogin } from './context.ts'
import { invalidInput } from './errors.ts'
import { planRepositoryUpdate, type RepositoryJSON, repositoryDiff, toObservedRepository } from './repository-diff.ts'

const full = (ref: RepoRef) => `${ref.owner}/${ref.name}`

export function repositoryOps(ctx: SessionContext): RepositoryOps {
  const { transport: t } = ctx

  const get = async (ref: RepoRef, background: boolean): Promise<ObservedRepository> => {
    const what = `read repository ${full(ref)}`
    const call = background ? ctx.call(what) : ctx.foreground(what)
    const res = await t.request<RepositoryJSON>('GET /repos/{owner}/{repo}', { owner: ref.owner, repo: ref.name }, call)
    return toObservedRepository(res.data)
  }

  const orNothing = async <T>(p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p
    } catch (e) {
      if (isBackendError(e) && e.code === 'not-found') return undefined
      throw e
    }
  }

  const putTopics = async (ref: RepoRef, names: string[]): Promise<string[]> => {
    const res = await t.request<{ names: string[] }>(
      'PUT /repos/{owner}/{repo}/topics',
      { owner: ref.owner, repo: ref.name, names },
      ctx.foreground(`set topics of ${full(ref)}`),
    )
    return res.data.names ?? names
  }

  const patch = async (ref: RepoRef, body: Record<string, unknown>, what: string): Promise<ObservedRepository> => {
    const res = await t.request<RepositoryJSON>(
      'PATCH /repos/{owner}/{repo}',
      { owner: ref.owner, repo: ref.name, ...body },
      ctx.foreground(`${what} ${full(ref)}`),
    )
    return toObservedRepository(res.data)
  }

  async function observe(
    ref: RepoRef,
    desired: RepositorySettings,
    known?: { id?: string },
  ): Promise<Observation<ObservedRepository>> {
    const observed = known?.id
      ? await orNothing(
          t
            .request<RepositoryJSON>(
              'GET /repositories/{id}',
              { id: known.id },
              ctx.call(`observe repository ${full(ref)} (id ${known.id})`),
            )
            .then((res) => toObservedRepository(res.data)),
        )
      : await orNothing(get(ref, true))
    if (!observed) return { exists: false }
    const diff = repositoryDiff(desired, observed)
    return { exists: true, upToDate: diff.length === 0, diff, observed }
  }

  async function create(
    owner: string,
    ownerKind: OwnerKind,
    desired: RepositoryCreate,
  ): Promise<{ observed: ObservedRepository; alreadyExisted: boolean }> {
    const what = `create repository ${owner}/${desired.name}`
    if (ownerKind === 'User') {
      const login = await ctx.authenticatedLogin()
      if (!sameLogin(login, owner)) {
        throw invalidInput(
          what,
          `${owner} is a user account, and this credential can only create repositories for ${login ?? 'organizations'}; use an organization owner or a credential of ${owner}`,
          'owner-not-authenticated-user',
        )
      }
      if (desired.visibility === 'internal') {
        throw invalidInput(what, 'internal visibility needs an organization owner', 'internal-needs-organization')
      }
    }
    let created: ObservedRepository
    try {
      created = desired.template ? await generate(owner, desired, what) : await post(owner, ownerKind, desired, what)
    } catch (e) {
      if (!isBackendError(e) || e.reason !== 'name-exists') throw e
      const existing = await orNothing(get({ owner, name: desired.name }, false))
      if (!existing) throw e
      return { observed: existing, alreadyExisted: true }
    }
    const ref = { owner: created.owner, name: created.name }
    if (desired.template && desired.visibility === 'internal' && created.visibility !== 'internal') {
      created = await patch(ref, { visibility: 'internal' }, 'make internal')
    }
    if (desired.topics?.length) created = { ...created, topics: await putTopics(ref, desired.topics) }
    return { observed: created, alreadyExisted: false }
  }

  async function post(owner: string, ownerKind: OwnerKind, d: RepositoryCreate, what: string) {
    const body = {
      name: d.name,
      description: d.description,
      homepage: d.homepage,
      private: d.visibility !== 'public',
      visibility: ownerKind === 'Organization' ? d.visibility : undefined,
      has_issues: d.hasIssues,
      has_wiki: d.hasWiki,
      has_projects: d.hasProjects,
      auto_init: d.autoInit,
      gitignore_template: d.gitignoreTemplate,
      license_template: d.licenseTemplate,
    }
    const res =
      ownerKind === 'Organization'
        ? await t.request<RepositoryJSON>('POST /orgs/{org}/repos', { org: owner, ...body }, ctx.foreground(what))
        : await t.request<RepositoryJSON>('POST /user/repos', body, ctx.foreground(what))
    return toObservedRepository(res.data)
  }

  async function generate(owner: string, d: RepositoryCreate, what: string) {
    const template = d.template!
    const res = await t.request<RepositoryJSON>(
      'POST /repos/{template_owner}/{template_repo}/generate',
      {
        template_owner: template.owner,
        template_repo: template.name,
        owner,
        name: d.name,
        description: d.description,
        private: d.visibility !== 'public',
        include_all_branches: template.includeAllBranches ?? false,
      },
      ctx.foreground(`${what} from template ${template.owner}/${template.name}`),
    )
    return toObservedRepository(res.data)
  }

  async function update(ref: RepoRef, changes: RepositorySettings): Promise<ObservedRepository> {
    const current = await get(ref, false)
    const plan = planRepositoryUpdate(current, changes)
    if (plan.branchToCheck) {
      await t.request(
        'GET /repos/{owner}/{repo}/branches/{+branch}',
        { owner: current.owner, repo: current.name, branch: refPath(plan.branchToCheck) },
        ctx.foreground(`check branch ${plan.branchToCheck} of ${full(ref)}`, {
          notFound: {
            code: 'invalid',
            reason: 'branch-not-found',
            message: `branch "${plan.branchToCheck}" does not exist, so it cannot be the default branch`,
          },
        }),
      )
    }
    let after = current
    let at: RepoRef = { owner: current.owner, name: current.name }
    if (plan.unarchiveFirst) after = await patch(at, { archived: false }, 'unarchive')
    if (Object.keys(plan.patch).length > 0) {
      after = await patch(at, plan.patch, 'update')
      at = { owner: after.owner, name: after.name }
    }
    if (plan.topics) after = { ...after, topics: await putTopics(at, plan.topics) }
    if (plan.archiveAfter) {
      const { topics } = after
      after = { ...(await patch(at, { archived: true }, 'archive')), topics }
    }
    return after
  }

  async function remove(ref: RepoRef): Promise<void> {
    await orNothing(
      t.request(
        'DELETE /repos/{owner}/{repo}',
        { owner: ref.owner, repo: ref.name },
        ctx.foreground(`delete repository ${full(ref)}`, { scope: 'delete_repo' }),
      ),
    )
  }

  return { observe, create, update, delete: remove }
}
