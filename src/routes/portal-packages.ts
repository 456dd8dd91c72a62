// Packages: every package the provider found in the workspace, grouped by repository.
import { Elysia } from 'elysia'
import { type PackageGroup, PackagesPage } from '../../views/pages/packages.tsx'
import { LABEL_REPOSITORY } from '../apis/v1alpha1/labels.ts'
import { handlers, type PortalContext } from './portal-context.ts'
import { render } from './portal-request.ts'
import { workspaceState } from './portal-state.ts'

export function portalPackageRoutes(deps: PortalContext) {
  const { open } = handlers(deps)
  return new Elysia().get('/packages', ({ request }) =>
    open(request, (req) => {
      const ws = workspaceState(deps.runtime, req.cluster)
      const groups = new Map<string, PackageGroup>()
      for (const pkg of ws.packages()) {
        const repository = pkg.spec.repositoryRef || pkg.metadata.labels?.[LABEL_REPOSITORY] || '(unknown repository)'
        let group = groups.get(repository)
        if (!group) {
          group = { repository, known: ws.repository(repository) !== undefined, packages: [] }
          groups.set(repository, group)
        }
        group.packages.push(pkg)
      }
      const sorted = [...groups.values()].sort((a, b) => a.repository.localeCompare(b.repository))
      for (const g of sorted) {
        g.packages.sort(
          (a, b) =>
            (a.status?.type ?? '').localeCompare(b.status?.type ?? '') ||
            (a.status?.packageName ?? a.metadata.name).localeCompare(b.status?.packageName ?? b.metadata.name),
        )
      }
      return render(req, () => PackagesPage({ ctx: req.ctx, groups: sorted }), {})
    }),
  )
}
