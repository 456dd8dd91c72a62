// The portal's routes through app.handle, against the real stack (API server, runtime, sandbox):
// page or fragment from one URL, Vary, 422 with field errors, identity, base paths, escaping,
// and writes made as the caller.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type PortalServer, startPortal } from '../../test/support/portal.ts'
import { codeObject, type Stack, startStack } from '../../test/support/stack.ts'
import type { KubeObject } from '../apis/meta.ts'
import type { Connection } from '../apis/v1alpha1/connection.ts'
import type { Repository } from '../apis/v1alpha1/repository.ts'
import { resourceTypes } from '../cluster/cluster.ts'

const T = 'root:acme'
let s: Stack
let p: PortalServer

beforeAll(async () => {
  s = await startStack()
  p = await startPortal(s)
  await s.connect(T, 'github')
  await s.connect(T, 'elsewhere', { owner: 'developer' })
  const acme = s.tenant(T)
  await acme.create(
    resourceTypes.Repository,
    codeObject('Repository', 'web', { connectionRef: 'github', name: 'web', description: 'the web site' }),
  )
  await acme.create(
    resourceTypes.Repository,
    codeObject('Repository', 'evil', {
      connectionRef: 'github',
      name: 'evil',
      description: '"><img src=x onerror=alert(1)><script>alert(2)</script>',
    }),
  )
  await s.waitFor(() => s.ready(T, 'Repository', 'web'), 'web ready')
  await s.waitFor(() => s.ready(T, 'Repository', 'evil'), 'evil ready')
  await s.waitFor(() => s.ready(T, 'Connection', 'elsewhere'), 'elsewhere ready')
}, 60_000)
afterAll(async () => {
  await p?.stop()
  await s?.stop()
})

interface Call {
  method?: string
  headers?: Record<string, string>
  form?: Record<string, string | string[]>
  identity?: 'query' | 'headers' | 'none'
}

async function call(path: string, o: Call = {}) {
  const [pathname, search = ''] = path.split('?')
  const query = new URLSearchParams(search)
  if ((o.identity ?? 'query') === 'query') for (const [k, v] of new URLSearchParams(p.query(T))) query.set(k, v)
  const headers = new Headers(o.identity === 'headers' ? p.headers(T) : {})
  for (const [k, v] of Object.entries(o.headers ?? {})) headers.set(k, v)
  let body: string | undefined
  if (o.form) {
    const f = new URLSearchParams()
    for (const [k, v] of Object.entries(o.form)) for (const x of [v].flat()) f.append(k, x)
    body = f.toString()
    headers.set('content-type', 'application/x-www-form-urlencoded')
  }
  const qs = query.toString()
  const res = await p.app.handle(
    new Request(`http://localhost${pathname}${qs ? `?${qs}` : ''}`, {
      method: o.method ?? (o.form ? 'POST' : 'GET'),
      headers,
      body,
    }),
  )
  return { res, text: await res.text() }
}

const withoutBase = (html: string) => html.replace(/<base [^>]*>/, '')
const htmx = (target: string) => ({ 'hx-request': 'true', 'hx-target': target })

