// Toolset `access`: who and what can reach a repository: deploy keys (machines) and collaborators
// (people). A generated private key stays in its Secret; tools name the Secret, never show it.
import { z } from 'zod'
import type { CollaboratorSpec, CollaboratorStatus } from '../../apis/v1alpha1/collaborator.ts'
import { permissions } from '../../apis/v1alpha1/collaborator.ts'
import type { DeployKeySpec, DeployKeyStatus } from '../../apis/v1alpha1/deploykey.ts'
import type { CodeKind } from '../../apis/v1alpha1/kinds.ts'
import { validateCodeObject } from '../../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import { invalidArguments, inWorkspace } from '../errors.ts'
import { requireRepository } from '../requires.ts'
import { Created, codeObject, compact, Deleted, isDeleting, isReady, readinessMessage } from '../shapes.ts'
import { creates, defineTool, type Obj, reads, removes, type ToolContext } from '../tool.ts'
import { objectName, repositoryRef } from './arguments.ts'

const forRepository = z.strictObject({
  repositoryRef: z.string().optional().describe('Only those on this Repository object.'),
})

async function listOf(ctx: ToolContext, kind: 'DeployKey' | 'Collaborator', repository?: string) {
  const items = await ctx.read.list<Obj>(kind)
  return repository ? items.filter((o) => (o.spec as { repositoryRef?: string }).repositoryRef === repository) : items
}

const common = (o: Obj) => ({ ready: isReady(o), deleting: isDeleting(o), message: readinessMessage(o) })

const DeployKeyOut = z.object({
  name: z.string(),
  repository: z.string(),
  title: z.string().optional(),
  readOnly: z.boolean(),
  keyID: z.string().optional(),
  fingerprint: z.string().optional(),
  publicKey: z.string().optional(),
  privateKeySecret: z
    .string()
    .optional()
    .describe('namespace/name of the Secret holding a generated private key (its content is never shown).'),
  ready: z.boolean(),
  deleting: z.boolean(),
  message: z.string(),
})

export const listDeployKeys = defineTool({
  name: 'list_deploy_keys',
  toolset: 'access',
  title: 'List deploy keys',
  description: 'List the SSH deploy keys declared in this workspace, optionally of one repository.',
  annotations: reads,
  input: forRepository,
  output: z.object({ deployKeys: z.array(DeployKeyOut) }),
  async run(a, ctx) {
    const keys = await listOf(ctx, 'DeployKey', a.repositoryRef)
    return {
      deployKeys: keys.map((k) => {
        const spec = k.spec as unknown as DeployKeySpec
        const status = (k.status ?? {}) as DeployKeyStatus
        return compact({
          name: k.metadata.name,
          repository: spec.repositoryRef,
          title: spec.title,
          readOnly: spec.readOnly ?? false,
          keyID: status.keyID,
          fingerprint: status.fingerprint,
          publicKey: status.publicKey ?? (spec.publicKey || undefined),
          privateKeySecret: status.secretRef
            ? `${status.secretRef.namespace || ctx.credentialsNamespace}/${status.secretRef.name}`
            : undefined,
          ...common(k),
        })
      }),
    }
  },
})

async function createChild(
  tool: string,
  kind: CodeKind,
  ctx: ToolContext,
  obj: Obj,
  fields: Record<string, string>,
): Promise<void> {
  const errors = validateCodeObject(kind, obj)
  if (errors.length > 0) throw invalidArguments(tool, errors, fields)
  await requireRepository(ctx, (obj.spec as { repositoryRef: string }).repositoryRef)
  await inWorkspace({ tool, kind, name: obj.metadata.name, verb: 'create', fields }, () =>
    ctx.client.create(resourceTypes[kind as 'DeployKey'], obj),
  )
}

async function deleteObject(tool: string, kind: 'DeployKey' | 'Collaborator', ctx: ToolContext, name: string) {
  const existed = await inWorkspace({ tool, kind, name, verb: 'delete' }, async () => {
    const found = await ctx.client.get(resourceTypes[kind], name)
    if (found) await ctx.client.delete(resourceTypes[kind], name)
    return found !== undefined
  })
  return existed
}

const deployKeyFields = {
  'metadata.name': 'name',
  'spec.repositoryRef': 'repositoryRef',
  'spec.title': 'title',
  'spec.publicKey': 'publicKey',
  'spec.readOnly': 'readOnly',
}

export const addDeployKey = defineTool({
  name: 'add_deploy_key',
  toolset: 'access',
  title: 'Add a deploy key',
  description:
    'Install an SSH deploy key on a repository. Give publicKey to bring your own, or omit it and the provider generates an ed25519 pair and keeps the private half in a Secret of this workspace (list_deploy_keys names it).',
  annotations: creates,
  input: z.strictObject({
    name: objectName('Name of the new DeployKey object.'),
    repositoryRef: repositoryRef(),
    title: z.string().max(255).optional().describe('Title on GitHub (default: name).'),
    publicKey: z.string().max(8192).optional().describe('OpenSSH public key, e.g. "ssh-ed25519 AAAA... ci".'),
    readOnly: z.boolean().default(false).describe('Without push access.'),
  }),
  output: Created,
  fields: deployKeyFields,
  async run(a, ctx) {
    const obj = codeObject(
      'DeployKey',
      a.name,
      compact({ repositoryRef: a.repositoryRef, title: a.title, publicKey: a.publicKey, readOnly: a.readOnly }),
    ) as Obj
    await createChild('add_deploy_key', 'DeployKey', ctx, obj, deployKeyFields)
    return {
      name: a.name,
      kind: 'DeployKey',
      created: true,
      message: `DeployKey "${a.name}" declared${a.publicKey ? '' : '; the provider generates the key pair'}. Call list_deploy_keys until ready is true.`,
    }
  },
})

