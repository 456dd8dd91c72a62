// Deploy keys: immutable on GitHub (a change means delete, then create: the reconciler's call), found
// by id or by key material (type + base64 body; the comment is not part of the identity).

import type { DeployKeyOps, DesiredDeployKey, Observation, ObservedDeployKey, RepoRef } from '../backend.ts'
import { isBackendError } from '../errors.ts'
import type { SessionContext } from './context.ts'
import { invalidInput } from './errors.ts'

interface KeyJSON {
  id: number
  key: string
  title?: string | null
  read_only?: boolean
  created_at?: string
}

/** `ssh-ed25519 AAAA… comment` → `ssh-ed25519 AAAA…` */
export const keyMaterial = (publicKey: string): string => publicKey.trim().split(/\s+/).slice(0, 2).join(' ')

const toObserved = (k: KeyJSON): ObservedDeployKey => ({
  id: String(k.id),
  title: k.title ?? '',
  publicKey: k.key,
  readOnly: k.read_only === true,
  createdAt: k.created_at ?? '',
})

export function deployKeyDiff(desired: DesiredDeployKey, observed: ObservedDeployKey): string[] {
  const diff: string[] = []
  if (keyMaterial(desired.publicKey) !== keyMaterial(observed.publicKey)) diff.push('publicKey')
  if (desired.readOnly !== observed.readOnly) diff.push('readOnly')
  if (desired.title !== observed.title) diff.push('title')
  return diff
}

const full = (repo: RepoRef) => `${repo.owner}/${repo.name}`

export function deployKeyOps(ctx: SessionContext): DeployKeyOps {
  const { transport: t } = ctx

  const list = (repo: RepoRef, background: boolean) => {
    const what = `list deploy keys of ${full(repo)}`
    return t.paginate<KeyJSON>(
      'GET /repos/{owner}/{repo}/keys',
      { owner: repo.owner, repo: repo.name },
      background ? ctx.call(what) : ctx.foreground(what),
    )
  }

  const findByMaterial = (keys: KeyJSON[], publicKey: string) =>
    keys.find((k) => keyMaterial(k.key) === keyMaterial(publicKey))

  async function observe(
    repo: RepoRef,
    desired: DesiredDeployKey,
    known?: { id?: string },
  ): Promise<Observation<ObservedDeployKey>> {
    let found: KeyJSON | undefined
    if (known?.id) {
      try {
        const res = await t.request<KeyJSON>(
          'GET /repos/{owner}/{repo}/keys/{key_id}',
          { owner: repo.owner, repo: repo.name, key_id: known.id },
          ctx.call(`observe deploy key ${known.id} of ${full(repo)}`),
        )
        found = res.data
      } catch (e) {
        if (!isBackendError(e) || e.code !== 'not-found') throw e
      }
    } else {
      found = findByMaterial(await list(repo, true), desired.publicKey)
    }
    if (!found) return { exists: false }
    const observed = toObserved(found)
    const diff = deployKeyDiff(desired, observed)
    return { exists: true, upToDate: diff.length === 0, diff, observed }
  }

  async function create(repo: RepoRef, desired: DesiredDeployKey): Promise<ObservedDeployKey> {
    const what = `add deploy key "${desired.title}" to ${full(repo)}`
    try {
      const res = await t.request<KeyJSON>(
        'POST /repos/{owner}/{repo}/keys',
        {
          owner: repo.owner,
          repo: repo.name,
          title: desired.title,
          key: desired.publicKey.trim(),
          read_only: desired.readOnly,
        },
        ctx.foreground(what),
      )
      return toObserved(res.data)
    } catch (e) {
      // "In use" covers this very repository too: then it is ours already.
      if (!isBackendError(e) || e.reason !== 'key-in-use') throw e
      const mine = findByMaterial(await list(repo, false), desired.publicKey)
      if (mine) return toObserved(mine)
      throw e
    }
  }

  async function remove(repo: RepoRef, id: string): Promise<void> {
    if (!/^\d+$/.test(id)) {
      throw invalidInput(`delete deploy key ${id} of ${full(repo)}`, 'a key id is a number', 'invalid-id')
    }
    try {
      await t.request(
        'DELETE /repos/{owner}/{repo}/keys/{key_id}',
        { owner: repo.owner, repo: repo.name, key_id: id },
        ctx.foreground(`delete deploy key ${id} of ${full(repo)}`),
      )
    } catch (e) {
      if (!isBackendError(e) || e.code !== 'not-found') throw e
    }
  }

  return { observe, create, delete: remove }
}