describe('one URL, page or fragment', () => {
  test('a navigation gets the whole page, htmx the fragment it targets, and both vary on it', async () => {
    const page = await call('/repositories')
    expect(page.res.status).toBe(200)
    expect(page.res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.res.headers.get('vary')).toContain('HX-Request')
    expect(page.res.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toStartWith('<!doctype html>')
    expect(page.text).toContain('id="repository-list"')
    expect(page.text).toContain('id="repository-form"')

    const list = await call('/repositories', { headers: htmx('repository-list') })
    expect(list.res.headers.get('vary')).toContain('HX-Request')
    expect(list.text).toStartWith('<section class="panel" id="repository-list"')
    expect(list.text).not.toContain('<html')
    expect(list.text).not.toContain('id="repository-form"')

    const form = await call('/repositories', { headers: htmx('repository-form') })
    expect(form.text).toStartWith('<section class="panel" id="repository-form"')
  })

  test('the detail URL answers for its row on the list and for each live region', async () => {
    const row = await call('/repositories/web', { headers: htmx('row-repository-web') })
    expect(row.text).toStartWith('<tr id="row-repository-web"')
    expect(row.text).toContain('Ready')
    expect(row.text).not.toContain('hx-trigger') // settled: no more polling

    for (const region of ['repository-status', 'deploy-key-list', 'collaborator-list', 'package-list']) {
      const r = await call('/repositories/web', { headers: htmx(region) })
      expect(r.text).toStartWith(`<div id="${region}"`)
    }
  })

  test('a search answers with the results only, leaving the search box alone', async () => {
    const r = await call('/repositories?q=web', { headers: htmx('repository-results') })
    expect(r.text).toStartWith('<div id="repository-results"')
    expect(r.text).toContain('row-repository-web')
    expect(r.text).not.toContain('row-repository-evil')
    // Searches are text, not patterns.
    const odd = await call('/repositories?q=(web[', { headers: htmx('repository-results') })
    expect(odd.res.status).toBe(200)
    expect(odd.text).toContain('No repository matches')
  })

  test('a gone resource: the row poll removes the row, the page is a clear 404', async () => {
    expect((await call('/repositories/nope', { headers: htmx('row-repository-nope') })).text).toBe('')
    const gone = await call('/repositories/nope', { headers: htmx('repository-status') })
    expect(gone.text).toContain('was deleted')
    const page = await call('/repositories/nope')
    expect(page.res.status).toBe(404)
    expect(page.text).toContain('There is no repository &quot;nope&quot; in this workspace')
  })
})

describe('identity', () => {
  test('without identity: a clear 401 page, and for htmx an alert in #alerts', async () => {
    const page = await call('/repositories', { identity: 'none' })
    expect(page.res.status).toBe(401)
    expect(page.text).toContain('<h1 id="problem-title">Sign-in needed</h1>')
    expect(page.text).toContain('bearer token')
    const alert = await call('/repositories', { identity: 'none', headers: htmx('repository-list') })
    expect(alert.res.status).toBe(401)
    expect(alert.res.headers.get('hx-retarget')).toBe('#alerts')
    expect(alert.text).toContain('Sign-in needed')
  })

  test('a token the workspace does not accept is 401, and hub headers work as well as the dev query', async () => {
    const bad = await call('/repositories', {
      identity: 'none',
      headers: { ...p.headers(T), authorization: 'Bearer nope' },
    })
    expect(bad.res.status).toBe(401)
    const ok = await call('/repositories', { identity: 'headers' })
    expect(ok.res.status).toBe(200)
    // Identity from headers never travels in links.
    expect(ok.text).not.toContain('token=')
  })

  test('the dev query is carried on every link, form and htmx request', async () => {
    const { text } = await call('/repositories/web')
    const token = p.tenant(T).token
    const targets = [...withoutBase(text).matchAll(/(?:href|action|hx-get|hx-post)="([^"]+)"/g)].map((m) => m[1]!)
    const portal = targets.filter((u) => !/^https?:/.test(u) && !u.startsWith('assets/'))
    expect(portal.length).toBeGreaterThan(10)
    for (const u of portal) expect(u).toContain(`token=${token}`)
  })
})

describe('base paths', () => {
  const hrefsIn = (html: string) =>
    [...withoutBase(html).matchAll(/(?:href|action|hx-get|hx-post|src)="([^"]+)"/g)]
      .map((m) => m[1]!.replaceAll('&amp;', '&'))
      .filter((u) => !/^https?:/.test(u))

  for (const prefix of ['/ui/providers/code', '/services/providers/code']) {
    for (const how of ['X-Forwarded-Prefix', 'relative']) {
      test(`under ${prefix} (${how}): every link resolves inside the prefix, to a route that exists`, async () => {
        const headers: Record<string, string> = how === 'relative' ? {} : { 'x-forwarded-prefix': prefix }
        for (const path of ['/connections', '/repositories', '/repositories/web', '/connections/github', '/packages']) {
          const { text } = await call(path, { headers })
          const base = text.match(/<base href="([^"]+)"/)![1]!
          const pageURL = `https://hub.example${prefix}${path}`
          const baseURL = new URL(base, pageURL)
          expect(baseURL.pathname).toBe(`${prefix}/`)
          for (const href of hrefsIn(text)) {
            const resolved = new URL(href, baseURL)
            expect(resolved.pathname.startsWith(`${prefix}/`)).toBe(true)
            if (href.includes('#')) continue
            // The same path without the prefix is one the app serves.
            const inner = resolved.pathname.slice(prefix.length)
            const r = await p.app.handle(new Request(`http://localhost${inner}${resolved.search}`))
            expect(`${r.status} ${href}`).toMatch(/^(200|303) /)
          }
        }
      })
    }

    test(`under ${prefix}: a plain form post redirects inside the prefix`, async () => {
      for (const headers of [{ 'x-forwarded-prefix': prefix }, {}] as Record<string, string>[]) {
        const { res } = await call('/repositories', {
          headers,
          form: { connection: 'github', name: `r${Math.random().toString(36).slice(2, 8)}`, visibility: 'private' },
        })
        expect(res.status).toBe(303)
        const location = new URL(res.headers.get('location')!, `https://hub.example${prefix}/repositories`)
        expect(location.pathname).toMatch(new RegExp(`^${prefix}/repositories/r[a-z0-9]+$`))
      }
    })
  }

  test('a prefix that is not a plain path is ignored', async () => {
    const { text } = await call('/repositories', { headers: { 'x-forwarded-prefix': '/x"><script>' } })
    expect(text).toContain('<base href="./"/>')
  })
})

