// The control API, in process: everything a test or the CLI does to the sandbox behind the API's
// back. It works on the same state model and domain operations as the routes.
import { generateKeyPairSync } from 'node:crypto'
import { isoSeconds, type SandboxClock } from './clock.ts'
import { controlActions } from './control-actions.ts'
import type { RepositoryInfo, SandboxControl, TokenInput } from './control-types.ts'
import type { Faults } from './faults.ts'
import { writeCommit } from './git/commit-files.ts'
import type { RateLimits } from './limits.ts'
import { acceptInvitation, isExpired, removeCollaborator } from './model/collaborators.ts'
import { findPackage, publishPackage, publishVersion } from './model/packages.ts'
import { createRepository, deleteRepository, signatureOf, updateRepository } from './model/repos.ts'
import {
  type Account,
  type FineGrainedPermissions,
  INVITATION_TTL_MS,
  type Org,
  type Repo,
  type SandboxState,
  type TokenRecord,
  type User,
} from './model/state.ts'
import type { RequestLog } from './request-log.ts'
import { KNOWN_SCOPES, kindOfToken, mintToken, randomBase62 } from './tokens.ts'

export const DEFAULT_TOKEN_SCOPES = ['repo', 'workflow', 'delete_repo', 'read:org', 'admin:public_key', 'read:packages']
const DEFAULT_FINE_GRAINED: FineGrainedPermissions = {
  administration: 'write',
  contents: 'write',
  actions: 'write',
  workflows: 'write',
  metadata: 'read',
}
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/

export interface ControlDeps {
  state: SandboxState
  clock: SandboxClock
  limits: RateLimits
  faults: Faults
  log: RequestLog
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new RangeError(`${what} does not exist`)
  return value
}

export function repositoryInfo(state: SandboxState, repo: Repo): RepositoryInfo {
  const login = (id: number) => state.accounts.get(id)?.login ?? String(id)
  return {
    id: repo.id,
    owner: state.ownerOf(repo).login,
    name: repo.name,
    visibility: repo.visibility,
    archived: repo.archived,
    defaultBranch: repo.defaultBranch,
    topics: [...repo.topics],
    description: repo.settings.description,
    branches: Object.fromEntries(
      [...repo.git.refs].filter(([r]) => r.startsWith('refs/heads/')).map(([r, sha]) => [r.slice(11), sha]),
    ),
    collaborators: Object.fromEntries([...repo.collaborators].map(([id, role]) => [login(id), role])),
    deployKeys: state.keys
      .where('repo', repo.id)
      .map((k) => ({ id: k.id, title: k.title, key: k.key, readOnly: k.readOnly })),
  }
}

