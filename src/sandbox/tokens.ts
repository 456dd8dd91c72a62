// Token formats and classic OAuth scopes: prefixes by kind (ghp_, github_pat_, gho_, ghs_), and the
// scope hierarchy GitHub applies when it checks X-Accepted-OAuth-Scopes.
import { randomBytes } from 'node:crypto'

export const TOKEN_KINDS = ['classic', 'fine-grained', 'oauth', 'installation'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]

const PREFIX: Record<TokenKind, string> = {
  classic: 'ghp_',
  'fine-grained': 'github_pat_',
  oauth: 'gho_',
  installation: 'ghs_',
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function randomBase62(length: number): string {
  const bytes = randomBytes(length * 2)
  let out = ''
  for (const b of bytes) {
    if (b < 248) out += ALPHABET[b % 62]
    if (out.length === length) break
  }
  return out.length === length ? out : out + randomBase62(length - out.length)
}

export function mintToken(kind: TokenKind): string {
  if (kind === 'fine-grained') return `github_pat_${randomBase62(22)}_${randomBase62(59)}`
  return PREFIX[kind] + randomBase62(36)
}

/** The kind a token value claims by its prefix (for control-supplied values). */
export function kindOfToken(value: string): TokenKind | undefined {
  return TOKEN_KINDS.find((k) => value.startsWith(PREFIX[k]))
}

/** Scopes each scope grants besides itself. */
const IMPLIED: Record<string, string[]> = {
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
  'admin:public_key': ['write:public_key', 'read:public_key'],
  'write:public_key': ['read:public_key'],
  'admin:repo_hook': ['write:repo_hook', 'read:repo_hook'],
  'write:repo_hook': ['read:repo_hook'],
  'admin:gpg_key': ['write:gpg_key', 'read:gpg_key'],
  'write:gpg_key': ['read:gpg_key'],
  user: ['read:user', 'user:email', 'user:follow'],
  'write:packages': ['read:packages'],
  project: ['read:project'],
}

export const KNOWN_SCOPES = new Set([
  ...Object.keys(IMPLIED),
  ...Object.values(IMPLIED).flat(),
  'delete_repo',
  'workflow',
  'gist',
  'notifications',
  'delete:packages',
  'admin:org_hook',
  'codespace',
  'copilot',
  'admin:enterprise',
])

/** Whether granted scopes satisfy any one of the accepted scopes. */
export function hasScope(granted: readonly string[], accepted: readonly string[]): boolean {
  if (accepted.length === 0) return true
  const all = new Set(granted.flatMap((s) => [s, ...(IMPLIED[s] ?? [])]))
  return accepted.some((s) => all.has(s))
}

/**
 * Scopes as GitHub records a grant: deduplicated, without those another requested scope implies
 * (`user` absorbs `user:email`), in request order.
 */
export function normalizeScopes(requested: readonly string[]): string[] {
  const unique = [...new Set(requested.map((s) => s.trim()).filter(Boolean))]
  return unique.filter((s) => !unique.some((other) => other !== s && IMPLIED[other]?.includes(s)))
}
