// Schema building blocks that stay valid Kubernetes *structural* schemas: every node has a
// `type`, enums are plain `enum` lists (TypeBox unions would become `anyOf`), and nothing
// sets `additionalProperties` next to `properties`.
import { type TSchema, type TString, type TUnsafe, Type } from '@sinclair/typebox'

export const StringEnum = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description })

export const Str = (maxLength: number, description: string, extra: Record<string, unknown> = {}): TString =>
  Type.String({ maxLength, description, ...extra })

export const Name = (description: string): TString => Type.String({ minLength: 1, maxLength: 253, description })

export const Int64 = (description: string, extra: Record<string, unknown> = {}) =>
  Type.Integer({ format: 'int64', description, ...extra })

export const Timestamp = (description: string) => Type.String({ format: 'date-time', description })

export const StringMap = (description: string) =>
  Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' }, description })

/** A field whose schema we document but whose content the API server keeps as it is. */
export const Opaque = <T>(description: string): TUnsafe<T> =>
  Type.Unsafe<T>({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description })

export type { TSchema }
