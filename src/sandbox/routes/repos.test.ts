import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestSandbox, type TestSandbox } from '../../../test/support/sandbox.ts'

let sb: TestSandbox
let alice: string // admin of acme
let bob: string // member of acme
let eve: string // outsider

beforeAll(async () => {
  sb = await startTestSandbox()
  alice = sb.login('alice')
  bob = sb.login('bob')
  eve = sb.login('eve')
  sb.control.createOrg({ login: 'acme', members: [{ login: 'alice', role: 'admin' }, { login: 'bob' }] })
})

afterAll(async () => {
  expect(await sb.conformance()).toEqual([])
  await sb.stop()
})

describe('create', () => {
  test('in an org, with auto_init, gitignore and license: a real first commit', async () => {
    const r = await sb.call('POST', '/orgs/acme/repos', {
      token: alice,
      body: { name: 'widgets', private: true, auto_init: true, gitignore_template: 'Node', license_template: 'mit' },
    })
    expect(r.status).toBe(201)
    expect(r.body).toMatchObject({ name: 'widgets', full_name: 'acme/widgets', private: true, visibility: 'private' })
    expect(r.body.owner).toMatchObject({ login: 'acme', type: 'Organization' })
    expect(r.body.license).toMatchObject({ key: 'mit', spdx_id: 'MIT' })
    expect(r.body.permissions).toEqual({ admin: true, maintain: true, push: true, triage: true, pull: true })
    const tree = await sb.call('GET', '/repos/acme/widgets/git/trees/main', { token: alice })
    expect(tree.body.tree.map((e: { path: string }) => e.path)).toEqual(['.gitignore', 'LICENSE', 'README.md'])
  })

  test('422 when the name exists on the account (case-insensitive), with GitHub message', async () => {
    const r = await sb.call('POST', '/orgs/acme/repos', { token: alice, body: { name: 'WIDGETS' } })
    expect(r.status).toBe(422)
    expect(r.body.message).toBe('Repository creation failed.')
    expect(r.body.errors[0]).toMatchObject({ field: 'name', message: 'name already exists on this account' })
  })

  test('names are normalised like GitHub does', async () => {
    const r = await sb.call('POST', '/user/repos', { token: bob, body: { name: 'my new repo!' } })
    expect(r.status).toBe(201)
    expect(r.body.full_name).toBe('bob/my-new-repo-')
  })

  test('422 Validation Failed with field paths for a bad body', async () => {
    const r = await sb.call('POST', '/user/repos', { token: bob, body: { private: 'yes' } })
    expect(r.status).toBe(422)
    expect(r.body.message).toBe('Validation Failed')
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        { resource: 'Repository', code: 'missing_field', field: 'name' },
        expect.objectContaining({ field: 'private', code: 'invalid' }),
      ]),
    )
  })

  test('only members create in an org; a token without repo scopes sees 404', async () => {
    expect((await sb.call('POST', '/orgs/acme/repos', { token: eve, body: { name: 'x' } })).status).toBe(403)
    const gist = sb.control.issueToken({ user: 'bob', scopes: ['gist'] })
    const r = await sb.call('POST', '/user/repos', { token: gist, body: { name: 'nope' } })
    expect(r.status).toBe(404)
    expect(r.headers.get('x-accepted-oauth-scopes')).toBe('public_repo, repo')
  })

  test('internal visibility is refused outside an enterprise', async () => {
    const r = await sb.call('POST', '/orgs/acme/repos', { token: alice, body: { name: 'int', visibility: 'internal' } })
    expect(r.status).toBe(422)
  })

  test('from a template: a new first commit with the template tree', async () => {
    await sb.call('POST', '/orgs/acme/repos', {
      token: alice,
      body: { name: 'tpl', auto_init: true, is_template: true },
    })
    const r = await sb.call('POST', '/repos/acme/tpl/generate', {
      token: alice,
      body: { owner: 'acme', name: 'from-tpl', private: true },
    })
    expect(r.status).toBe(201)
    expect(r.body.template_repository.full_name).toBe('acme/tpl')
    const [a, b] = await Promise.all(
      ['tpl', 'from-tpl'].map((n) => sb.call('GET', `/repos/acme/${n}/commits/main`, { token: alice })),
    )
    expect(b!.body.commit.tree.sha).toBe(a!.body.commit.tree.sha)
    expect(b!.body.parents).toEqual([])
    expect((await sb.call('POST', '/repos/acme/widgets/generate', { token: alice, body: { name: 'z' } })).status).toBe(
      422,
    )
  })
})

