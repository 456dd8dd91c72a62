// `GET /repos/{o}/{r}/tarball/{ref}`: 302 to a short-lived codeload-style URL on the sandbox.

import { issueDownload } from '../downloads.ts'
import { GitHubError } from '../github-error.ts'
import { found, type Route } from '../http/types.ts'
import { gitRepo } from './git-access.ts'

export const archiveRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/tarball/{ref+}',
    operationId: 'repos/download-tarball-archive',
    scopes: ['repo'],
    handle: (ctx) => {
      const repo = gitRepo(ctx, 'read', true)
      const sha = repo.git.isEmpty ? undefined : repo.git.resolve(ctx.params.ref!)
      if (!sha) throw new GitHubError(404, 'Not Found')
      return found(issueDownload(ctx.state, ctx.urls.web, { kind: 'tarball', repoId: repo.id, sha }))
    },
  },
]
