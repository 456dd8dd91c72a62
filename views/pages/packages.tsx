// Packages the provider found for the workspace's repositories (read-only): versions, tags,
// digests and the command that pulls each. Workspace-wide, grouped by repository, and per repository.
import type { Package, PackageVersion } from '../../src/apis/v1alpha1/package.ts'
import { CopyValue, ExternalLink } from '../components/actions.tsx'
import { poll } from '../components/status.tsx'
import { Table } from '../components/table.tsx'
import { Time } from '../components/time.tsx'
import { Layout, type Nav, type PageContext } from '../layout.tsx'

export type PackageItem = Package

export interface PackageGroup {
  repository: string
  /** The repository object exists in the workspace (its packages may outlive it briefly). */
  known: boolean
  packages: PackageItem[]
}

const MAX_VERSIONS = 10

export function PackagesPage(p: { ctx: PageContext; groups: PackageGroup[] }) {
  const { nav } = p.ctx
  const count = p.groups.reduce((n, g) => n + g.packages.length, 0)
  return (
    <Layout ctx={p.ctx} title="Packages" section="packages">
      <div class="page-head">
        <div>
          <h1>Packages</h1>
          <p safe>
            {count === 0
              ? 'Packages published from your repositories appear here after the next crawl.'
              : `${count} ${count === 1 ? 'package' : 'packages'} from ${p.groups.length} ${p.groups.length === 1 ? 'repository' : 'repositories'}.`}
          </p>
        </div>
      </div>
      {p.groups.map((g) => (
        <section class="panel" aria-labelledby={`packages-of-${g.repository}`}>
          <h2 id={`packages-of-${g.repository}`}>
            {g.known ? (
              <a href={nav.href(`repositories/${g.repository}`)} safe>
                {g.repository}
              </a>
            ) : (
              <span safe>{g.repository}</span>
            )}
          </h2>
          {g.packages.map((pkg) => (
            <PackageCard pkg={pkg} />
          ))}
        </section>
      ))}
    </Layout>
  )
}

/** What the provider's package crawler for a repository is doing. */
export interface CrawlStatus {
  /** Looking right now: the list polls itself until the crawl is done. */
  crawling: boolean
  /** Last finished crawl (or when the crawler started waiting). */
  since?: string
  /** When it looks next by itself. */
  next?: string
  /** Why packages cannot be listed, or why the last crawl failed. */
  problem?: string
}

/** A repository's packages and what the crawler is doing; it polls itself while the crawler looks. */
export function PackageList(p: { nav: Nav; repository: string; packages: PackageItem[]; crawl?: CrawlStatus }) {
  const { nav, repository, packages, crawl } = p
  const url = nav.href(`repositories/${repository}`)
  return (
    <div
      id="package-list"
      {...poll(url, crawl?.crawling ? { phase: 'provisioning', label: '', pollMs: 2000 } : undefined)}
    >
      {packages.length === 0 ? (
        <p class="empty">None found yet. Packages appear here once the provider's crawler finds them on GitHub.</p>
      ) : (
        packages.map((pkg) => <PackageCard pkg={pkg} />)
      )}
      {crawl?.problem ? (
        <p class="notice warn" safe>
          {crawl.problem}
        </p>
      ) : (
        ''
      )}
      <p class="form-actions">
        <a class="button small" href={url} hx-get={url} hx-target="#package-list" hx-swap="outerHTML">
          Refresh packages
        </a>
        <span class="hint">
          {crawl?.crawling ? (
            'The crawler is looking for packages on GitHub right now.'
          ) : crawl?.since ? (
            <>
              The crawler last looked <Time iso={crawl.since} />
              {crawl.next ? (
                <>
                  {' '}
                  and looks again <Time iso={crawl.next} />
                </>
              ) : (
                ''
              )}
              .
            </>
          ) : (
            ''
          )}
        </span>
      </p>
    </div>
  )
}

function pullCommands(pkg: PackageItem, v: PackageVersion): { label: string; command: string }[] {
  const image = pkg.status?.imageRepository
  if (!image) return []
  return [
    ...(v.tags ?? []).map((t) => ({ label: `tag ${t}`, command: `docker pull ${image}:${t}` })),
    { label: 'digest', command: `docker pull ${image}@${v.digest}` },
  ]
}

export function PackageCard({ pkg }: { pkg: PackageItem }) {
  const s = pkg.status ?? {}
  const name = s.packageName ?? pkg.metadata.name
  const versions = s.versions ?? []
  const count = s.versionCount || versions.length
  return (
    <article class="package" aria-label={`Package ${name}`}>
      <div class="panel-head">
        <h3 safe>{name}</h3>
        <p class="muted">
          <span safe>{s.type ?? 'package'}</span>
          {s.visibility ? <span safe>{` · ${s.visibility}`}</span> : ''}
          <span safe>{` · ${count} ${count === 1 ? 'version' : 'versions'}`}</span>
          {s.htmlURL ? (
            <>
              {' · '}
              <ExternalLink href={s.htmlURL}>View on GitHub</ExternalLink>
            </>
          ) : (
            ''
          )}
        </p>
      </div>
      {s.imageRepository ? (
        <p>
          Image <code safe>{s.imageRepository}</code>
        </p>
      ) : (
        ''
      )}
      {versions.length === 0 ? (
        <p class="empty">No versions listed.</p>
      ) : (
        <Table
          caption={`Versions of ${name}`}
          columns={['Version', 'Tags', 'Published', 'Pull']}
          below={
            versions.length > MAX_VERSIONS && (
              <p class="hint" safe>{`and ${versions.length - MAX_VERSIONS} older versions`}</p>
            )
          }
        >
          {versions.slice(0, MAX_VERSIONS).map((v) => (
            <tr>
              <td>
                <code class="digest" title={v.digest} safe>
                  {shortDigest(v.digest)}
                </code>
              </td>
              <td>
                {(v.tags ?? []).length === 0 ? (
                  <span class="muted">untagged</span>
                ) : (
                  <ul class="chips">
                    {(v.tags ?? []).map((t) => (
                      <li class="chip" safe>
                        {t}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <Time iso={v.createdAt} />
              </td>
              <td>
                {pullCommands(pkg, v).map((c) => (
                  <CopyValue value={c.command} what={`pull command (${c.label})`} />
                ))}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </article>
  )
}

/** `sha256:abcdef…` → `sha256:abcdef123456`; other version names as they are. */
const shortDigest = (d: string) => (/^sha256:[0-9a-f]{64}$/.test(d) ? d.slice(0, 19) : d)
