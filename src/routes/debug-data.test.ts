import { expect, test } from 'bun:test'
import { type ActorView, newView } from '../actors/actor-view.ts'
import { buildTree, choices, filterFrom, paginate, transitionMatches } from './debug-data.ts'

const view = (cluster: string, kind: string, name: string, state: string, parent?: string): ActorView => ({
  ...newView(
    kind === 'System' ? 'system' : kind === 'Workspace' ? cluster : `${cluster}/${kind}/${name}`,
    cluster,
    kind,
    name,
    '',
  ),
  state,
  ...(parent ? { parent } : {}),
})

const system = view('', 'System', 'system', 'running')
const supervisors = [
  system,
  view('a', 'Workspace', 'a', 'active', 'system'),
  view('b', 'Workspace', 'b', 'idle', 'system'),
]
const members = [
  view('a', 'DeployKey', 'ci', 'backoff', 'a/Repository/web'),
  view('a', 'Repository', 'web', 'ready', 'a/Connection/gh'),
  view('a', 'Connection', 'gh', 'ready'),
  view('a', 'Repository', 'orphan', 'waiting', 'a/Connection/missing'),
]

const shape = (nodes: ReturnType<typeof buildTree>['workspaces']): unknown =>
  nodes.map((n) => (n.children.length ? { [n.actor.id]: shape(n.children) } : n.actor.id))

test('members nest under their parent; an unknown parent puts them under the workspace', () => {
  const tree = buildTree(supervisors, members, {})
  expect(tree.system.id).toBe('system')
  expect(shape(tree.workspaces)).toEqual([
    { a: [{ 'a/Connection/gh': [{ 'a/Repository/web': ['a/DeployKey/ci'] }] }, 'a/Repository/orphan'] },
    'b',
  ])
  expect(tree.omitted).toBe(0)
})

test('filters keep only matching actors and drop workspaces with nothing to show', () => {
  expect(shape(buildTree(supervisors, members, { state: 'backoff' }).workspaces)).toEqual([{ a: ['a/DeployKey/ci'] }])
  expect(shape(buildTree(supervisors, members, { workspace: 'b' }).workspaces)).toEqual(['b'])
  const limited = buildTree(supervisors, members, { kind: 'Repository' }, 1)
  expect(limited.omitted).toBe(1)
})

test('query strings become filters and pages with a link to the next page', () => {
  const filter = filterFrom({ kind: 'Repository', state: ' ', workspace: undefined })
  expect(filter).toEqual({ kind: 'Repository' })
  const page = paginate([1, 2, 3, 4, 5], { offset: '1', limit: '2' }, filter)
  expect(page).toEqual({ items: [2, 3], total: 5, offset: 1, limit: 2, next: 'kind=Repository&offset=3&limit=2' })
  expect(paginate([1], { offset: 'x', limit: '-4' }, {})).toEqual({ items: [1], total: 1, offset: 0, limit: 1 })
})

test('a transition out of the filtered state still concerns the filter', () => {
  const repo = members[1]!
  const t = { at: '', from: 'provisioning', to: 'ready', event: 'x' }
  expect(transitionMatches(repo, t, { state: 'provisioning' })).toBe(true)
  expect(transitionMatches(repo, t, { state: 'backoff' })).toBe(false)
  expect(transitionMatches(repo, t, { kind: 'DeployKey' })).toBe(false)
})

test('choices list what is present', () => {
  expect(choices([...supervisors, ...members])).toEqual({
    workspaces: ['a', 'b'],
    kinds: ['System', 'Workspace', 'Connection', 'Repository', 'DeployKey'],
    states: ['active', 'backoff', 'idle', 'ready', 'running', 'waiting'],
  })
})
