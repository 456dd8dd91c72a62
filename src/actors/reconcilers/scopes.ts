// Which features a credential cannot serve, and why, from its scopes and kind. Pure.
import type { OwnerKind, TokenKind } from '../../apis/v1alpha1/connection.ts'
import type { CredentialInfo } from '../../backend/backend.ts'

export interface DisabledFeature {
  feature: string
  reason: string
}

/** Scopes GitHub grants implicitly with a broader one. */
const implied: Record<string, string[]> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite', 'security_events'],
  'write:packages': ['read:packages'],
  'delete:packages': ['read:packages'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
}

export function effectiveScopes(scopes: string[]): Set<string> {
  const out = new Set(scopes)
  for (const s of scopes) for (const i of implied[s] ?? []) out.add(i)
  return out
}

const packageTokenKinds: TokenKind[] = ['classic-pat', 'oauth']

export function disabledFeatures(info: CredentialInfo, owner: string, ownerKind: OwnerKind): DisabledFeature[] {
  const out: DisabledFeature[] = []
  if (ownerKind === 'User' && owner.toLowerCase() !== info.login.toLowerCase()) {
    out.push({
      feature: 'create-repositories',
      reason: `owner "${owner}" is a user account, and only ${owner} can create repositories there (this credential is ${info.login}); existing repositories can still be adopted`,
    })
  }
  if (!packageTokenKinds.includes(info.tokenKind)) {
    out.push({
      feature: 'packages',
      reason: `GitHub lists packages only for classic personal access tokens and OAuth tokens, not ${info.tokenKind} tokens`,
    })
  }
  if (!info.scopesKnown) return out
  const has = effectiveScopes(info.scopes)
  const need = (scope: string, feature: string, what: string) => {
    if (!has.has(scope)) out.push({ feature, reason: `missing scope ${scope}: ${what}` })
  }
  if (!has.has('repo')) {
    out.push({
      feature: 'private-repositories',
      reason: has.has('public_repo')
        ? 'missing scope repo: only public repositories can be managed'
        : 'missing scope repo: repositories, deploy keys and collaborators cannot be managed',
    })
  }
  need('delete_repo', 'delete-repositories', 'repositories with deletionPolicy Delete cannot be deleted')
  if (packageTokenKinds.includes(info.tokenKind))
    need('read:packages', 'packages', 'published packages cannot be listed')
  need('workflow', 'workflow-files', 'commits cannot change files under .github/workflows')
  return out
}

export interface PackagesUnavailable {
  reason: 'MissingScope' | 'UnsupportedTokenType'
  message: string
}

/** Why the Connection's credential cannot list packages (from its validated status), or undefined. */
export function packagesUnavailable(connection: {
  metadata: { name: string }
  status?: { tokenKind?: TokenKind; disabledFeatures?: DisabledFeature[] }
}): PackagesUnavailable | undefined {
  const disabled = connection.status?.disabledFeatures?.find((f) => f.feature === 'packages')
  if (!disabled) return undefined
  const name = connection.metadata.name
  const kind = connection.status?.tokenKind
  if (kind && !packageTokenKinds.includes(kind)) {
    return {
      reason: 'UnsupportedTokenType',
      message: `${disabled.reason}. To see packages, give Connection "${name}" a classic personal access token or an OAuth token with read:packages`,
    }
  }
  return {
    reason: 'MissingScope',
    message: `${disabled.reason}. Add the read:packages scope to the token of Connection "${name}"`,
  }
}