describe('read and visibility', () => {
  test('private repositories are 404 to outsiders and anonymous callers, public ones readable', async () => {
    expect((await sb.call('GET', '/repos/acme/widgets', { token: eve })).status).toBe(404)
    expect((await sb.call('GET', '/repos/acme/widgets')).status).toBe(404)
    const pub = await sb.call('GET', '/repos/acme/tpl')
    expect(pub.status).toBe(200)
    expect(pub.body.permissions).toBeUndefined()
  })

  test('org members read through the base permission; GET /repositories/{id} works', async () => {
    const r = await sb.call('GET', '/repos/acme/widgets', { token: bob })
    expect(r.body.permissions).toMatchObject({ admin: false, push: false, pull: true })
    const byId = await sb.call('GET', `/repositories/${r.body.id}`, { token: bob })
    expect(byId.body.full_name).toBe('acme/widgets')
  })

  test('classic token without repo scope cannot see private repositories', async () => {
    const publicOnly = sb.control.issueToken({ user: 'alice', scopes: ['public_repo'] })
    expect((await sb.call('GET', '/repos/acme/widgets', { token: publicOnly })).status).toBe(404)
    expect((await sb.call('GET', '/repos/acme/tpl', { token: publicOnly })).status).toBe(200)
  })

  test('fine-grained tokens reach only their owner and selected repositories', async () => {
    const fg = sb.control.issueToken({ user: 'alice', kind: 'fine-grained', owner: 'acme', repositories: ['widgets'] })
    const r = await sb.call('GET', '/repos/acme/widgets', { token: fg })
    expect(r.status).toBe(200)
    expect(r.headers.get('x-oauth-scopes')).toBeNull()
    expect((await sb.call('GET', '/repos/acme/from-tpl', { token: fg })).status).toBe(404)
    const readOnly = sb.control.issueToken({
      user: 'alice',
      kind: 'fine-grained',
      owner: 'acme',
      permissions: { metadata: 'read', administration: 'read' },
    })
    const patch = await sb.call('PATCH', '/repos/acme/widgets', { token: readOnly, body: { description: 'x' } })
    expect(patch.status).toBe(403)
    expect(patch.body.message).toBe('Resource not accessible by personal access token')
    expect(patch.headers.get('x-accepted-github-permissions')).toBe('administration=write')
  })
})

describe('update', () => {
  test('settings change; members without admin get 403', async () => {
    const r = await sb.call('PATCH', '/repos/acme/widgets', {
      token: alice,
      body: { description: 'Widgets!', homepage: 'https://example.com', has_wiki: false, private: false },
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ description: 'Widgets!', has_wiki: false, visibility: 'public' })
    const denied = await sb.call('PATCH', '/repos/acme/widgets', { token: bob, body: { description: 'x' } })
    expect(denied.status).toBe(403)
    expect(denied.body.message).toBe('Must have admin rights to Repository.')
  })

  test('default_branch must exist', async () => {
    const r = await sb.call('PATCH', '/repos/acme/widgets', { token: alice, body: { default_branch: 'nope' } })
    expect(r.status).toBe(422)
  })

  test('rename: the old name answers 301 for GET and 307 for other methods, to /repositories/{id}', async () => {
    const renamed = await sb.call('PATCH', '/repos/acme/widgets', {
      token: alice,
      body: { name: 'gadgets', private: true },
    })
    expect(renamed.body.full_name).toBe('acme/gadgets')
    const id = renamed.body.id
    const get = await sb.call('GET', '/repos/acme/widgets/keys?per_page=5', { token: alice })
    expect(get.status).toBe(301)
    expect(get.headers.get('location')).toBe(`${sb.url}/repositories/${id}/keys?per_page=5`)
    expect(get.body).toEqual({
      message: 'Moved Permanently',
      url: get.headers.get('location'),
      documentation_url: expect.any(String),
    })
    const patch = await sb.call('PATCH', '/repos/acme/widgets', { token: alice, body: { description: 'via redirect' } })
    expect(patch.status).toBe(307)
    // fetch follows the redirect like Octokit does
    const followed = await sb.octokit(alice).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'widgets' })
    expect(followed.data.full_name).toBe('acme/gadgets')
    // outsiders learn nothing from the old name
    expect((await sb.call('GET', '/repos/acme/widgets', { token: eve })).status).toBe(404)
  })

  test('archived repositories are read-only until unarchived', async () => {
    await sb.call('PATCH', '/repos/acme/gadgets', { token: alice, body: { archived: true } })
    const key = await sb.call('POST', '/repos/acme/gadgets/keys', { token: alice, body: { key: 'ssh-ed25519 AAAA' } })
    expect(key.status).toBe(403)
    expect(key.body.message).toBe('Repository was archived so is read-only.')
    expect((await sb.call('PUT', '/repos/acme/gadgets/collaborators/eve', { token: alice })).status).toBe(403)
    expect((await sb.call('PATCH', '/repos/acme/gadgets', { token: alice, body: { description: 'x' } })).status).toBe(
      403,
    )
    expect((await sb.call('PUT', '/repos/acme/gadgets/topics', { token: alice, body: { names: ['a'] } })).status).toBe(
      403,
    )
    const un = await sb.call('PATCH', '/repos/acme/gadgets', { token: alice, body: { archived: false } })
    expect(un.body.archived).toBe(false)
  })

  test('topics are validated and replaced', async () => {
    const bad = await sb.call('PUT', '/repos/acme/gadgets/topics', { token: alice, body: { names: ['Not Valid'] } })
    expect(bad.status).toBe(422)
    const r = await sb.call('PUT', '/repos/acme/gadgets/topics', { token: alice, body: { names: ['Go', 'cli', 'go'] } })
    expect(r.body).toEqual({ names: ['go', 'cli'] })
    expect((await sb.call('GET', '/repos/acme/gadgets/topics', { token: bob })).body).toEqual({ names: ['go', 'cli'] })
  })
})

