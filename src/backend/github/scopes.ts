// Token kinds and OAuth scopes: what a credential is, and whether its scopes cover what a call needs.

import type { TokenKind } from '../../apis/v1alpha1/connection.ts'

const prefixes: [string, TokenKind][] = [
  ['ghp_', 'classic-pat'],
  ['github_pat_', 'fine-grained-pat'],
  ['gho_', 'oauth'],
  ['ghu_', 'github-app-user'],
  ['ghs_', 'github-app-installation'],
]

export function tokenKindOf(token: string): TokenKind {
  return prefixes.find(([prefix]) => token.startsWith(prefix))?.[1] ?? 'unknown'
}

/** Only classic PATs and OAuth tokens carry scopes (X-OAuth-Scopes); the others have permissions. */
export const hasScopes = (kind: TokenKind): boolean => kind === 'classic-pat' || kind === 'oauth'

/** `X-OAuth-Scopes` / `X-Accepted-OAuth-Scopes`: a comma-separated list. */
export function parseScopes(header: string | null | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

// A granted scope implies the narrower ones beneath it (GitHub's scope hierarchy).
const implied: Record<string, string[]> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite', 'security_events'],
  'admin:org': ['write:org', 'read:org', 'manage_runners:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  'write:packages': ['read:packages'],
  user: ['read:user', 'user:email', 'user:follow'],
  project: ['read:project'],
  'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
}

export function expandScopes(granted: string[]): Set<string> {
  const all = new Set<string>()
  const add = (scope: string) => {
    if (all.has(scope)) return
    all.add(scope)
    for (const narrower of implied[scope] ?? []) add(narrower)
  }
  for (const scope of granted) add(scope)
  return all
}

/** GitHub accepts a call when the token has any one of the accepted scopes (or none are listed). */
export function scopesSatisfy(granted: string[], accepted: string[]): boolean {
  if (accepted.length === 0) return true
  const have = expandScopes(granted)
  return accepted.some((scope) => have.has(scope))
}
