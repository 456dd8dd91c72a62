// GitHub's OpenAPI description as a test oracle: every request the sandbox accepted and every
// answer it gave is checked against `@octokit/openapi` (api.github.com.json, loaded once per
// test run — not the package index, which loads ten descriptions).
import { createRequire } from 'node:module'
import addFormats from 'ajv-formats'
import OpenAPIBackend from 'openapi-backend'
import type { Exchange } from '../../src/sandbox/http/pipeline.ts'

const specPath = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json')

let backend: Promise<OpenAPIBackend> | undefined

type Schema = Record<string, unknown>

/**
 * The description writes "this or null" as `nullable: true` next to oneOf/anyOf/allOf without a
 * `type` (145 places), which Ajv refuses to compile. Same meaning, Ajv's words: anyOf [it, null].
 */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType)
  if (!node || typeof node !== 'object') return node
  const out: Schema = {}
  for (const [k, v] of Object.entries(node)) out[k] = nullableWithoutType(v)
  if (typeof out.nullable === 'boolean' && out.type === undefined && out.$ref === undefined) {
    const { nullable, ...rest } = out
    const composite = 'oneOf' in rest || 'anyOf' in rest || 'allOf' in rest
    if (!nullable || !composite) return rest
    return { anyOf: [rest, { type: 'null' }] }
  }
  return out
}

export function githubOpenAPI(): Promise<OpenAPIBackend> {
  backend ??= (async () => {
    const definition = nullableWithoutType(await Bun.file(specPath).json()) as Schema
    const api = new OpenAPIBackend({
      definition: definition as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'],
      quick: true,
      strict: false,
      validate: true,
      customizeAjv: (ajv) => {
        addFormats(ajv)
        return ajv
      },
    })
    await api.init()
    return api
  })()
  return backend
}

const BODYLESS = new Set([204, 302, 304])

type AjvError = { keyword: string; params: { passingSchemas?: unknown } }

/**
 * Some alternatives in the description overlap (a 409 is `oneOf` basic-error or rule-violation
 * error, and a plain error body is both). Matching more than one alternative is not a mismatch.
 */
const real = (errors: AjvError[] | null | undefined) =>
  (errors ?? []).filter((e) => !(e.keyword === 'oneOf' && Array.isArray(e.params.passingSchemas)))

/** The spec's path with the exchange's parameters put back (so /repositories/{id} and refs with slashes parse). */
function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name] ?? ''))
}

/** Problems with one exchange, in words; empty when it conforms. */
export async function checkExchange(e: Exchange): Promise<string[]> {
  if (!e.operationId || !e.template || e.fault) return []
  const api = await githubOpenAPI()
  const operation = api.getOperation(e.operationId)
  const where = `${e.method} ${e.path} → ${e.status} (${e.operationId})`
  if (!operation) return [`${where}: no such operation in the spec`]
  const problems: string[] = []
  const statuses = Object.keys(operation.responses ?? {})
  const documented = statuses.includes(String(e.status))
  if (e.status < 300 && !documented) problems.push(`${where}: success status not in the spec (${statuses.join(', ')})`)
  if (!BODYLESS.has(e.status)) {
    if (documented) {
      const errors = real(api.validateResponse(e.responseBody, operation, e.status).errors)
      if (errors.length) problems.push(`${where}: response ${JSON.stringify(errors.slice(0, 5))}`)
    } else if (e.status >= 400) {
      const body = e.responseBody as { message?: unknown; documentation_url?: unknown } | undefined
      if (typeof body?.message !== 'string' || typeof body.documentation_url !== 'string') {
        problems.push(`${where}: error body is not GitHub-shaped: ${JSON.stringify(body)}`)
      }
    }
  }
  if (e.status < 300) {
    const request = {
      method: e.method.toLowerCase(),
      path: fillTemplate(operation.path, e.params ?? {}),
      query: e.query,
      headers: { 'content-type': 'application/json', ...e.requestHeaders },
      ...(e.requestBody === undefined ? {} : { body: e.requestBody }),
    }
    const errors = real(api.validateRequest(request, operation).errors)
    if (errors.length)
      problems.push(`${where}: accepted a request the spec refuses ${JSON.stringify(errors.slice(0, 5))}`)
  }
  return problems
}

export async function checkExchanges(exchanges: Exchange[]): Promise<string[]> {
  const out: string[] = []
  for (const e of exchanges) out.push(...(await checkExchange(e)))
  return out
}
