// `code-provider init`: bootstrap the provider workspace in kcp (or the embedded API server) and
// exit. Helm runs it as an init container; it is safe to run any number of times.
import { readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import type { JsonObject } from '../apis/crd.ts'
import { EXPORT_NAME, GROUP } from '../apis/v1alpha1/group.ts'
import { loadConnection } from '../cluster/kube/connection.ts'
import { workspaceAt } from '../cluster/kube/workspace-client.ts'
import type { Config } from '../config.ts'
import { type BootstrapOptions, bootstrap, type Step } from '../install/bootstrap.ts'
import { loadSchemas, type SchemaSource } from '../install/schema-source.ts'

export interface InitResult {
  server: string
  schemaSource: SchemaSource
  steps: Step[]
  ms: number
}

/** The CatalogEntry in KEDGE_CATALOGENTRY_FILE: exactly one providers.kedge.faros.sh CatalogEntry with a name. */
export function readCatalogEntry(path: string): JsonObject {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`${path}: ${d.errors[0]!.message}`)
      return d.toJS() as JsonObject | null
    })
    .filter((d): d is JsonObject => d !== null)
  const entries = docs.filter((d) => d.kind === 'CatalogEntry')
  if (entries.length !== 1 || docs.length !== 1) {
    throw new Error(`${path}: expected one CatalogEntry document, found ${docs.length} document(s)`)
  }
  const entry = entries[0]!
  if (!String(entry.apiVersion ?? '').startsWith('providers.kedge.faros.sh/')) {
    throw new Error(`${path}: apiVersion must be providers.kedge.faros.sh/v1alpha1, not "${String(entry.apiVersion)}"`)
  }
  if (!(entry.metadata as JsonObject | undefined)?.name) throw new Error(`${path}: metadata.name is missing`)
  return entry
}

export async function runInit(config: Config, options: BootstrapOptions = {}): Promise<InitResult> {
  const started = performance.now()
  if (!config.kubeconfig) {
    throw new Error(
      'init needs a kubeconfig: set KEDGE_PROVIDER_KUBECONFIG (or CODE_KUBECONFIG, KUBECONFIG). ' +
        'For the embedded API server of `npm start`, use .data/provider.kubeconfig.',
    )
  }
  const schemaSource = loadSchemas(config.schemasDir)
  const catalogEntry = config.catalogEntryFile ? readCatalogEntry(config.catalogEntryFile) : undefined
  const conn = await loadConnection({ path: config.kubeconfig })
  const server = `${conn.origin}/clusters/${config.workspacePath}`
  const client = workspaceAt(conn, config.workspacePath)
  const steps = await bootstrap(
    client,
    {
      exportName: EXPORT_NAME,
      workspacePath: config.workspacePath,
      schemas: schemaSource.schemas,
      ownedGroups: [GROUP],
      catalogEntry,
    },
    options,
  )
  return { server, schemaSource, steps, ms: Math.round(performance.now() - started) }
}

/** What init prints: where, from what, one line per object, and a tally. */
export function formatInit(r: InitResult): string {
  const source =
    r.schemaSource.from === 'directory'
      ? `from ${r.schemaSource.dir} (KEDGE_SCHEMAS_DIR)`
      : 'generated from src/apis (KEDGE_SCHEMAS_DIR does not exist)'
  const kindWidth = Math.max(...r.steps.map((s) => s.kind.length))
  const lines = r.steps.map(
    (s) =>
      `  ${s.action.padEnd(9)}  ${s.kind.padEnd(kindWidth)}  ${[s.name, s.detail && `(${s.detail})`].filter(Boolean).join('  ')}`,
  )
  const tally = new Map<string, number>()
  for (const s of r.steps) tally.set(s.action, (tally.get(s.action) ?? 0) + 1)
  const summary = [...tally].map(([action, n]) => `${n} ${action}`).join(', ')
  return [
    `init: provider workspace ${r.server}`,
    `init: ${r.schemaSource.schemas.length} APIResourceSchemas ${source}`,
    ...lines,
    `init: done in ${r.ms} ms: ${summary}`,
  ].join('\n')
}
