// `code-provider sandbox`: the GitHub sandbox as a dev server, seeded with the dev org and user,
// printing a ready-to-use (sandbox-only) token. Runs until interrupted.
import type { Config } from '../config.ts'
import { DEV_ORG, DEV_TOKEN, DEV_USER } from './seed.ts'
import { type Sandbox, startSandbox } from './server.ts'

export function parseSandboxArgs(args: string[], defaultAddr: string): { hostname: string; port: number } {
  const [defaultHost, defaultPort] = [
    defaultAddr.slice(0, defaultAddr.lastIndexOf(':')),
    defaultAddr.slice(defaultAddr.lastIndexOf(':') + 1),
  ]
  let hostname = defaultHost || '127.0.0.1'
  let port = Number(defaultPort)
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined]
    const value = inline ?? args[++i]
    if (flag === '--port') port = Number(value)
    else if (flag === '--host') hostname = value ?? ''
    else throw new Error(`sandbox: unknown flag ${flag} (use --port N, --host H)`)
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`sandbox: "${port}" is not a port number`)
  if (!hostname) throw new Error('sandbox: --host needs a value')
  return { hostname, port }
}

/**
 * The sandbox as `code-provider sandbox` and `dev` run it: on config.sandboxAddr (or the flags),
 * seeded, and with the configured OAuth app registered when GITHUB_OAUTH_WEB_URL points at it, so
 * the portal's "Connect with GitHub" works offline.
 */
export async function startConfiguredSandbox(config: Config, args: string[] = []): Promise<Sandbox> {
  const sandbox = await startSandbox({ ...parseSandboxArgs(args, config.sandboxAddr), seed: true })
  if (config.oauth && config.oauth.webURL === sandbox.webURL) {
    sandbox.control.registerOAuthApp({
      name: 'code-provider (dev)',
      callbackURL: config.oauth.redirectURL,
      clientId: config.oauth.clientId,
      clientSecret: config.oauth.clientSecret,
    })
  }
  return sandbox
}

/** What to print on start: where it is, and the sandbox token (clearly not a GitHub token). */
export function sandboxBanner(sandbox: Sandbox): string {
  return `GitHub sandbox (offline emulator, not GitHub) listening on ${sandbox.url}

  API base URL (Connection spec.baseURL):  ${sandbox.url}
  OAuth web host:                          ${sandbox.webURL}/login/oauth/authorize
  Control API:                             ${sandbox.url}/_sandbox

  Seeded: organization "${DEV_ORG}" (admin: "${DEV_USER}"), repository ${DEV_ORG}/hello-world
  Sandbox token for "${DEV_USER}" (works only against this sandbox):
    ${DEV_TOKEN}

  Try: curl -H "Authorization: Bearer ${DEV_TOKEN}" ${sandbox.url}/user
`
}

export async function runSandbox(config: Config, args: string[]): Promise<void> {
  const sandbox = await startConfiguredSandbox(config, args)
  console.log(sandboxBanner(sandbox))
  await new Promise<void>((resolve) => {
    const stop = () => {
      void sandbox.stop().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
