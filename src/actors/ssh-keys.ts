// ed25519 deploy keys in the formats OpenSSH reads: the private key as `openssh-key-v1` (what
// `ssh`, `git` and Flux expect; PKCS#8 PEM does not work for ed25519 in OpenSSH) and the public
// key in authorized_keys form.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const sshString = (data: Buffer | string) => {
  const b = typeof data === 'string' ? Buffer.from(data) : data
  return Buffer.concat([u32(b.length), b])
}

export interface SshKeyPair {
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string
  /** `-----BEGIN OPENSSH PRIVATE KEY-----…` */
  privateKey: string
  fingerprint: string
}

export function generateEd25519(comment: string): SshKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' }) as { d: string; x: string }
  const seed = Buffer.from(jwk.d, 'base64url')
  const pub = Buffer.from(jwk.x, 'base64url')
  const wirePublic = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)])
  const check = randomBytes(4)
  let secret = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ])
  const pad = (8 - (secret.length % 8)) % 8
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))])
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    u32(1),
    sshString(wirePublic),
    sshString(secret),
  ])
  const lines = body.toString('base64').match(/.{1,70}/g) ?? []
  return {
    publicKey: `ssh-ed25519 ${wirePublic.toString('base64')} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    fingerprint: fingerprint(`ssh-ed25519 ${wirePublic.toString('base64')}`)!,
  }
}

/** `SHA256:…` as `ssh-keygen -lf` prints it; undefined for text that is not a public key. */
export function fingerprint(publicKey: string): string | undefined {
  const [type, blob] = publicKey.trim().split(/\s+/)
  if (!type || !blob || !/^[A-Za-z0-9+/]+={0,3}$/.test(blob)) return undefined
  const wire = Buffer.from(blob, 'base64')
  // The blob starts with the key type it claims to be: anything else is not a key.
  if (wire.length < 4 || wire.subarray(4, 4 + wire.readUInt32BE(0)).toString() !== type) return undefined
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`
}

/** Type and base64 body: what identifies a key (the comment does not). */
export const keyMaterial = (publicKey: string) => publicKey.trim().split(/\s+/).slice(0, 2).join(' ')
