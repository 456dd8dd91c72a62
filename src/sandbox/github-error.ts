// Errors in GitHub's shape: handlers and model operations throw them, the pipeline renders
// `{message, documentation_url, errors?, status}` with the status code.

export interface ValidationItem {
  resource: string
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom'
  field?: string
  message?: string
}

export interface GitHubErrorExtra {
  /** Items, or plain strings where GitHub answers "validation failed, simple" (topics). */
  errors?: (ValidationItem | string)[]
  headers?: Record<string, string>
  documentationURL?: string
  /** Redirects (301/307) carry the new location in the body too. */
  url?: string
}

export const DOCS = 'https://docs.github.com/rest'

export class GitHubError extends Error {
  override readonly name = 'GitHubError'

  constructor(
    readonly status: number,
    message: string,
    readonly extra: GitHubErrorExtra = {},
  ) {
    super(message)
  }

  body(): Record<string, unknown> {
    if (this.extra.url) return { message: this.message, url: this.extra.url, documentation_url: DOCS }
    return {
      message: this.message,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      documentation_url: this.extra.documentationURL ?? DOCS,
      status: String(this.status),
    }
  }
}

export const notFound = () => new GitHubError(404, 'Not Found')

export const validationFailed = (errors: ValidationItem[], message = 'Validation Failed') =>
  new GitHubError(422, message, { errors })

export const archivedReadOnly = () => new GitHubError(403, 'Repository was archived so is read-only.')

export const gitRepositoryEmpty = () => new GitHubError(409, 'Git Repository is empty.')
