import { expect, test } from 'bun:test'
import { parsePrometheusText, sampleValue } from './prometheus-text.ts'

const good = `# HELP req_total Requests.
# TYPE req_total counter
req_total{method="GET",path="/a \\"b\\"\\n"} 3
req_total{method="POST"} 1e3

# TYPE lat_seconds histogram
lat_seconds_bucket{le="0.1",kind="x"} 1
lat_seconds_bucket{le="+Inf",kind="x"} 2
lat_seconds_sum{kind="x"} 0.3
lat_seconds_count{kind="x"} 2
# TYPE up gauge
up NaN
`

test('reads a valid exposition', () => {
  const f = parsePrometheusText(good)
  expect(f.get('req_total')?.type).toBe('counter')
  expect(sampleValue(f, 'req_total', { path: '/a "b"\n' })).toBe(3)
  expect(sampleValue(f, 'req_total', { method: 'POST' })).toBe(1000)
  expect(sampleValue(f, 'lat_seconds_count', { kind: 'x' })).toBe(2)
})

test.each([
  ['no final newline', 'up 1'],
  ['a bad metric name', '9up 1\n'],
  ['an unquoted label', 'up{a=b} 1\n'],
  ['a bad escape', 'up{a="\\t"} 1\n'],
  ['a value that is no number', 'up one\n'],
  ['TYPE after samples', 'up 1\n# TYPE up gauge\n'],
  ['a family split in two', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="1"} 2\n'],
  ['a duplicate series', 'up{a="1"} 1\nup{a="1"} 2\n'],
  ['a negative counter', '# TYPE c counter\nc -1\n'],
  [
    'buckets that are not cumulative',
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
  ],
  ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
])('rejects %s', (_, text) => {
  expect(() => parsePrometheusText(text)).toThrow()
})
