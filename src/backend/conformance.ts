// A conformance suite for any GitBackend, runner-agnostic: plain async cases that throw on failure.
// It holds every implementation to the port's promises: idempotent verbs ("already there" is success
// on create, "already gone" on delete), observe never writes, stable error codes.
//
// Run it from a test file: `for (const c of conformanceCases) test(c.name, () => c.run(target))`.

import { generateKeyPairSync } from 'node:crypto'
import type { OwnerKind } from '../apis/v1alpha1/connection.ts'
import type { GitSession, RepoRef, ResponseInfo, SessionOptions } from './backend.ts'
import { type BackendErrorCode, isBackendError } from './errors.ts'

export interface ConformanceTarget {
  /** Shown in failure messages, e.g. `sandbox` or `github.com`. */
  label: string
  /** A session of the credential under test (each call may pass its own options). */
  open(options?: SessionOptions): GitSession
  /** A session whose credential the host rejects. */
  openRejected(): GitSession
  /** Where repositories are created: an organization, or the authenticated user. */
  owner: string
  ownerKind: OwnerKind
  /** Unique per run: every name this suite creates starts with it. */
  prefix: string
  /** A user account other than the authenticated one (to invite, and to refuse creating under). */
  otherUser?: string
}

export interface ConformanceCase {
  name: string
  /** What the target must offer; a runner skips the case (and says why) when it does not. */
  needs?: 'otherUser'[]
  run(target: ConformanceTarget): Promise<void>
}

/** Why a case cannot run against this target (empty: it can). */
export function unmetNeeds(c: ConformanceCase, target: ConformanceTarget): string[] {
  return (c.needs ?? []).filter((need) => need === 'otherUser' && !target.otherUser)
}

// ── assertions (no test runner here) ───────────────────────────────────────────────────────

function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new Error(message)
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`)
}

async function failsWith(p: Promise<unknown>, code: BackendErrorCode, what: string, reason?: string) {
  try {
    await p
  } catch (e) {
    check(isBackendError(e), `${what}: expected a BackendError, got ${String(e)}`)
    same(e.code, code, `${what}: error code (${e.message})`)
    if (reason !== undefined) same(e.reason, reason, `${what}: error reason (${e.message})`)
    return
  }
  throw new Error(`${what}: expected ${code}, but it succeeded`)
}

/** A fresh OpenSSH ed25519 public key (the comment is not part of its identity). */
export function newPublicKey(comment = 'conformance'): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const field = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b])
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)])
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`
}

/** Opens a session that records every request, to prove observe only reads. */
function recording(target: ConformanceTarget): { session: GitSession; requests: ResponseInfo[] } {
  const requests: ResponseInfo[] = []
  return { session: target.open({ onResponse: (r) => requests.push(r) }), requests }
}

const onlyReads = (requests: ResponseInfo[], what: string) => {
  const writes = requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => r.route)
  same(writes, [], `${what} sent writes`)
  check(requests.length > 0, `${what} sent no request at all (no onResponse reports)`)
}

/** A repository for one case, deleted afterwards whatever happens. */
async function withRepository(
  target: ConformanceTarget,
  suffix: string,
  body: (session: GitSession, repo: RepoRef & { id: string }) => Promise<void>,
  autoInit = true,
): Promise<void> {
  const session = target.open()
  const name = `${target.prefix}-${suffix}`
  const { observed } = await session.repositories.create(target.owner, target.ownerKind, {
    name,
    visibility: 'private',
    autoInit,
  })
  try {
    await body(session, { owner: observed.owner, name: observed.name, id: observed.id })
  } finally {
    await session.repositories.delete({ owner: observed.owner, name: observed.name })
  }
}

// ── cases ──────────────────────────────────────────────────────────────────────────────────

