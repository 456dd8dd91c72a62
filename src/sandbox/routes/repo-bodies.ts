// Request bodies of the repository endpoints (fields GitHub ignores are let through).
import { Type } from '@sinclair/typebox'

const bool = () => Type.Optional(Type.Boolean())
const nullableString = () => Type.Optional(Type.Union([Type.String(), Type.Null()]))
const visibility = () =>
  Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('internal')]))

const settings = {
  description: nullableString(),
  homepage: nullableString(),
  has_issues: bool(),
  has_projects: bool(),
  has_wiki: bool(),
  has_discussions: bool(),
  has_downloads: bool(),
  is_template: bool(),
  allow_squash_merge: bool(),
  allow_merge_commit: bool(),
  allow_rebase_merge: bool(),
  allow_auto_merge: bool(),
  delete_branch_on_merge: bool(),
  allow_update_branch: bool(),
  use_squash_pr_title_as_default: bool(),
  allow_forking: bool(),
  web_commit_signoff_required: bool(),
}

export const CreateRepoBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  private: bool(),
  visibility: visibility(),
  auto_init: bool(),
  gitignore_template: Type.Optional(Type.String()),
  license_template: Type.Optional(Type.String()),
  ...settings,
})

export const UpdateRepoBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1 })),
  private: bool(),
  visibility: visibility(),
  default_branch: Type.Optional(Type.String({ minLength: 1 })),
  archived: bool(),
  ...settings,
})

export const GenerateBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  owner: Type.Optional(Type.String({ minLength: 1 })),
  description: nullableString(),
  private: bool(),
  include_all_branches: bool(),
})

export const TopicsBody = Type.Object({ names: Type.Array(Type.String()) })
