// Toolset `packages`: what the repositories publish (container images with digests and tags,
// npm, maven...), as the provider's crawler observed it. Read-only by nature.
import { z } from 'zod'
import type { PackageSpec, PackageStatus } from '../../apis/v1alpha1/package.ts'
import { compact } from '../shapes.ts'
import { defineTool, type Obj, reads } from '../tool.ts'

const VERSIONS_SHOWN = 10

const PackageOut = z.object({
  name: z.string(),
  repository: z.string(),
  packageName: z.string().optional(),
  type: z.string().optional().describe('container, docker, npm, maven, rubygems or nuget.'),
  visibility: z.string().optional(),
  htmlURL: z.string().optional(),
  imageRepository: z.string().optional().describe('Pullable image repository, e.g. ghcr.io/acme/web (images).'),
  versionCount: z.number().int().optional(),
  updatedAt: z.string().optional(),
  versions: z
    .array(z.object({ digest: z.string(), tags: z.array(z.string()), createdAt: z.string().optional() }))
    .describe(`The ${VERSIONS_SHOWN} most recent versions.`),
})

export const listPackages = defineTool({
  name: 'list_packages',
  toolset: 'packages',
  title: 'List packages',
  description:
    'List the packages published from repositories of this workspace (container images with digests and tags, npm, maven, ...), optionally of one repository.',
  annotations: reads,
  input: z.strictObject({ repositoryRef: z.string().optional().describe('Only packages of this Repository object.') }),
  output: z.object({ packages: z.array(PackageOut) }),
  async run(a, ctx) {
    const items = (await ctx.read.list<Obj>('Package')).filter(
      (p) => !a.repositoryRef || (p.spec as { repositoryRef?: string }).repositoryRef === a.repositoryRef,
    )
    return {
      packages: items.map((p) => {
        const spec = p.spec as unknown as PackageSpec
        const s = (p.status ?? {}) as PackageStatus
        return compact({
          name: p.metadata.name,
          repository: spec.repositoryRef,
          packageName: s.packageName,
          type: s.type,
          visibility: s.visibility,
          htmlURL: s.htmlURL,
          imageRepository: s.imageRepository,
          versionCount: s.versionCount,
          updatedAt: s.updatedAt,
          versions: (s.versions ?? [])
            .slice(0, VERSIONS_SHOWN)
            .map((v) => compact({ digest: v.digest, tags: v.tags ?? [], createdAt: v.createdAt })),
        })
      }),
    }
  },
})

export const packageTools = [listPackages]
