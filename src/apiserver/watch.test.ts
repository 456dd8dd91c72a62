// Watch over real HTTP: resourceVersion resume, initial state, bookmarks, WatchList, the legacy
// /watch/ path, selectors, and 410 Gone once history has left the window.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.ts'
import { watchEvents } from '../../test/support/watch.ts'

let api: TestApiServer
const cms = '/clusters/root:acme/api/v1/namespaces/default/configmaps'
const create = (name: string, labels: Record<string, string> = {}) =>
  api.fetch(cms, { method: 'POST', json: { metadata: { name, labels } } }).then((r) => r.json())
const listRV = async () => (await (await api.fetch(cms)).json()).metadata.resourceVersion as string

beforeAll(async () => {
  api = await startTestApiServer({ watchWindow: 20, bookmarkIntervalMs: 50 })
})
afterAll(() => api.stop())

describe('watch', () => {
  test('from a list resourceVersion: ADDED, MODIFIED, DELETED in order, with case-insensitive booleans', async () => {
    const rv = await listRV()
    const w = watchEvents(await api.fetch(`${cms}?watch=True&resourceVersion=${rv}`))
    await create('w1')
    await api.fetch(`${cms}/w1`, {
      method: 'PATCH',
      json: { data: { a: 'b' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    await api.fetch(`${cms}/w1`, { method: 'DELETE' })
    const events = [await w.next(), await w.next(), await w.next()]
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED'])
    expect(events[1]!.object.data).toEqual({ a: 'b' })
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion))
    expect(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!).toBe(true)
    w.cancel()
  })
  test('replays history after the given resourceVersion', async () => {
    const rv = await listRV()
    await create('h1')
    await create('h2')
    const w = watchEvents(await api.fetch(`${cms}?watch=1&resourceVersion=${rv}`))
    expect((await w.next()).object.metadata.name).toBe('h1')
    expect((await w.next()).object.metadata.name).toBe('h2')
    w.cancel()
  })
  test('without a resourceVersion it starts with the current state', async () => {
    const w = watchEvents(await api.fetch(`${cms}?watch=true&fieldSelector=metadata.name%3Dh1`))
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'h1' } } })
    w.cancel()
  })
  test('label selectors filter events; the legacy /watch/ path works', async () => {
    const rv = await listRV()
    const w = watchEvents(
      await api.fetch(
        `/clusters/root:acme/api/v1/watch/namespaces/default/configmaps?resourceVersion=${rv}&labelSelector=team%3Da`,
      ),
    )
    await create('other', { team: 'b' })
    await create('mine', { team: 'a' })
    expect((await w.next()).object.metadata.name).toBe('mine')
    w.cancel()
  })
  test('bookmarks carry the current resourceVersion', async () => {
    const w = watchEvents(
      await api.fetch(`${cms}?watch=true&resourceVersion=${await listRV()}&allowWatchBookmarks=true`),
    )
    const e = await w.next()
    expect(e.type).toBe('BOOKMARK')
    expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(0)
    w.cancel()
  })
  test('WatchList: initial events, then a bookmark marking their end', async () => {
    const q =
      'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dh2'
    const w = watchEvents(await api.fetch(`${cms}?${q}`))
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'h2' } } })
    expect(await w.next()).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    })
    w.cancel()
    expect((await api.fetch(`${cms}?watch=true&sendInitialEvents=true`)).status).toBe(422)
  })
  test('timeoutSeconds ends the stream', async () => {
    const w = watchEvents(await api.fetch(`${cms}?watch=true&resourceVersion=${await listRV()}&timeoutSeconds=1`))
    await expect(w.next(3000)).rejects.toThrow('watch ended')
  })
  test('a resourceVersion older than the window is 410 Gone: an ERROR event on watch', async () => {
    const old = await listRV()
    for (let i = 0; i < 45; i++) await create(`churn-${i}`)
    const w = watchEvents(await api.fetch(`${cms}?watch=true&resourceVersion=${old}`))
    expect(await w.next()).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })
    await expect(w.next(1000)).rejects.toThrow('watch ended')
  })
  test('and a 410 on an exact list of a past resourceVersion', async () => {
    const r = await api.fetch(`${cms}?resourceVersion=1&resourceVersionMatch=Exact`)
    expect(r.status).toBe(410)
  })
  test('watches across all logical clusters see every workspace', async () => {
    await api.tenant('root:globex')
    const w = watchEvents(await api.fetch(`/clusters/*/api/v1/configmaps?watch=true&resourceVersion=${await listRV()}`))
    await api.fetch('/clusters/root:globex/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      json: { metadata: { name: 'g' } },
    })
    await create('a')
    const clusters = [(await w.next()).object, (await w.next()).object].map(
      (o) => o.metadata.annotations['kcp.io/cluster'],
    )
    expect(clusters).toEqual([api.tenants['root:globex']!.cluster, api.tenants['root:acme']!.cluster])
    w.cancel()
  })
})

test('a selector watch sees objects enter (ADDED) and leave (DELETED) the selection', async () => {
  const w = watchEvents(
    await api.fetch(`${cms}?watch=true&resourceVersion=${await listRV()}&labelSelector=phase%3Dlive`),
  )
  await create('mover', { phase: 'draft' })
  const label = (phase: string) =>
    api.fetch(`${cms}/mover`, {
      method: 'PATCH',
      json: { metadata: { labels: { phase } } },
      headers: { 'content-type': 'application/merge-patch+json' },
    })
  await label('live')
  await api.fetch(`${cms}/mover`, {
    method: 'PATCH',
    json: { data: { a: '1' } },
    headers: { 'content-type': 'application/merge-patch+json' },
  })
  await label('retired')
  const seen = [await w.next(), await w.next(), await w.next()].map(
    (e) => `${e.type} ${e.object.metadata.labels.phase}`,
  )
  expect(seen).toEqual(['ADDED live', 'MODIFIED live', 'DELETED retired'])
  w.cancel()
})
