import { describe, expect, test } from 'bun:test'
import { apiHost, normalizeBaseURL, registryHost } from './host.ts'
import { expandScopes, parseScopes, scopesSatisfy, tokenKindOf } from './scopes.ts'

describe('hosts', () => {
  test('base URLs: empty is github.com, trailing slashes go', () => {
    expect(normalizeBaseURL()).toBe('https://api.github.com')
    expect(normalizeBaseURL('  ')).toBe('https://api.github.com')
    expect(normalizeBaseURL('https://ghe.example.com/api/v3///')).toBe('https://ghe.example.com/api/v3')
    expect(normalizeBaseURL('http://127.0.0.1:8090/')).toBe('http://127.0.0.1:8090')
    expect(() => normalizeBaseURL('ftp://x')).toThrow('http(s)')
    expect(apiHost('https://ghe.example.com/api/v3')).toBe('ghe.example.com')
  })

  test('container registry from the API host', () => {
    expect(registryHost('https://api.github.com')).toBe('ghcr.io')
    expect(registryHost('https://ghe.example.com/api/v3')).toBe('containers.ghe.example.com')
    expect(registryHost('https://api.octo.ghe.com')).toBe('containers.octo.ghe.com')
    expect(registryHost('http://127.0.0.1:8090')).toBe('127.0.0.1:8090')
  })
})

describe('tokens and scopes', () => {
  test('token kind from the prefix', () => {
    expect(tokenKindOf('ghp_x')).toBe('classic-pat')
    expect(tokenKindOf('github_pat_x')).toBe('fine-grained-pat')
    expect(tokenKindOf('gho_x')).toBe('oauth')
    expect(tokenKindOf('ghu_x')).toBe('github-app-user')
    expect(tokenKindOf('ghs_x')).toBe('github-app-installation')
    expect(tokenKindOf('0123456789abcdef0123456789abcdef01234567')).toBe('unknown')
  })

  test('scopes: parsed from the header, broader scopes imply narrower ones', () => {
    expect(parseScopes(' repo, read:org ,,')).toEqual(['repo', 'read:org'])
    expect(parseScopes(undefined)).toEqual([])
    expect([...expandScopes(['admin:org'])].sort()).toEqual([
      'admin:org',
      'manage_runners:org',
      'read:org',
      'write:org',
    ])
    expect(scopesSatisfy(['repo'], ['public_repo'])).toBe(true)
    expect(scopesSatisfy(['write:packages'], ['read:packages'])).toBe(true)
    expect(scopesSatisfy(['repo'], ['delete_repo'])).toBe(false)
    expect(scopesSatisfy([], [])).toBe(true)
  })
})
