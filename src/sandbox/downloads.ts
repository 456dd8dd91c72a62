// Short-lived download URLs, as GitHub hands out for archives (codeload) and job logs: the API
// answers 302 to a URL carrying a token valid for five minutes, served outside the REST API
// (no rate limit, no Authorization needed).
import { tarball } from './git/tarball.ts'
import type { DownloadTarget, SandboxState } from './model/state.ts'
import { randomBase62 } from './tokens.ts'

const TTL_MS = 5 * 60_000

export function issueDownload(state: SandboxState, webURL: string, d: DownloadTarget): string {
  const token = randomBase62(32)
  state.downloads.set(token, { ...d, expiresAt: state.now() + TTL_MS })
  if (d.kind === 'log') return `${webURL}/_logs/jobs/${d.jobId}?token=${token}`
  const repo = state.repos.get(d.repoId)!
  return `${webURL}/_codeload/${state.ownerOf(repo).login}/${repo.name}/legacy.tar.gz/${d.sha}?token=${token}`
}

const gone = () => new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } })

/** Answers /_codeload/… and /_logs/…; undefined for other paths. */
export async function serveDownload(state: SandboxState, url: URL): Promise<Response | undefined> {
  const isDownload = url.pathname.startsWith('/_codeload/') || url.pathname.startsWith('/_logs/')
  if (!isDownload) return undefined
  const d = state.downloads.get(url.searchParams.get('token') ?? '')
  if (!d || d.expiresAt <= state.now()) return gone()
  if (d.kind === 'log') {
    const job = state.jobs.get(d.jobId)
    if (!job || url.pathname !== `/_logs/jobs/${d.jobId}`) return gone()
    return new Response(job.log, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
  const repo = state.repos.get(d.repoId)
  if (!repo || !url.pathname.endsWith(`/legacy.tar.gz/${d.sha}`)) return gone()
  const name = `${state.ownerOf(repo).login}-${repo.name}-${d.sha.slice(0, 7)}`
  const body = tarball(repo.git, d.sha, name)
  return new Response(body, {
    headers: {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${name}.tar.gz`,
    },
  })
}