export const removeDeployKey = defineTool({
  name: 'remove_deploy_key',
  toolset: 'access',
  title: 'Remove a deploy key',
  description: 'Delete a DeployKey object; the provider removes the key from GitHub (and a generated key Secret).',
  annotations: removes,
  input: z.strictObject({ name: objectName('DeployKey object to delete.') }),
  output: Deleted,
  async run(a, ctx) {
    const existed = await deleteObject('remove_deploy_key', 'DeployKey', ctx, a.name)
    return {
      name: a.name,
      kind: 'DeployKey',
      deleted: true,
      message: existed
        ? `DeployKey "${a.name}" is being removed from GitHub.`
        : `DeployKey "${a.name}" did not exist; nothing to do.`,
    }
  },
})

const CollaboratorOut = z.object({
  name: z.string(),
  repository: z.string(),
  username: z.string(),
  permission: z.string(),
  state: z.string().optional().describe('Invited (waiting for the user to accept), Active or Expired.'),
  expiresAt: z.string().optional(),
  ready: z.boolean(),
  deleting: z.boolean(),
  message: z.string(),
})

export const listCollaborators = defineTool({
  name: 'list_collaborators',
  toolset: 'access',
  title: 'List collaborators',
  description:
    'List the people given access to repositories in this workspace, optionally of one repository, with their invitation state.',
  annotations: reads,
  input: forRepository,
  output: z.object({ collaborators: z.array(CollaboratorOut) }),
  async run(a, ctx) {
    const items = await listOf(ctx, 'Collaborator', a.repositoryRef)
    return {
      collaborators: items.map((c) => {
        const spec = c.spec as unknown as CollaboratorSpec
        const status = (c.status ?? {}) as CollaboratorStatus
        return compact({
          name: c.metadata.name,
          repository: spec.repositoryRef,
          username: spec.username,
          permission: spec.permission ?? 'pull',
          state: status.state,
          expiresAt: status.state === 'Invited' ? status.expiresAt : undefined,
          ...common(c),
        })
      }),
    }
  },
})

const collaboratorFields = {
  'metadata.name': 'name',
  'spec.repositoryRef': 'repositoryRef',
  'spec.username': 'username',
  'spec.permission': 'permission',
}

/** `web-octo-cat` for repository web and user Octo_Cat: a valid object name. */
export const collaboratorName = (repository: string, username: string) =>
  `${repository}-${username}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 253)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')

export const addCollaborator = defineTool({
  name: 'add_collaborator',
  toolset: 'access',
  title: 'Add a collaborator',
  description:
    'Give a GitHub user access to a repository. GitHub sends an invitation (organization members get access at once); list_collaborators shows when it is accepted.',
  annotations: creates,
  input: z.strictObject({
    repositoryRef: repositoryRef(),
    username: z.string().min(1).max(100).describe('GitHub login.'),
    permission: z.enum(permissions).default('pull').describe('pull (default), triage, push, maintain or admin.'),
    name: z
      .string()
      .max(253)
      .optional()
      .describe('Name of the new Collaborator object (default: <repositoryRef>-<username>).'),
  }),
  output: Created,
  fields: collaboratorFields,
  async run(a, ctx) {
    const name = a.name ?? collaboratorName(a.repositoryRef, a.username)
    const obj = codeObject('Collaborator', name, {
      repositoryRef: a.repositoryRef,
      username: a.username,
      permission: a.permission,
    }) as Obj
    await createChild('add_collaborator', 'Collaborator', ctx, obj, collaboratorFields)
    return {
      name,
      kind: 'Collaborator',
      created: true,
      message: `Collaborator "${name}" declared: ${a.username} gets ${a.permission} access. Call list_collaborators to follow the invitation.`,
    }
  },
})

export const removeCollaborator = defineTool({
  name: 'remove_collaborator',
  toolset: 'access',
  title: 'Remove a collaborator',
  description: "Delete a Collaborator object; the provider revokes the user's access (or the pending invitation).",
  annotations: removes,
  input: z.strictObject({ name: objectName('Collaborator object to delete (see list_collaborators).') }),
  output: Deleted,
  async run(a, ctx) {
    const existed = await deleteObject('remove_collaborator', 'Collaborator', ctx, a.name)
    return {
      name: a.name,
      kind: 'Collaborator',
      deleted: true,
      message: existed
        ? `Collaborator "${a.name}" is being removed; access is revoked on GitHub.`
        : `Collaborator "${a.name}" did not exist; nothing to do.`,
    }
  },
})

export const accessTools = [
  listDeployKeys,
  addDeployKey,
  removeDeployKey,
  listCollaborators,
  addCollaborator,
  removeCollaborator,
]
