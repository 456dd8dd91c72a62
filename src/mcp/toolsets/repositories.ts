// Toolset `repositories`: declare, inspect, change and remove repositories. The provider does the
// GitHub work; these tools write the objects as the caller and read status and live actor state.
import { z } from 'zod'
import {
  deletionPolicies,
  type RepositorySpec,
  type RepositoryStatus,
  visibilities,
} from '../../apis/v1alpha1/repository.ts'
import { validateCodeObject } from '../../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import { invalidArguments, inWorkspace } from '../errors.ts'
import { requireRepository } from '../requires.ts'
import {
  ActorOut,
  actorOut,
  actorProblem,
  ConditionOut,
  Created,
  codeObject,
  compact,
  conditionsOut,
  Deleted,
  isDeleting,
  isReady,
  readinessMessage,
} from '../shapes.ts'
import { creates, defineTool, type Obj, reads, removes, ToolError, updates } from '../tool.ts'
import { objectName } from './arguments.ts'

const RepositoryOut = z.object({
  name: z.string().describe('Repository object name (what other tools call repositoryRef).'),
  connection: z.string(),
  repo: z.string().describe('Repository name on GitHub.'),
  fullName: z.string().optional().describe('owner/name on GitHub, once known.'),
  visibility: z.string().optional(),
  description: z.string().optional(),
  htmlURL: z.string().optional(),
  cloneURL: z.string().optional(),
  sshURL: z.string().optional(),
  defaultBranch: z.string().optional(),
  ready: z.boolean(),
  deleting: z.boolean(),
  message: z.string().describe('Why it is (not) ready, from its status.'),
})

function repositoryOut(r: Obj): z.input<typeof RepositoryOut> {
  const spec = r.spec as unknown as RepositorySpec
  const status = (r.status ?? {}) as RepositoryStatus
  return compact({
    name: r.metadata.name,
    connection: spec.connectionRef,
    repo: spec.name,
    fullName: status.fullName,
    visibility: status.visibility ?? spec.visibility,
    description: spec.description,
    htmlURL: status.htmlURL,
    cloneURL: status.cloneURL,
    sshURL: status.sshURL,
    defaultBranch: status.defaultBranch ?? spec.defaultBranch,
    ready: isReady(r),
    deleting: isDeleting(r),
    message: readinessMessage(r),
  })
}

export const listRepositories = defineTool({
  name: 'list_repositories',
  toolset: 'repositories',
  title: 'List repositories',
  description:
    'List the repositories declared in this workspace, sorted by name, with their GitHub URLs and readiness. Filter by connection or a name fragment; page with limit and after.',
  annotations: reads,
  input: z.strictObject({
    connection: z.string().optional().describe('Only repositories of this Connection.'),
    query: z.string().optional().describe('Only names (object or GitHub) containing this text, case-insensitive.'),
    limit: z.number().int().min(1).max(1000).default(100).describe('At most this many (default 100).'),
    after: z.string().optional().describe('Continue after this object name (the previous nextCursor).'),
  }),
  output: z.object({
    repositories: z.array(RepositoryOut),
    total: z.number().int().describe('How many match the filters, over all pages.'),
    nextCursor: z.string().optional().describe('Pass as after to get the next page.'),
  }),
  async run(a, ctx) {
    const q = a.query?.toLowerCase()
    const matching = (await ctx.read.list<Obj>('Repository')).filter((r) => {
      const spec = r.spec as unknown as RepositorySpec
      if (a.connection && spec.connectionRef !== a.connection) return false
      return !q || r.metadata.name.toLowerCase().includes(q) || spec.name.toLowerCase().includes(q)
    })
    const start = a.after ? matching.filter((r) => r.metadata.name <= a.after!).length : 0
    const page = matching.slice(start, start + a.limit)
    const more = start + page.length < matching.length
    return compact({
      repositories: page.map(repositoryOut),
      total: matching.length,
      nextCursor: more ? page.at(-1)?.metadata.name : undefined,
    })
  },
})

