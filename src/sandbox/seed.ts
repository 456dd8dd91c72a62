// Seeding: a declarative SeedSpec applied through the control API, and the dev seed that
// `code-provider sandbox` starts with (org acme, user developer, a well-known sandbox token, a
// repository with a workflow run and a container package to look at).
import type { RepositoryInput, SandboxControl, TokenInput } from './control-types.ts'
import type { OrgRole } from './model/state.ts'

export interface SeedSpec {
  users?: { login: string; name?: string; email?: string }[]
  orgs?: { login: string; name?: string; members?: { login: string; role?: OrgRole }[] }[]
  tokens?: TokenInput[]
  repos?: RepositoryInput[]
}

/** The dev seed's token: well known on purpose (it only ever opens this sandbox on localhost). */
export const DEV_TOKEN = `ghp_${'sandboxDevTokenNotASecret'.padEnd(36, '0')}`
export const DEV_USER = 'developer'
export const DEV_ORG = 'acme'

export const DEV_SEED: SeedSpec = {
  users: [{ login: DEV_USER, name: 'Sandbox Developer', email: 'developer@sandbox.invalid' }],
  orgs: [{ login: DEV_ORG, name: 'Acme (sandbox)', members: [{ login: DEV_USER, role: 'admin' }] }],
  tokens: [{ user: DEV_USER, kind: 'classic', value: DEV_TOKEN }],
  repos: [{ owner: DEV_ORG, name: 'hello-world', autoInit: true, description: 'A repository in the GitHub sandbox' }],
}

export function applySeed(control: SandboxControl, spec: SeedSpec): void {
  for (const u of spec.users ?? []) control.createUser(u)
  for (const o of spec.orgs ?? []) control.createOrg(o)
  for (const t of spec.tokens ?? []) control.issueToken(t)
  for (const r of spec.repos ?? []) control.createRepository(r)
}

export function applyDevSeed(control: SandboxControl): void {
  applySeed(control, DEV_SEED)
  control.addWorkflow(DEV_ORG, 'hello-world', { path: '.github/workflows/ci.yml', name: 'CI' })
  const run = control.addRun(DEV_ORG, 'hello-world', { workflow: 'ci.yml', status: 'completed', conclusion: 'success' })
  control.addJob(run.id, {
    name: 'build',
    steps: [{ name: 'Checkout' }, { name: 'Test' }],
    log: 'Checkout\nRunning tests\nAll tests passed\n',
  })
  control.publishVersion({
    owner: DEV_ORG,
    type: 'container',
    name: 'hello-world',
    version: `sha256:${'0123456789abcdef'.repeat(4)}`,
    tags: ['latest'],
  })
  control.publishPackage({ owner: DEV_ORG, type: 'container', name: 'hello-world', repository: 'hello-world' })
}
