import { describe, expect, test } from 'bun:test'
import { ConfigError, loadConfig, parseDuration, redactedConfig } from './config.ts'

describe('parseDuration', () => {
  test.each([
    ['2m', 120_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms))

  test.each([['2 minutes'], ['m'], ['10'], [''], ['1h 30m']])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('loadConfig', () => {
  test('defaults match the upstream and the design', () => {
    const c = loadConfig({})
    expect(c.port).toBe(8083)
    expect(c.adminAddr).toBe('127.0.0.1:8084')
    expect(c.apiserverAddr).toBe('127.0.0.1:6443')
    expect(c.kubeconfig).toBeUndefined()
    expect(c.crawlIntervalMs).toBe(120_000)
    expect(c.bundleTTLMs).toBe(3_600_000)
    expect(c.driftIntervalMs).toBe(600_000)
    expect(c.credentialsNamespace).toBe('default')
    expect(c.workspacePath).toBe('root:kedge:providers:code')
    expect(c.oauth).toBeUndefined()
  })

  test('bundle time to live: a duration of at least a minute', () => {
    expect(loadConfig({ CODE_BUNDLE_TTL: '30m' }).bundleTTLMs).toBe(1_800_000)
    expect(() => loadConfig({ CODE_BUNDLE_TTL: '10s' })).toThrow('CODE_BUNDLE_TTL')
  })

  test('kubeconfig precedence: KEDGE_PROVIDER_KUBECONFIG, CODE_KUBECONFIG, KUBECONFIG', () => {
    expect(loadConfig({ KUBECONFIG: 'c', CODE_KUBECONFIG: 'b' }).kubeconfig).toBe('b')
    expect(loadConfig({ KUBECONFIG: 'c', CODE_KUBECONFIG: 'b', KEDGE_PROVIDER_KUBECONFIG: 'a' }).kubeconfig).toBe('a')
  })

  test('every bad value is named in one error', () => {
    const load = () =>
      loadConfig({ PORT: 'eighty', CODE_PACKAGE_CRAWL_INTERVAL: '2 minutes', KEDGE_HUB_INSECURE: 'maybe' })
    expect(load).toThrow(ConfigError)
    try {
      load()
    } catch (e) {
      const problems = (e as ConfigError).problems
      expect(problems).toHaveLength(3)
      expect(problems.join('\n')).toContain('CODE_PACKAGE_CRAWL_INTERVAL: "2 minutes"')
    }
  })

  test("leader election: on against kcp, off with the embedded API server, client-go's durations", () => {
    expect(loadConfig({}).leaderElection).toEqual({
      enabled: false,
      leaseName: 'code-provider',
      namespace: 'default',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    })
    expect(loadConfig({ KEDGE_PROVIDER_KUBECONFIG: '/kc' }).leaderElection.enabled).toBe(true)
    expect(loadConfig({ KEDGE_PROVIDER_KUBECONFIG: '/kc', CODE_LEADER_ELECTION: 'false' }).leaderElection.enabled).toBe(
      false,
    )
    expect(loadConfig({ CODE_LEADER_ELECTION: 'true' }).leaderElection.enabled).toBe(true)
    const short = loadConfig({
      CODE_LEADER_ELECTION_LEASE_DURATION: '2s',
      CODE_LEADER_ELECTION_RENEW_DEADLINE: '1500ms',
      CODE_LEADER_ELECTION_RETRY_PERIOD: '200ms',
      CODE_LEADER_ELECTION_LEASE_NAME: 'code-provider-eu',
      CODE_LEADER_ELECTION_NAMESPACE: 'kedge',
    }).leaderElection
    expect(short).toMatchObject({ leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 200 })
    expect(short).toMatchObject({ leaseName: 'code-provider-eu', namespace: 'kedge' })
  })

  test('leader election: durations in the right order, whole seconds for the lease, Kubernetes names', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env)
        return []
      } catch (e) {
        return (e as ConfigError).problems
      }
    }
    expect(
      problems({
        CODE_LEADER_ELECTION_LEASE_DURATION: '1500ms',
        CODE_LEADER_ELECTION_RENEW_DEADLINE: '1s',
        CODE_LEADER_ELECTION_RETRY_PERIOD: '100ms',
      }),
    ).toEqual(['CODE_LEADER_ELECTION_LEASE_DURATION: must be whole seconds (the Lease stores seconds)'])
    expect(problems({ CODE_LEADER_ELECTION_LEASE_DURATION: '10s' })).toEqual([
      'CODE_LEADER_ELECTION_RENEW_DEADLINE: must be shorter than CODE_LEADER_ELECTION_LEASE_DURATION',
    ])
    expect(problems({ CODE_LEADER_ELECTION_RETRY_PERIOD: '9s' })).toEqual([
      'CODE_LEADER_ELECTION_RETRY_PERIOD: 1.2 × it must be shorter than CODE_LEADER_ELECTION_RENEW_DEADLINE',
    ])
    expect(
      problems({
        CODE_LEADER_ELECTION: 'sometimes',
        CODE_LEADER_ELECTION_LEASE_NAME: 'Code_Provider',
        CODE_LEADER_ELECTION_NAMESPACE: 'a.b',
      }),
    ).toHaveLength(3)
  })

  test('OAuth needs all three settings and a /callback URL; /start is derived', () => {
    expect(() => loadConfig({ GITHUB_OAUTH_CLIENT_ID: 'id' })).toThrow(/must be set together/)
    const base = { GITHUB_OAUTH_CLIENT_ID: 'id', GITHUB_OAUTH_CLIENT_SECRET: 's3cret' }
    expect(() => loadConfig({ ...base, GITHUB_OAUTH_REDIRECT_URL: 'https://hub/oauth/github/done' })).toThrow(
      /must end in \/callback/,
    )
    const c = loadConfig({
      ...base,
      GITHUB_OAUTH_REDIRECT_URL: 'https://hub/services/providers/code/oauth/github/callback?x=1',
    })
    expect(c.oauth?.startURL).toBe('https://hub/services/providers/code/oauth/github/start')
    expect(c.oauth?.scopes).toContain('read:packages')
    expect(c.oauth?.portalOrigin).toBe('https://hub')
  })

  test('the OAuth popup posts to one exact origin, never "*"', () => {
    const base = {
      GITHUB_OAUTH_CLIENT_ID: 'id',
      GITHUB_OAUTH_CLIENT_SECRET: 's3cret',
      GITHUB_OAUTH_REDIRECT_URL: 'https://hub.example.com/oauth/github/callback',
    }
    expect(() => loadConfig({ ...base, GITHUB_OAUTH_PORTAL_ORIGIN: '*' })).toThrow(/GITHUB_OAUTH_PORTAL_ORIGIN/)
    expect(loadConfig({ ...base, GITHUB_OAUTH_PORTAL_ORIGIN: 'https://portal.example.com/' }).oauth?.portalOrigin).toBe(
      'https://portal.example.com',
    )
  })

  test('MCP: read-only, toolsets and the request wait', () => {
    const c = loadConfig({
      CODE_MCP_READ_ONLY: 'true',
      CODE_MCP_TOOLSETS: 'repositories, access',
      CODE_MCP_REQUEST_WAIT: '30s',
    })
    expect(c.mcp).toEqual({ readOnly: true, toolsets: ['repositories', 'access'], requestWaitMs: 30_000 })
    expect(loadConfig({}).mcp.requestWaitMs).toBe(75_000)
  })

  test('the redacted view never shows secrets', () => {
    const c = loadConfig({
      GITHUB_OAUTH_CLIENT_ID: 'id',
      GITHUB_OAUTH_CLIENT_SECRET: 'canary-oauth-secret',
      GITHUB_OAUTH_REDIRECT_URL: 'https://hub/oauth/github/callback',
      KEDGE_HUB_TOKEN: 'canary-hub-token',
      CODE_ADMIN_TOKEN: 'canary-admin-token',
    })
    expect(JSON.stringify(redactedConfig(c))).not.toMatch(/canary/)
  })
})
