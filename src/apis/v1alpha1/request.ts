// Pieces shared by the one-shot repository requests (commit, checkout, build status).
import { Type } from '@sinclair/typebox'
import type { CrossFieldRule, PrinterColumn } from '../kind.ts'
import { Int64, Name, Str, StringEnum, Timestamp } from '../schema.ts'
import { RequestPhase } from './conditions.ts'

export const Phase = StringEnum(RequestPhase, 'Pending, Running, Succeeded or Failed. Succeeded and Failed are final.')

export const BundleRef = Type.Object({
  name: Name('Bundle name in the provider bundle store.'),
  digest: Type.Optional(Str(96, 'Content digest, sha256:<hex>.', { pattern: '^(sha256:[a-f0-9]{64})?$' })),
})

export const SourceSummary = Type.Object({
  digest: Type.Optional(Str(96, 'Content digest of the bundle.')),
  size: Type.Optional(Int64('Total bytes.', { minimum: 0 })),
  fileCount: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of files.' })),
})

export const requestTimes = {
  startedAt: Type.Optional(Timestamp('When the provider started the request.')),
  completedAt: Type.Optional(Timestamp('When the request reached Succeeded or Failed.')),
}

export const repositoryRefField = Name('Repository in this workspace.')

/** A request is a record of intent: its spec never changes after creation. */
export const specIsImmutable: CrossFieldRule = {
  on: 'spec',
  rule: 'self == oldSelf',
  message: 'spec is immutable: create a new request instead',
  check: (self, oldSelf) => oldSelf === undefined || JSON.stringify(self) === JSON.stringify(oldSelf),
}

export const phaseColumn: PrinterColumn = { name: 'Phase', type: 'string', jsonPath: '.status.phase' }
export const repositoryColumn: PrinterColumn = { name: 'Repository', type: 'string', jsonPath: '.spec.repositoryRef' }
