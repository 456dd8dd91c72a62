import { describe, expect, test } from 'bun:test'
import type { KubeObject } from '../apis/meta.ts'
import { ClusterError, type TenantClients, type WorkspaceClient } from '../cluster/cluster.ts'
import { createAccessChecker } from './access.ts'

/** A workspace whose Connection list answers with `items` (or throws), counting the calls. */
function workspace(items: () => KubeObject[]) {
  let lists = 0
  const client = {
    cluster: 'x',
    list: async () => {
      lists++
      return items()
    },
  } as unknown as WorkspaceClient
  const tenants: TenantClients = { forCaller: () => client }
  return { tenants, lists: () => lists }
}

const connection = (cluster: string): KubeObject => ({
  apiVersion: 'v',
  kind: 'Connection',
  metadata: { name: 'gh', annotations: { 'kcp.io/cluster': cluster } },
  spec: {},
})

describe('access checks', () => {
  test('are answered as the caller once, then from the cache, with the logical cluster id', async () => {
    const w = workspace(() => [connection('c1')])
    const access = createAccessChecker(w.tenants)
    const caller = { tenant: 'root:acme', cluster: 'root:acme', user: 'u', token: 't' }
    expect(await access.check(caller)).toMatchObject({ ok: true, access: { clusterId: 'c1' } })
    expect(await access.check(caller)).toMatchObject({ ok: true, access: { clusterId: 'c1' } })
    expect(w.lists()).toBe(1)
  })

  test('a workspace known only by path, with no object to read its id from, is asked again next time', async () => {
    let items: KubeObject[] = []
    const w = workspace(() => items)
    const access = createAccessChecker(w.tenants)
    const caller = { tenant: 'root:acme', cluster: 'root:acme', user: 'u', token: 't' }
    expect(await access.check(caller)).toMatchObject({ ok: true, access: { clusterId: 'root:acme' } })
    items = [connection('c1')]
    expect(await access.check(caller)).toMatchObject({ ok: true, access: { clusterId: 'c1' } })
    expect(w.lists()).toBe(2)
  })

  test('a caller with an id needs no object to be remembered', async () => {
    const w = workspace(() => [])
    const access = createAccessChecker(w.tenants)
    const caller = { tenant: 'root:acme', cluster: 'c1', user: 'u', token: 't' }
    await access.check(caller)
    await access.check(caller)
    expect(w.lists()).toBe(1)
  })

  test('refusals say what is wrong', async () => {
    const w = workspace(() => {
      throw new ClusterError('forbidden', 'no')
    })
    expect(
      await createAccessChecker(w.tenants).check({ tenant: 'root:acme', cluster: 'c1', user: 'u', token: 't' }),
    ).toEqual({
      ok: false,
      status: 403,
      message: 'no access to workspace "root:acme" with this token',
    })
  })
})
