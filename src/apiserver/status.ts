// Kubernetes Status objects and the one error type handlers throw; the HTTP layer turns it into
// a response. Messages follow the upstream wording so clients (kubectl, client-go) print them well.
import type { FieldError } from '../apis/validate.ts'

export interface StatusCause {
  reason: string
  message: string
  field?: string
}

export interface StatusDetails {
  name?: string
  group?: string
  kind?: string
  causes?: StatusCause[]
  retryAfterSeconds?: number
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message)
  }
}

export const statusBody = (code: number, reason: string, message: string, details?: StatusDetails) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: code < 400 ? 'Success' : 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
})

/** What a resource is called in messages: `repositories.code.kedge.faros.sh`, or `secrets` for core. */
export interface Named {
  group: string
  plural: string
  kind: string
}
const resourceName = (r: Named) => (r.group ? `${r.plural}.${r.group}` : r.plural)
const details = (r: Named, name: string): StatusDetails => ({ name, group: r.group, kind: r.plural })

export const notFound = (r: Named, name: string) =>
  new ApiError(404, 'NotFound', `${resourceName(r)} "${name}" not found`, details(r, name))

export const alreadyExists = (r: Named, name: string) =>
  new ApiError(409, 'AlreadyExists', `${resourceName(r)} "${name}" already exists`, details(r, name))

export const conflict = (r: Named, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resourceName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(r, name),
  )

export function invalid(r: Named, name: string, errors: readonly FieldError[]): ApiError {
  const parts = errors.map((e) => `${e.field}: ${e.message}`)
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${list}`, {
    name,
    group: r.group,
    kind: r.kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  })
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message)
export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  new ApiError(405, 'MethodNotAllowed', message)
export const gone = (message: string) => new ApiError(410, 'Expired', message)
export const unsupportedMediaType = (type: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${type})`,
  )
export const pathNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource')
