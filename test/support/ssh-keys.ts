// OpenSSH public keys made with node:crypto (independently of the sandbox's parser): the wire
// format is string type, then the algorithm's fields, base64 after the type name.
import { generateKeyPairSync } from 'node:crypto'

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const str = (b: Buffer | string) => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b
  return Buffer.concat([u32(buf.length), buf])
}
/** SSH mpint: big-endian, a leading zero when the top bit is set. */
const mpint = (b: Buffer) => str(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)

export function ed25519PublicKey(comment = 'test@sandbox'): string {
  const { publicKey } = generateKeyPairSync('ed25519')
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  return `ssh-ed25519 ${Buffer.concat([str('ssh-ed25519'), str(x)]).toString('base64')} ${comment}`
}

export function rsaPublicKey(bits = 2048): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  const jwk = publicKey.export({ format: 'jwk' })
  const blob = Buffer.concat([
    str('ssh-rsa'),
    mpint(Buffer.from(jwk.e!, 'base64url')),
    mpint(Buffer.from(jwk.n!, 'base64url')),
  ])
  return `ssh-rsa ${blob.toString('base64')}`
}

export function ecdsaPublicKey(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = publicKey.export({ format: 'jwk' })
  const q = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')])
  const blob = Buffer.concat([str('ecdsa-sha2-nistp256'), str('nistp256'), str(q)])
  return `ecdsa-sha2-nistp256 ${blob.toString('base64')}`
}

/** A structurally valid ssh-dss key (GitHub refuses DSA outright). */
export function dsaPublicKey(): string {
  const field = (n: number) => str(Buffer.alloc(n, 7))
  const blob = Buffer.concat([str('ssh-dss'), field(129), field(21), field(128), field(128)])
  return `ssh-dss ${blob.toString('base64')}`
}
