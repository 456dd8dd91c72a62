// Condition types and reasons: the status API every controller, page and tool speaks.
// Ready/Synced follow crossplane (Available/Creating/Deleting/Unavailable, ReconcileSuccess/Error);
// the kind-specific types say *why* something is not ready in a way a person or agent can act on.

export const ConditionType = {
  /** Aggregate: the object is usable. */
  Ready: 'Ready',
  /** The last reconcile reached the git host and matched the spec. */
  Synced: 'Synced',
  /** Connection: the credential authenticated. */
  Validated: 'Validated',
  /** Collaborator: an invitation waits for the user. */
  InvitationPending: 'InvitationPending',
  /** The credential's request gate is parked on a GitHub rate limit. */
  RateLimited: 'RateLimited',
  /** A referenced Connection or Repository is missing or not Ready. */
  DependencyNotReady: 'DependencyNotReady',
  /** Repository: packages cannot be crawled with this Connection. */
  PackagesUnavailable: 'PackagesUnavailable',
} as const
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType]

export const Reason = {
  // Ready
  Available: 'Available',
  Creating: 'Creating',
  Deleting: 'Deleting',
  Unavailable: 'Unavailable',
  // Synced
  ReconcileSuccess: 'ReconcileSuccess',
  ReconcileError: 'ReconcileError',
  ReconcilePaused: 'ReconcilePaused',
  // Connection validated
  Authenticated: 'Authenticated',
  // Why not ready: things a person fixes
  DependencyNotReady: 'DependencyNotReady',
  CredentialUnavailable: 'CredentialUnavailable',
  ValidationFailed: 'ValidationFailed',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  MissingScope: 'MissingScope',
  InvalidSpec: 'InvalidSpec',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  KeyInUse: 'KeyInUse',
  ProviderNotFound: 'ProviderNotFound',
  UnsupportedTokenType: 'UnsupportedTokenType',
  // Why not ready: things that pass
  RateLimited: 'RateLimited',
  TransientError: 'TransientError',
  // Collaborator invitations
  Invited: 'Invited',
  InvitationExpired: 'InvitationExpired',
  Accepted: 'Accepted',
  // One-shot requests
  Pending: 'Pending',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const
export type Reason = (typeof Reason)[keyof typeof Reason]

export const RequestPhase = ['Pending', 'Running', 'Succeeded', 'Failed'] as const
export type RequestPhase = (typeof RequestPhase)[number]
