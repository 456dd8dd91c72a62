import { describe, expect, test } from 'bun:test'
import type { ObservedRepository } from '../backend.ts'
import { planRepositoryUpdate, repositoryDiff, toObservedRepository } from './repository-diff.ts'

const json = {
  id: 42,
  name: 'web',
  full_name: 'acme/web',
  owner: { login: 'acme', type: 'Organization' },
  html_url: 'https://github.com/acme/web',
  clone_url: 'https://github.com/acme/web.git',
  ssh_url: 'git@github.com:acme/web.git',
  default_branch: 'main',
  private: true,
  visibility: 'private',
  archived: false,
  description: null,
  homepage: null,
  topics: ['b', 'a'],
  has_issues: true,
  has_wiki: false,
  has_projects: true,
  created_at: '2026-01-01T00:00:00Z',
}
const observed: ObservedRepository = toObservedRepository(json)

describe('repository JSON', () => {
  test('maps into our words; nulls become empty strings', () => {
    expect(observed).toMatchObject({
      id: '42',
      fullName: 'acme/web',
      visibility: 'private',
      description: '',
      homepage: '',
      ownerKind: 'Organization',
      hasWiki: false,
    })
  })
  test('visibility falls back to the private flag (older GHES)', () => {
    const { visibility: _, ...old } = json
    expect(toObservedRepository({ ...old, private: false }).visibility).toBe('public')
    expect(toObservedRepository({ ...json, owner: { login: 'me', type: 'User' } }).ownerKind).toBe('User')
  })
})

describe('repositoryDiff', () => {
  test('only keys the desired settings set, and only when they differ', () => {
    expect(repositoryDiff({ name: 'web' }, observed)).toEqual([])
    expect(repositoryDiff({ name: 'web', visibility: 'private', topics: ['a', 'b', 'a'] }, observed)).toEqual([])
    expect(
      repositoryDiff(
        { name: 'site', description: 'x', visibility: 'public', topics: ['a'], hasWiki: true, defaultBranch: 'trunk' },
        observed,
      ),
    ).toEqual(['name', 'description', 'visibility', 'topics', 'hasWiki', 'defaultBranch'])
    expect(repositoryDiff({ name: 'web', description: '' }, observed)).toEqual([])
  })
})

describe('planRepositoryUpdate', () => {
  test('plain settings: one PATCH, topics on their own', () => {
    expect(planRepositoryUpdate(observed, { name: 'web', description: 'd', topics: ['x'], archived: false })).toEqual({
      unarchiveFirst: false,
      patch: { description: 'd' },
      topics: ['x'],
      archiveAfter: false,
    })
  })
  test('nothing differs: nothing to do', () => {
    expect(planRepositoryUpdate(observed, { name: 'web' })).toEqual({
      unarchiveFirst: false,
      patch: {},
      archiveAfter: false,
    })
  })
  test('archived repository: unarchive, change, archive again (visibility cannot change while archived)', () => {
    const archived = { ...observed, archived: true }
    expect(planRepositoryUpdate(archived, { name: 'web', visibility: 'public' })).toEqual({
      unarchiveFirst: true,
      patch: { visibility: 'public' },
      archiveAfter: true,
    })
    expect(planRepositoryUpdate(archived, { name: 'web', visibility: 'public', archived: false })).toMatchObject({
      unarchiveFirst: true,
      archiveAfter: false,
    })
    expect(planRepositoryUpdate(archived, { name: 'web', archived: false })).toEqual({
      unarchiveFirst: true,
      patch: {},
      archiveAfter: false,
    })
    expect(planRepositoryUpdate(archived, { name: 'web', archived: true, description: '' })).toEqual({
      unarchiveFirst: false,
      patch: {},
      archiveAfter: false,
    })
  })
  test('archiving comes last, after the settings', () => {
    expect(planRepositoryUpdate(observed, { name: 'web', archived: true, hasIssues: false })).toEqual({
      unarchiveFirst: false,
      patch: { has_issues: false },
      archiveAfter: true,
    })
  })
  test('a new default branch is checked first', () => {
    expect(planRepositoryUpdate(observed, { defaultBranch: 'trunk', name: 'site' })).toEqual({
      unarchiveFirst: false,
      patch: { name: 'site', default_branch: 'trunk' },
      archiveAfter: false,
      branchToCheck: 'trunk',
    })
  })
})
