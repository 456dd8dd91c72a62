// Where the API lives, and the hosts derived from it (GitHub.com, GHE.com, GitHub Enterprise Server).

export const GITHUB_API = 'https://api.github.com'

/** Empty means github.com. Trailing slashes go (a classic source of `//repos` bugs). */
export function normalizeBaseURL(baseURL?: string): string {
  const trimmed = (baseURL ?? '').trim().replace(/\/+$/, '')
  if (!trimmed) return GITHUB_API
  const url = new URL(trimmed)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`baseURL must be http(s): ${trimmed}`)
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
}

/** host[:port] of the API. */
export const apiHost = (baseURL: string): string => new URL(baseURL).host

const isAddress = (hostname: string) => hostname === 'localhost' || /^[\d.]+$/.test(hostname) || hostname.includes(':')

/**
 * The container registry that goes with the API: api.github.com → ghcr.io, api.SUB.ghe.com →
 * containers.SUB.ghe.com, GHES ghe.example.com → containers.ghe.example.com. A local address (the
 * sandbox) serves its registry itself.
 */
export function registryHost(baseURL: string): string {
  const url = new URL(baseURL)
  const hostname = url.hostname.toLowerCase()
  if (hostname === 'api.github.com') return 'ghcr.io'
  if (isAddress(hostname)) return url.host.toLowerCase()
  return `containers.${hostname.replace(/^api\./, '')}`
}
