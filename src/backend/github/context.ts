// What every operation of a session needs: the credential's transport, and the session's manners.

import type { OwnerKind } from '../../apis/v1alpha1/connection.ts'
import type { Clock } from './clock.ts'
import type { Call, Transport } from './transport.ts'

export interface SessionContext {
  transport: Transport
  baseURL: string
  clock: Clock
  /** A call description carrying this session's onResponse and priority. */
  call(what: string, errors?: Call['errors']): Call
  /** Writes and user-facing reads are never held back by the budget reserve. */
  foreground(what: string, errors?: Call['errors']): Call
  /** The authenticated user's login; undefined for a GitHub App installation (it is no user). */
  authenticatedLogin(): Promise<string | undefined>
  ownerKind(owner: string): Promise<OwnerKind>
}

/** Path segments of a git ref, each escaped once (for `{+ref}` templates: a branch may hold "/"). */
export const refPath = (ref: string): string => ref.split('/').map(encodeURIComponent).join('/')

export const sameLogin = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase()
