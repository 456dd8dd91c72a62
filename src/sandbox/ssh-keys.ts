// OpenSSH public keys as GitHub accepts them for deploy keys: the wire-format blob must parse and
// name the same algorithm as the text; DSA has been refused since 2022. Identity is type + blob
// (the comment is not part of the key).

const ALGORITHMS = [
  'ssh-rsa',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const

export type ParsedKey = { ok: true; type: string; blob: string } | { ok: false; reason: string }

function readStrings(data: Buffer): Buffer[] | undefined {
  const out: Buffer[] = []
  let at = 0
  while (at < data.length) {
    if (at + 4 > data.length) return undefined
    const len = data.readUInt32BE(at)
    if (at + 4 + len > data.length) return undefined
    out.push(data.subarray(at + 4, at + 4 + len))
    at += 4 + len
  }
  return out
}

const invalid = 'key is invalid. You must supply a key in OpenSSH public key format'

export function parsePublicKey(text: string): ParsedKey {
  const [type, b64] = text.trim().split(/\s+/)
  if (type === 'ssh-dss') return { ok: false, reason: 'key is invalid. DSA keys are no longer supported' }
  if (!type || !b64 || !(ALGORITHMS as readonly string[]).includes(type)) return { ok: false, reason: invalid }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { ok: false, reason: invalid }
  const fields = readStrings(Buffer.from(b64, 'base64'))
  if (!fields || fields[0]?.toString('latin1') !== type) return { ok: false, reason: invalid }
  const expected: Record<string, (f: Buffer[]) => boolean> = {
    'ssh-rsa': (f) => f.length === 3 && f[2]!.length * 8 >= 1024,
    'ssh-ed25519': (f) => f.length === 2 && f[1]!.length === 32,
    'sk-ssh-ed25519@openssh.com': (f) => f.length === 3 && f[1]!.length === 32,
  }
  const check = expected[type] ?? ((f: Buffer[]) => f.length >= 3 && type.includes(f[1]!.toString('latin1')))
  return check(fields) ? { ok: true, type, blob: b64 } : { ok: false, reason: invalid }
}
