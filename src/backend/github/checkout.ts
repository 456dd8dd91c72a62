// Checkout in a bounded number of requests: resolve the ref to a commit, then one tarball download,
// read as it streams (never one request per file, unlike the upstream's blob-by-blob read).

import type { CheckoutInput, CheckoutOps, CheckoutResult, RepoRef } from '../backend.ts'
import { refPath, type SessionContext } from './context.ts'
import { unreadableDownload } from './errors.ts'
import { readTextFiles } from './tarball.ts'

const SHA = /^[0-9a-f]{40}$/i

export function checkoutOps(ctx: SessionContext): CheckoutOps {
  const { transport: t } = ctx

  async function read(repo: RepoRef, input: CheckoutInput): Promise<CheckoutResult> {
    const where = `${repo.owner}/${repo.name}`
    const p = { owner: repo.owner, repo: repo.name }
    let requests = 0
    let ref = input.ref?.trim()
    if (!ref) {
      const info = await t.request<{ default_branch?: string }>(
        'GET /repos/{owner}/{repo}',
        p,
        ctx.foreground(`read repository ${where}`),
      )
      requests++
      ref = info.data.default_branch || 'main'
    }
    let sha = ref
    if (!SHA.test(ref)) {
      const res = await t.request<string | { sha: string }>(
        'GET /repos/{owner}/{repo}/commits/{+ref}',
        { ...p, ref: refPath(ref), headers: { accept: 'application/vnd.github.sha' } },
        ctx.foreground(`resolve ${ref} in ${where}`),
      )
      requests++
      sha = (typeof res.data === 'string' ? res.data : res.data.sha).trim()
    }
    const what = `download ${where} at ${sha.slice(0, 12)}`
    const download = await t.download(
      'GET /repos/{owner}/{repo}/tarball/{ref}',
      { ...p, ref: sha },
      ctx.foreground(what),
    )
    requests += download.requests
    if (!download.response.body) throw unreadableDownload(what, new Error('empty body'))
    try {
      const { files, skipped } = await readTextFiles(download.response.body, input)
      return { ref, commitSHA: sha, files, skipped, requests }
    } catch (e) {
      throw unreadableDownload(what, e)
    }
  }

  return { read }
}
