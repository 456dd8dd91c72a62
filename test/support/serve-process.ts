// The environment of `code-provider serve` run as its own process against a test's API server.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const serveCommand = (root: string) => [process.execPath, join(root, 'src/main.ts'), 'serve']

/** Ports picked by the system, no write spacing, and leader election (on against a kubeconfig) on
 * short leases, so a restarted or standby process does not wait 15 s for a dead leader's lease. */
export function serveEnv(kubeconfig: string, logLevel: 'error' | 'info'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CODE_KUBECONFIG: kubeconfig,
    PORT: '0',
    CODE_ADMIN_ADDR: '127.0.0.1:0',
    CODE_DATA_DIR: mkdtempSync(join(tmpdir(), 'provider-')),
    CODE_GITHUB_WRITE_SPACING: '0ms',
    CODE_LEADER_ELECTION_LEASE_DURATION: '2s',
    CODE_LEADER_ELECTION_RENEW_DEADLINE: '1s',
    CODE_LEADER_ELECTION_RETRY_PERIOD: '200ms',
    LOG_LEVEL: logLevel,
  }
}
