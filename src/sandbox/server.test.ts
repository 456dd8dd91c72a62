// The route table against GitHub's OpenAPI description, the control API over HTTP, the CLI.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { githubOpenAPI } from '../../test/support/github-openapi.ts'
import { startTestSandbox, type TestSandbox } from '../../test/support/sandbox.ts'
import { loadConfig } from '../config.ts'
import { parseSandboxArgs, startConfiguredSandbox } from './cli.ts'
import { RateLimits } from './limits.ts'
import { DEV_TOKEN } from './seed.ts'
import { sandboxRoutes } from './server.ts'

let sb: TestSandbox

beforeAll(async () => {
  sb = await startTestSandbox()
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

test('every route emulates an operation of the OpenAPI description, with the same method and path', async () => {
  const api = await githubOpenAPI()
  const routes = sandboxRoutes(new RateLimits({ now: () => 0 }))
  const wrong = routes.flatMap((r) => {
    const op = api.getOperation(r.operationId)
    const path = r.path.replace(/\{(\w+)\+\}/g, '{$1}')
    return op && op.method.toUpperCase() === r.method && op.path === path
      ? []
      : [`${r.method} ${r.path} ≠ ${r.operationId}`]
  })
  expect(wrong).toEqual([])
  expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length)
})

describe('control API over HTTP', () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }

  test('users, orgs, tokens, repositories, invitations, time and the request log', async () => {
    expect((await control('POST', '/users', { login: 'hal' })).body).toMatchObject({ login: 'hal' })
    expect((await control('POST', '/users', { login: 'ida' })).status).toBe(200)
    expect(
      (await control('POST', '/orgs', { login: 'http-org', members: [{ login: 'hal', role: 'admin' }] })).status,
    ).toBe(200)
    const { token } = (await control('POST', '/tokens', { user: 'hal', scopes: ['repo'] })).body
    expect(token).toStartWith('ghp_')
    expect(
      (await control('POST', '/repos', { owner: 'http-org', name: 'r', autoInit: true })).body.branches.main,
    ).toHaveLength(40)
    const put = await sb.call('PUT', '/repos/http-org/r/collaborators/ida', { token })
    const invitations = (await control('GET', '/invitations?invitee=ida')).body
    expect(invitations).toEqual([
      expect.objectContaining({ id: put.body.id, repository: 'http-org/r', expired: false }),
    ])
    expect((await control('POST', '/time/advance', { ms: 8 * 24 * 3600_000 })).status).toBe(204)
    expect((await control('GET', '/invitations?invitee=ida')).body[0].expired).toBe(true)
    expect((await control('POST', `/invitations/${put.body.id}/decline`)).status).toBe(204)
    const log = (await control('GET', '/requests?route=/repos/{owner}/{repo}/collaborators/{username}')).body
    expect(log.counts.total).toBe(1)
    expect(log.entries[0].status).toBe(201)
    expect((await control('PATCH', '/repos/http-org/r', { archived: true })).body.archived).toBe(true)
  })

  test('faults, limits, packages and actions', async () => {
    const { token } = (await control('POST', '/tokens', { user: 'hal' })).body
    expect((await control('POST', '/faults', { route: '/user', status: 503, count: 'always' })).status).toBe(200)
    expect((await sb.call('GET', '/user', { token })).status).toBe(503)
    expect((await sb.call('GET', '/user', { token })).status).toBe(503)
    expect((await control('DELETE', '/faults')).status).toBe(204)
    expect((await control('PUT', '/limits/primary', { login: 'hal', remaining: 0 })).status).toBe(204)
    expect((await sb.call('GET', '/user', { token })).status).toBe(403)
    await control('PUT', '/limits/primary', { login: 'hal', remaining: 100 })
    await control('POST', '/packages', { owner: 'http-org', type: 'npm', name: 'lib', repository: 'r' })
    const v = await control('POST', '/packages/versions', {
      owner: 'http-org',
      type: 'npm',
      name: 'lib',
      version: '1.0.0',
    })
    expect(v.body.id).toBeNumber()
    expect((await control('DELETE', `/packages/http-org/npm/lib/versions/${v.body.id}`)).status).toBe(204)
    const w = await control('POST', '/repos/http-org/r/workflows', { path: '.github/workflows/ci.yml' })
    const run = await control('POST', '/repos/http-org/r/runs', { workflow: String(w.body.id), status: 'in_progress' })
    const job = await control('POST', `/runs/${run.body.id}/jobs`, { name: 'build' })
    expect(
      (await control('PATCH', `/jobs/${job.body.id}`, { status: 'completed', conclusion: 'success', log: 'ok' }))
        .status,
    ).toBe(204)
  })

  test('bad input is a clear 400, unknown objects too; nothing is half-written', async () => {
    const bad = await control('POST', '/users', { login: '-bad-' })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toContain('not a valid GitHub login')
    expect((await control('POST', '/tokens', { user: 'nobody' })).body.message).toBe('user nobody does not exist')
    expect((await control('POST', '/tokens', { user: 'hal', scopes: ['rpeo'] })).body.message).toBe(
      'unknown scopes: rpeo',
    )
    expect((await control('POST', '/orgs', { login: 'o2', members: [{ login: 'ghost' }] })).status).toBe(400)
    expect((await sb.call('GET', '/users/o2')).status).toBe(404)
    expect((await control('GET', '/nope')).status).toBe(404)
    expect((await control('POST', '/repos', { owner: 'http-org', name: 'R' })).status).toBe(422)
    const routes = await fetch(`${sb.url}/_sandbox`)
    expect(((await routes.json()) as { routes: string[] }).routes).toContain('POST /_sandbox/tokens')
  })
})

