// Logical clusters: kcp addresses one workspace both by path (`root:acme`) and by an opaque id
// (`2x7kq4…`); objects carry the id in the kcp.io/cluster annotation. This is the id↔path map.
import type { Store } from './store.ts'

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** kcp-style opaque logical cluster name: 16 lowercase base-36 characters. */
export function newClusterId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

export class LogicalClusters {
  private readonly byId = new Map<string, string>()
  private readonly byPath = new Map<string, string>()

  constructor(private readonly store: Store) {
    for (const { id, path } of store.clusters()) this.remember(id, path)
    if (!this.byPath.has('root')) this.add('root', 'root')
  }

  private remember(id: string, path: string): void {
    this.byId.set(id, path)
    this.byPath.set(path, id)
  }

  add(id: string, path: string): void {
    this.store.addCluster(id, path)
    this.remember(id, path)
  }

  remove(id: string): void {
    const path = this.byId.get(id)
    this.store.removeCluster(id)
    this.byId.delete(id)
    if (path !== undefined) this.byPath.delete(path)
  }

  /** A `/clusters/<segment>` segment (id or path) → logical cluster id. */
  resolve(segment: string): string | undefined {
    return this.byId.has(segment) ? segment : this.byPath.get(segment)
  }

  pathOf(id: string): string | undefined {
    return this.byId.get(id)
  }

  idOf(path: string): string | undefined {
    return this.byPath.get(path)
  }
}
