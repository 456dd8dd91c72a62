// A session: a credential's client plus the manners of one caller (its response hook, its priority).

import type { OwnerKind } from '../../apis/v1alpha1/connection.ts'
import type { CredentialInfo, GitSession, SessionOptions } from '../backend.ts'
import { checkoutOps } from './checkout.ts'
import type { Clock } from './clock.ts'
import { collaboratorOps } from './collaborators.ts'
import { commitOps } from './commits.ts'
import type { SessionContext } from './context.ts'
import type { CredentialClient } from './credential.ts'
import { deployKeyOps } from './deploy-keys.ts'
import { packageOps } from './packages.ts'
import { repositoryOps } from './repositories.ts'
import { hasScopes, parseScopes } from './scopes.ts'
import type { Call } from './transport.ts'
import { workflowOps } from './workflows.ts'

/** Token kinds GitHub's Packages API does not serve (it wants a classic PAT or an OAuth token). */
const noPackages = new Set(['fine-grained-pat', 'github-app-installation', 'github-app-user'])

export function openSession(client: CredentialClient, clock: Clock, options: SessionOptions = {}): GitSession {
  const { transport: t } = client
  const background = (options.priority ?? 'background') === 'background'
  const make =
    (bg: boolean) =>
    (what: string, errors?: Call['errors']): Call => ({
      what,
      background: bg,
      ...(errors ? { errors } : {}),
      ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    })
  const call = make(background)
  const foreground = make(false)

  async function whoAmI(): Promise<{ login: string; scopes: string[]; scopesHeader: boolean }> {
    const res = await t.request<{ login: string }>('GET /user', {}, foreground('validate the credential'))
    const header = res.headers['x-oauth-scopes']
    return { login: res.data.login, scopes: parseScopes(header), scopesHeader: header !== undefined }
  }

  function authenticatedLogin(): Promise<string | undefined> {
    if (client.installation) return Promise.resolve(undefined)
    client.login ??= whoAmI().then(
      (me) => me.login,
      (e) => {
        client.login = undefined
        throw e
      },
    )
    return client.login
  }

  async function validate(): Promise<CredentialInfo> {
    if (client.installation) {
      await client.installation.token() // proves the key, the App and the installation
      const slug = await client.installation.appSlug()
      return { login: `${slug}[bot]`, tokenKind: 'github-app-installation', scopes: [], scopesKnown: false }
    }
    const me = await whoAmI()
    client.login = Promise.resolve(me.login)
    // Tokens of an unrecognized shape (legacy 40-hex classic tokens) are judged by the header.
    const scopesKnown = hasScopes(client.tokenKind) || (client.tokenKind === 'unknown' && me.scopesHeader)
    return { login: me.login, tokenKind: client.tokenKind, scopes: scopesKnown ? me.scopes : [], scopesKnown }
  }

  async function ownerKind(owner: string): Promise<OwnerKind> {
    const key = owner.toLowerCase()
    const cached = client.ownerKinds.get(key)
    if (cached) return cached
    const res = await t.request<{ type?: string }>(
      'GET /users/{username}',
      { username: owner },
      call(`look up owner ${owner}`, {
        notFound: { code: 'not-found', reason: 'owner-not-found', message: `there is no GitHub account "${owner}"` },
      }),
    )
    const kind: OwnerKind = res.data.type === 'Organization' ? 'Organization' : 'User'
    client.ownerKinds.set(key, kind)
    return kind
  }

  const ctx: SessionContext = {
    transport: t,
    baseURL: client.baseURL,
    clock,
    call,
    foreground,
    authenticatedLogin,
    ownerKind,
  }

  return {
    gate: client.gate.id,
    validate,
    ownerKind,
    repositories: repositoryOps(ctx),
    deployKeys: deployKeyOps(ctx),
    collaborators: collaboratorOps(ctx),
    ...(noPackages.has(client.tokenKind) ? {} : { packages: packageOps(ctx) }),
    commits: commitOps(ctx),
    checkout: checkoutOps(ctx),
    workflows: workflowOps(ctx),
  }
}
