// MCP end to end: the SDK's own Client, over streamable HTTP and legacy SSE, against the main app
// on a real listener, in front of the embedded API server, the runtime and the GitHub sandbox.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { KubeObject } from '../../src/apis/meta.ts'
import { resourceTypes } from '../../src/cluster/cluster.ts'
import { allTools } from '../../src/mcp/registry.ts'
import { type MainApp, startMainApp, type TransportKind } from '../support/mcp.ts'
import { ORG, type Stack, startStack } from '../support/stack.ts'

let s: Stack
let app: MainApp
const ACME = 'root:acme'
const GLOBEX = 'root:globex'

beforeAll(async () => {
  s = await startStack({ tenants: [ACME, GLOBEX] })
  await s.tenant(ACME).create(resourceTypes.Secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'github-token', namespace: 'default' },
    stringData: { token: s.token },
  } as unknown as KubeObject)
  app = await startMainApp(s, { mcp: { waitMs: 1_500 } })
}, 60_000)
afterAll(async () => {
  await app?.stop()
  await s?.stop()
})

// biome-ignore lint/suspicious/noExplicitAny: structured results are checked field by field
type Json = any

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Json }
}

async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Json> {
  const r = await call(client, name, args)
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`)
  return r.structuredContent
}

async function fails(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await call(client, name, args)
  expect(r.isError).toBe(true)
  return (r.content as { type: string; text: string }[])[0]!.text
}

describe.each<TransportKind>(['streamable', 'sse'])('MCP over %s', (kind) => {
  let mcp: Client
  const conn = `gh-${kind}`
  const repo = `web-${kind}`
  beforeAll(async () => {
    mcp = await app.client(ACME, kind)
  })

  test('the server names itself and lists every tool with annotations and both schemas', async () => {
    expect(mcp.getServerVersion()?.name).toBe('kedge-code')
    expect(mcp.getInstructions()).toContain('never ask the user for a tenant')
    const { tools } = await mcp.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(allTools.map((t) => t.name).sort())
    for (const t of tools) {
      expect(Object.keys(t.annotations ?? {}).sort()).toEqual(
        ['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint', 'title'].sort(),
      )
      expect(t.inputSchema.type).toBe('object')
      expect(t.outputSchema?.type).toBe('object')
    }
  })

  test('create a connection and a repository; get_repository follows it to Ready', async () => {
    const created = await ok(mcp, 'create_connection', {
      name: conn,
      owner: ORG,
      secretName: 'github-token',
      baseURL: s.sandbox.url,
    })
    expect(created).toMatchObject({ name: conn, kind: 'Connection', created: true })
    expect(created.warnings).toBeUndefined()
    await s.waitFor(async () => {
      const { connections } = await ok(mcp, 'list_connections')
      return connections.find((c: Json) => c.name === conn && c.validated && c.login === 'developer')
    }, 'connection validated through list_connections')

    const r = await ok(mcp, 'create_repository', { name: repo, connectionRef: conn, description: 'from an agent' })
    expect(r.message).toContain('get_repository')
    const spec = (await s.get(ACME, 'Repository', repo))?.spec as Json
    expect(spec).toMatchObject({ autoInit: true, name: repo, connectionRef: conn })

    const ready = await s.waitFor(async () => {
      const got = await ok(mcp, 'get_repository', { name: repo })
      return got.ready ? got : undefined
    }, 'repository ready through get_repository')
    expect(ready).toMatchObject({
      name: repo,
      connection: conn,
      fullName: `${ORG}/${repo}`,
      deletionPolicy: 'Delete',
      actor: { state: 'ready' },
    })
    expect(ready.htmlURL).toContain(`${ORG}/${repo}`)
    expect(ready.conditions.map((c: Json) => c.type)).toContain('Synced')

    const { repositories, total } = await ok(mcp, 'list_repositories', { connection: conn })
    expect(total).toBe(1)
    expect(repositories[0]).toMatchObject({ name: repo, ready: true })
  })

  test('add a deploy key and a collaborator; both reach Ready and show up in the lists', async () => {
    await ok(mcp, 'add_deploy_key', { name: `${repo}-ci`, repositoryRef: repo, readOnly: true })
    s.sandbox.control.createUser({ login: `octo-${kind}` })
    const added = await ok(mcp, 'add_collaborator', {
      repositoryRef: repo,
      username: `octo-${kind}`,
      permission: 'push',
    })
    expect(added.name).toBe(`${repo}-octo-${kind}`)

    const key = await s.waitFor(async () => {
      const { deployKeys } = await ok(mcp, 'list_deploy_keys', { repositoryRef: repo })
      return deployKeys.find((k: Json) => k.ready)
    }, 'deploy key ready')
    expect(key).toMatchObject({ name: `${repo}-ci`, readOnly: true })
    expect(key.publicKey).toStartWith('ssh-ed25519 ')
    expect(key.privateKeySecret).toBeString()
    const collaborator = await s.waitFor(async () => {
      const { collaborators } = await ok(mcp, 'list_collaborators', { repositoryRef: repo })
      return collaborators.find((c: Json) => c.ready)
    }, 'collaborator ready')
    expect(collaborator).toMatchObject({ username: `octo-${kind}`, permission: 'push', state: 'Invited' })

    const detail = await ok(mcp, 'get_repository', { name: repo })
    expect(detail.deployKeys).toEqual([`${repo}-ci`])
    expect(detail.collaborators).toEqual([`${repo}-octo-${kind}`])

    expect((await ok(mcp, 'remove_collaborator', { name: `${repo}-octo-${kind}` })).deleted).toBe(true)
    expect((await ok(mcp, 'remove_deploy_key', { name: `${repo}-ci` })).deleted).toBe(true)
  })

  test('bad arguments name the argument and what fixes it', async () => {
    expect(await fails(mcp, 'create_repository', { name: 'Bad_Name', connectionRef: conn })).toMatch(
      /^Invalid arguments for create_repository: name: .*RFC 1123/,
    )
    expect(await fails(mcp, 'create_repository', { name: 'x' })).toBe(
      'Invalid arguments for create_repository: connectionRef: required',
    )
    expect(await fails(mcp, 'create_repository', { name: 'x', connectionRef: conn, repoName: 'y' })).toMatch(
      /unknown argument repoName \(accepted: name, connectionRef, repo,/,
    )
    expect(await fails(mcp, 'create_repository', { name: 'x', connectionRef: conn, visibility: 'secret' })).toMatch(
      /visibility: Invalid option/,
    )
    expect(await fails(mcp, 'create_repository', { name: 'x', connectionRef: 'nope' })).toBe(
      'connection "nope" not found: call list_connections (or create_connection first)',
    )
    expect(await fails(mcp, 'get_repository', { name: 'missing' })).toBe(
      'repository "missing" not found: call list_repositories',
    )
    expect(await fails(mcp, 'add_deploy_key', { name: 'k', repositoryRef: repo, publicKey: 'ssh-dss AAAA' })).toMatch(
      /^Invalid arguments for add_deploy_key: publicKey: /,
    )
    expect(await fails(mcp, 'create_connection', { name: conn, owner: ORG, secretName: 'github-token' })).toBe(
      `Connection "${conn}" already exists: choose another name, or use the existing one`,
    )
    expect(await fails(mcp, 'delete_connection', { name: conn })).toBe(
      `Connection "${conn}" is used by repositories ${repo}: delete them (delete_repository) first, or pass force: true`,
    )
    expect(await fails(mcp, 'no_such_tool')).toMatch(/^unknown tool "no_such_tool"; available tools: list_connections/)
  })
})

describe('tenancy', () => {
  test('a caller of another workspace sees nothing of the first', async () => {
    const globex = await app.client(GLOBEX, 'streamable')
    expect((await ok(globex, 'list_connections')).connections).toEqual([])
    expect((await ok(globex, 'list_repositories')).repositories).toEqual([])
    expect(await fails(globex, 'get_repository', { name: 'web-streamable' })).toContain('not found')
    expect((await ok(globex, 'delete_repository', { name: 'web-streamable' })).message).toContain('did not exist')
    expect(await s.get(ACME, 'Repository', 'web-streamable')).toBeDefined()
  })
})

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort()
const readOnlyTools = allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name)

describe('read-only mode and toolset allow-lists', () => {
  test('/mcp/readonly and X-MCP-Readonly hide every write tool, on both transports', async () => {
    const byPath = await app.client(ACME, 'streamable', { path: '/mcp/readonly' })
    expect(await names(byPath)).toEqual([...readOnlyTools].sort())
    expect(await fails(byPath, 'create_repository', { name: 'x', connectionRef: 'y' })).toMatch(
      /^tool "create_repository" is not available here: this session is read-only, or its toolset is not enabled/,
    )
    const byHeader = await app.client(ACME, 'sse', { headers: { 'x-mcp-readonly': 'true' } })
    expect(await names(byHeader)).toEqual([...readOnlyTools].sort())
  })

  test('X-MCP-Toolsets keeps only those toolsets; read-only still removes writes named there', async () => {
    const repos = await app.client(ACME, 'streamable', { headers: { 'x-mcp-toolsets': 'repositories, packages' } })
    expect(await names(repos)).toEqual(
      [
        'create_repository',
        'delete_repository',
        'get_repository',
        'list_packages',
        'list_repositories',
        'update_repository',
      ].sort(),
    )
    const both = await app.client(ACME, 'sse', {
      headers: { 'x-mcp-toolsets': 'content,builds', 'x-mcp-readonly': '1' },
    })
    expect(await names(both)).toEqual(['build_status', 'checkout_repository'])
  })

  test('an unknown toolset is refused with the known ones named', async () => {
    const res = await fetch(`${app.url}/mcp`, {
      method: 'POST',
      headers: {
        ...app.headers(ACME),
        'x-mcp-toolsets': 'repos',
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toBe(
      'X-MCP-Toolsets: unknown toolset repos (known: connections, repositories, access, content, builds, packages)',
    )
  })

  test('the server configuration is a ceiling a request cannot lift', async () => {
    const narrow = await startMainApp(s, {
      config: { mcp: { readOnly: true, toolsets: ['packages', 'repositories'], requestWaitMs: 1_000 } },
    })
    try {
      const c = await narrow.client(ACME, 'streamable', {
        headers: { 'x-mcp-toolsets': 'repositories,connections', 'x-mcp-readonly': 'false' },
      })
      expect(await names(c)).toEqual(['get_repository', 'list_repositories'])
    } finally {
      await narrow.stop()
    }
  })
})

const rpc = (body: unknown, headers: Record<string, string>) =>
  fetch(`${app.url}/mcp`, {
    method: 'POST',
    headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('identity and sessions', () => {
  test('no identity, or a token the workspace refuses, is a 401 that says what is missing', async () => {
    const none = await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, {})
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toStartWith('Bearer')
    expect((await none.json()).error.message).toBe(
      'missing a workspace (X-Kedge-Cluster or X-Kedge-Tenant) and a bearer token: call through the kedge hub',
    )
    const forged = await rpc(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { ...app.headers(ACME), authorization: 'Bearer forged' },
    )
    expect(forged.status).toBe(401)
    const sse = await fetch(`${app.url}/mcp/sse`, { headers: { accept: 'text/event-stream' } })
    expect(sse.status).toBe(401)
  })

  test('a caller of another workspace cannot use a session it did not open', async () => {
    const acme = await app.client(ACME, 'streamable')
    await acme.listTools()
    const sessionId = (acme.transport as { sessionId?: string }).sessionId!
    expect(sessionId).toBeString()
    const res = await rpc(
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { ...app.headers(GLOBEX), 'mcp-session-id': sessionId },
    )
    expect(res.status).toBe(403)
    expect((await res.json()).error.message).toBe('this MCP session belongs to another caller')
  })

  test('a POST without a session is answered statelessly', async () => {
    const res = await rpc(
      { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'list_connections', arguments: {} } },
      app.headers(GLOBEX),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('mcp-session-id')).toBeNull()
    const text = await res.text()
    const data = JSON.parse(
      text
        .split('\n')
        .find((l) => l.startsWith('data: '))!
        .slice(6),
    )
    expect(data).toMatchObject({ id: 7, result: { structuredContent: { connections: [] } } })
  })
})

describe('long tools', () => {
  test('report progress while their request object moves, and end within the wait bound', async () => {
    const mcp = await app.client(ACME, 'streamable')
    const progress: string[] = []
    const r = (await mcp.callTool(
      { name: 'build_status', arguments: { repositoryRef: 'web-streamable', workflowFileName: 'ci.yml' } },
      undefined,
      { onprogress: (p) => progress.push(p.message ?? ''), timeout: 30_000 },
    )) as CallToolResult
    expect(progress.length).toBeGreaterThan(0)
    expect(progress[0]).toMatch(/^RepositoryBuildStatus web-streamable-build-[0-9a-f]+: Pending$/)
    expect(r.content).toBeArray()
    // the request object is only a vehicle: it is gone afterwards
    const left = await s.tenant(ACME).list(resourceTypes.RepositoryBuildStatus)
    expect(left).toEqual([])
  })
})

describe('problems on GitHub, said plainly', () => {
  const secret = (name: string, token: string) =>
    s.tenant(ACME).create(resourceTypes.Secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'default' },
      stringData: { token },
    } as unknown as KubeObject)

  test('a rejected token: the connection says so, and tools that need GitHub refuse with its words', async () => {
    const mcp = await app.client(ACME, 'streamable')
    await secret('bogus-token', 'ghp_thisTokenWasNeverIssuedBySandbox000')
    await ok(mcp, 'create_connection', { name: 'bogus', owner: ORG, secretName: 'bogus-token', baseURL: s.sandbox.url })
    await s.waitFor(async () => {
      const { connections } = await ok(mcp, 'list_connections')
      return connections.find((c: Json) => c.name === 'bogus' && /rejected the credential/.test(c.message))
    }, 'the bogus connection says its token was rejected')
    const created = await ok(mcp, 'create_repository', { name: 'stuck', connectionRef: 'bogus' })
    expect(created.warnings[0]).toStartWith('connection "bogus" is not Ready (the git host rejected the credential')
    expect(await fails(mcp, 'build_status', { repositoryRef: 'stuck', workflowFileName: 'ci.yml' })).toStartWith(
      'connection "bogus" is not Ready: permission problem on GitHub (Unauthorized): the git host rejected the credential',
    )
  })

  test('a rate limit says when to retry', async () => {
    const mcp = await app.client(ACME, 'streamable')
    const token = s.sandbox.login('limited')
    s.sandbox.control.setRateLimit({ login: 'limited', remaining: 0, resetAt: Date.now() + 3_600_000 })
    await secret('limited-token', token)
    await ok(mcp, 'create_connection', {
      name: 'limited',
      owner: 'limited',
      secretName: 'limited-token',
      baseURL: s.sandbox.url,
    })
    await ok(mcp, 'create_repository', { name: 'throttled', connectionRef: 'limited' })
    const got = await s.waitFor(async () => {
      const r = await ok(mcp, 'get_repository', { name: 'throttled' })
      return r.problem ? r : undefined
    }, 'get_repository names the rate limit')
    expect(got.problem).toMatch(/^GitHub rate limit for this connection; retry after \d\d:\d\d UTC$/)
    expect(got.ready).toBe(false)
  })
})
