import { describe, expect, test } from 'bun:test'
import type { PackageListing, PackageOps } from '../backend/backend.ts'
import { PackageListings } from './package-listings.ts'

function fakeSession(gate = 'g1') {
  const calls: string[] = []
  let fail = false
  let release: (() => void) | undefined
  const packages: PackageOps = {
    async list(owner, _kind, type) {
      calls.push(`list ${owner} ${type}`)
      if (release) await new Promise<void>((r) => (release = r))
      if (fail) throw new Error('502')
      return [
        { name: 'app', type, visibility: 'private', htmlURL: '', versionCount: 1, updatedAt: '' } as PackageListing,
      ]
    },
    async versions(owner, _kind, type, name) {
      calls.push(`versions ${owner} ${type} ${name}`)
      return []
    },
    imageRepository: (owner, name) => `ghcr.io/${owner}/${name}`,
  }
  return {
    session: { gate, packages },
    calls,
    failing: (v: boolean) => {
      fail = v
    },
    hold: () => {
      release = () => {}
    },
    release: () => release?.(),
  }
}

describe('package listings', () => {
  test('one request per (gate, owner, type) while fresh, whoever asks', async () => {
    let now = 0
    const listings = new PackageListings({ ttlMs: 120_000, failureTtlMs: 10_000, now: () => now })
    const s = fakeSession()
    for (let i = 0; i < 100; i++) await listings.list(s.session, 'acme', 'Organization', 'container')
    await listings.list(s.session, 'ACME', 'Organization', 'container') // owners are case-insensitive
    await listings.list(s.session, 'acme', 'Organization', 'npm')
    await listings.list(fakeSession('g2').session, 'acme', 'Organization', 'npm') // another credential: its own
    expect(s.calls).toEqual(['list acme container', 'list acme npm'])
    now += 120_000
    await listings.list(s.session, 'acme', 'Organization', 'container')
    expect(s.calls).toHaveLength(3)
    expect(listings.stats()).toMatchObject({ fetched: 4, shared: 100 })
  })

  test('callers arriving while a request is in flight join it', async () => {
    const listings = new PackageListings({ ttlMs: 1000, failureTtlMs: 1000, now: () => 0 })
    const s = fakeSession()
    s.hold()
    const all = Promise.all(
      Array.from({ length: 50 }, () => listings.list(s.session, 'acme', 'Organization', 'container')),
    )
    await Bun.sleep(0)
    s.release()
    expect((await all).every((l) => l.length === 1)).toBe(true)
    expect(s.calls).toHaveLength(1)
  })

  test("an image's versions are read again when its listing moved, or after the longest reuse", async () => {
    let now = 0
    const listings = new PackageListings({
      ttlMs: 1_000,
      failureTtlMs: 1_000,
      versionsMaxAgeMs: 10_000,
      now: () => now,
    })
    const s = fakeSession()
    const pkg = {
      name: 'app',
      type: 'container',
      visibility: 'private',
      htmlURL: '',
      versionCount: 1,
      updatedAt: 't1',
    } as const
    await listings.versions(s.session, 'acme', 'Organization', pkg)
    now += 5_000 // past the listing interval, unchanged: no request
    await listings.versions(s.session, 'acme', 'Organization', pkg)
    expect(s.calls).toHaveLength(1)
    await listings.versions(s.session, 'acme', 'Organization', { ...pkg, versionCount: 2, updatedAt: 't2' })
    await listings.versions(s.session, 'acme', 'Organization', { ...pkg, versionCount: 2, updatedAt: 't2' })
    expect(s.calls).toHaveLength(2)
    now += 10_000
    await listings.versions(s.session, 'acme', 'Organization', { ...pkg, versionCount: 2, updatedAt: 't2' })
    expect(s.calls).toEqual([
      'versions acme container app',
      'versions acme container app',
      'versions acme container app',
    ])
  })

  test('a failure is shared for a short while, then asked again', async () => {
    let now = 0
    const listings = new PackageListings({ ttlMs: 120_000, failureTtlMs: 10_000, now: () => now })
    const s = fakeSession()
    s.failing(true)
    for (let i = 0; i < 5; i++) {
      await expect(listings.list(s.session, 'acme', 'Organization', 'npm')).rejects.toThrow('502')
    }
    expect(s.calls).toHaveLength(1)
    s.failing(false)
    now += 10_000
    expect(await listings.list(s.session, 'acme', 'Organization', 'npm')).toHaveLength(1)
    expect(s.calls).toHaveLength(2)
  })
})