export const getRepository = defineTool({
  name: 'get_repository',
  toolset: 'repositories',
  title: 'Get a repository',
  description:
    'One repository in detail: spec, GitHub URLs, every condition, the live state of the actor reconciling it (e.g. waiting for its connection, backing off on a rate limit), and its deploy keys and collaborators. Call it after create_repository until ready is true.',
  annotations: reads,
  input: z.strictObject({ name: objectName('Repository object name.') }),
  output: RepositoryOut.extend({
    owner: z.string().optional().describe('Owner override; the connection owner when absent.'),
    topics: z.array(z.string()).optional(),
    archived: z.boolean().optional(),
    deletionPolicy: z.string().describe('What deleting the object does on GitHub.'),
    ownership: z.string().optional().describe('Created by the provider, or Adopted.'),
    conditions: z.array(ConditionOut),
    actor: ActorOut.optional(),
    problem: z.string().optional().describe('A rate-limit or permission problem, said plainly.'),
    deployKeys: z.array(z.string()).describe('DeployKey objects on this repository (see list_deploy_keys).'),
    collaborators: z.array(z.string()).describe('Collaborator objects on this repository (see list_collaborators).'),
  }),
  async run(a, ctx) {
    const r = await requireRepository(ctx, a.name)
    const spec = r.spec as unknown as RepositorySpec
    const status = (r.status ?? {}) as RepositoryStatus
    const on = (o: Obj) => (o.spec as { repositoryRef?: string }).repositoryRef === a.name
    const view = ctx.actor('Repository', a.name) ?? undefined
    const connectionView = ctx.actor('Connection', spec.connectionRef)
    return compact({
      ...repositoryOut(r),
      owner: spec.owner || undefined,
      topics: spec.topics,
      archived: status.archived ?? spec.archived,
      deletionPolicy: effectivePolicy(spec, status),
      ownership: status.ownership,
      conditions: conditionsOut(r),
      actor: actorOut(view),
      problem: actorProblem(view) ?? actorProblem(connectionView),
      deployKeys: (await ctx.read.list<Obj>('DeployKey')).filter(on).map((k) => k.metadata.name),
      collaborators: (await ctx.read.list<Obj>('Collaborator')).filter(on).map((c) => c.metadata.name),
    })
  },
})

const effectivePolicy = (spec: RepositorySpec, status: RepositoryStatus) =>
  spec.deletionPolicy ?? (status.ownership === 'Adopted' || spec.adopt ? 'Orphan' : 'Delete')

const repositoryFields = {
  'metadata.name': 'name',
  'spec.connectionRef': 'connectionRef',
  'spec.name': 'repo',
  'spec.owner': 'owner',
  'spec.visibility': 'visibility',
  'spec.description': 'description',
  'spec.homepage': 'homepage',
  'spec.topics': 'topics',
  'spec.defaultBranch': 'defaultBranch',
  'spec.autoInit': 'autoInit',
  'spec.archived': 'archived',
  'spec.adopt': 'adopt',
  'spec.deletionPolicy': 'deletionPolicy',
}

const settings = {
  visibility: z.enum(visibilities).optional().describe('private (default), public, or internal (organizations only).'),
  description: z.string().max(2048).optional(),
  homepage: z.string().max(2048).optional(),
  topics: z.array(z.string()).max(20).optional().describe('Lower-case letters, digits and "-".'),
  defaultBranch: z.string().max(255).optional(),
  deletionPolicy: z
    .enum(deletionPolicies)
    .optional()
    .describe('What deleting the object does on GitHub: Delete, Orphan (leave it) or Archive.'),
}

export const createRepository = defineTool({
  name: 'create_repository',
  toolset: 'repositories',
  title: 'Create a repository',
  description:
    'Declare a repository; the provider creates it on GitHub under the connection owner (or owner) and keeps it in line. Returns at once: call get_repository until ready is true. An existing GitHub repository is only taken over with adopt: true.',
  annotations: creates,
  input: z.strictObject({
    name: objectName('Name of the new Repository object.'),
    connectionRef: z.string().min(1).max(253).describe('Connection to create it with (see list_connections).'),
    repo: z.string().max(100).optional().describe('Name on GitHub (default: name).'),
    owner: z.string().max(100).optional().describe('Organization or user (default: the connection owner).'),
    autoInit: z
      .boolean()
      .default(true)
      .describe('Start with a README commit (default true), so files can be committed.'),
    adopt: z.boolean().optional().describe('Take over a repository that already exists on GitHub.'),
    ...settings,
  }),
  output: Created,
  fields: repositoryFields,
  async run(a, ctx) {
    const obj = codeObject(
      'Repository',
      a.name,
      compact({
        connectionRef: a.connectionRef,
        name: a.repo ?? a.name,
        owner: a.owner,
        autoInit: a.autoInit,
        adopt: a.adopt,
        visibility: a.visibility,
        description: a.description,
        homepage: a.homepage,
        topics: a.topics,
        defaultBranch: a.defaultBranch,
        deletionPolicy: a.deletionPolicy,
      }),
    )
    const errors = validateCodeObject('Repository', obj)
    if (errors.length > 0) throw invalidArguments('create_repository', errors, repositoryFields)
    const connection = await ctx.read.get<Obj>('Connection', a.connectionRef)
    if (!connection || isDeleting(connection)) {
      throw new ToolError(
        `connection "${a.connectionRef}" not found: call list_connections (or create_connection first)`,
      )
    }
    await inWorkspace(
      { tool: 'create_repository', kind: 'Repository', name: a.name, verb: 'create', fields: repositoryFields },
      () => ctx.client.create(resourceTypes.Repository, obj),
    )
    const warnings = isReady(connection)
      ? undefined
      : [
          `connection "${a.connectionRef}" is not Ready (${readinessMessage(connection)}): the repository is created once it is`,
        ]
    return compact({
      name: a.name,
      kind: 'Repository',
      created: true,
      message: `Repository "${a.name}" declared; the provider creates it on GitHub now. Call get_repository until ready is true.`,
      warnings,
    })
  },
})

