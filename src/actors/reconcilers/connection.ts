// Connection: the credential authenticates, the owner exists; say who it is, what it may do,
// and what it cannot (missing scopes, token kind). Re-validated hourly and when its Secret changes.
import { Reason } from '../../apis/v1alpha1/conditions.ts'
import type { Connection } from '../../apis/v1alpha1/connection.ts'
import { FINALIZERS } from '../../apis/v1alpha1/labels.ts'
import type { Repository } from '../../apis/v1alpha1/repository.ts'
import { isBackendError } from '../../backend/errors.ts'
import { Failure } from '../failures.ts'
import { type Reconciler, sessionFor } from './context.ts'
import { disabledFeatures } from './scopes.ts'

export const connectionReconciler: Reconciler<Connection> = {
  finalizer: FINALIZERS.Connection,

  async reconcile(connection, ctx) {
    const session = await sessionFor(ctx, connection)
    const info = await session.validate()
    const owner = connection.spec.owner
    const ownerKind = await session.ownerKind(owner).catch((e) => {
      if (isBackendError(e) && e.code === 'not-found') {
        throw new Failure(
          Reason.NotFound,
          `owner "${owner}" does not exist on the git host (or this credential cannot see it)`,
          {
            unavailable: true,
          },
        )
      }
      throw e
    })
    return {
      result: 'ready',
      status: {
        login: info.login,
        scopes: info.scopes,
        tokenKind: info.tokenKind,
        ownerKind,
        disabledFeatures: disabledFeatures(info, owner, ownerKind),
        lastValidatedTime: ctx.now().toISOString(),
      },
      detail: { message: `authenticated as ${info.login}` },
      nextCheckMs: ctx.settings.revalidateMs,
    }
  },

  // In-use protection: repositories that are being deleted still need this credential.
  async finalize(connection, ctx) {
    const users = ctx.store
      .dependentsOf(ctx.cluster, { kind: 'Connection', name: connection.metadata.name })
      .map((d) => ctx.store.get<Repository>(ctx.cluster, 'Repository', d.name))
      .filter((r): r is Repository => r !== undefined)
    const deleting = users.filter((r) => r.metadata.deletionTimestamp).map((r) => r.metadata.name)
    if (deleting.length > 0) {
      throw new Failure(
        Reason.DependencyNotReady,
        `waiting for ${deleting.length} repositories that use this connection to finish deleting: ${deleting.slice(0, 5).join(', ')}`,
        { needsHuman: false },
      )
    }
    return users.length > 0
      ? {
          changed: {
            reason: 'ConnectionRemoved',
            message: `${users.length} repositories still reference this connection and can no longer be reconciled`,
          },
        }
      : {}
  },
}
