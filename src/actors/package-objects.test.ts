import { describe, expect, test } from 'bun:test'
import type { PackageStatus } from '../apis/v1alpha1/package.ts'
import type { PackageListing } from '../backend/backend.ts'
import { observedStatus, packageObjectName, packageStatus, packageStatusDiffers } from './package-objects.ts'

const listing = (over: Partial<PackageListing> = {}): PackageListing => ({
  name: 'api',
  type: 'container',
  visibility: 'private',
  htmlURL: 'https://github.com/orgs/acme/packages/container/package/api',
  repository: 'api',
  versionCount: 1,
  updatedAt: '2026-01-02T00:00:00Z',
  ...over,
})

describe('Package object names', () => {
  test('readable, deterministic, distinct where sanitizing collides, and at most 253 characters', () => {
    const name = packageObjectName('web', 'container', 'Team/Web_App')
    expect(name).toMatch(/^web-container-team-web-app-[0-9a-f]{10}$/)
    expect(packageObjectName('web', 'container', 'Team/Web_App')).toBe(name)
    expect(packageObjectName('web', 'container', 'team.web.app')).not.toBe(name) // same readable part
    const long = packageObjectName('r'.repeat(200), 'container', 'p'.repeat(200))
    expect(long.length).toBeLessThanOrEqual(253)
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    expect(packageObjectName('-', 'npm', '@@@'.slice(0, 0))).toMatch(/^npm-[0-9a-f]{10}$/)
    expect(packageObjectName('', '', '')).toMatch(/^package-[0-9a-f]{10}$/)
  })
})

describe('Package status', () => {
  const versions = [
    { digest: 'sha256:1', tags: ['v1'], createdAt: '2026-01-01T00:00:00Z' },
    { digest: 'sha256:2', tags: ['v2', 'latest'], createdAt: '2026-01-02T00:00:00Z' },
  ]

  test('versions most recent first, count never below what was listed, image repository for images', () => {
    const s = observedStatus(
      { listing: listing({ versionCount: 1 }), versions, imageRepository: 'ghcr.io/acme/api' },
      undefined,
    )
    expect(s.versions?.map((v) => v.digest)).toEqual(['sha256:2', 'sha256:1'])
    expect(s.versionCount).toBe(2)
    expect(s.imageRepository).toBe('ghcr.io/acme/api')
  })

  test('versions that could not be read this time keep the known ones', () => {
    const previous: PackageStatus = { versions: [{ digest: 'sha256:old' }] }
    expect(observedStatus({ listing: listing() }, previous).versions).toEqual([{ digest: 'sha256:old' }])
  })

  test('written only when something observable changed; the sync time alone is no change', () => {
    const observed = observedStatus({ listing: listing(), versions }, undefined)
    const written = packageStatus(observed, undefined, 1, 'acme/api', '2026-01-05T00:00:00Z')
    expect(written.conditions?.[0]).toMatchObject({
      type: 'Ready',
      status: 'True',
      lastTransitionTime: '2026-01-05T00:00:00Z',
    })
    expect(packageStatusDiffers(observed, undefined, 1)).toBe(true)
    expect(packageStatusDiffers(observed, written, 1)).toBe(false)
    expect(packageStatusDiffers({ ...observed, visibility: 'public' }, written, 1)).toBe(true)
    expect(packageStatusDiffers(observed, written, 2)).toBe(true)
    const later = packageStatus({ ...observed, visibility: 'public' }, written, 1, 'acme/api', '2026-01-06T00:00:00Z')
    expect(later.conditions?.[0]?.lastTransitionTime).toBe('2026-01-05T00:00:00Z') // still Ready since then
    expect(later.lastSyncTime).toBe('2026-01-06T00:00:00Z')
  })
})
