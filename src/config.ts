// The only reader of process.env. Everything else receives a typed Config (or a part of it).
// Bad values fail at start with one message naming every offending variable.
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface OAuthConfig {
  clientId: string
  clientSecret: string
  /** Absolute callback URL; must end in /callback. */
  redirectURL: string
  /** Derived from redirectURL: /callback → /start. */
  startURL: string
  /** postMessage target origin of the popup: one exact origin, never `*`. */
  portalOrigin: string
  scopes: string[]
  /** Where users authorize: https://github.com (or the sandbox / a GHES host). */
  webURL: string
  /** API used to look up the user after the exchange. */
  apiURL: string
}

export interface LeaderElectionConfig {
  enabled: boolean
  /** The Lease, in the provider's own workspace (workspacePath). */
  leaseName: string
  namespace: string
  /** Whole seconds: the Lease stores leaseDurationSeconds. */
  leaseDurationMs: number
  renewDeadlineMs: number
  retryPeriodMs: number
}

export interface Config {
  port: number
  /** host:port of the admin listener (/debug, /metrics, /healthz, /readyz). */
  adminAddr: string
  adminToken: string | undefined
  /** Unset: run the embedded API server. */
  kubeconfig: string | undefined
  apiserverAddr: string
  dataDir: string
  sandboxAddr: string
  workspacePath: string
  schemasDir: string
  catalogEntryFile: string | undefined
  bundleDir: string
  /** Bundles nobody collected (checkouts, abandoned commits) are removed after this. */
  bundleTTLMs: number
  credentialsNamespace: string
  crawlIntervalMs: number
  driftIntervalMs: number
  revalidateIntervalMs: number
  /** Re-observation of pending collaborator invitations (to notice acceptance). */
  invitationPollIntervalMs: number
  /** Per-credential request gate: spacing of content-creating writes, and concurrency. */
  github: { writeSpacingMs: number; maxConcurrency: number }
  /** Reconciles running at once across all workspaces (each may wait on its credential's gate). */
  maxConcurrentReconciles: number
  devAllowTenantQuery: boolean
  /** Lease-based leader election: with it, only the replica holding the Lease reconciles. */
  leaderElection: LeaderElectionConfig
  hub: { url: string | undefined; token: string | undefined; insecure: boolean; providerName: string }
  oauth: OAuthConfig | undefined
  mcp: {
    readOnly: boolean
    toolsets: string[] | undefined
    /** How long commit_files, checkout_repository, build_status and rebuild wait for their request. */
    requestWaitMs: number
  }
  logLevel: LogLevel
}

export const DEFAULT_OAUTH_SCOPES = ['repo', 'workflow', 'delete_repo', 'read:org', 'admin:public_key', 'read:packages']

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Go duration syntax, as the upstream used: `90s`, `2m`, `1h30m`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0)
}

