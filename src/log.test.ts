import { expect, test } from 'bun:test'
import { createLogger, redact } from './log.ts'

test('lines are JSON with level, message and context fields; levels filter', () => {
  const lines: string[] = []
  const log = createLogger(
    'info',
    (l) => lines.push(l),
    {},
    () => new Date('2026-11-29T10:00:00Z'),
  )
  const actor = log.child({
    workspace: 'root:acme',
    kind: 'Repository',
    name: 'web',
    actor: 'root:acme/Repository/web',
  })
  actor.debug('hidden')
  actor.info('reconciled', { state: 'ready' })
  expect(lines.map((l) => JSON.parse(l))).toEqual([
    {
      time: '2026-11-29T10:00:00.000Z',
      level: 'info',
      msg: 'reconciled',
      workspace: 'root:acme',
      kind: 'Repository',
      name: 'web',
      actor: 'root:acme/Repository/web',
      state: 'ready',
    },
  ])
})

test('secrets that slip into fields or messages are redacted', () => {
  const canary = 'ghp_CANARY0123456789abcdefghijklmnop'
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'
  const out = JSON.stringify(
    redact({
      msg: `auth with ${canary} failed`,
      headers: { authorization: 'Bearer abc', accept: 'json' },
      nested: [{ token: 'x' }, key],
      note: 'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.e30',
    }),
  )
  expect(out).not.toContain('CANARY')
  expect(out).not.toContain('b3BlbnNzaC1rZXkt')
  expect(out).not.toContain('abc')
  expect(out).not.toContain('eyJhbGciOi')
  expect(out).toContain('"accept":"json"')
})

test('keys that only mention a secret stay readable; Secret objects lose their data', () => {
  const out = redact({
    tokenKind: 'classic-pat',
    secretRef: { name: 'github-token' },
    clientSecret: 'shh',
    'ssh-privatekey': 'AAAA',
    object: { kind: 'Secret', metadata: { name: 'x' }, data: { token: 'Z2hwX0NBTkFSWQ==' } },
  })
  expect(out).toEqual({
    tokenKind: 'classic-pat',
    secretRef: { name: 'github-token' },
    clientSecret: '[redacted]',
    'ssh-privatekey': '[redacted]',
    object: { kind: 'Secret', metadata: { name: 'x' }, data: '[redacted]' },
  })
})

test('deeply nested values are still redacted, and what is too deep is dropped rather than shown', () => {
  let nested: Record<string, unknown> = { token: 'plain-secret', note: 'ghp_CANARY0123456789abcdefghijklmnop' }
  for (let i = 0; i < 12; i++) nested = { children: [nested] }
  const out = JSON.stringify(redact(nested))
  expect(out).not.toContain('plain-secret')
  expect(out).not.toContain('CANARY')
  let deeper: Record<string, unknown> = { leak: 'x' }
  for (let i = 0; i < 40; i++) deeper = { d: deeper }
  expect(JSON.stringify(redact(deeper))).toContain('[too deep]')
})
