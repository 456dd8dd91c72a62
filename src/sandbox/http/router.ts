// Route matching on the raw (still encoded) path, so a package name sent as `a%2Fb` is one
// parameter `a/b`, and one sent double-encoded (`a%252Fb`) stays `a%2Fb` and is not found.
import type { Method, Route } from './types.ts'

export interface CompiledRoute {
  route: Route
  /** The OpenAPI template (`{name+}` written as `{name}`). */
  template: string
  regex: RegExp
  names: string[]
}

export function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const pattern = route.path.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)(\+?)\}/g, (_, name, greedy) => {
    names.push(name)
    return greedy ? '(.+)' : '([^/]+)'
  })
  return { route, template: route.path.replace(/\{(\w+)\+\}/g, '{$1}'), regex: new RegExp(`^${pattern}$`), names }
}

export interface Match {
  compiled: CompiledRoute
  params: Record<string, string>
}

export class Router {
  private readonly routes: CompiledRoute[]

  constructor(routes: Route[]) {
    this.routes = routes.map(compile)
  }

  all(): CompiledRoute[] {
    return this.routes
  }

  match(method: Method, rawPath: string): Match | undefined {
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath
    for (const compiled of this.routes) {
      if (compiled.route.method !== method) continue
      const m = compiled.regex.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      try {
        compiled.names.forEach((name, i) => {
          params[name] = decodeURIComponent(m[i + 1]!)
        })
      } catch {
        continue
      }
      return { compiled, params }
    }
    return undefined
  }
}
