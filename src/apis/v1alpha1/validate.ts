import { openAPIV3Schema } from '../crd.ts'
import type { KubeObject } from '../meta.ts'
import { createValidator, type FieldError, type Validator, validateObjectName } from '../validate.ts'
import { type CodeKind, codeKinds } from './kinds.ts'

const validators = new Map<string, Validator>()

function validatorFor(kind: CodeKind): Validator {
  let v = validators.get(kind)
  if (!v) {
    const def = codeKinds.find((k) => k.kind === kind)!
    v = createValidator(openAPIV3Schema(def), def.rules)
    validators.set(kind, v)
  }
  return v
}

/**
 * Validate a code.kedge.faros.sh object as the API server would: name, schema, rules.
 * Pass `old` on update so transition rules (immutable fields) apply.
 */
export function validateCodeObject(kind: CodeKind, obj: KubeObject, old?: KubeObject): FieldError[] {
  const nameErrors = obj.metadata?.generateName ? [] : validateObjectName(obj.metadata?.name)
  return [...nameErrors, ...validatorFor(kind)(obj, old)]
}
