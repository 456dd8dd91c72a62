// Writes config/crds, config/kcp and chart/files/schemas from src/apis. Run: `npm run generate`.
// `generatedFiles()` is also what the drift test compares the committed YAML with.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { apiExport, apiResourceSchema, customResourceDefinition, type JsonObject } from '../src/apis/crd.ts'
import { EXPORT_NAME, GROUP } from '../src/apis/v1alpha1/group.ts'
import { codeKinds } from '../src/apis/v1alpha1/kinds.ts'

const header = '# Generated from src/apis by `npm run generate`. Do not edit.\n'
export const toYaml = (obj: JsonObject): string =>
  header + stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false })

/** Relative path → content, for every generated file. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>()
  const kcp = new Map<string, string>()
  for (const def of codeKinds) {
    files.set(`config/crds/${GROUP}_${def.plural}.yaml`, toYaml(customResourceDefinition(def)))
    kcp.set(`apiresourceschema-${def.plural}.${GROUP}.yaml`, toYaml(apiResourceSchema(def)))
  }
  kcp.set(`apiexport-${EXPORT_NAME}.yaml`, toYaml(apiExport(EXPORT_NAME, codeKinds)))
  for (const [name, content] of kcp) {
    files.set(`config/kcp/${name}`, content)
    files.set(`chart/files/schemas/${name}`, content)
  }
  return files
}

export const generatedDirs = ['config/crds', 'config/kcp', 'chart/files/schemas']

if (import.meta.main) {
  const root = join(import.meta.dir, '..')
  for (const dir of generatedDirs) {
    mkdirSync(join(root, dir), { recursive: true })
    for (const f of readdirSync(join(root, dir))) if (f.endsWith('.yaml')) rmSync(join(root, dir, f))
  }
  const files = generatedFiles()
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  console.log(`wrote ${files.size} files under ${generatedDirs.join(', ')}`)
}