test('CORS preflight like api.github.com', async () => {
  const res = await fetch(`${sb.url}/user`, { method: 'OPTIONS' })
  expect(res.status).toBe(204)
  expect(res.headers.get('access-control-allow-headers')).toContain('Authorization')
})

describe('code-provider sandbox', () => {
  test('flags: --port, --host, defaults from config.sandboxAddr; bad values are named', () => {
    expect(parseSandboxArgs([], '127.0.0.1:8090')).toEqual({ hostname: '127.0.0.1', port: 8090 })
    expect(parseSandboxArgs(['--port', '0', '--host=0.0.0.0'], '127.0.0.1:8090')).toEqual({
      hostname: '0.0.0.0',
      port: 0,
    })
    expect(() => parseSandboxArgs(['--port', 'x'], '127.0.0.1:8090')).toThrow('"NaN" is not a port number')
    expect(() => parseSandboxArgs(['--verbose'], '127.0.0.1:8090')).toThrow('unknown flag --verbose')
  })

  test('registers the configured OAuth app when the OAuth settings point at the sandbox', async () => {
    const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
    const port = probe.port
    await probe.stop(true)
    const config = loadConfig({
      CODE_SANDBOX_ADDR: `127.0.0.1:${port}`,
      GITHUB_OAUTH_CLIENT_ID: 'dev-client',
      GITHUB_OAUTH_CLIENT_SECRET: 'dev-secret',
      GITHUB_OAUTH_REDIRECT_URL: 'http://127.0.0.1:8083/oauth/github/callback',
      GITHUB_OAUTH_WEB_URL: `http://127.0.0.1:${port}`,
    })
    const sandbox = await startConfiguredSandbox(config)
    try {
      const page = await fetch(`${sandbox.webURL}/login/oauth/authorize?client_id=dev-client&scope=repo`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('Authorize code-provider (dev)')
    } finally {
      await sandbox.stop()
    }
  })

  test('starts seeded, prints a sandbox token that works, stops on SIGTERM', async () => {
    const root = join(import.meta.dir, '..', '..')
    const child = spawn(process.execPath, ['src/main.ts', 'sandbox', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m && out.includes('Try:')) resolve(m[1]!)
        })
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)))
      })
      expect(out).toContain(DEV_TOKEN)
      expect(out).toContain('not GitHub')
      const user = await fetch(`${url}/user`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } })
      expect(((await user.json()) as { login: string }).login).toBe('developer')
      const repo = await fetch(`${url}/repos/acme/hello-world`, { headers: { authorization: `Bearer ${DEV_TOKEN}` } })
      expect(repo.status).toBe(200)
    } finally {
      const exited = new Promise((resolve) => child.on('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})