export const updateRepository = defineTool({
  name: 'update_repository',
  toolset: 'repositories',
  title: 'Update a repository',
  description:
    'Change settings of a repository (only the arguments given). The provider applies them on GitHub; repo renames the GitHub repository, archived makes it read-only.',
  annotations: updates,
  input: z.strictObject({
    name: objectName('Repository object to change.'),
    repo: z.string().max(100).optional().describe('New name on GitHub (renames it).'),
    archived: z.boolean().optional().describe('Archive (read-only) or unarchive.'),
    hasIssues: z.boolean().optional(),
    hasWiki: z.boolean().optional(),
    hasProjects: z.boolean().optional(),
    ...settings,
  }),
  output: z.object({
    name: z.string(),
    updated: z.boolean(),
    changed: z.array(z.string()).describe('Arguments whose values changed.'),
    message: z.string(),
  }),
  fields: repositoryFields,
  async run(a, ctx) {
    const { name, repo, ...rest } = a
    const wanted: Record<string, unknown> = compact({ ...rest, name: repo })
    if (Object.keys(wanted).length === 0) {
      throw new ToolError(
        `Invalid arguments for update_repository: nothing to change; pass at least one of repo, ${[
          'visibility',
          'description',
          'homepage',
          'topics',
          'defaultBranch',
          'archived',
          'hasIssues',
          'hasWiki',
          'hasProjects',
          'deletionPolicy',
        ].join(', ')}`,
      )
    }
    const target = { tool: 'update_repository', kind: 'Repository', name, verb: 'update', fields: repositoryFields }
    const current = await inWorkspace(target, () => ctx.client.get<Obj>(resourceTypes.Repository, name))
    if (!current) throw new ToolError(`repository "${name}" not found: call list_repositories`)
    const changed = Object.keys(wanted).filter((k) => JSON.stringify(current.spec[k]) !== JSON.stringify(wanted[k]))
    const argName = (k: string) => (k === 'name' ? 'repo' : k)
    if (changed.length === 0) {
      return {
        name,
        updated: false,
        changed: [],
        message: 'Nothing changed: the repository already has these settings.',
      }
    }
    const next = { ...current, spec: { ...current.spec, ...wanted } }
    const errors = validateCodeObject('Repository', next, current)
    if (errors.length > 0) throw invalidArguments('update_repository', errors, repositoryFields)
    const patch = { spec: Object.fromEntries(changed.map((k) => [k, wanted[k]])) }
    await inWorkspace(target, () => ctx.client.patch(resourceTypes.Repository, name, patch))
    return {
      name,
      updated: true,
      changed: changed.map(argName),
      message: 'Saved; the provider applies the change on GitHub now. Call get_repository to follow it.',
    }
  },
})

export const deleteRepository = defineTool({
  name: 'delete_repository',
  toolset: 'repositories',
  title: 'Delete a repository',
  description:
    'Delete a Repository object. What happens on GitHub follows its deletionPolicy (get_repository shows it): Delete removes the GitHub repository, Orphan leaves it, Archive archives it.',
  annotations: removes,
  input: z.strictObject({ name: objectName('Repository object to delete.') }),
  output: Deleted,
  async run(a, ctx) {
    const target = { tool: 'delete_repository', kind: 'Repository', name: a.name, verb: 'delete' }
    const current = await inWorkspace(target, () => ctx.client.get<Obj>(resourceTypes.Repository, a.name))
    if (!current) {
      return {
        name: a.name,
        kind: 'Repository',
        deleted: true,
        message: `Repository "${a.name}" did not exist; nothing to do.`,
      }
    }
    await inWorkspace(target, () => ctx.client.delete(resourceTypes.Repository, a.name))
    const spec = current.spec as unknown as RepositorySpec
    const status = (current.status ?? {}) as RepositoryStatus
    const where = status.fullName ?? spec.name
    const effect = {
      Delete: `the GitHub repository ${where} is deleted`,
      Orphan: `the GitHub repository ${where} is left as it is`,
      Archive: `the GitHub repository ${where} is archived`,
    }[effectivePolicy(spec, status)]
    return {
      name: a.name,
      kind: 'Repository',
      deleted: true,
      message: `Repository "${a.name}" is being deleted; ${effect} (deletionPolicy).`,
    }
  },
})

export const repositoryTools = [listRepositories, getRepository, createRepository, updateRepository, deleteRepository]
