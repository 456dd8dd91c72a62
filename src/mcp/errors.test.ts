import { describe, expect, test } from 'bun:test'
import { z } from 'zod'
import { ClusterError } from '../cluster/cluster.ts'
import { argumentPath, describeIssues, workspaceError } from './errors.ts'

describe('field paths become argument names', () => {
  const fields = {
    'metadata.name': 'name',
    'spec.name': 'repo',
    'spec.secretRef': 'secretName',
    'spec.secretRef.key': 'secretKey',
  }
  test.each([
    ['metadata.name', 'name'],
    ['spec.name', 'repo'],
    ['spec.secretRef.key', 'secretKey'],
    ['spec.secretRef.name', 'secretName.name'],
    ['spec.topics[2]', 'spec.topics[2]'],
  ])('%s → %s', (field, arg) => expect(argumentPath(field, fields)).toBe(arg))
})

describe('zod issues', () => {
  const schema = z.strictObject({
    name: z.string(),
    files: z.array(z.strictObject({ path: z.string() })),
    n: z.number().int().min(1),
  })
  test('one clause per argument: required, wrong type, unknown, bounds', () => {
    const r = schema.safeParse({ files: [{ path: 3 }], n: 0, nmae: 'x' })
    expect(describeIssues('t', r.error!.issues, Object.keys(schema.shape))).toBe(
      'Invalid arguments for t: name: required; files[0].path: Invalid input: expected string, received number; n: Too small: expected number to be >=1; unknown argument nmae (accepted: name, files, n)',
    )
  })
})

describe('workspace errors', () => {
  const t = {
    tool: 'create_repository',
    kind: 'Repository',
    name: 'web',
    verb: 'create',
    fields: { 'spec.name': 'repo' },
  }
  test.each([
    [
      new ClusterError('already-exists', 'x'),
      'Repository "web" already exists: choose another name, or use the existing one',
    ],
    [
      new ClusterError('forbidden', 'x'),
      "permission denied: your token may not create Repository objects in this workspace (the workspace's RBAC decides; ask a workspace admin)",
    ],
    [
      new ClusterError('invalid', 'x', 422, [
        { field: 'spec.name', type: 'FieldValueInvalid', message: 'Invalid value: "." ' },
      ]),
      'Invalid arguments for create_repository: repo: Invalid value: "." ',
    ],
    [
      new ClusterError('not-found', 'x'),
      'the Repository API is not available in this workspace: enable the code provider for it in the hub',
    ],
    [
      new ClusterError('unavailable', 'connect ECONNREFUSED'),
      'the workspace API did not answer (connect ECONNREFUSED): retry in a moment',
    ],
  ])('%p', (e, message) => expect(workspaceError(e, t).message).toBe(message))
})
