// The dependency direction of ../shared/design.md §3, enforced in `npm test`.
// Top-level files of src/backend, src/cluster and src/bundles are ports; their sub-folders are implementations
// that only the composition root (src/main.ts and the commands it runs), tests and benchmarks may pick.
const composers = '^src/main\\.ts$|^src/commands/|^test/|^bench/|^scripts/|\\.test\\.tsx?$'
const onlyComposers = (name, dir) => ({
  name,
  comment: `${dir} is an implementation: only src/main.ts, tests and benchmarks import it`,
  severity: 'error',
  from: { pathNot: `${composers}|^${dir}` },
  to: { path: `^${dir}` },
})

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'apis-import-nothing-internal',
      severity: 'error',
      from: { path: '^src/apis/' },
      to: { path: '^(src|views)/', pathNot: '^src/apis/' },
    },
    {
      name: 'machines-are-pure',
      comment: 'machines may import only apis and xstate',
      severity: 'error',
      from: { path: '^src/machines/', pathNot: '\\.test\\.tsx?$' },
      to: { pathNot: '^src/(machines|apis)/|node_modules/xstate/' },
    },
    {
      name: 'views-render-apis-types-only',
      severity: 'error',
      from: { path: '^views/', pathNot: '\\.test\\.tsx?$' },
      to: { pathNot: '^views/|^src/apis/|node_modules/@kitajs/' },
    },
    {
      name: 'actors-never-reach-surfaces',
      severity: 'error',
      from: { path: '^src/actors/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^src/(routes|mcp|auth|apiserver|sandbox)/|^views/' },
    },
    {
      name: 'routes-talk-to-ports',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: '^src/machines/' },
    },
    {
      name: 'ports-depend-on-apis-only',
      severity: 'error',
      from: { path: '^src/(backend|cluster|bundles)/[^/]+$' },
      to: { path: '^(src|views)/', pathNot: '^src/apis/|^src/(backend|cluster|bundles)/[^/]+$' },
    },
    onlyComposers('github-backend-is-an-implementation', 'src/backend/github/'),
    onlyComposers('kube-cluster-is-an-implementation', 'src/cluster/kube/'),
    onlyComposers('apiserver-is-an-implementation', 'src/apiserver/'),
    onlyComposers('sandbox-is-an-implementation', 'src/sandbox/'),
    onlyComposers('fs-bundle-store-is-an-implementation', 'src/bundles/fs/'),
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      from: { path: '^(src|views)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'bun'],
    },
  },
}
