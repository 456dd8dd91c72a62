// `npm start` as a newcomer meets it: the dev command in its own process brings up the embedded API
// server, the GitHub sandbox and the provider, prints where everything is, and keeps its data
// across restarts. Checked with the commands the banner prints (kubectl, from the npm layer zip),
// and with a stand-in hub that receives the provider's heartbeats.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pkg from '../package.json' with { type: 'json' }
import { eventually } from './support/fake-timers.ts'
import { collect } from './support/output.ts'
import { kubectlPath } from './support/tools.ts'

// biome-ignore lint/suspicious/noExplicitAny: kubectl JSON output is free-form
type Any = any

const root = join(import.meta.dir, '..')
const beats: { path: string; body: Any }[] = []
const hub = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(req) {
    beats.push({ path: new URL(req.url).pathname, body: await req.json() })
    return Response.json({})
  },
})
let home: string
let data: string

interface Dev {
  banner: () => string
  stop(): Promise<number>
}

/** `npm start` runs `bun src/main.ts dev`; this starts the same, on free ports, and waits for the banner. */
async function startDev(): Promise<Dev> {
  const p = Bun.spawn([process.execPath, 'src/main.ts', 'dev'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      CODE_DATA_DIR: data,
      CODE_APISERVER_ADDR: '127.0.0.1:0',
      CODE_SANDBOX_ADDR: '127.0.0.1:0',
      PORT: '0',
      CODE_ADMIN_ADDR: '127.0.0.1:0',
      KEDGE_HUB_URL: `http://127.0.0.1:${hub.port}`,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = collect(p.stdout)
  await eventually(() => /code-provider is running \(dev\)[\s\S]*Data:/.test(out()), 'the dev banner', 30_000)
  return {
    banner: out,
    async stop() {
      p.kill('SIGTERM')
      return p.exited
    },
  }
}

/** The value after `label` on a banner line. */
const field = (banner: string, label: string) => {
  const m = new RegExp(`^\\s*${label}\\s+(.+)$`, 'm').exec(banner)
  if (!m) throw new Error(`no "${label}" line in the banner:\n${banner}`)
  return m[1]!.trim()
}

async function kubectl(commandLine: string, ...more: string[]): Promise<string> {
  // The banner prints `kubectl --kubeconfig <file> ...`: run it as printed.
  const args = [...commandLine.replace(/^kubectl\s+/, '').split(/\s+/), ...more]
  const p = Bun.spawn([kubectlPath(), '--cache-dir', join(home, 'kube-cache'), ...args], {
    cwd: root,
    env: { HOME: home, PATH: process.env.PATH ?? '' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`${commandLine} ${more.join(' ')}: ${err}`)
  return out
}

const ready = (o: Any) => o?.status?.conditions?.find((c: Any) => c.type === 'Ready')?.status === 'True'

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'code-dev-home-'))
  data = mkdtempSync(join(tmpdir(), 'code-dev-data-'))
})
afterAll(() => hub.stop(true))

test('npm start runs `code-provider dev`', () => {
  expect(pkg.scripts.start).toBe('bun src/main.ts dev')
})

test('dev twice on one data dir: everything comes up, the second start finds the first one’s objects', async () => {
  const first = await startDev()
  let connection: Any
  let getKedge: string
  try {
    const banner = first.banner()
    for (const label of ['Portal:', 'MCP:', 'Debug:', 'Metrics:', 'kubectl:', 'Data:']) field(banner, label)
    expect(field(banner, 'Data:')).toBe(`${data} (kept across restarts)`)
    expect(banner).toContain('GitHub sandbox (offline emulator, not GitHub) listening on http://127.0.0.1:')
    getKedge = field(banner, 'kubectl:')
    const base = getKedge.replace(/ get kedge$/, '')
    connection = await eventually(
      async () => {
        const c = JSON.parse(await kubectl(base, 'get', 'connection', 'sandbox', '-o', 'json'))
        return ready(c) && c
      },
      'the seeded Connection to be Ready',
      30_000,
    )
    // The tour: apply the sample, see it Ready.
    const apply = /^\s*(kubectl --kubeconfig \S+ apply -f config\/samples\/repository-sandbox\.yaml)$/m.exec(
      banner,
    )![1]!
    expect(await kubectl(apply)).toContain('repository.code.kedge.faros.sh/website created')
    await eventually(
      async () => ready(JSON.parse(await kubectl(base, 'get', 'repository', 'website', '-o', 'json'))),
      'the sample Repository to be Ready',
      30_000,
    )
    await eventually(
      async () => ready(JSON.parse(await kubectl(base, 'get', 'deploykey', 'website-ci', '-o', 'json'))),
      'the sample DeployKey to be Ready',
      30_000,
    )
    const main = field(banner, 'Portal:').replace(/\/\?.*$/, '')
    expect(await (await fetch(`${main}/healthz`)).json()).toEqual({ status: 'ok' })
    const admin = field(banner, 'Debug:').replace(/\/debug$/, '')
    expect((await fetch(`${admin}/readyz`)).status).toBe(200)
    await eventually(() => beats.some((b) => b.body.status === 'healthy'), 'a healthy heartbeat')
    expect(beats[0]).toMatchObject({ path: '/api/providers/code/heartbeat', body: { version: pkg.version } })
  } finally {
    expect(await first.stop()).toBe(0)
  }

  const second = await startDev()
  try {
    const base = field(second.banner(), 'kubectl:').replace(/ get kedge$/, '')
    const connections = JSON.parse(await kubectl(base, 'get', 'connections', '-o', 'json')).items as Any[]
    expect(connections.map((c) => [c.metadata.name, c.metadata.uid])).toEqual([['sandbox', connection.metadata.uid]])
    const repo = JSON.parse(await kubectl(base, 'get', 'repository', 'website', '-o', 'json'))
    expect(repo.spec.connectionRef).toBe('sandbox')
    // The sandbox moved to another free port; the seeded Connection follows it and is Ready again.
    const sandboxURL = /listening on (http:\/\/\S+)/.exec(second.banner())![1]!
    await eventually(
      async () => {
        const c = JSON.parse(await kubectl(base, 'get', 'connection', 'sandbox', '-o', 'json'))
        return c.spec.baseURL === sandboxURL && ready(c)
      },
      'the Connection to follow the sandbox',
      30_000,
    )
  } finally {
    expect(await second.stop()).toBe(0)
  }
}, 120_000)
