// Toolset `connections`: which git-host accounts this workspace can use. A token never passes
// through MCP: create_connection references a Secret the person created in the portal.
import { z } from 'zod'
import type { ConnectionSpec, ConnectionStatus } from '../../apis/v1alpha1/connection.ts'
import { validateCodeObject } from '../../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import { invalidArguments, inWorkspace } from '../errors.ts'
import { Created, codeObject, compact, conditionOf, Deleted, isDeleting, isReady, readinessMessage } from '../shapes.ts'
import { creates, defineTool, type Obj, reads, removes, ToolError } from '../tool.ts'
import { objectName } from './arguments.ts'

const ConnectionOut = z.object({
  name: z.string(),
  provider: z.string(),
  type: z.string(),
  owner: z.string().describe('Where repositories are created by default.'),
  baseURL: z.string().optional().describe('GitHub Enterprise API URL; absent for github.com.'),
  secretRef: z
    .string()
    .optional()
    .describe('namespace/name of the Secret holding the token (its data is never shown).'),
  login: z.string().optional().describe('Account the token authenticates as.'),
  scopes: z.array(z.string()).optional(),
  tokenKind: z.string().optional(),
  validated: z.boolean().describe('The token authenticated against the git host.'),
  ready: z.boolean(),
  deleting: z.boolean(),
  message: z.string().describe('Why it is (not) ready, from its status.'),
  disabledFeatures: z.array(z.object({ feature: z.string(), reason: z.string() })).optional(),
})

export function connectionOut(c: Obj, credentialsNamespace: string): z.input<typeof ConnectionOut> {
  const spec = c.spec as unknown as ConnectionSpec
  const status = (c.status ?? {}) as ConnectionStatus
  return compact({
    name: c.metadata.name,
    provider: spec.provider,
    type: spec.type,
    owner: spec.owner,
    baseURL: spec.baseURL || undefined,
    secretRef: spec.secretRef
      ? `${spec.secretRef.namespace || credentialsNamespace}/${spec.secretRef.name}`
      : undefined,
    login: status.login,
    scopes: status.scopes,
    tokenKind: status.tokenKind,
    validated: conditionOf(c, 'Validated')?.status === 'True',
    ready: isReady(c),
    deleting: isDeleting(c),
    message: readinessMessage(c),
    disabledFeatures: status.disabledFeatures?.map(({ feature, reason }) => ({ feature, reason })),
  })
}

export const listConnections = defineTool({
  name: 'list_connections',
  toolset: 'connections',
  title: 'List connections',
  description:
    'List the git-host connections (credentials) of this workspace: owner, login, whether the token validated, and why not. Repositories are created through a connection.',
  annotations: reads,
  input: z.strictObject({}),
  output: z.object({ connections: z.array(ConnectionOut) }),
  async run(_, ctx) {
    const items = await ctx.read.list<Obj>('Connection')
    return { connections: items.map((c) => connectionOut(c, ctx.credentialsNamespace)) }
  },
})

const connectionFields = {
  'metadata.name': 'name',
  'spec.owner': 'owner',
  'spec.secretRef.name': 'secretName',
  'spec.secretRef.namespace': 'secretNamespace',
  'spec.secretRef.key': 'secretKey',
  'spec.secretRef': 'secretName',
  'spec.type': 'type',
  'spec.provider': 'provider',
  'spec.baseURL': 'baseURL',
}

export const createConnection = defineTool({
  name: 'create_connection',
  toolset: 'connections',
  title: 'Create a connection',
  description:
    'Create a Connection that uses a token already stored in a Secret of this workspace. Tokens are never passed through MCP: a person stores the token in the portal ("Connect with GitHub" or a pasted token), then this tool can reference the Secret by name. The provider validates the token; call list_connections to see the result.',
  annotations: creates,
  input: z.strictObject({
    name: objectName('Name of the new Connection, e.g. github.'),
    owner: z.string().min(1).max(100).describe('GitHub organization or user that repositories are created under.'),
    secretName: objectName('Existing Secret holding the token.'),
    secretNamespace: z
      .string()
      .max(253)
      .optional()
      .describe('Namespace of the Secret (default: the provider default).'),
    secretKey: z.string().max(253).optional().describe('Data key of the token in the Secret (default: token).'),
    type: z.enum(['pat', 'oauth']).default('pat').describe('pat (personal access token) or oauth.'),
    provider: z.enum(['github']).default('github'),
    baseURL: z
      .string()
      .max(2048)
      .optional()
      .describe('GitHub Enterprise Server API URL, e.g. https://ghe.example.com/api/v3. Omit for github.com.'),
  }),
  output: Created,
  fields: connectionFields,
  async run(a, ctx) {
    const secretRef = compact({ name: a.secretName, namespace: a.secretNamespace, key: a.secretKey })
    const obj = codeObject(
      'Connection',
      a.name,
      compact({ provider: a.provider, type: a.type, owner: a.owner, secretRef, baseURL: a.baseURL }),
    )
    const errors = validateCodeObject('Connection', obj)
    if (errors.length > 0) throw invalidArguments('create_connection', errors, connectionFields)
    const namespace = a.secretNamespace || ctx.credentialsNamespace
    const secretThere = await ctx.read.secretExists(namespace, a.secretName)
    await inWorkspace({ tool: 'create_connection', kind: 'Connection', name: a.name, verb: 'create' }, () =>
      ctx.client.create(resourceTypes.Connection, obj),
    )
    const warnings =
      secretThere === false
        ? [
            `Secret ${namespace}/${a.secretName} does not exist yet: store the token in the portal (tokens never pass through MCP); the Connection validates once it exists`,
          ]
        : undefined
    return compact({
      name: a.name,
      kind: 'Connection',
      created: true,
      message: `Connection "${a.name}" created; the provider validates its token now. Call list_connections to see validated and login.`,
      warnings,
    })
  },
})

export const deleteConnection = defineTool({
  name: 'delete_connection',
  toolset: 'connections',
  title: 'Delete a connection',
  description:
    'Delete a Connection. Refused while repositories use it (unless force is true: they then stop being reconciled). Nothing is deleted on GitHub.',
  // Only the workspace changes: GitHub is not touched.
  annotations: { ...removes, openWorldHint: false },
  input: z.strictObject({
    name: objectName('Connection to delete.'),
    force: z.boolean().default(false).describe('Delete even though repositories still use it.'),
  }),
  output: Deleted,
  async run(a, ctx) {
    const users = (await ctx.read.list<Obj>('Repository')).filter(
      (r) => (r.spec as { connectionRef?: string }).connectionRef === a.name,
    )
    if (users.length > 0 && !a.force) {
      throw new ToolError(
        `Connection "${a.name}" is used by repositories ${users.map((r) => r.metadata.name).join(', ')}: delete them (delete_repository) first, or pass force: true`,
      )
    }
    const existed = await inWorkspace(
      { tool: 'delete_connection', kind: 'Connection', name: a.name, verb: 'delete' },
      async () => {
        const found = await ctx.client.get(resourceTypes.Connection, a.name)
        if (found) await ctx.client.delete(resourceTypes.Connection, a.name)
        return found !== undefined
      },
    )
    return {
      name: a.name,
      kind: 'Connection',
      deleted: true,
      message: existed
        ? `Connection "${a.name}" deleted. A token Secret it owns (from "Connect with GitHub") goes with it; a Secret you created stays.`
        : `Connection "${a.name}" did not exist; nothing to do.`,
    }
  },
})

export const connectionTools = [listConnections, createConnection, deleteConnection]