export function createControl(deps: ControlDeps): SandboxControl {
  const { state, clock, limits, faults, log } = deps
  const repoOf = (owner: string, name: string) => need(state.repo(owner, name), `repository ${owner}/${name}`)
  const userOf = (login: string) => need(state.user(login), `user ${login}`)

  function addAccount(account: Account): { id: number; login: string } {
    if (!LOGIN.test(account.login)) throw new RangeError(`"${account.login}" is not a valid GitHub login`)
    if (state.account(account.login)) throw new RangeError(`login ${account.login} is taken`)
    state.addAccount(account)
    return { id: account.id, login: account.login }
  }

  function issueToken(input: TokenInput): string {
    const user = userOf(input.user)
    const kind = input.kind ?? 'classic'
    if (input.value !== undefined && kindOfToken(input.value) !== kind) {
      throw new RangeError(`token value does not have the ${kind} prefix`)
    }
    const value = input.value ?? mintToken(kind)
    if (state.tokens.has(value)) throw new RangeError('token value already issued')
    const unknown = (input.scopes ?? []).filter((s) => !KNOWN_SCOPES.has(s))
    if (unknown.length > 0) throw new RangeError(`unknown scopes: ${unknown.join(', ')}`)
    const resourceOwner = input.owner ? need(state.account(input.owner), `account ${input.owner}`) : user
    const record: TokenRecord = {
      id: state.nextId(),
      value,
      kind,
      userId: user.id,
      scopes: kind === 'fine-grained' ? [] : (input.scopes ?? DEFAULT_TOKEN_SCOPES),
      permissions: kind === 'fine-grained' ? (input.permissions ?? DEFAULT_FINE_GRAINED) : {},
      ...(kind === 'fine-grained' ? { resourceOwnerId: resourceOwner.id } : {}),
      ...(kind === 'fine-grained' && input.repositories
        ? { repositoryIds: input.repositories.map((n) => repoOf(resourceOwner.login, n).id) }
        : {}),
      createdAt: state.now(),
      ...(input.expiresInMs ? { expiresAt: state.now() + input.expiresInMs } : {}),
    }
    state.tokens.set(value, record)
    return value
  }

  return {
    createUser: ({ login, name, email }) => {
      const now = state.now()
      const user: User = {
        kind: 'User',
        id: state.nextId(),
        login,
        name: name ?? null,
        email: email ?? null,
        createdAt: now,
        updatedAt: now,
      }
      return addAccount(user)
    },
    createOrg: ({ login, name, members, defaultRepositoryPermission }) => {
      const now = state.now()
      const org: Org = {
        kind: 'Organization',
        id: state.nextId(),
        login,
        name: name ?? null,
        description: null,
        email: null,
        createdAt: now,
        updatedAt: now,
        members: new Map((members ?? []).map((m) => [userOf(m.login).id, m.role ?? 'member'])),
        defaultRepositoryPermission: defaultRepositoryPermission ?? 'read',
      }
      return addAccount(org)
    },
    setOrgMember: (org, login, role) => {
      const o = need(state.org(org), `organization ${org}`)
      const user = userOf(login)
      if (role === null) o.members.delete(user.id)
      else o.members.set(user.id, role)
    },

    issueToken,
    revokeToken: (value) => {
      const token = need(state.tokens.get(value), 'token')
      state.tokens.delete(value)
      for (const key of state.keys.where('token', token.id)) state.keys.delete(key.id)
    },

    createRepository: (input) => {
      const owner = need(state.account(input.owner), `account ${input.owner}`)
      const creator = owner.kind === 'User' ? owner : undefined
      const repo = createRepository(state, owner, creator, {
        name: input.name,
        private: input.private ?? false,
        description: input.description ?? null,
        auto_init: input.autoInit ?? false,
        is_template: input.isTemplate ?? false,
      })
      return repositoryInfo(state, repo)
    },
    getRepository: (owner, name) => {
      const repo = state.repo(owner, name)
      return repo ? repositoryInfo(state, repo) : undefined
    },
    changeRepository: (owner, name, changes) =>
      repositoryInfo(state, updateRepository(state, repoOf(owner, name), changes)),
    deleteRepository: (owner, name) => deleteRepository(state, repoOf(owner, name)),
    pushCommit: (owner, name, input) => {
      const repo = repoOf(owner, name)
      const branch = input.branch ?? repo.defaultBranch
      const parent = repo.git.refs.get(`refs/heads/${branch}`) ?? repo.git.refs.get(`refs/heads/${repo.defaultBranch}`)
      const ownerAccount = state.ownerOf(repo)
      const author = input.author ? userOf(input.author) : ownerAccount.kind === 'User' ? ownerAccount : undefined
      const sha = writeCommit(repo.git, {
        ...(parent ? { parent } : {}),
        files: input.files,
        message: input.message ?? 'Update files',
        author: signatureOf(author, state.now()),
      })
      repo.git.refs.set(`refs/heads/${branch}`, sha)
      repo.pushedAt = state.now()
      return sha
    },
    removeDeployKey: (owner, name, keyId) => {
      const repo = repoOf(owner, name)
      const key = state.keys.get(keyId)
      if (!key || key.repoId !== repo.id) throw new RangeError(`deploy key ${keyId} is not on ${owner}/${name}`)
      state.keys.delete(keyId)
    },
    removeCollaborator: (owner, name, login) => removeCollaborator(repoOf(owner, name), userOf(login)),

    invitations: (filter = {}) =>
      [...state.invitations.values()]
        .map((i) => {
          const repo = state.repos.get(i.repoId)!
          return {
            id: i.id,
            repository: `${state.ownerOf(repo).login}/${repo.name}`,
            invitee: state.accounts.get(i.inviteeId)!.login,
            inviter: state.accounts.get(i.inviterId)!.login,
            permissions: i.permissions,
            createdAt: isoSeconds(i.createdAt),
            expired: isExpired(i, state.now()),
          }
        })
        .filter((i) => !filter.repository || i.repository.toLowerCase() === filter.repository.toLowerCase())
        .filter((i) => !filter.invitee || i.invitee.toLowerCase() === filter.invitee.toLowerCase()),
    acceptInvitation: (id) => acceptInvitation(state, need(state.invitations.get(id), `invitation ${id}`)),
    declineInvitation: (id) => {
      need(state.invitations.get(id), `invitation ${id}`)
      state.invitations.delete(id)
    },
    expireInvitation: (id) => {
      const inv = need(state.invitations.get(id), `invitation ${id}`)
      inv.createdAt = Math.min(inv.createdAt, state.now() - INVITATION_TTL_MS)
    },

    advanceTime: (ms) => clock.advance(ms),
    now: () => clock.now(),

    publishPackage: (input) => ({ id: publishPackage(state, input).id }),
    publishVersion: (input) => ({ id: publishVersion(state, input).id }),
    unpublishPackage: (owner, type, name) => {
      state.packages.delete(need(findPackage(state, owner, type, name), `package ${type}/${name}`).id)
    },
    unpublishVersion: (owner, type, name, versionId) => {
      const pkg = need(findPackage(state, owner, type, name), `package ${type}/${name}`)
      if (!pkg.versions.delete(versionId)) throw new RangeError(`version ${versionId} does not exist`)
    },

    ...controlActions(state, repoOf),

    injectFault: (spec) => faults.add(spec),
    setLatency: (spec) => faults.setLatency(spec),
    clearFaults: () => faults.clear(),
    setRateLimit: ({ login, ...change }) => {
      limits.setPrimary(login ? `user:${userOf(login).id}` : undefined, change)
    },
    setSecondaryLimits: (input) => {
      limits.secondary = { ...limits.secondary, ...input }
    },

    requests: (filter) => log.list(filter),
    requestCounts: (filter) => log.counts(filter),
    clearRequests: () => log.clear(),

    registerOAuthApp: (input) => {
      if (!URL.canParse(input.callbackURL))
        throw new RangeError(`callbackURL "${input.callbackURL}" is not an absolute URL`)
      const clientId = input.clientId ?? `Ov23li${randomBase62(14)}`
      const clientSecret = input.clientSecret ?? randomBase62(40).toLowerCase()
      const autoApproveAs = input.autoApproveAs ? userOf(input.autoApproveAs).id : undefined
      state.oauthApps.set(clientId, {
        clientId,
        clientSecret,
        name: input.name,
        callbackURL: input.callbackURL,
        ...(autoApproveAs ? { autoApproveAs } : {}),
      })
      return { clientId, clientSecret }
    },
    registerApp: (input) => {
      const owner = need(state.account(input.owner), `account ${input.owner}`)
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
      const id = state.nextId()
      const slug = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')
      const clientId = `Iv23li${randomBase62(14)}`
      state.apps.set(id, {
        id,
        slug,
        name: input.name,
        ownerId: owner.id,
        clientId,
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        createdAt: state.now(),
      })
      return { appId: id, slug, clientId, privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() }
    },
    installApp: (input) => {
      need(state.apps.get(input.appId), `app ${input.appId}`)
      const account = need(state.account(input.account), `account ${input.account}`)
      const id = state.nextId()
      state.installations.set(id, {
        id,
        appId: input.appId,
        accountId: account.id,
        ...(input.repositories ? { repositoryIds: input.repositories.map((n) => repoOf(account.login, n).id) } : {}),
        permissions: input.permissions ?? { ...DEFAULT_FINE_GRAINED, packages: 'read' },
        createdAt: state.now(),
      })
      return { installationId: id }
    },
  }
}
