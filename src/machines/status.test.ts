import { describe, expect, test } from 'bun:test'
import type { Condition } from '../apis/meta.ts'
import type { CodeKind } from '../apis/v1alpha1/kinds.ts'
import type { ResourceContext } from './resource.machine.ts'
import { projectStatus, statusDiffers, withTransitionTimes } from './status.ts'

const ctx = (kind: CodeKind, over: Partial<ResourceContext> = {}): ResourceContext => ({
  key: { cluster: 'c1', kind, name: 'x' },
  object: { apiVersion: 'v', kind, metadata: { name: 'x', generation: 4 }, spec: {} },
  intervals: { driftMs: 1, blockedRetryMs: 1, waitingRetryMs: 1, backoffBaseMs: 1, backoffMaxMs: 1 },
  generation: 4,
  dependencyChanged: false,
  attempts: 0,
  available: false,
  status: {},
  detail: {},
  ...over,
})

const byType = (s: ReturnType<typeof projectStatus>) =>
  Object.fromEntries((s?.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]))

describe('projectStatus', () => {
  test('ready: Ready and Synced true, fields published, generation observed', () => {
    const s = projectStatus('ready', ctx('Repository', { available: true, status: { repoID: '7' } }))
    expect(byType(s)).toEqual({ Ready: 'True/Available', Synced: 'True/ReconcileSuccess' })
    expect(s?.fields).toEqual({ repoID: '7' })
    expect(s?.observedGeneration).toBe(4)
    expect(s?.conditions.every((c) => c.observedGeneration === 4)).toBe(true)
  })

  test('first provisioning says Creating; later polls write nothing', () => {
    expect(byType(projectStatus('provisioning', ctx('Repository')))).toEqual({ Ready: 'False/Creating' })
    expect(projectStatus('provisioning', ctx('Repository', { available: true }))).toBeUndefined()
    expect(projectStatus('settled', ctx('Repository', { available: true }))).toBeUndefined()
  })

  test('waiting for a dependency names it', () => {
    const s = projectStatus(
      'waiting',
      ctx('Repository', { waitingFor: { kind: 'Connection', name: 'gh', message: 'Connection "gh" is not ready' } }),
    )
    expect(byType(s)).toEqual({
      Ready: 'False/DependencyNotReady',
      Synced: 'False/ReconcilePaused',
      DependencyNotReady: 'True/DependencyNotReady',
    })
    expect(s?.conditions[0]?.message).toBe('Connection "gh" is not ready')
  })

  test('a failing reconcile keeps Ready while the thing is still available, and says why Synced is false', () => {
    const lastError = { reason: 'RateLimited' as const, message: 'wait', needsHuman: false, rateLimited: true }
    expect(byType(projectStatus('backoff', ctx('Repository', { available: true, lastError })))).toEqual({
      Ready: 'True/Available',
      Synced: 'False/ReconcileError',
      RateLimited: 'True/RateLimited',
    })
  })

  test('a blocked connection is not validated, with the reason', () => {
    const lastError = {
      reason: 'Unauthorized' as const,
      message: 'bad credentials',
      needsHuman: true,
      rateLimited: false,
    }
    expect(byType(projectStatus('blocked', ctx('Connection', { lastError })))).toEqual({
      Ready: 'False/Unauthorized',
      Synced: 'False/ReconcileError',
      Validated: 'False/Unauthorized',
    })
  })

  test('collaborator invitations are visible until accepted', () => {
    expect(
      byType(projectStatus('ready', ctx('Collaborator', { available: true, detail: { state: 'Invited' } }))),
    ).toMatchObject({
      InvitationPending: 'True/Invited',
    })
    expect(
      byType(projectStatus('ready', ctx('Collaborator', { available: true, detail: { state: 'Active' } }))),
    ).toMatchObject({
      InvitationPending: 'False/Accepted',
    })
  })

  test('deleting says so', () => {
    expect(byType(projectStatus('deleting', ctx('Repository', { available: true })))).toEqual({
      Ready: 'False/Deleting',
      Synced: 'True/ReconcileSuccess',
    })
  })
})

describe('writing status', () => {
  const before: Condition[] = [
    {
      type: 'Ready',
      status: 'False',
      reason: 'Creating',
      message: 'm',
      lastTransitionTime: 't0',
      observedGeneration: 1,
    },
    {
      type: 'Synced',
      status: 'True',
      reason: 'ReconcileSuccess',
      message: 'Reconciled',
      lastTransitionTime: 't0',
      observedGeneration: 1,
    },
  ]

  test('lastTransitionTime moves only when a status flips', () => {
    const next = projectStatus('ready', ctx('Repository', { available: true }))!
    const out = withTransitionTimes(next.conditions, before, 't1')
    expect(out.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('t1')
    expect(out.find((c) => c.type === 'Synced')?.lastTransitionTime).toBe('t0')
  })

  test('a steady state writes nothing', () => {
    const next = projectStatus('ready', ctx('Repository', { available: true, status: { repoID: '7' } }))!
    const current = {
      observedGeneration: 4,
      repoID: '7',
      conditions: withTransitionTimes(next.conditions, undefined, 't'),
    }
    expect(statusDiffers(next, current)).toBe(false)
    expect(statusDiffers(next, { ...current, repoID: '8' })).toBe(true)
    expect(statusDiffers(next, { ...current, observedGeneration: 3 })).toBe(true)
    expect(statusDiffers({ ...next, fields: { invitationID: null } }, { ...current, invitationID: '1' })).toBe(true)
  })
})
