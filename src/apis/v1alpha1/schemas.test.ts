// Every limit, enum, pattern and required field of every kind rejects bad input with its field
// path. Cases are derived by walking each schema over a full example, so a new field is covered
// the moment it is added.
import { describe, expect, test } from 'bun:test'
import { openAPIV3Schema } from '../crd.ts'
import type { KubeObject } from '../meta.ts'
import { fieldPath } from '../validate.ts'
import { fullExamples, minimalExamples } from './examples.ts'
import { type CodeKind, codeKinds } from './kinds.ts'
import { validateCodeObject } from './validate.ts'

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema }
interface Case {
  name: string
  expectField: string
  mutate: (o: Record<string, unknown>) => void
}

const clone = <T>(v: T): T => structuredClone(v)
const setAt = (root: Record<string, unknown>, pointer: string[], value: unknown) => {
  const parent = pointer.slice(0, -1).reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, root)
  const last = pointer[pointer.length - 1]!
  if (value === undefined) delete parent[last]
  else parent[last] = value
}

/** A string that breaks `pattern` (checked below, so a case can never pass by accident). */
const badString = (pattern: string) => ['!! not valid !!', '-', ' ', '..'].find((s) => !new RegExp(pattern).test(s))!

function casesFor(schema: Schema, value: unknown, pointer: string[]): Case[] {
  const cases: Case[] = []
  const path = fieldPath(`/${pointer.join('/')}`)
  const add = (name: string, v: unknown) =>
    cases.push({ name: `${path} ${name}`, expectField: path, mutate: (o) => setAt(o, pointer, v) })

  if (schema.type === 'string') {
    if (typeof schema.maxLength === 'number') add('too long', 'a'.repeat(schema.maxLength + 1))
    if (typeof schema.minLength === 'number' && schema.minLength > 0) add('empty', '')
    if (Array.isArray(schema.enum)) add('not in enum', 'not-a-supported-value')
    if (typeof schema.pattern === 'string') add('bad pattern', badString(schema.pattern))
    if (schema.format === 'date-time') add('bad date', 'yesterday')
    add('wrong type', 42)
  }
  if (schema.type === 'integer') {
    if (typeof schema.minimum === 'number') add('below minimum', schema.minimum - 1)
    if (typeof schema.maximum === 'number') add('above maximum', schema.maximum + 1)
    add('wrong type', 'seven')
  }
  if (schema.type === 'boolean') add('wrong type', 'yes')
  if (schema.type === 'object' || schema.type === 'array') add('wrong type', 'text')
  if (schema.type === 'array' && Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > 0) {
      add(
        'too many items',
        Array.from({ length: schema.maxItems + 1 }, () => value[0]),
      )
    }
    value.forEach((item, i) => {
      cases.push(...casesFor(schema.items!, item, [...pointer, String(i)]))
    })
  }
  if (schema.type === 'object' && schema.properties && value && typeof value === 'object') {
    for (const req of (schema.required as string[] | undefined) ?? []) {
      const reqPath = fieldPath(`/${[...pointer, req].join('/')}`)
      cases.push({
        name: `${reqPath} missing`,
        expectField: reqPath,
        mutate: (o) => setAt(o, [...pointer, req], undefined),
      })
    }
    for (const [key, sub] of Object.entries(schema.properties)) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) cases.push(...casesFor(sub, v, [...pointer, key]))
    }
  }
  return cases
}

