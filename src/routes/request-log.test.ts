import { expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { createLogger } from '../log.ts'
import { loggablePath, requestLog } from './request-log.ts'

test('query parameters that may carry a credential are redacted; others are kept', () => {
  const url = new URL('http://x/portal?tenant=root%3Aacme&token=ghp_abc&code=123&state=s&page=2')
  expect(loggablePath(url)).toBe('/portal?tenant=root%3Aacme&token=[redacted]&code=[redacted]&state=[redacted]&page=2')
  expect(loggablePath(new URL('http://x/healthz'))).toBe('/healthz')
})

test('each request is one debug line with listener, method, path, status and duration', async () => {
  const lines: string[] = []
  const log = createLogger('debug', (l) => lines.push(l))
  const app = new Elysia()
    .use(requestLog(log, 'main'))
    .get('/ok', () => 'fine')
    .get('/teapot', ({ set }) => {
      set.status = 418
      return 'short and stout'
    })
    .listen({ hostname: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${app.server!.port}`
  await (await fetch(`${base}/ok?token=dev-token-value`)).text()
  await (await fetch(`${base}/teapot`)).text()
  await (await fetch(`${base}/missing`)).text()
  await Bun.sleep(20)
  await app.stop(true)
  const logged = lines.map((l) => JSON.parse(l))
  expect(logged.map((l) => [l.level, l.msg, l.listener, l.method, l.path, l.status])).toEqual([
    ['debug', 'request', 'main', 'GET', '/ok?token=[redacted]', 200],
    ['debug', 'request', 'main', 'GET', '/teapot', 418],
    ['debug', 'request', 'main', 'GET', '/missing', 404],
  ])
  expect(logged.every((l) => typeof l.durationMs === 'number')).toBe(true)
  expect(lines.join('\n')).not.toContain('dev-token-value')
})
