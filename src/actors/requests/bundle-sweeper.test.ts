import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KubeObject } from '../../apis/meta.ts'
import { createFsBundleStore } from '../../bundles/fs/fs-bundle-store.ts'
import { resourceTypes } from '../../cluster/cluster.ts'
import { silentLogger } from '../../log.ts'
import { ObjectStore } from '../store.ts'
import { BundleSweeper } from './bundle-sweeper.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sweeper-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const commit = (name: string, bundle: string, phase?: string): KubeObject =>
  ({
    apiVersion: 'code.kedge.faros.sh/v1alpha1',
    kind: 'RepositoryCommit',
    metadata: { name, uid: name },
    spec: { repositoryRef: 'web', source: { bundleRef: { name: bundle } } },
    ...(phase ? { status: { phase } } : {}),
  }) as KubeObject

test('expired bundles go, except those of commits that have yet to run', async () => {
  const bundles = createFsBundleStore({ dir })
  const store = new ObjectStore('default')
  const orphan = await bundles.put('c1', [{ path: 'a.txt', content: 'nobody came for me' }])
  const waiting = await bundles.put('c1', [{ path: 'b.txt', content: 'a commit waits for its Repository' }])
  const done = await bundles.put('c1', [{ path: 'c.txt', content: 'committed, but never given back' }])
  const elsewhere = await bundles.put('c2', [{ path: 'b.txt', content: 'a commit waits for its Repository' }])
  for (const o of [commit('pending', waiting.name), commit('finished', done.name, 'Succeeded')]) {
    store.apply({ type: 'ADDED', cluster: 'c1', resource: resourceTypes.RepositoryCommit, object: o })
  }
  let now = Date.now()
  const clock = { setTimeout: () => 0, clearTimeout: () => {} }
  const sweeper = new BundleSweeper({
    bundles,
    store,
    ttlMs: 3_600_000,
    intervalMs: 900_000,
    clock,
    now: () => new Date(now),
    logger: silentLogger,
  })
  expect(await sweeper.sweep()).toBe(0) // nothing is an hour old yet
  now += 3_600_000 + 1000
  expect(await sweeper.sweep()).toBe(3)
  expect(await bundles.get('c1', orphan.name)).toBeUndefined()
  expect(await bundles.get('c1', done.name)).toBeUndefined()
  expect(await bundles.get('c1', waiting.name)).toBeDefined()
  expect(await bundles.get('c2', elsewhere.name)).toBeUndefined() // the same files in another workspace: not kept
})
