// Events and payloads the machines exchange with the runtime. Plain, serializable data only.
import type { KubeObject } from '../apis/meta.ts'
import type { Reason } from '../apis/v1alpha1/conditions.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'

export interface ResourceKey {
  cluster: string
  kind: CodeKind
  name: string
}

export const keyString = (k: ResourceKey) => `${k.cluster}/${k.kind}/${k.name}`

/** Why a reconcile could not finish, in a form the machine can branch on and status can show. */
export interface ReconcileFailure {
  /** Condition reason shown to people, e.g. MissingScope, Unauthorized, TransientError. */
  reason: Reason
  message: string
  /** Only a spec, credential or host-side change by a person can fix it: wait, retry slowly. */
  needsHuman: boolean
  /** Parked on a rate limit: retry after retryAfterMs, say RateLimited. */
  rateLimited: boolean
  retryAfterMs?: number
  /** The thing is absent from the host or unusable (e.g. a revoked token): Ready turns False. */
  unavailable?: boolean
  /** For /debug: the host's answer. */
  status?: number
  requestId?: string
}

export interface DependencyWait {
  kind: CodeKind | 'Secret'
  name: string
  message: string
}

export type ReconcileOutcome =
  | {
      result: 'ready'
      /** Status fields to publish (e.g. repoID, htmlURL); merged over the existing status. */
      status: Record<string, unknown>
      /** Kind-specific facts the condition projection needs (e.g. invitation pending). */
      detail?: Record<string, string | boolean | number>
      /** Re-observe sooner than the drift interval (e.g. a pending invitation). */
      nextCheckMs?: number
      /** What changed on the host, for a Kubernetes Event (omit when nothing changed). */
      changed?: HostChange
    }
  | { result: 'waiting'; waitingFor: DependencyWait }

/** A change made on the host, told as a Kubernetes Event (reason in CamelCase, e.g. Created). */
export interface HostChange {
  reason: string
  message: string
}

export interface ResourceIntervals {
  /** Re-observation of a ready resource (±5% jitter). */
  driftMs: number
  /** Slow retry of a blocked resource, in case a person fixed things on the host. */
  blockedRetryMs: number
  /** Safety net while waiting for a dependency (wake-ups are event-driven). */
  waitingRetryMs: number
  backoffBaseMs: number
  backoffMaxMs: number
}

export type ResourceEvent =
  /** The informer saw a new version of the object. */
  | { type: 'object.updated'; object: KubeObject }
  /** The object is gone from the API (finalizers done, or removed by force). */
  | { type: 'object.deleted' }
  /** Something this resource depends on changed (a Connection, a Repository, a Secret). */
  | { type: 'dependency.changed'; dependency: string }
  /** Someone asked for a reconcile now (portal, MCP, annotation). */
  | { type: 'reconcile.requested' }