export const conformanceCases: ConformanceCase[] = [
  {
    name: 'validate names the authenticated account; a rejected credential is unauthorized',
    async run(target) {
      const info = await target.open().validate()
      check(info.login.length > 0, 'validate returned no login')
      check(!info.scopesKnown || Array.isArray(info.scopes), 'scopes must be a list')
      await failsWith(target.openRejected().validate(), 'unauthorized', 'validate with a rejected credential')
    },
  },
  {
    name: 'ownerKind is asked, not guessed; an unknown owner is not-found',
    async run(target) {
      const session = target.open()
      same(await session.ownerKind(target.owner), target.ownerKind, `ownerKind(${target.owner})`)
      await failsWith(session.ownerKind(`${target.prefix}-nobody-here`), 'not-found', 'ownerKind of a missing account')
    },
  },
  {
    name: 'repository: observe of a missing repository is exists:false and only reads',
    async run(target) {
      const { session, requests } = recording(target)
      const seen = await session.repositories.observe(
        { owner: target.owner, name: `${target.prefix}-absent` },
        {
          name: `${target.prefix}-absent`,
        },
      )
      same(seen, { exists: false }, 'observe of a missing repository')
      onlyReads(requests, 'observe')
    },
  },
  {
    name: 'repository: create twice is one repository; observe by id; update; delete twice',
    async run(target) {
      const session = target.open()
      const name = `${target.prefix}-repo`
      const desired = { name, visibility: 'private' as const, description: 'conformance', topics: ['kedge', 'test'] }
      const first = await session.repositories.create(target.owner, target.ownerKind, { ...desired, autoInit: true })
      const ref = { owner: first.observed.owner, name: first.observed.name }
      try {
        same(first.alreadyExisted, false, 'first create: alreadyExisted')
        same([...first.observed.topics].sort(), ['kedge', 'test'], 'topics after create')
        const second = await session.repositories.create(target.owner, target.ownerKind, { ...desired, autoInit: true })
        same(second.alreadyExisted, true, 'second create: alreadyExisted')
        same(second.observed.id, first.observed.id, 'second create: same repository')

        const { session: watching, requests } = recording(target)
        const seen = await watching.repositories.observe(ref, desired, { id: first.observed.id })
        check(seen.exists, 'observe by id: exists')
        same(seen.diff, [], 'observe right after create: diff')
        same(seen.upToDate, true, 'observe right after create: upToDate')
        const drifted = await watching.repositories.observe(ref, { ...desired, description: 'changed', hasWiki: false })
        check(drifted.exists, 'observe by name: exists')
        same(drifted.diff, ['description', 'hasWiki'], 'observe with other desired settings: diff')
        onlyReads(requests, 'observe')

        const updated = await session.repositories.update(ref, { name, description: 'changed', hasWiki: false })
        same([updated.description, updated.hasWiki], ['changed', false], 'update result')
        const after = await session.repositories.observe(ref, { ...desired, description: 'changed', hasWiki: false })
        check(after.exists && after.upToDate, `observe after update: ${JSON.stringify(after)}`)

        const renamed = `${name}-renamed`
        const moved = await session.repositories.update(ref, { name: renamed })
        same(moved.name, renamed, 'rename result')
        ref.name = renamed
        const byID = await session.repositories.observe(
          { owner: ref.owner, name },
          { name: renamed },
          {
            id: first.observed.id,
          },
        )
        check(byID.exists && byID.observed.name === renamed, 'observe by id after a rename finds the new name')
      } finally {
        await session.repositories.delete(ref)
      }
      await session.repositories.delete(ref) // already gone: success
      same(await session.repositories.observe(ref, { name: ref.name }), { exists: false }, 'observe after delete')
    },
  },
  {
    name: 'repository: archive, change while archived, unarchive',
    async run(target) {
      await withRepository(target, 'archive', async (session, repo) => {
        const archived = await session.repositories.update(repo, { name: repo.name, archived: true })
        same(archived.archived, true, 'archived')
        const changed = await session.repositories.update(repo, { name: repo.name, description: 'while archived' })
        same([changed.description, changed.archived], ['while archived', true], 'changed and still archived')
        const back = await session.repositories.update(repo, { name: repo.name, archived: false })
        same(back.archived, false, 'unarchived')
      })
    },
  },
  {
    name: 'repository: a default branch that does not exist is invalid (branch-not-found)',
    async run(target) {
      await withRepository(target, 'branch', async (session, repo) => {
        await failsWith(
          session.repositories.update(repo, { name: repo.name, defaultBranch: 'no-such-branch' }),
          'invalid',
          'default branch',
          'branch-not-found',
        )
      })
    },
  },
  {
    name: 'repository: creating under another user is invalid, never silently under the authenticated user',
    needs: ['otherUser'],
    async run(target) {
      await failsWith(
        target.open().repositories.create(target.otherUser!, 'User', { name: `${target.prefix}-elsewhere` }),
        'invalid',
        'create under another user',
        'owner-not-authenticated-user',
      )
    },
  },
  {
    name: 'deploy key: create twice is one key; observe by id and by material; delete twice',
    async run(target) {
      await withRepository(target, 'keys', async (session, repo) => {
        const desired = { title: 'conformance', publicKey: newPublicKey('first comment'), readOnly: true }
        const key = await session.deployKeys.create(repo, desired)
        const again = await session.deployKeys.create(repo, { ...desired, publicKey: `${desired.publicKey} more` })
        same(again.id, key.id, 'second create returns the same key')

        const { session: watching, requests } = recording(target)
        const byID = await watching.deployKeys.observe(repo, desired, { id: key.id })
        check(byID.exists && byID.upToDate, `observe by id: ${JSON.stringify(byID)}`)
        const recommented = desired.publicKey.replace('first comment', 'other comment')
        const byMaterial = await watching.deployKeys.observe(repo, { ...desired, publicKey: recommented })
        check(byMaterial.exists && byMaterial.observed.id === key.id, 'observe by material ignores the comment')
        const drift = await watching.deployKeys.observe(
          repo,
          { ...desired, readOnly: false, title: 'x' },
          { id: key.id },
        )
        check(drift.exists, 'observe with other settings: exists')
        same(drift.diff, ['readOnly', 'title'], 'deploy key diff')
        onlyReads(requests, 'observe')

        await session.deployKeys.delete(repo, key.id)
        await session.deployKeys.delete(repo, key.id)
        same(await session.deployKeys.observe(repo, desired, { id: key.id }), { exists: false }, 'after delete, by id')
        same(await session.deployKeys.observe(repo, desired), { exists: false }, 'after delete, by material')
      })
    },
  },
  {
    name: 'deploy key: a key in use on another repository is conflict/key-in-use',
    async run(target) {
      const publicKey = newPublicKey()
      await withRepository(target, 'key-a', async (session, a) => {
        await session.deployKeys.create(a, { title: 'a', publicKey, readOnly: true })
        await withRepository(target, 'key-b', async (_s, b) => {
          await failsWith(
            session.deployKeys.create(b, { title: 'b', publicKey, readOnly: true }),
            'conflict',
            'the same key on a second repository',
            'key-in-use',
          )
        })
      })
    },
  },
  {
    name: 'collaborator: invite twice is one invitation; change it; remove twice; an unknown user is invalid',
    needs: ['otherUser'],
    async run(target) {
      const user = target.otherUser!
      await withRepository(target, 'collab', async (session, repo) => {
        const first = await session.collaborators.create(repo, user, 'push')
        check(first.state === 'invited' || first.state === 'active', `create: state ${first.state}`)
        const second = await session.collaborators.create(repo, user, 'push')
        if (first.state === 'invited') same(second.invitationID, first.invitationID, 'second invite: same invitation')

        const { session: watching, requests } = recording(target)
        const seen = await watching.collaborators.observe(repo, user, { permission: 'push' })
        check(seen.exists && seen.observed.state === first.state, `observe: ${JSON.stringify(seen)}`)
        onlyReads(requests, 'observe')

        if (target.ownerKind === 'Organization') {
          const changed = await session.collaborators.update(repo, user, 'admin', seen.observed)
          same(changed.permission, 'admin', 'update permission')
          const after = await session.collaborators.observe(repo, user, { permission: 'admin' })
          check(after.exists && after.upToDate, `observe after update: ${JSON.stringify(after)}`)
        }

        await session.collaborators.delete(repo, user)
        await session.collaborators.delete(repo, user)
        same(await session.collaborators.observe(repo, user, { permission: 'push' }), { exists: false }, 'after delete')
        await failsWith(
          session.collaborators.create(repo, `${target.prefix}-no-such-user`, 'pull'),
          'invalid',
          'invite an unknown user',
          'user-not-found',
        )
      })
    },
  },
  {
    name: 'commits (when offered): a replay is found by its idempotency key and writes nothing',
    async run(target) {
      if (!target.open().commits) return // an optional capability this backend does not offer
      await withRepository(target, 'commit', async (session, repo) => {
        const commits = session.commits!
        const input = {
          message: 'conformance commit',
          files: [{ path: 'docs/hello.md', content: '# hello\n' }],
          idempotencyKey: `${target.prefix}-commit-key`,
        }
        const first = await commits.commitFiles(repo, input)
        same([first.created, first.files], [true, ['docs/hello.md']], 'first commit')
        const replay = await commits.commitFiles(repo, input)
        same([replay.created, replay.commitSHA], [false, first.commitSHA], 'replay')
        const read = await session.checkout?.read(repo, {
          ref: first.commitSHA,
          maxFiles: 10,
          maxFileBytes: 1024,
          maxTotalBytes: 4096,
        })
        if (read)
          check(
            read.files.some((f) => f.path === 'docs/hello.md'),
            'checkout sees the committed file',
          )
      })
    },
  },
]
