// Form posts in, field errors out: reading url-encoded bodies, and turning validation field
// paths (`spec.topics[0]`) and API refusals into messages next to the form field they concern.

import type { FieldErrors } from '../../views/components/form.tsx'
import type { FieldError } from '../apis/validate.ts'
import { isClusterError } from '../cluster/cluster.ts'

export type FormBody = Record<string, unknown>

const values = (body: FormBody, name: string): string[] => {
  const v = body?.[name]
  if (Array.isArray(v)) return v.map(String)
  return v === undefined || v === null ? [] : [String(v)]
}

/** A text field, trimmed ('' when absent). */
export const text = (body: FormBody, name: string): string => (values(body, name)[0] ?? '').trim()

/** A checkbox rendered by CheckField: a hidden "false" plus the box's "true" when ticked. */
export const checked = (body: FormBody, name: string): boolean => values(body, name).includes('true')

/** A checkbox as the form field value the templates expect. */
export const flag = (body: FormBody, name: string): string => String(checked(body, name))

/** Which form field an API field path belongs to: longest matching prefix; '' for the whole form. */
export function fieldFor(path: string, map: Record<string, string>): string {
  const bare = path.replace(/\[\d+\]/g, '')
  let best = ''
  let field = ''
  for (const [prefix, name] of Object.entries(map)) {
    if ((bare === prefix || bare.startsWith(`${prefix}.`)) && prefix.length > best.length) {
      best = prefix
      field = name
    }
  }
  return field
}

export function addError(errors: FieldErrors, field: string, message: string): FieldErrors {
  errors[field] = [...(errors[field] ?? []), message]
  return errors
}

/** The API's words where people need plainer ones. */
function plain(e: FieldError): string {
  if (e.field === 'metadata.name' && e.type === 'FieldValueInvalid') {
    return "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit."
  }
  if (e.type === 'FieldValueRequired') return 'This is required.'
  return e.message
}

/** Validation errors, each next to its field (messages keep the path when it is not the field itself). */
export function fieldErrors(errors: readonly FieldError[], map: Record<string, string>, into: FieldErrors = {}) {
  for (const e of errors) {
    const field = fieldFor(e.field, map)
    addError(into, field, field ? plain(e) : `${e.field}: ${e.message}`)
  }
  return into
}

export interface WriteFailure {
  status: number
  errors: FieldErrors
}

/**
 * An API refusal of the caller's write, as form errors: invalid (422, per field), name taken,
 * forbidden (their RBAC said no), unreachable. Anything else is a bug: rethrown.
 */
export function writeFailure(
  e: unknown,
  map: Record<string, string>,
  what: { kind: string; name: string; nameField: string },
): WriteFailure {
  if (!isClusterError(e)) throw e
  switch (e.code) {
    case 'invalid':
      return {
        status: 422,
        errors:
          e.causes.length > 0 ? fieldErrors(e.causes, map) : addError({}, '', `The workspace refused it: ${e.message}`),
      }
    case 'already-exists':
      return {
        status: 422,
        errors: addError(
          {},
          what.nameField,
          `A ${what.kind} named "${what.name}" exists already: choose another name.`,
        ),
      }
    case 'forbidden':
    case 'unauthorized':
      return {
        status: 403,
        errors: addError({}, '', `Your account may not change ${what.kind}s in this workspace (${e.message}).`),
      }
    case 'conflict':
      return { status: 409, errors: addError({}, '', `Someone changed the ${what.kind} meanwhile: try again.`) }
    case 'not-found':
      return { status: 404, errors: addError({}, '', `The ${what.kind} is gone (${e.message}).`) }
    default:
      return { status: 503, errors: addError({}, '', `The workspace could not be reached: ${e.message}. Try again.`) }
  }
}

/** A DNS-1123 name from free text (titles, usernames): lower case, '-' for anything else. */
export function slug(text: string, max = 40): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '')
}
