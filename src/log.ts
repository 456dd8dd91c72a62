// Structured JSON logs, one object per line: time, level, msg, and the context fields every
// line of an actor carries (workspace, kind, name, actor). Secrets are kept out at the source;
// redact() is the second line of defence for anything that slips into a field or message.
import type { LogLevel } from './config.ts'

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger whose lines all carry `fields`. */
  child(fields: LogFields): Logger
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

// Keys that name a secret (token, clientSecret, privateKey, ssh-privatekey, authorization...), not
// keys that merely mention one (tokenKind, secretRef, secretName).
const secretKey = /(token|secret|password|passwd|authorization|private.?key|credentials?|cookie)$/i
const secretValue = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{16,}/gi,
]

const MAX_DEPTH = 24

/** Replace secret-looking values (and values of secret-looking keys) with "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return secretValue.reduce((s, re) => s.replace(re, '[redacted]'), value)
  if (value === null || typeof value !== 'object') return value
  // Fail closed: what is too deep to inspect is not shown (and cycles end here).
  if (depth > MAX_DEPTH) return '[too deep]'
  if (value instanceof Error) return { name: value.name, message: redact(value.message) }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  // A Kubernetes Secret's data is base64: no value pattern would catch it.
  const isSecret = (value as { kind?: unknown }).kind === 'Secret'
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      (secretKey.test(k) && typeof v === 'string' && v !== '') || (isSecret && (k === 'data' || k === 'stringData'))
        ? '[redacted]'
        : redact(v, depth + 1),
    ]),
  )
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  base: LogFields = {},
  now: () => Date = () => new Date(),
): Logger {
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (order[lvl] < order[level]) return
    const line = {
      time: now().toISOString(),
      level: lvl,
      msg: redact(msg),
      ...(redact({ ...base, ...fields }) as LogFields),
    }
    write(JSON.stringify(line))
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, write, { ...base, ...fields }, now),
  }
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = createLogger('error', () => {})
