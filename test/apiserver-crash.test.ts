// Durability: `code-provider apiserver` as a child process, killed with SIGKILL in the middle of a
// stream of writes, then restarted on the same data dir. Every acknowledged write must be there,
// and new resourceVersions must be greater than every old one.
import { expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dir, '..')

function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = s.port!
  s.stop(true)
  return port
}

async function startChild(dataDir: string, port: number) {
  const child = Bun.spawn([process.execPath, join(root, 'src/main.ts'), 'apiserver'], {
    env: { PATH: process.env.PATH ?? '', CODE_DATA_DIR: dataDir, CODE_APISERVER_ADDR: `127.0.0.1:${port}` },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const reader = child.stdout.getReader()
  let out = ''
  while (!out.includes('listening on')) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`apiserver exited early:\n${out}`)
    out += new TextDecoder().decode(value)
  }
  return child
}

test('acknowledged writes survive kill -9; resourceVersions stay monotonic', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'code-apiserver-crash-'))
  const port = freePort()
  try {
    let child = await startChild(dataDir, port)
    const file = (n: string) => readFileSync(join(dataDir, n), 'utf8')
    const tls = { ca: file('ca.crt'), cert: file('admin.crt'), key: file('admin.key') }
    const url = `https://127.0.0.1:${port}/clusters/root:acme/api/v1/namespaces/default/configmaps`
    const acknowledged = new Map<string, number>()
    let next = 0
    let killed = false
    const writer = async () => {
      while (!killed) {
        const name = `cm-${next++}`
        try {
          const res = await fetch(url, {
            method: 'POST',
            body: JSON.stringify({ metadata: { name }, data: { n: name } }),
            headers: { 'content-type': 'application/json' },
            tls,
          } as RequestInit)
          if (res.status === 201) acknowledged.set(name, Number((await res.json()).metadata.resourceVersion))
        } catch {
          // the server died under this request: not acknowledged
        }
      }
    }
    const writers = Array.from({ length: 8 }, writer)
    while (acknowledged.size < 300) await Bun.sleep(5)
    child.kill('SIGKILL')
    killed = true
    await child.exited
    await Promise.all(writers)
    expect(acknowledged.size).toBeGreaterThanOrEqual(300)

    child = await startChild(dataDir, port)
    try {
      const list = await (await fetch(url, { tls } as RequestInit)).json()
      const stored = new Set(list.items.map((o: { metadata: { name: string } }) => o.metadata.name))
      const missing = [...acknowledged.keys()].filter((n) => !stored.has(n))
      expect(missing).toEqual([])
      const maxOld = Math.max(...acknowledged.values(), Number(list.metadata.resourceVersion))
      const created = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ metadata: { name: 'after-restart' } }),
        headers: { 'content-type': 'application/json' },
        tls,
      } as RequestInit)
      expect(created.status).toBe(201)
      expect(Number((await created.json()).metadata.resourceVersion)).toBeGreaterThan(maxOld)
    } finally {
      child.kill('SIGKILL')
      await child.exited
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}, 60_000)
