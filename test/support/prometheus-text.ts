// A strict reader of the Prometheus text exposition format (version 0.0.4), independent of
// prom-client, for tests: it throws, naming the line, on anything the format does not allow
// (bad names, label syntax or values, samples outside their family's group, duplicate series,
// TYPE after samples) and on histograms whose buckets are not cumulative or disagree with _count.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help?: string
  samples: Sample[]
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/
// As Go's strconv.ParseFloat reads it (what Prometheus uses): Inf and NaN in any case.
const number = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?inf(?:inity)?$|^nan$/i
const types = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue(text: string, where: string): number {
  if (!number.test(text)) throw new Error(`${where}: "${text}" is not a number`)
  if (/inf/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity
  return /nan/i.test(text) ? Number.NaN : Number(text)
}

/** `a="x",b="y\"z"` → labels; strict about quoting and escapes. */
function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {}
  let i = 0
  while (i < text.length) {
    const eq = text.indexOf('=', i)
    if (eq < 0) throw new Error(`${where}: label without "="`)
    const name = text.slice(i, eq).trim()
    if (!labelName.test(name)) throw new Error(`${where}: bad label name "${name}"`)
    if (name in labels) throw new Error(`${where}: label "${name}" given twice`)
    if (text[eq + 1] !== '"') throw new Error(`${where}: label value of "${name}" is not quoted`)
    let value = ''
    let j = eq + 2
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\n') throw new Error(`${where}: raw newline in a label value`)
      if (text[j] !== '\\') {
        value += text[j]
        continue
      }
      const escaped = text[++j]
      if (escaped === 'n') value += '\n'
      else if (escaped === '\\' || escaped === '"') value += escaped
      else throw new Error(`${where}: bad escape "\\${escaped}" in label "${name}"`)
    }
    if (j >= text.length) throw new Error(`${where}: unterminated value of label "${name}"`)
    labels[name] = value
    i = j + 1
    if (i < text.length) {
      if (text[i] !== ',') throw new Error(`${where}: expected "," after label "${name}"`)
      i++
    }
  }
  return labels
}

const familyOf = (sample: string, families: Map<string, Family>) => {
  if (families.has(sample)) return sample
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = sample.slice(0, -suffix.length)
    const f = sample.endsWith(suffix) ? families.get(base) : undefined
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return base
  }
  return sample
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  const families = new Map<string, Family>()
  const series = new Set<string>()
  let current: string | undefined
  const family = (name: string) => {
    let f = families.get(name)
    if (!f) {
      f = { name, type: 'untyped', samples: [] }
      families.set(name, f)
    }
    return f
  }
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1} (${line.slice(0, 80)})`
      if (line.trim() === '') return
      const meta = line.match(/^# (HELP|TYPE) (\S+)(?: (.*))?$/)
      if (meta) {
        const [, what, name, rest = ''] = meta as unknown as [string, string, string, string?]
        if (!metricName.test(name)) throw new Error(`${where}: bad metric name`)
        const f = family(name)
        if (what === 'TYPE') {
          if (!types.has(rest)) throw new Error(`${where}: unknown type "${rest}"`)
          if (f.samples.length > 0 || f.type !== 'untyped') throw new Error(`${where}: TYPE after samples or twice`)
          f.type = rest as Family['type']
        } else {
          if (f.help !== undefined) throw new Error(`${where}: HELP twice`)
          f.help = rest
        }
        current = name
        return
      }
      if (line.startsWith('#')) return
      const m = line.match(/^([^\s{]+)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+(-?\d+))?$/)
      if (!m) throw new Error(`${where}: not a sample line`)
      const [, name, labelText = '', valueText] = m as unknown as [string, string, string | undefined, string]
      if (!metricName.test(name)) throw new Error(`${where}: bad metric name "${name}"`)
      const labels = parseLabels(labelText, where)
      const base = familyOf(name, families)
      if (current !== base && families.get(base)?.samples.length) throw new Error(`${where}: ${base} is not one group`)
      current = base
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`
      if (series.has(key)) throw new Error(`${where}: duplicate series`)
      series.add(key)
      const value = parseValue(valueText, where)
      const f = family(base)
      if (f.type === 'counter' && !(value >= 0)) throw new Error(`${where}: a counter must be ≥ 0`)
      f.samples.push({ name, labels, value })
    })
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f)
  return families
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>()
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    groups.set(key, [...(groups.get(key) ?? []), s])
  }
  for (const [key, samples] of groups) {
    const buckets = samples
      .filter((s) => s.name === `${f.name}_bucket`)
      .map((s) => ({ le: parseValue(s.labels.le ?? '', `${f.name} ${key}`), value: s.value }))
    const count = samples.find((s) => s.name === `${f.name}_count`)
    if (!samples.some((s) => s.name === `${f.name}_sum`) || !count)
      throw new Error(`${f.name} ${key}: no _sum or _count`)
    if (buckets.at(-1)?.le !== Infinity) throw new Error(`${f.name} ${key}: the last bucket is not le="+Inf"`)
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]!.le > buckets[i - 1]!.le) || buckets[i]!.value < buckets[i - 1]!.value)
        throw new Error(`${f.name} ${key}: buckets are not ascending and cumulative`)
    }
    if (buckets.at(-1)!.value !== count.value) throw new Error(`${f.name} ${key}: +Inf bucket differs from _count`)
  }
}

/** The value of one series, by metric name and (a subset of) labels. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const f of families.values()) {
    const s = f.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    if (s) return s.value
  }
  return undefined
}