type Env = Record<string, string | undefined>

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const str = (key: string) => {
    const v = env[key]?.trim()
    return v === '' ? undefined : v
  }
  const bool = (key: string, fallback = false) => {
    const v = str(key)?.toLowerCase()
    if (v === undefined) return fallback
    if (['1', 'true', 'yes', 'on'].includes(v)) return true
    if (['0', 'false', 'no', 'off'].includes(v)) return false
    problems.push(`${key}: "${env[key]}" is not a boolean (use true or false)`)
    return fallback
  }
  const duration = (key: string, fallback: string, minMs = 1000) => {
    const text = str(key) ?? fallback
    const ms = parseDuration(text)
    if (ms === undefined || ms < minMs) {
      problems.push(`${key}: "${text}" is not a duration of at least ${minMs} ms (use Go syntax: 90s, 2m, 1h30m)`)
      return parseDuration(fallback)!
    }
    return ms
  }
  const addr = (key: string, fallback: string) => {
    const v = str(key) ?? fallback
    if (!/^[^\s:]*:\d{1,5}$/.test(v)) problems.push(`${key}: "${v}" is not host:port`)
    return v
  }
  const positiveInt = (key: string, fallback: number) => {
    const v = Number(str(key) ?? fallback)
    if (!Number.isInteger(v) || v < 1) {
      problems.push(`${key}: "${env[key]}" is not a positive integer`)
      return fallback
    }
    return v
  }
  const port = Number(str('PORT') ?? '8083')
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT: "${env.PORT}" is not a port number`)
  const logLevel = (str('LOG_LEVEL') ?? 'info').toLowerCase()
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL: "${env.LOG_LEVEL}" is not one of debug, info, warn, error`)
  }

  const kubeconfig = str('KEDGE_PROVIDER_KUBECONFIG') ?? str('CODE_KUBECONFIG') ?? str('KUBECONFIG')
  const config: Config = {
    port,
    adminAddr: addr('CODE_ADMIN_ADDR', '127.0.0.1:8084'),
    adminToken: str('CODE_ADMIN_TOKEN'),
    kubeconfig,
    apiserverAddr: addr('CODE_APISERVER_ADDR', '127.0.0.1:6443'),
    dataDir: str('CODE_DATA_DIR') ?? '.data',
    sandboxAddr: addr('CODE_SANDBOX_ADDR', '127.0.0.1:8090'),
    workspacePath: str('CODE_WORKSPACE_PATH') ?? 'root:kedge:providers:code',
    schemasDir: str('KEDGE_SCHEMAS_DIR') ?? '/etc/kedge/schemas',
    catalogEntryFile: str('KEDGE_CATALOGENTRY_FILE'),
    bundleDir: str('CODE_COMMIT_BUNDLE_DIR') ?? join(tmpdir(), 'kedge-code-commit-bundles'),
    bundleTTLMs: duration('CODE_BUNDLE_TTL', '1h', 60_000),
    credentialsNamespace: str('KEDGE_TENANT_CREDENTIALS_NAMESPACE') ?? 'default',
    crawlIntervalMs: duration('CODE_PACKAGE_CRAWL_INTERVAL', '2m'),
    driftIntervalMs: duration('CODE_DRIFT_INTERVAL', '10m'),
    revalidateIntervalMs: duration('CODE_CONNECTION_REVALIDATE_INTERVAL', '1h'),
    invitationPollIntervalMs: duration('CODE_INVITATION_POLL_INTERVAL', '5m'),
    github: {
      // GitHub allows about 80 content-creating requests a minute: 750 ms apart stays under it.
      writeSpacingMs: duration('CODE_GITHUB_WRITE_SPACING', '750ms', 0),
      maxConcurrency: positiveInt('CODE_GITHUB_MAX_CONCURRENCY', 10),
    },
    maxConcurrentReconciles: positiveInt('CODE_MAX_CONCURRENT_RECONCILES', 256),
    devAllowTenantQuery: bool('KEDGE_DEV_ALLOW_TENANT_QUERY'),
    leaderElection: leaderElectionConfig(str, bool, duration, Boolean(kubeconfig), problems),
    hub: {
      url: str('KEDGE_HUB_URL'),
      token: str('KEDGE_HUB_TOKEN'),
      insecure: bool('KEDGE_HUB_INSECURE'),
      providerName: str('KEDGE_PROVIDER_NAME') ?? 'code',
    },
    oauth: oauthConfig(str, problems),
    mcp: {
      readOnly: bool('CODE_MCP_READ_ONLY'),
      toolsets: str('CODE_MCP_TOOLSETS')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      requestWaitMs: duration('CODE_MCP_REQUEST_WAIT', '75s'),
    },
    logLevel: logLevel as LogLevel,
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

/**
 * On by default against kcp (a kubeconfig), where several replicas may share the provider
 * workspace; off with the embedded API server, which this process owns. client-go's defaults and
 * its rules: lease > renew deadline > 1.2 × retry period.
 */
function leaderElectionConfig(
  str: (k: string) => string | undefined,
  bool: (k: string, fallback: boolean) => boolean,
  duration: (k: string, fallback: string, minMs?: number) => number,
  againstKcp: boolean,
  problems: string[],
): LeaderElectionConfig {
  const c: LeaderElectionConfig = {
    enabled: bool('CODE_LEADER_ELECTION', againstKcp),
    leaseName: str('CODE_LEADER_ELECTION_LEASE_NAME') ?? 'code-provider',
    namespace: str('CODE_LEADER_ELECTION_NAMESPACE') ?? 'default',
    leaseDurationMs: duration('CODE_LEADER_ELECTION_LEASE_DURATION', '15s'),
    renewDeadlineMs: duration('CODE_LEADER_ELECTION_RENEW_DEADLINE', '10s', 100),
    retryPeriodMs: duration('CODE_LEADER_ELECTION_RETRY_PERIOD', '2s', 50),
  }
  const dns = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/
  if (!dns.test(c.leaseName))
    problems.push(`CODE_LEADER_ELECTION_LEASE_NAME: "${c.leaseName}" is not a Kubernetes name`)
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.namespace)) {
    problems.push(`CODE_LEADER_ELECTION_NAMESPACE: "${c.namespace}" is not a namespace name`)
  }
  if (c.leaseDurationMs % 1000 !== 0) {
    problems.push('CODE_LEADER_ELECTION_LEASE_DURATION: must be whole seconds (the Lease stores seconds)')
  }
  if (c.renewDeadlineMs >= c.leaseDurationMs) {
    problems.push('CODE_LEADER_ELECTION_RENEW_DEADLINE: must be shorter than CODE_LEADER_ELECTION_LEASE_DURATION')
  }
  if (c.retryPeriodMs * 1.2 >= c.renewDeadlineMs) {
    problems.push(
      'CODE_LEADER_ELECTION_RETRY_PERIOD: 1.2 × it must be shorter than CODE_LEADER_ELECTION_RENEW_DEADLINE',
    )
  }
  return c
}