describe.each(codeKinds.map((k) => [k.kind as CodeKind]))('%s', (kind) => {
  const schema = openAPIV3Schema(codeKinds.find((k) => k.kind === kind)!) as Schema
  const full = fullExamples[kind]

  test('minimal and full examples are valid', () => {
    expect(validateCodeObject(kind, minimalExamples[kind])).toEqual([])
    expect(validateCodeObject(kind, full)).toEqual([])
  })

  const cases = ['spec', 'status'].flatMap((part) =>
    casesFor(schema.properties![part]!, (full as unknown as Record<string, unknown>)[part], [part]),
  )
  test('the full example reaches every field of spec and status', () => {
    const covered = new Set(cases.map((c) => c.expectField.replace(/\[\d+\]/g, '[]')))
    const walk = (s: Schema, path: string): string[] =>
      Object.entries(s.properties ?? {}).flatMap(([k, sub]) => {
        const p = `${path}.${k}`
        return [p, ...walk(sub, p), ...(sub.items ? walk(sub.items, `${p}[]`) : [])]
      })
    const uncovered = ['spec', 'status'].flatMap((p) => walk(schema.properties![p]!, p)).filter((p) => !covered.has(p))
    expect(uncovered).toEqual([])
  })

  test.each(cases.map((c) => [c.name, c]))('rejects %s', (_name, c) => {
    const bad = clone(full) as unknown as Record<string, unknown>
    c.mutate(bad)
    const errors = validateCodeObject(kind, bad as unknown as KubeObject)
    expect(errors.map((e) => e.field)).toContain(c.expectField)
  })
})

describe('cross-field rules', () => {
  const conn = () => clone(minimalExamples.Connection) as KubeObject<Record<string, unknown>>

  test('a pat connection needs secretRef', () => {
    const c = conn()
    delete c.spec.secretRef
    expect(validateCodeObject('Connection', c)).toEqual([
      {
        field: 'spec.secretRef',
        type: 'FieldValueInvalid',
        message: 'secretRef is required for pat and oauth connections',
      },
    ])
  })

  test('a github-app connection needs githubApp', () => {
    const c = conn()
    c.spec.type = 'github-app'
    expect(validateCodeObject('Connection', c).map((e) => e.field)).toEqual(['spec.githubApp'])
  })

  test('repository names "." and ".." are refused', () => {
    for (const name of ['.', '..']) {
      const r = clone(minimalExamples.Repository) as KubeObject<Record<string, unknown>>
      r.spec.name = name
      expect(validateCodeObject('Repository', r).map((e) => e.field)).toEqual(['spec.name'])
    }
  })

  test('autoInit and template exclude each other', () => {
    const r = clone(fullExamples.Repository) as KubeObject<Record<string, unknown>>
    r.spec.autoInit = true
    expect(validateCodeObject('Repository', r).map((e) => e.field)).toEqual(['spec.autoInit'])
  })

  test('immutable fields can be set once', () => {
    const old = minimalExamples.Collaborator as KubeObject<Record<string, unknown>>
    const changed = clone(old)
    changed.spec.username = 'hubot'
    expect(validateCodeObject('Collaborator', changed, old)).toEqual([
      { field: 'spec.username', type: 'FieldValueInvalid', message: 'username is immutable' },
    ])
    const permissionOnly = clone(old)
    permissionOnly.spec.permission = 'admin'
    expect(validateCodeObject('Collaborator', permissionOnly, old)).toEqual([])
  })

  test('a request spec never changes', () => {
    const old = minimalExamples.RepositoryCheckout as KubeObject<Record<string, unknown>>
    const changed = clone(old)
    changed.spec.ref = 'develop'
    expect(validateCodeObject('RepositoryCheckout', changed, old).map((e) => e.field)).toEqual(['spec'])
  })

  test('duplicate condition types are refused', () => {
    const r = clone(fullExamples.Repository) as KubeObject<Record<string, unknown>, { conditions: unknown[] }>
    r.status!.conditions.push(r.status!.conditions[0])
    expect(validateCodeObject('Repository', r).map((e) => e.field)).toEqual(['status.conditions[1]'])
  })
})

describe('object names', () => {
  test.each([['Website'], ['web_site'], ['-web'], ['a'.repeat(254)], ['']])('refuses %p', (name) => {
    const r = clone(minimalExamples.Repository)
    r.metadata.name = name
    expect(validateCodeObject('Repository', r).map((e) => e.field)).toEqual(['metadata.name'])
  })

  test('a generateName object needs no name yet', () => {
    const r = clone(minimalExamples.Repository)
    r.metadata = { name: '', generateName: 'website-' }
    expect(validateCodeObject('Repository', r)).toEqual([])
  })
})