describe('delete', () => {
  test('needs delete_repo on classic tokens, then 204 and gone', async () => {
    await sb.call('POST', '/user/repos', { token: bob, body: { name: 'doomed' } })
    const noScope = sb.control.issueToken({ user: 'bob', scopes: ['repo'] })
    const r = await sb.call('DELETE', '/repos/bob/doomed', { token: noScope })
    expect(r.status).toBe(403)
    expect(r.headers.get('x-accepted-oauth-scopes')).toBe('delete_repo')
    expect((await sb.call('DELETE', '/repos/bob/doomed', { token: bob })).status).toBe(204)
    expect((await sb.call('GET', '/repos/bob/doomed', { token: bob })).status).toBe(404)
  })
})

describe('lists', () => {
  test('org repositories: visible ones only, paginated with Link headers', async () => {
    for (const n of ['p1', 'p2', 'p3']) await sb.call('POST', '/orgs/acme/repos', { token: alice, body: { name: n } })
    const all = await sb.call('GET', '/orgs/acme/repos?per_page=2&sort=full_name', { token: alice })
    expect(all.body.map((r: { name: string }) => r.name)).toEqual(['from-tpl', 'gadgets'])
    const link = all.headers.get('link')!
    expect(link).toContain('rel="next"')
    expect(link).toContain('rel="last"')
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!
    const page2 = await sb.call('GET', next.slice(sb.url.length), { token: alice })
    expect(page2.body.map((r: { name: string }) => r.name)).toEqual(['p1', 'p2'])
    const outsider = await sb.call('GET', '/orgs/acme/repos?per_page=100', { token: eve })
    expect(outsider.body.every((r: { private: boolean }) => !r.private)).toBe(true)
  })

  test('the user’s repositories: owned, collaborator and org member', async () => {
    const r = await sb.call('GET', '/user/repos?per_page=100', { token: bob })
    const names = r.body.map((x: { full_name: string }) => x.full_name)
    expect(names).toContain('bob/my-new-repo-')
    expect(names).toContain('acme/from-tpl')
    const owned = await sb.call('GET', '/user/repos?affiliation=owner', { token: bob })
    expect(owned.body.map((x: { full_name: string }) => x.full_name)).toEqual(['bob/my-new-repo-'])
  })

  test('users and orgs', async () => {
    expect((await sb.call('GET', '/users/acme')).body).toMatchObject({ login: 'acme', type: 'Organization' })
    expect((await sb.call('GET', '/users/bob')).body).toMatchObject({ login: 'bob', type: 'User' })
    expect((await sb.call('GET', '/users/nobody')).status).toBe(404)
    const org = await sb.call('GET', '/orgs/acme', { token: alice })
    expect(org.body).toMatchObject({ login: 'acme', default_repository_permission: 'read' })
    expect((await sb.call('GET', '/orgs/bob')).status).toBe(404)
  })
})
