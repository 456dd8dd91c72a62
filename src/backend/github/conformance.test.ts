// The backend conformance suite (src/backend/conformance.ts): always against the GitHub sandbox
// (an organization owner and a user owner), and against real GitHub when a token is given:
// GITHUB_TEST_TOKEN (classic PAT with repo, delete_repo), GITHUB_TEST_OWNER (an organization or the
// token's user; default the token's user), GITHUB_TEST_OTHER_USER (someone to invite).

import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { type BackendSandbox, ORG, OTHER, startBackendSandbox, USER } from '../../../test/support/backend-sandbox.ts'
import { type ConformanceTarget, conformanceCases, unmetNeeds } from '../conformance.ts'
import { createGitHubBackend } from './github-backend.ts'

function register(target: ConformanceTarget) {
  for (const c of conformanceCases) {
    const unmet = unmetNeeds(c, target)
    if (unmet.length > 0) test.skip(`${c.name} (needs ${unmet.join(', ')})`, () => {})
    else test(c.name, () => c.run(target), 180_000)
  }
}

describe('backend conformance: sandbox', () => {
  let env: BackendSandbox
  beforeAll(async () => {
    env = await startBackendSandbox()
  })
  afterAll(() => env.stop())

  for (const [owner, ownerKind] of [
    [ORG, 'Organization'],
    [USER, 'User'],
  ] as const) {
    describe(`owner ${ownerKind}`, () => {
      register({
        label: 'sandbox',
        open: (options) => env.session(options),
        openRejected: () => env.sessionFor(`ghp_${'0'.repeat(36)}`),
        owner,
        ownerKind,
        prefix: `conformance-${ownerKind.toLowerCase()}`,
        otherUser: OTHER,
      })
    })
  }

  test('every request and answer of the run matches GitHub’s OpenAPI description', async () => {
    expect(await env.sandbox.conformance()).toEqual([])
  })
})

const token = process.env.GITHUB_TEST_TOKEN

if (!token) {
  console.log('backend conformance on github.com: skipped (set GITHUB_TEST_TOKEN, and GITHUB_TEST_OWNER, to run it)')
}

describe.if(Boolean(token))('backend conformance: github.com', () => {
  const backend = createGitHubBackend()
  const endpoint = { credential: { kind: 'token' as const, token: token ?? '' } }
  const otherUser = process.env.GITHUB_TEST_OTHER_USER
  const target: ConformanceTarget = {
    label: 'github.com',
    open: (options) => backend.session(endpoint, options),
    openRejected: () => backend.session({ credential: { kind: 'token', token: `ghp_${'0'.repeat(36)}` } }),
    owner: '',
    ownerKind: 'User',
    prefix: `kedge-conformance-${Date.now().toString(36)}`,
    ...(otherUser ? { otherUser } : {}),
  }

  beforeAll(async () => {
    const session = target.open()
    target.owner = process.env.GITHUB_TEST_OWNER || (await session.validate()).login
    target.ownerKind = await session.ownerKind(target.owner)
  })

  register(target)
})
