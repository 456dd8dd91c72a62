// The one-shot request objects behind the long tools (RepositoryCommit, RepositoryCheckout,
// RepositoryBuildStatus): named, labelled and owned like their Repository, created as the caller,
// then watched Pending → Running → Succeeded | Failed with progress notifications, for a bounded time.
import type { KubeObject, OwnerReference } from '../apis/meta.ts'
import { API_VERSION } from '../apis/v1alpha1/group.ts'
import { LABEL_REPOSITORY } from '../apis/v1alpha1/labels.ts'
import { validateCodeObject } from '../apis/v1alpha1/validate.ts'
import { resourceTypes } from '../cluster/cluster.ts'
import { invalidArguments, inWorkspace } from './errors.ts'
import { labelValue } from './reads.ts'
import { codeObject, conditionOf } from './shapes.ts'
import { type Obj, type ToolContext, ToolError } from './tool.ts'

export type RequestKind = 'RepositoryCommit' | 'RepositoryCheckout' | 'RepositoryBuildStatus'

const terminal = new Set(['Succeeded', 'Failed'])
const HEARTBEAT_MS = 10_000
const MAX_NAME = 253

let sequence = 0

/**
 * `<repositoryRef>-<infix>[-<12 hex of digest>]-<time hex>`, at most 253 characters: the
 * repository part is cut to fit. The time part is nanosecond-like (ms and a counter), so two
 * requests in the same millisecond still get different names.
 */
export function requestName(repositoryRef: string, infix: string, now: Date, digest?: string): string {
  sequence = (sequence + 1) % 1_000_000
  const time = (BigInt(now.getTime()) * 1_000_000n + BigInt(sequence)).toString(16)
  const hex = digest?.replace(/^sha256:/, '').slice(0, 12)
  const suffix = `-${infix}${hex ? `-${hex}` : ''}-${time}`
  const base = repositoryRef.slice(0, MAX_NAME - suffix.length).replace(/[.-]+$/, '')
  return `${base}${suffix}`
}

/** Labels and owner reference that tie a request to its Repository (listing, audit, garbage collection). */
export function requestMetadata(repository: Obj, copyLabels: boolean): Partial<KubeObject['metadata']> {
  const ref = repository.metadata.name
  const labels = {
    ...(copyLabels ? repository.metadata.labels : {}),
    ...(labelValue(ref) ? { [LABEL_REPOSITORY]: ref } : {}),
  }
  const uid = repository.metadata.uid
  const owner: OwnerReference | undefined = uid
    ? { apiVersion: API_VERSION, kind: 'Repository', name: ref, uid, controller: false, blockOwnerDeletion: false }
    : undefined
  return {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(owner ? { ownerReferences: [owner] } : {}),
  }
}

export async function createRequest(
  ctx: ToolContext,
  tool: string,
  kind: RequestKind,
  name: string,
  spec: Record<string, unknown>,
  metadata: Partial<KubeObject['metadata']>,
  fields: Record<string, string>,
): Promise<Obj> {
  const obj = codeObject(kind, name, spec, metadata) as Obj
  const errors = validateCodeObject(kind, obj)
  if (errors.length > 0) throw invalidArguments(tool, errors, fields)
  return inWorkspace({ tool, kind, name, verb: 'create', fields }, () => ctx.client.create(resourceTypes[kind], obj))
}

export interface Waited {
  object: Obj
  phase: string
  /** The wait ended before a final phase (time bound, or the client cancelled). */
  timedOut: boolean
}

const phaseOf = (o: Obj) => String(o.status?.phase ?? 'Pending')

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}

/** Poll the request as the caller until it is final or the wait is over; progress on every phase before that, and every 10 s. */
export async function waitForRequest(ctx: ToolContext, kind: RequestKind, created: Obj): Promise<Waited> {
  const name = created.metadata.name
  const started = ctx.now().getTime()
  const deadline = started + ctx.waitMs
  let object = created
  let reported = ''
  let lastBeat = started
  for (;;) {
    const phase = phaseOf(object)
    const now = ctx.now().getTime()
    if (terminal.has(phase)) return { object, phase, timedOut: false }
    // The final phase is the result itself: a notification right before it can arrive in the same
    // chunk, and the SDK's client drops progress that it handles after the response.
    if (phase !== reported || now - lastBeat >= HEARTBEAT_MS) {
      const elapsed = Math.round((now - started) / 1000)
      await ctx.progress({ message: `${kind} ${name}: ${phase}${elapsed > 0 ? ` (${elapsed} s)` : ''}` })
      reported = phase
      lastBeat = now
    }
    if (now >= deadline || ctx.signal.aborted) return { object, phase, timedOut: true }
    await sleep(Math.min(ctx.pollMs, deadline - now), ctx.signal)
    const next = await inWorkspace({ tool: kind, kind, name, verb: 'get' }, () =>
      ctx.client.get<Obj>(resourceTypes[kind], name),
    )
    if (!next) throw new ToolError(`${kind} "${name}" was deleted while waiting for it; call the tool again`)
    object = next
  }
}

/**
 * The request's own account of why it failed, with its advice for kubectl users ("create a new
 * RepositoryCommit") turned into the tool call that does the same.
 */
export const failureOf = (o: Obj, tool: string) => {
  const ready = conditionOf(o, 'Ready')
  const message = ready?.message || ready?.reason || 'no reason given'
  return message.replace(/Requests run once: fix this, then create a new \w+\./, `fix this, then call ${tool} again.`)
}

/** Best-effort removal of a transient request (the CR is only a vehicle). */
export async function discardRequest(ctx: ToolContext, kind: RequestKind, name: string): Promise<void> {
  await ctx.client.delete(resourceTypes[kind], name).catch(() => undefined)
}
