import { expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fingerprint, generateEd25519, keyMaterial } from './ssh-keys.ts'

test('generated keys are what OpenSSH reads: ssh-keygen derives the same public key and fingerprint', () => {
  const pair = generateEd25519('deploy@acme/web')
  expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]+ deploy@acme\/web$/)
  const dir = mkdtempSync(join(tmpdir(), 'sshkey-'))
  const file = join(dir, 'id')
  writeFileSync(file, pair.privateKey, { mode: 0o600 })
  const derived = Bun.spawnSync(['ssh-keygen', '-y', '-f', file])
  expect(derived.exitCode).toBe(0)
  expect(keyMaterial(derived.stdout.toString())).toBe(keyMaterial(pair.publicKey))
  const listed = Bun.spawnSync(['ssh-keygen', '-l', '-f', file]).stdout.toString()
  expect(listed).toContain(pair.fingerprint)
})

test('two keys differ; fingerprints ignore the comment', () => {
  const a = generateEd25519('a')
  const b = generateEd25519('a')
  expect(a.publicKey).not.toBe(b.publicKey)
  expect(fingerprint(`${keyMaterial(a.publicKey)} another-comment`)).toBe(a.fingerprint)
  expect(fingerprint('not a key')).toBeUndefined()
})
