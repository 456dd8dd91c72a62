// The shipped artefact: the single binary the Dockerfile builds (scripts/build-binary.ts, the same
// script), run from an empty directory with no sources and no node_modules next to it. It prints
// its help, bootstraps an embedded API server with `init`, and serves the product.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BuiltBinary, buildBinary } from '../scripts/build-binary.ts'
import { startTestApiServer, type TestApiServer } from './support/apiserver.ts'
import { eventually } from './support/fake-timers.ts'
import { collect } from './support/output.ts'

const root = join(import.meta.dir, '..')
let dir: string
let bin: BuiltBinary
let api: TestApiServer

interface Run {
  code: number
  out: string
  err: string
}

// Asynchronous on purpose: the API server runs in this process, so a blocking spawn would deadlock.
async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const p = Bun.spawn([bin.path, ...args], {
    cwd: mkdtempSync(join(dir, 'cwd-')),
    env: { PATH: '/usr/bin:/bin', HOME: dir, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out, err }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'code-binary-'))
  bin = await buildBinary(join(dir, 'code-provider'))
  console.log(`binary: ${(bin.bytes / 1024 / 1024).toFixed(1)} MiB, built in ${(bin.ms / 1000).toFixed(1)} s`)
  api = await startTestApiServer()
}, 120_000)
afterAll(async () => {
  await api?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('--help lists the commands', async () => {
  const r = await run(['--help'])
  expect(r.code).toBe(0)
  for (const command of ['serve', 'dev', 'init', 'config', 'sandbox', 'apiserver']) {
    expect(r.out).toMatch(new RegExp(`^  ${command} `, 'm'))
  }
})

test('init bootstraps the embedded API server, then changes nothing', async () => {
  const env = {
    KEDGE_PROVIDER_KUBECONFIG: api.kubeconfigs.provider,
    KEDGE_SCHEMAS_DIR: join(root, 'chart/files/schemas'),
    KEDGE_CATALOGENTRY_FILE: join(root, 'manifest.yaml'),
  }
  const first = await run(['init'], env)
  expect(first.err).toBe('')
  expect(first.code).toBe(0)
  expect(first.out).toContain(`8 APIResourceSchemas from ${env.KEDGE_SCHEMAS_DIR} (KEDGE_SCHEMAS_DIR)`)
  expect(first.out).toMatch(/created\s+CatalogEntry\s+code/)
  const again = await run(['init'], env)
  expect(again.code).toBe(0)
  expect(again.out).toMatch(/done in \d+ ms: 13 unchanged$/m)
  console.log(
    `init: ${/done in (\d+ ms)/.exec(first.out)?.[1]} (first), ${/done in (\d+ ms)/.exec(again.out)?.[1]} (again)`,
  )
}, 30_000)

test('init without a kubeconfig fails in one line', async () => {
  const r = await run(['init'])
  expect(r.code).toBe(1)
  expect(r.err.trim()).toMatch(/^init failed: init needs a kubeconfig: set KEDGE_PROVIDER_KUBECONFIG/)
})

test('serve runs the product on the embedded API server: health, readiness, clean stop', async () => {
  const data = join(dir, 'serve-data')
  const p = Bun.spawn([bin.path, 'serve'], {
    cwd: mkdtempSync(join(dir, 'cwd-')),
    env: {
      PATH: '/usr/bin:/bin',
      HOME: dir,
      CODE_DATA_DIR: data,
      CODE_APISERVER_ADDR: '127.0.0.1:0',
      PORT: '0',
      CODE_ADMIN_ADDR: '127.0.0.1:0',
    },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = collect(p.stdout)
  try {
    const listening = await eventually(
      () =>
        out()
          .split('\n')
          .find((l) => l.includes('"msg":"listening"')),
      'the listening line',
      20_000,
    )
    const { url, admin } = JSON.parse(listening) as { url: string; admin: string }
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' })
    await eventually(async () => (await fetch(`${admin}/readyz`)).status === 200, 'readiness', 20_000)
    // Assets are embedded in the binary (it has no node_modules and no public/ next to it).
    const htmx = await fetch(`${admin}/debug/assets/htmx.min.js`)
    expect(htmx.status).toBe(200)
    expect(await htmx.text()).toContain('htmx')
    // The portal's too: every asset its sign-in page links to answers.
    const page = await (await fetch(`${url}/`)).text()
    const linked = [...page.matchAll(/(?:src|href)="(?:\.\/)?(assets\/[^"]+)"/g)].map((m) => m[1]!)
    expect(linked.length).toBe(3)
    for (const asset of linked) expect(`${asset} ${(await fetch(`${url}/${asset}`)).status}`).toBe(`${asset} 200`)
    expect(readFileSync(join(data, 'provider.kubeconfig'), 'utf8')).toContain('/clusters/root:kedge:providers:code')
  } finally {
    p.kill('SIGTERM')
  }
  expect(await p.exited).toBe(0)
}, 60_000)