function oauthConfig(str: (k: string) => string | undefined, problems: string[]): OAuthConfig | undefined {
  const clientId = str('GITHUB_OAUTH_CLIENT_ID')
  const clientSecret = str('GITHUB_OAUTH_CLIENT_SECRET')
  const redirectURL = str('GITHUB_OAUTH_REDIRECT_URL')
  if (!clientId && !clientSecret && !redirectURL) return undefined
  if (!clientId || !clientSecret || !redirectURL) {
    problems.push(
      'GITHUB_OAUTH_CLIENT_ID, GITHUB_OAUTH_CLIENT_SECRET and GITHUB_OAUTH_REDIRECT_URL must be set together (or none of them)',
    )
    return undefined
  }
  let start: URL
  try {
    start = new URL(redirectURL)
  } catch {
    problems.push(`GITHUB_OAUTH_REDIRECT_URL: "${redirectURL}" is not an absolute URL`)
    return undefined
  }
  if (!start.pathname.endsWith('/callback')) {
    problems.push(`GITHUB_OAUTH_REDIRECT_URL: "${redirectURL}" must end in /callback`)
    return undefined
  }
  start.pathname = start.pathname.replace(/\/callback$/, '/start')
  start.search = ''
  start.hash = ''
  const portalOrigin = originOf(str('GITHUB_OAUTH_PORTAL_ORIGIN') ?? start.origin)
  if (!portalOrigin) {
    problems.push(
      `GITHUB_OAUTH_PORTAL_ORIGIN: "${str('GITHUB_OAUTH_PORTAL_ORIGIN')}" is not an origin such as https://hub.example.com ("*" would tell any page that opens the popup who signed in)`,
    )
    return undefined
  }
  return {
    clientId,
    clientSecret,
    redirectURL,
    startURL: start.toString(),
    portalOrigin,
    scopes: (str('GITHUB_OAUTH_SCOPES')?.split(/[\s,]+/) ?? DEFAULT_OAUTH_SCOPES).filter(Boolean),
    webURL: (str('GITHUB_OAUTH_WEB_URL') ?? 'https://github.com').replace(/\/+$/, ''),
    apiURL: (str('GITHUB_OAUTH_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''),
  }
}

/** `https://hub.example.com` from an origin or URL; undefined for `*`, paths and anything else. */
function originOf(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined
  const u = new URL(text)
  if (!['http:', 'https:'].includes(u.protocol)) return undefined
  return u.origin
}

/** The config as operators may see it: secrets replaced by whether they are set. */
export function redactedConfig(c: Config): Record<string, unknown> {
  return {
    ...c,
    adminToken: c.adminToken ? '(set)' : undefined,
    hub: { ...c.hub, token: c.hub.token ? '(set)' : undefined },
    oauth: c.oauth ? { ...c.oauth, clientSecret: '(set)' } : undefined,
  }
}
