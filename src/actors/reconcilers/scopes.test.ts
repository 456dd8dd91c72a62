import { expect, test } from 'bun:test'
import { disabledFeatures } from './scopes.ts'

const features = (...args: Parameters<typeof disabledFeatures>) => disabledFeatures(...args).map((f) => f.feature)

test('a classic PAT with every scope disables nothing', () => {
  const info = {
    login: 'acme-bot',
    tokenKind: 'classic-pat' as const,
    scopesKnown: true,
    scopes: ['repo', 'delete_repo', 'read:packages', 'workflow'],
  }
  expect(features(info, 'acme', 'Organization')).toEqual([])
})

test('each missing scope names the feature it disables', () => {
  const info = { login: 'acme-bot', tokenKind: 'classic-pat' as const, scopesKnown: true, scopes: ['public_repo'] }
  expect(features(info, 'acme', 'Organization')).toEqual([
    'private-repositories',
    'delete-repositories',
    'packages',
    'workflow-files',
  ])
})

test('implied scopes count: write:packages reads packages', () => {
  const info = {
    login: 'x',
    tokenKind: 'oauth' as const,
    scopesKnown: true,
    scopes: ['repo', 'delete_repo', 'write:packages', 'workflow'],
  }
  expect(features(info, 'x', 'User')).toEqual([])
})

test('fine-grained tokens cannot list packages; their scopes are unknown, not missing', () => {
  const info = { login: 'x', tokenKind: 'fine-grained-pat' as const, scopesKnown: false, scopes: [] }
  expect(features(info, 'acme', 'Organization')).toEqual(['packages'])
})

test("another user's account cannot receive new repositories", () => {
  const info = {
    login: 'alice',
    tokenKind: 'classic-pat' as const,
    scopesKnown: true,
    scopes: ['repo', 'delete_repo', 'read:packages', 'workflow'],
  }
  expect(features(info, 'bob', 'User')).toEqual(['create-repositories'])
  expect(features(info, 'Alice', 'User')).toEqual([])
})