describe('forms', () => {
  test('bad input comes back as 422 with each error next to its field (htmx: the form alone)', async () => {
    const { res, text } = await call('/repositories', {
      headers: htmx('repository-form'),
      form: {
        connection: 'github',
        name: 'Bad_Name',
        repoName: 'no spaces',
        visibility: 'private',
        deletionPolicy: 'Keep',
      },
    })
    expect(res.status).toBe(422)
    expect(text).toStartWith('<section class="panel" id="repository-form"')
    expect(text).toContain('id="repository-name" name="name" value="Bad_Name"')
    expect(text).toMatch(/id="repository-name"[^>]*aria-invalid="true"/)
    expect(text).toContain('id="repository-name-error"')
    expect(text).toMatch(/id="repository-repoName"[^>]*aria-invalid="true"/)
    expect(text).toMatch(/id="repository-deletionPolicy"[^>]*aria-invalid="true"/)
    expect(text).toContain('There are 3 problems')
  })

  test('without JavaScript the whole page comes back with the errors', async () => {
    const { res, text } = await call('/repositories', {
      form: { connection: 'nope', name: 'x', visibility: 'private' },
    })
    expect(res.status).toBe(422)
    expect(text).toStartWith('<!doctype html>')
    expect(text).toContain('Choose one of your connections.')
  })

  test('a token is never sent back, even when the form is refused', async () => {
    const token = 'ghp_ThisMustNeverBeEchoed0123456789'
    const { res, text } = await call('/connections', {
      headers: htmx('connection-form'),
      form: { name: 'UPPER', owner: 'acme', token },
    })
    expect(res.status).toBe(422)
    expect(text).not.toContain(token)
    expect(text).toMatch(/id="connection-name"[^>]*aria-invalid="true"/)
  })

  test('a name that is taken is a field error, not a crash', async () => {
    const { res, text } = await call('/repositories', {
      headers: htmx('repository-form'),
      form: { connection: 'github', name: 'web', visibility: 'private' },
    })
    expect(res.status).toBe(422)
    expect(text).toContain('exists already')
  })

  test('a change from another site is refused', async () => {
    const { res } = await call('/repositories/web/delete', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(res.status).toBe(403)
    expect(s.runtime.object(s.clusterOf(T), 'Repository', 'web')?.metadata.deletionTimestamp).toBeUndefined()
  })
})

describe('escaping', () => {
  test('markup in user and GitHub supplied strings renders as text everywhere', async () => {
    for (const path of ['/repositories', '/repositories/evil']) {
      const { text } = await call(path)
      // Inside a quoted attribute value '<' is plain text; outside of them no markup may appear.
      const outsideAttributes = text.replace(/="[^"]*"/g, '=""')
      expect(outsideAttributes).not.toContain('<img src=x')
      expect(outsideAttributes).not.toContain('<script>alert')
      expect(text).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
    }
    // In attributes (the settings form's value) the quote is escaped, so nothing breaks out.
    const { text } = await call('/repositories/evil')
    expect(text).toContain('value="&#34;>')
  })
})

describe('writes as the caller', () => {
  test('adding a token connection makes a Secret, then the Connection, and the Secret is owned by it', async () => {
    const token = s.token
    const { res } = await call('/connections', {
      form: { name: 'added', owner: 'acme', token, baseURL: s.sandbox.url },
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toStartWith('./connections/added?')
    const c = await s.get<Connection>(T, 'Connection', 'added')
    const ref = c!.spec.secretRef!
    expect(ref.name).toStartWith('added-token-')
    const secret = (await s.tenant(T).get(resourceTypes.Secret, ref.name, ref.namespace)) as KubeObject & {
      data: Record<string, string>
    }
    expect(Buffer.from(secret.data.token!, 'base64').toString()).toBe(token)
    expect(secret.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Connection',
      name: 'added',
      uid: c!.metadata.uid,
    })
    await s.waitFor(() => s.ready(T, 'Connection', 'added'), 'added validated')
    const page = await call('/connections/added')
    expect(page.text).toContain('Authenticated as <strong>developer</strong>')
    expect(page.text).not.toContain(token)
    expect(page.text).toContain('GitHub sandbox') // baseURL is the sandbox
  })

  test('settings: only what changed is patched; nothing changed says so', async () => {
    const before = (await s.get<Repository>(T, 'Repository', 'web'))!
    const same = {
      description: 'the web site',
      homepage: '',
      visibility: 'private',
      topics: '',
      defaultBranch: '',
      hasIssues: ['false', 'true'],
      hasWiki: ['false', 'true'],
      hasProjects: ['false', 'true'],
      archived: 'false',
    }
    const unchanged = await call('/repositories/web/settings', { headers: htmx('repository-settings'), form: same })
    expect(unchanged.text).toContain('Nothing changed.')
    const changed = await call('/repositories/web/settings', {
      headers: htmx('repository-settings'),
      form: { ...same, topics: 'web, docs', hasWiki: 'false' },
    })
    expect(changed.res.status).toBe(200)
    expect(changed.text).toContain('Saved: topics, hasWiki')
    expect(changed.text).toContain('id="repository-status" hx-swap-oob="true"')
    const after = (await s.get<Repository>(T, 'Repository', 'web'))!
    expect(after.spec).toEqual({ ...before.spec, topics: ['web', 'docs'], hasWiki: false })
    const bad = await call('/repositories/web/settings', {
      headers: htmx('repository-settings'),
      form: { ...same, topics: 'Not Valid' },
    })
    expect(bad.res.status).toBe(422)
    expect(bad.text).toMatch(/id="settings-topics"[^>]*aria-invalid="true"/)
  })

  test('changing to a connection with another owner asks first', async () => {
    const ask = await call('/repositories/web/connection', {
      headers: htmx('repository-connection'),
      form: { connection: 'elsewhere' },
    })
    expect(ask.text).toContain('belongs to developer, not acme')
    expect(ask.text).toContain('name="confirm" value="yes"')
    expect((await s.get<Repository>(T, 'Repository', 'web'))!.spec.connectionRef).toBe('github')
  })

  test('deleting from the list answers with the row, now deleting (or gone)', async () => {
    const { res, text } = await call('/repositories/evil/delete', {
      method: 'POST',
      headers: htmx('row-repository-evil'),
    })
    expect(res.status).toBe(200)
    if (text) expect(text).toContain('Deleting')
    await s.waitFor(async () => !(await s.get(T, 'Repository', 'evil')), 'evil gone')
  })

  test('without JavaScript a delete first shows what the policy will do', async () => {
    const { text } = await call('/repositories/web/delete')
    expect(text).toContain('This deletes acme/web on GitHub')
    expect(text).toMatch(/<form method="post" action="repositories\/web\/delete\?/)
  })
})

describe('assets', () => {
  test('htmx comes from its npm package under its version, cached forever, gzipped when asked', async () => {
    const { text } = await call('/repositories')
    const src = text.match(/<script src="(assets\/htmx-[^"]+)"/)![1]!
    const { version } = (await import('htmx.org/package.json')) as { version: string }
    expect(src).toBe(`assets/htmx-${version}.min.js`)
    const js = await p.app.handle(new Request(`http://localhost/${src}`, { headers: { 'accept-encoding': 'gzip' } }))
    expect(js.status).toBe(200)
    expect(js.headers.get('cache-control')).toContain('immutable')
    expect(js.headers.get('content-encoding')).toBe('gzip')
    const css = text.match(/<link rel="stylesheet" href="(assets\/portal-[0-9a-f]+\.css)"/)![1]!
    expect((await p.app.handle(new Request(`http://localhost/${css}`))).status).toBe(200)
    expect((await p.app.handle(new Request('http://localhost/assets/nope.js'))).status).toBe(404)
  })
})
