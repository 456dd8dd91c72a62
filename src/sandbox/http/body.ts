// Request bodies checked against small TypeBox schemas; failures become GitHub's 422
// "Validation Failed" with one `errors[]` item per field (GitHub uses 422, not 400, here).
import type { Static, TSchema } from '@sinclair/typebox'
import { ValueErrorType } from '@sinclair/typebox/errors'
import { Value } from '@sinclair/typebox/value'
import { type ValidationItem, validationFailed } from '../github-error.ts'
import type { Ctx } from './types.ts'

export function readBody<S extends TSchema>(ctx: Ctx, schema: S, resource: string): Static<S> {
  const body = ctx.body ?? {}
  if (Value.Check(schema, body)) return body as Static<S>
  const items: ValidationItem[] = []
  for (const e of Value.Errors(schema, body)) {
    const field = e.path.replace(/^\//, '').replaceAll('/', '.') || undefined
    if (items.some((i) => i.field === field)) continue
    items.push(
      e.type === ValueErrorType.ObjectRequiredProperty
        ? { resource, code: 'missing_field', ...(field ? { field } : {}) }
        : { resource, code: 'invalid', ...(field ? { field } : {}), message: `${field ?? 'body'}: ${e.message}` },
    )
  }
  throw validationFailed(items)
}
