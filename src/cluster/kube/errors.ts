// The one place HTTP answers become ClusterErrors: Status reasons to stable codes, and 422
// causes to field errors (the same FieldError shape src/apis/validate.ts produces).

import type { FieldError } from '../../apis/validate.ts'
import { ClusterError, type ClusterErrorCode } from '../cluster.ts'

interface Status {
  message?: string
  reason?: string
  details?: { causes?: { reason?: string; message?: string; field?: string }[] }
}

const fieldErrorTypes = new Set<FieldError['type']>([
  'FieldValueRequired',
  'FieldValueInvalid',
  'FieldValueNotSupported',
  'FieldValueTooLong',
  'FieldValueTypeInvalid',
])

function codeFor(status: number, reason: string | undefined): ClusterErrorCode {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 409) return reason === 'AlreadyExists' ? 'already-exists' : 'conflict'
  if (status === 410) return 'gone'
  if (status === 422 || status === 400) return 'invalid'
  return 'unavailable'
}

export function clusterError(status: number, body: unknown, what: string): ClusterError {
  const s = (typeof body === 'object' && body !== null ? body : {}) as Status
  const causes: FieldError[] = (s.details?.causes ?? []).map((c) => ({
    field: c.field ?? '',
    type: fieldErrorTypes.has(c.reason as FieldError['type']) ? (c.reason as FieldError['type']) : 'FieldValueInvalid',
    message: c.message ?? '',
  }))
  const message = s.message ?? (typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`)
  return new ClusterError(codeFor(status, s.reason), `${what}: ${message}`, status, causes)
}

export const unavailable = (what: string, e: unknown) =>
  e instanceof ClusterError ? e : new ClusterError('unavailable', `${what}: ${(e as Error)?.message ?? String(e)}`)
