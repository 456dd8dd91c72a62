// The committed YAML is what src/apis generates, and every generated schema is one real
// Kubernetes and kcp would accept (structural, RE2 patterns, a `type` on every node).
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generatedDirs, generatedFiles } from '../../scripts/generate-schemas.ts'
import { apiExport, apiResourceSchemaName, openAPIV3Schema } from './crd.ts'
import { EXPORT_NAME } from './v1alpha1/group.ts'
import { codeKinds } from './v1alpha1/kinds.ts'

const root = join(import.meta.dir, '..', '..')

describe('generated YAML', () => {
  const files = generatedFiles()

  test.each([...files.keys()].map((f) => [f]))('%s is up to date (run `npm run generate`)', (path) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(files.get(path)!)
  })

  test('no stale files are left in the generated folders', () => {
    const onDisk = generatedDirs.flatMap((d) =>
      readdirSync(join(root, d))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `${d}/${f}`),
    )
    expect(onDisk.sort()).toEqual([...files.keys()].filter((f) => generatedDirs.some((d) => f.startsWith(d))).sort())
  })
})

type Node = Record<string, unknown>
const lookaround = /\(\?[=!<]|\\[1-9]/

function structuralProblems(node: Node, path: string): string[] {
  const out: string[] = []
  if (node['x-kubernetes-preserve-unknown-fields'] === true) return out
  if (typeof node.type !== 'string') out.push(`${path}: no type`)
  for (const k of ['anyOf', 'oneOf', 'allOf', 'not', 'const', '$ref']) if (k in node) out.push(`${path}: uses ${k}`)
  if (node.properties && node.additionalProperties !== undefined)
    out.push(`${path}: properties and additionalProperties`)
  if (typeof node.pattern === 'string' && lookaround.test(node.pattern)) out.push(`${path}: pattern is not RE2`)
  for (const [k, sub] of Object.entries((node.properties as Record<string, Node>) ?? {})) {
    out.push(...structuralProblems(sub, `${path}.${k}`))
  }
  if (node.items) out.push(...structuralProblems(node.items as Node, `${path}[]`))
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.push(...structuralProblems(node.additionalProperties as Node, `${path}{}`))
  }
  return out
}

describe.each(codeKinds.map((k) => [k.kind, k]))('%s schema', (_kind, def) => {
  test('is structural', () => {
    expect(structuralProblems(openAPIV3Schema(def), def.kind)).toEqual([])
  })

  test('documents every spec field (kubectl explain)', () => {
    const undocumented = Object.entries((def.spec as Node).properties as Record<string, Node>)
      .filter(([, s]) => typeof s.description !== 'string' || s.description === '')
      .map(([k]) => k)
    expect(undocumented).toEqual([])
  })

  test('has a category, short name, status subresource columns and Age', () => {
    expect(def.categories).toEqual(['kedge'])
    expect(def.shortNames.length).toBe(1)
    expect(def.printerColumns.at(-1)?.name).toBe('Age')
  })
})

test('the APIExport names every schema and claims secrets and events', () => {
  const exp = apiExport(EXPORT_NAME, codeKinds) as {
    spec: { resources: { schema: string }[]; permissionClaims: unknown[] }
  }
  expect(exp.spec.resources.map((r) => r.schema)).toEqual(codeKinds.map(apiResourceSchemaName))
  expect(exp.spec.permissionClaims).toEqual([
    { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    { group: '', resource: 'events', verbs: ['get', 'list', 'watch', 'create', 'patch'] },
  ])
})

test('schema names change with the schema', () => {
  const def = codeKinds[0]!
  const changed = { ...def, description: `${def.description} (changed)` }
  expect(apiResourceSchemaName(changed)).not.toBe(apiResourceSchemaName(def))
  expect(apiResourceSchemaName(def)).toMatch(/^v[0-9a-f]{10}\.connections\.code\.kedge\.faros\.sh$/)
})
