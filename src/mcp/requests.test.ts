import { describe, expect, test } from 'bun:test'
import { validateObjectName } from '../apis/validate.ts'
import { requestMetadata, requestName } from './requests.ts'
import type { Obj } from './tool.ts'

describe('request names', () => {
  const now = new Date('2026-01-05T10:00:00Z')
  const digest = `sha256:${'ab12'.repeat(16)}`

  test('<repository>-<kind>-<12 hex of the digest>-<time hex>, unique within a millisecond', () => {
    const a = requestName('web', 'commit', now, digest)
    const b = requestName('web', 'commit', now, digest)
    expect(a).toMatch(/^web-commit-ab12ab12ab12-[0-9a-f]+$/)
    expect(a).not.toBe(b)
    expect(requestName('web', 'checkout', now)).toMatch(/^web-checkout-[0-9a-f]+$/)
  })

  test('a long repository name is cut so the whole stays a valid name of at most 253 characters', () => {
    for (const ref of ['r'.repeat(253), `${'a'.repeat(220)}.${'b'.repeat(32)}`, `${'a'.repeat(224)}-x`]) {
      const name = requestName(ref, 'commit', now, digest)
      expect(name.length).toBeLessThanOrEqual(253)
      expect(validateObjectName(name)).toEqual([])
    }
  })
})

describe('request metadata', () => {
  const repo = (name: string, uid?: string) =>
    ({ apiVersion: 'v', kind: 'Repository', metadata: { name, uid, labels: { team: 'web' } }, spec: {} }) as Obj

  test('labels (the repository label, and for commits the repository labels) and a non-controller owner', () => {
    expect(requestMetadata(repo('web', 'u1'), true)).toEqual({
      labels: { team: 'web', 'code.kedge.faros.sh/repository': 'web' },
      ownerReferences: [
        {
          apiVersion: 'code.kedge.faros.sh/v1alpha1',
          kind: 'Repository',
          name: 'web',
          uid: 'u1',
          controller: false,
          blockOwnerDeletion: false,
        },
      ],
    })
    expect(requestMetadata(repo('web'), false)).toEqual({ labels: { 'code.kedge.faros.sh/repository': 'web' } })
  })

  test('a repository name that cannot be a label value gets no label rather than an invalid one', () => {
    expect(requestMetadata(repo('x'.repeat(64)), false)).toEqual({})
  })
})
