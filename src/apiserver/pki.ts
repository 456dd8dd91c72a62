// The server's certificates: a CA, a serving certificate, and client certificates for
// kubeconfigs. ECDSA P-256 through WebCrypto and @peculiar/x509 (pure JS: no openssl binary
// needed, and a full set takes milliseconds). Written once into the data dir, reused after.
import 'reflect-metadata'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 86_400_000

export interface KeyPair {
  cert: string
  key: string
}

export interface Pki {
  ca: KeyPair
  serving: KeyPair
  /** Client certificates by file stem (admin). */
  clients: Record<string, KeyPair>
}

interface Issuer {
  cert: x509.X509Certificate
  keys: CryptoKeyPair
}

const serial = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1')

async function exportKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

async function newCA(now: Date): Promise<Issuer> {
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=code-provider-ca',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { cert, keys }
}

async function issue(
  ca: Issuer,
  subject: string,
  now: Date,
  usage: 'server' | 'client',
  hosts: string[] = [],
): Promise<KeyPair> {
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const names = hosts.map((h) =>
    /^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
  )
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 825 * DAY),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([
        usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
      ]),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    ],
  })
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) }
}

/** Subjects of the client certificates the server issues for its kubeconfigs. */
export const clientSubjects: Record<string, string> = {
  admin: 'CN=admin, O=system:masters',
  provider: 'CN=provider',
}

/**
 * Load the PKI from `dir`, creating what is missing. The serving certificate is reissued when
 * it does not cover `hosts` (a new listen address).
 */
export async function ensurePki(dir: string, hosts: string[], now = new Date()): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = (n: string) => join(dir, n)
  const read = (stem: string): KeyPair | undefined =>
    existsSync(file(`${stem}.crt`)) && existsSync(file(`${stem}.key`))
      ? { cert: readFileSync(file(`${stem}.crt`), 'utf8'), key: readFileSync(file(`${stem}.key`), 'utf8') }
      : undefined
  const write = (stem: string, pair: KeyPair) => {
    writeFileSync(file(`${stem}.crt`), pair.cert, { mode: 0o644 })
    writeFileSync(file(`${stem}.key`), pair.key, { mode: 0o600 })
    return pair
  }
  let caPair = read('ca')
  let issuer: Issuer | undefined
  const loadIssuer = async (): Promise<Issuer> => {
    if (issuer) return issuer
    if (!caPair) {
      issuer = await newCA(now)
      caPair = write('ca', { cert: issuer.cert.toString('pem'), key: await exportKey(issuer.keys.privateKey) })
      return issuer
    }
    const cert = new x509.X509Certificate(caPair.cert)
    const pkcs8 = x509.PemConverter.decode(caPair.key)[0]!
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign'])
    issuer = { cert, keys: { privateKey, publicKey: await cert.publicKey.export(alg, ['verify']) } }
    return issuer
  }
  if (!caPair) await loadIssuer()
  let serving = read('apiserver')
  if (!serving || !covers(serving.cert, hosts))
    serving = write('apiserver', await issue(await loadIssuer(), 'CN=code-provider-apiserver', now, 'server', hosts))
  const clients: Record<string, KeyPair> = {}
  for (const [stem, subject] of Object.entries(clientSubjects)) {
    clients[stem] = read(stem) ?? write(stem, await issue(await loadIssuer(), subject, now, 'client'))
  }
  return { ca: caPair!, serving, clients }
}

function covers(pem: string, hosts: string[]): boolean {
  const san = new x509.X509Certificate(pem).getExtension(x509.SubjectAlternativeNameExtension)
  const names = new Set(san?.names.items.map((n) => n.value) ?? [])
  return hosts.every((h) => names.has(h))
}
