// Request bodies of the git data endpoints.
import { Type } from '@sinclair/typebox'
import { FILE_MODES } from '../git/objects.ts'

const Person = Type.Object({
  name: Type.String({ minLength: 1 }),
  email: Type.String({ minLength: 1 }),
  date: Type.Optional(Type.String()),
})

export const CreateBlobBody = Type.Object({
  content: Type.String(),
  encoding: Type.Optional(Type.Union([Type.Literal('utf-8'), Type.Literal('base64')])),
})

export const CreateTreeBody = Type.Object({
  base_tree: Type.Optional(Type.String()),
  tree: Type.Array(
    Type.Object({
      path: Type.String({ minLength: 1 }),
      mode: Type.Union(FILE_MODES.map((m) => Type.Literal(m))),
      type: Type.Union([Type.Literal('blob'), Type.Literal('tree'), Type.Literal('commit')]),
      sha: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      content: Type.Optional(Type.String()),
    }),
  ),
})

export const CreateCommitBody = Type.Object({
  message: Type.String(),
  tree: Type.String(),
  parents: Type.Optional(Type.Array(Type.String())),
  author: Type.Optional(Person),
  committer: Type.Optional(Person),
})

export const CreateRefBody = Type.Object({ ref: Type.String(), sha: Type.String() })

export const UpdateRefBody = Type.Object({ sha: Type.String(), force: Type.Optional(Type.Boolean()) })

export const FileBody = Type.Object({
  message: Type.String(),
  content: Type.String(),
  sha: Type.Optional(Type.String()),
  branch: Type.Optional(Type.String()),
  committer: Type.Optional(Person),
  author: Type.Optional(Person),
})

export const DeleteFileBody = Type.Object({
  message: Type.String(),
  sha: Type.String(),
  branch: Type.Optional(Type.String()),
  committer: Type.Optional(Person),
  author: Type.Optional(Person),
})
