// The stack plus the admin listener, as serve wires them: metrics fed by the runtime's observer,
// a status board, /debug, /metrics and the probes on an ephemeral port.
import { createAdminApp } from '../../src/routes/app.ts'
import { createMetrics, type Metrics } from '../../src/routes/metrics.ts'
import { StatusBoard } from '../../src/status-board.ts'
import { type Stack, type StackOptions, startStack } from './stack.ts'

export interface AdminStack extends Stack {
  adminURL: string
  metrics: Metrics
  status: StatusBoard
  /** GET an admin path, with the admin token unless `token` says otherwise ('' for none). */
  admin(path: string, token?: string): Promise<Response>
}

export async function startAdminStack(options: StackOptions & { adminToken?: string } = {}): Promise<AdminStack> {
  const metrics = createMetrics()
  const stack = await startStack({ ...options, observer: metrics.observer })
  metrics.attach({ runtime: stack.runtime })
  const status = new StatusBoard()
  const app = createAdminApp({
    config: { adminToken: options.adminToken },
    runtime: stack.runtime,
    logger: stack.logger,
    metrics,
    status,
  }).listen({ hostname: '127.0.0.1', port: 0 })
  const adminURL = `http://127.0.0.1:${app.server!.port}`
  return {
    ...stack,
    adminURL,
    metrics,
    status,
    admin: (path, token = options.adminToken ?? '') =>
      fetch(`${adminURL}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    async stop() {
      await app.stop(true)
      await stack.stop()
    },
  }
}
