import { describe, expect, test } from 'bun:test'
import { BackendError } from '../errors.ts'
import { type ErrorContext, networkFailure, redact, toBackendError } from './errors.ts'

const NOW = Date.UTC(2026, 0, 1)
const ctx: ErrorContext = { what: 'create repository acme/web' }
const base = {
  'content-type': 'application/json; charset=utf-8',
  'x-github-request-id': 'C0DE:1234:5678:9ABC:6788A1B2',
  'x-github-media-type': 'github.v3; format=json',
}
const budget = {
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4321',
  'x-ratelimit-reset': String(NOW / 1000 + 900),
}
const fail = (status: number, headers: Record<string, string>, data: unknown) => ({
  name: 'HttpError',
  status,
  response: { headers: { ...base, ...headers }, data },
})
const translate = (e: unknown, c: ErrorContext = ctx) => toBackendError(e, c, NOW) as BackendError

describe('HTTP → BackendError', () => {
  const cases: [string, ReturnType<typeof fail>, Partial<BackendError> & { messageHas?: string }][] = [
    [
      '401 bad credentials',
      fail(401, budget, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }),
      { code: 'unauthorized', status: 401, messageHas: 'invalid, expired or revoked' },
    ],
    [
      '403 classic token without the accepted scope',
      fail(
        403,
        { ...budget, 'x-oauth-scopes': 'repo, read:org', 'x-accepted-oauth-scopes': 'delete_repo' },
        { message: 'Must have admin rights to Repository.' },
      ),
      { code: 'missing-scope', missingScope: 'delete_repo', messageHas: 'lacks the "delete_repo" scope' },
    ],
    [
      '403 with the scope granted through a broader one is a plain refusal',
      fail(
        403,
        { ...budget, 'x-oauth-scopes': 'admin:org, repo', 'x-accepted-oauth-scopes': 'read:org' },
        { message: 'Although you appear to have the correct authorization credentials, ...' },
      ),
      { code: 'forbidden' },
    ],
    [
      '403 for delete with no accepted-scopes header: the call says delete_repo',
      fail(403, { ...budget, 'x-oauth-scopes': 'repo' }, { message: 'Must have admin rights to Repository.' }),
      { code: 'missing-scope', missingScope: 'delete_repo' },
    ],
    [
      '403 fine-grained token: x-accepted-github-permissions',
      fail(
        403,
        { ...budget, 'x-accepted-github-permissions': 'administration=write' },
        { message: 'Resource not accessible by personal access token' },
      ),
      { code: 'missing-scope', missingScope: 'administration=write' },
    ],
    [
      '403 primary rate limit (remaining 0)',
      fail(403, { ...budget, 'x-ratelimit-remaining': '0' }, { message: 'API rate limit exceeded for user ID 1.' }),
      { code: 'rate-limited', retryAfterMs: 900_000, reason: 'primary-rate-limit' },
    ],
    [
      '403 secondary rate limit with retry-after',
      fail(
        403,
        { ...budget, 'retry-after': '60' },
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      ),
      { code: 'rate-limited', retryAfterMs: 60_000, reason: 'secondary-rate-limit' },
    ],
    [
      '403 secondary rate limit named only in the text',
      fail(403, budget, { message: 'You have exceeded a secondary rate limit and have been temporarily blocked.' }),
      { code: 'rate-limited', retryAfterMs: 60_000 },
    ],
    [
      '429',
      fail(429, { 'retry-after': '7' }, { message: 'Too Many Requests' }),
      { code: 'rate-limited', retryAfterMs: 7000 },
    ],
    [
      '403 archived repository',
      fail(403, { ...budget, 'x-oauth-scopes': 'repo' }, { message: 'Repository was archived so is read-only.' }),
      { code: 'conflict', reason: 'archived' },
    ],
    ['404', fail(404, budget, { message: 'Not Found' }), { code: 'not-found', status: 404 }],
    [
      '422 name exists',
      fail(422, budget, {
        message: 'Repository creation failed.',
        errors: [
          { resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' },
        ],
      }),
      { code: 'conflict', reason: 'name-exists' },
    ],
    [
      '422 key in use',
      fail(422, budget, {
        message: 'Validation Failed',
        errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
      }),
      { code: 'conflict', reason: 'key-in-use' },
    ],
    [
      '422 key invalid',
      fail(422, budget, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PublicKey',
            code: 'custom',
            field: 'key',
            message: 'key is invalid. You must supply a key in OpenSSH public key format',
          },
        ],
      }),
      { code: 'invalid', reason: 'key-invalid' },
    ],
    [
      '422 not a fast forward',
      fail(422, budget, { message: 'Update is not a fast forward' }),
      { code: 'conflict', reason: 'not-fast-forward' },
    ],
    [
      '422 reference exists',
      fail(422, budget, { message: 'Reference already exists' }),
      { code: 'conflict', reason: 'ref-exists' },
    ],
    [
      '409 empty repository',
      fail(409, budget, { message: 'Git Repository is empty.' }),
      { code: 'conflict', reason: 'empty-repository' },
    ],
    [
      '422 missing workflow_dispatch',
      fail(422, budget, { message: "Workflow does not have 'workflow_dispatch' trigger" }),
      { code: 'invalid', reason: 'no-workflow-dispatch' },
    ],
    [
      '422 anything else',
      fail(422, budget, {
        message: 'Validation Failed',
        errors: [{ resource: 'Repository', field: 'homepage', code: 'invalid' }],
      }),
      { code: 'invalid', reason: 'validation-failed', messageHas: 'homepage invalid' },
    ],
    ['502', fail(502, {}, 'Bad Gateway'), { code: 'transient', status: 502 }],
  ]

  for (const [name, failure, want] of cases) {
    test(name, () => {
      const err = translate(failure, want.missingScope === 'delete_repo' ? { ...ctx, scope: 'delete_repo' } : ctx)
      expect(err).toBeInstanceOf(BackendError)
      const { messageHas, ...fields } = want
      expect(err).toMatchObject(fields)
      expect(err.requestId).toBe('C0DE:1234:5678:9ABC:6788A1B2')
      expect(err.message.startsWith('create repository acme/web: ')).toBe(true)
      if (messageHas) expect(err.message).toContain(messageHas)
    })
  }

  test('a 404 can mean something finer at a given call', () => {
    const err = translate(fail(404, budget, { message: 'Not Found' }), {
      what: 'add octocat to acme/web',
      notFound: { code: 'invalid', reason: 'user-not-found', message: 'there is no GitHub user "octocat"' },
    })
    expect(err).toMatchObject({ code: 'invalid', reason: 'user-not-found', status: 404 })
    expect(err.needsHuman).toBe(true)
  })

  test('network failures and timeouts are transient', () => {
    const refused = translate(networkFailure(new Error('connect ECONNREFUSED 127.0.0.1:1')))
    expect(refused).toMatchObject({ code: 'transient' })
    expect(refused.message).toContain('ECONNREFUSED')
    const timeout = translate(new DOMException('The operation timed out.', 'TimeoutError'))
    expect(timeout).toMatchObject({ code: 'transient' })
  })

  test('errors that are not HTTP failures pass through; BackendErrors are kept', () => {
    const bug = new TypeError('x is undefined')
    expect(toBackendError(bug, ctx)).toBe(bug)
    const kept = new BackendError('conflict', 'already')
    expect(toBackendError(kept, ctx)).toBe(kept)
  })

  test('never carries a token, a JWT or a signed URL', () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'
    const err = translate(
      fail(422, budget, { message: `token ${token} and github_pat_11AAAAAAA0_abcdefghijklmnop are bad` }),
      { what: `use https://x.blob.core.windows.net/logs?sig=s3cr3t&token=${token}` },
    )
    expect(err.message).not.toContain(token)
    expect(err.message).not.toContain('github_pat_11')
    expect(err.message).not.toContain('s3cr3t')
    expect(JSON.stringify(err.toJSON())).not.toContain(token)
    expect(redact('Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.c2lnbmF0dXJl')).toBe('Bearer [redacted]')
  })
})
