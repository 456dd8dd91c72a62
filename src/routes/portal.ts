// The portal: server-rendered pages for people, composed from one plugin per area. Pages read
// the informer cache and actor state (after the caller's access was checked as them) and write
// as the caller. Mounted at the root of the main port; the hub serves it under a prefix.
import { Elysia } from 'elysia'
import { loadAssets } from './portal-assets.ts'
import { portalCollaboratorRoutes } from './portal-collaborators.ts'
import { portalConnectionRoutes } from './portal-connections.ts'
import type { PortalDeps } from './portal-context.ts'
import { portalDeployKeyRoutes } from './portal-deploy-keys.ts'
import { portalPackageRoutes } from './portal-packages.ts'
import { portalRepositoryListRoutes } from './portal-repositories.ts'
import { portalRepositoryRoutes } from './portal-repository.ts'

export function portalRoutes(deps: PortalDeps) {
  const assets = loadAssets()
  const ctx = { ...deps, assets: assets.urls }
  return new Elysia()
    .get('/assets/:file', ({ params, request }) => assets.serve(params.file, request))
    .use(portalConnectionRoutes(ctx))
    .use(portalRepositoryListRoutes(ctx))
    .use(portalRepositoryRoutes(ctx))
    .use(portalDeployKeyRoutes(ctx))
    .use(portalCollaboratorRoutes(ctx))
    .use(portalPackageRoutes(ctx))
}
