// GitHub sandbox figures: start time, conditional and plain GETs per second, and a burst of
// creates (repositories, deploy keys, invitations) with the secondary limit lifted.
// Run: npx bun bench/sandbox.ts
import { generateKeyPairSync } from 'node:crypto'
import { startSandbox } from '../src/sandbox/server.ts'

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`

function sshKey(): string {
  const x = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b])
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(x)]).toString('base64')}`
}

let t = performance.now()
const sb = await startSandbox({ seed: true })
console.log(`start (dev seed): ${ms(t)}`)
sb.control.createUser({ login: 'bench' })
sb.control.createOrg({ login: 'bench-org', members: [{ login: 'bench', role: 'admin' }] })
sb.control.setSecondaryLimits({ contentCreatesPerMinute: 1e9, contentCreatesPerHour: 1e9 })
sb.control.setRateLimit({ limit: 1e9 })
const token = sb.control.issueToken({ user: 'bench' })
const headers = { authorization: `token ${token}`, 'content-type': 'application/json' }

async function rate(label: string, n: number, concurrency: number, one: (i: number) => Promise<unknown>) {
  const start = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++)
    }),
  )
  const seconds = (performance.now() - start) / 1000
  console.log(`${label}: ${n} in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)}/s (concurrency ${concurrency})`)
}

const post = (path: string, body: unknown) =>
  fetch(sb.url + path, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.arrayBuffer())

await rate('POST /orgs/{org}/repos', 2000, 16, (i) => post('/orgs/bench-org/repos', { name: `r${i}` }))
const keys = Array.from({ length: 2000 }, sshKey)
await rate('POST /repos/{o}/{r}/keys', 2000, 16, (i) =>
  post(`/repos/bench-org/r${i}/keys`, { title: 'k', key: keys[i] }),
)
for (let i = 0; i < 2000; i++) sb.control.createUser({ login: `u${i}` })
await rate('PUT /repos/{o}/{r}/collaborators/{u}', 2000, 16, (i) =>
  fetch(`${sb.url}/repos/bench-org/r${i}/collaborators/u${i}`, { method: 'PUT', headers }).then((r) => r.arrayBuffer()),
)
const etag = (await fetch(`${sb.url}/repos/bench-org/r1`, { headers })).headers.get('etag')!
await rate('GET /repos/{o}/{r}', 5000, 16, (i) =>
  fetch(`${sb.url}/repos/bench-org/r${i % 2000}`, { headers }).then((r) => r.arrayBuffer()),
)
await rate('GET /repos/{o}/{r} with If-None-Match (304)', 5000, 16, () =>
  fetch(`${sb.url}/repos/bench-org/r1`, { headers: { ...headers, 'if-none-match': etag } }).then((r) =>
    r.arrayBuffer(),
  ),
)
t = performance.now()
const list = await fetch(`${sb.url}/orgs/bench-org/repos?per_page=100`, { headers })
await list.arrayBuffer()
console.log(`GET /orgs/{org}/repos?per_page=100 over 2001 repositories: ${ms(t)}`)
const counts = sb.control.requestCounts()
console.log(`request log: ${counts.total} requests, ${counts.billed} billed, ${counts.notModified} not modified`)
console.log(`rss: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`)
await sb.stop()
