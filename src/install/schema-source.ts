// Where `init` takes the APIResourceSchemas from: KEDGE_SCHEMAS_DIR when it exists (the image
// ships chart/files/schemas at /etc/kedge/schemas), else generated in process from src/apis, which
// is the same content (a test keeps the committed files in line with the generator).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { apiResourceSchema, type JsonObject } from '../apis/crd.ts'
import { codeKinds } from '../apis/v1alpha1/kinds.ts'
import { nameOf, specOf } from './kcp-objects.ts'

export interface SchemaSource {
  from: 'directory' | 'generated'
  /** Set when read from a directory. */
  dir?: string
  schemas: JsonObject[]
}

export const generatedSchemas = (): JsonObject[] => codeKinds.map(apiResourceSchema)

function problemsOf(schema: JsonObject): string[] {
  const spec = specOf(schema)
  const problems: string[] = []
  if (!nameOf(schema)) problems.push('metadata.name is missing')
  if (typeof spec.group !== 'string' || spec.group === '') problems.push('spec.group is missing')
  const plural = (spec.names as JsonObject | undefined)?.plural
  if (typeof plural !== 'string' || plural === '') problems.push('spec.names.plural is missing')
  return problems
}

/** Every APIResourceSchema in the YAML files of `dir` (other kinds, e.g. the APIExport file, are skipped). */
export function schemasFromDir(dir: string): JsonObject[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
  const schemas: JsonObject[] = []
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${join(dir, file)}: ${doc.errors[0]!.message}`)
      const o = doc.toJS() as JsonObject | null
      if (o?.kind !== 'APIResourceSchema') continue
      const problems = problemsOf(o)
      if (problems.length > 0) throw new Error(`${join(dir, file)}: APIResourceSchema ${problems.join(', ')}`)
      schemas.push(o)
    }
  }
  if (schemas.length === 0) throw new Error(`${dir}: no APIResourceSchema in any .yaml file`)
  return schemas
}

export function loadSchemas(dir: string): SchemaSource {
  if (existsSync(dir) && statSync(dir).isDirectory()) return { from: 'directory', dir, schemas: schemasFromDir(dir) }
  return { from: 'generated', schemas: generatedSchemas() }
}
