// Durable storage on bun:sqlite (WAL). Objects live in a rowid table (rows are large) with one
// unique index on (resource, cluster, namespace, name): every query is a prefix of it, and each
// extra index would halve the write rate. One global revision counter, like etcd's: every write takes
// the next number, in the same transaction as the row, so resourceVersions stay monotonic across
// restarts and an acknowledged write survives kill -9 (the WAL is in the OS page cache by then).
import { Database, type Statement } from 'bun:sqlite'

export interface Row {
  cluster: string
  namespace: string
  name: string
  rv: number
  json: string
}

export interface Identity {
  name: string
  token: string
  /** admin | provider | cluster:<id> */
  scope: string
}

export interface ListQuery {
  key: string
  /** undefined: every logical cluster. */
  cluster?: string
  namespace?: string
  name?: string
  /** Exclusive start: rows after this (cluster, namespace, name). */
  after?: [string, string, string]
  limit?: number
}

const schema = `
CREATE TABLE IF NOT EXISTS objects (
  key TEXT NOT NULL, cluster TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, rv INTEGER NOT NULL, json TEXT NOT NULL,
  UNIQUE (key, cluster, namespace, name)
);
CREATE TABLE IF NOT EXISTS owners (
  owner_uid TEXT NOT NULL, key TEXT NOT NULL, cluster TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (owner_uid, key, cluster, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS clusters (id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS identities (name TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, scope TEXT NOT NULL);
`

export class Store {
  private readonly db: Database
  private revision: number
  private readonly q: Record<string, Statement>
  private inTransaction = false
  private afterCommit: (() => void)[] = []

  constructor(path: string) {
    this.db = new Database(path, { create: true, strict: true })
    this.db.run('PRAGMA journal_mode = WAL')
    this.db.run('PRAGMA synchronous = NORMAL')
    this.db.run('PRAGMA busy_timeout = 5000')
    this.db.exec(schema)
    // The revision is the newest row's rv, or the last deletion's (deletions leave no row behind).
    const counter = this.db.query('SELECT value FROM counters WHERE name = ?').get('revision') as {
      value: number
    } | null
    const newest = this.db.query('SELECT max(rv) AS rv FROM objects').get() as { rv: number | null }
    this.revision = Math.max(counter?.value ?? 0, newest.rv ?? 0)
    const p = (sql: string) => this.db.prepare(sql)
    this.q = {
      get: p(
        'SELECT cluster, namespace, name, rv, json FROM objects WHERE key = ? AND cluster = ? AND namespace = ? AND name = ?',
      ),
      upsert: p(
        'INSERT INTO objects (key, cluster, namespace, name, uid, rv, json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, cluster, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, json = excluded.json',
      ),
      delete: p('DELETE FROM objects WHERE key = ? AND cluster = ? AND namespace = ? AND name = ?'),
      revision: p(
        "INSERT INTO counters (name, value) VALUES ('revision', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      ),
      ownersDelete: p('DELETE FROM owners WHERE key = ? AND cluster = ? AND namespace = ? AND name = ?'),
      ownersInsert: p('INSERT OR IGNORE INTO owners (owner_uid, key, cluster, namespace, name) VALUES (?, ?, ?, ?, ?)'),
      dependents: p('SELECT key, cluster, namespace, name FROM owners WHERE owner_uid = ?'),
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      keyClusterObjects: p('SELECT namespace, name FROM objects WHERE key = ? AND cluster = ?'),
    }
  }

  /** The revision of the last write (0 on an empty store). */
  get rv(): number {
    return this.revision
  }

  get(key: string, cluster: string, namespace: string, name: string): Row | undefined {
    return (this.q.get!.get(key, cluster, namespace, name) as Row | null) ?? undefined
  }

  list(query: ListQuery): Row[] {
    const where = ['key = ?']
    const args: (string | number)[] = [query.key]
    if (query.cluster !== undefined) where.push('cluster = ?') && args.push(query.cluster)
    if (query.namespace !== undefined) where.push('namespace = ?') && args.push(query.namespace)
    if (query.name !== undefined) where.push('name = ?') && args.push(query.name)
    if (query.after) where.push('(cluster, namespace, name) > (?, ?, ?)') && args.push(...query.after)
    const limit = query.limit ? ` LIMIT ${Math.floor(query.limit)}` : ''
    const sql = `SELECT cluster, namespace, name, rv, json FROM objects WHERE ${where.join(' AND ')} ORDER BY cluster, namespace, name${limit}`
    return this.db.query(sql).all(...args) as Row[]
  }

  /**
   * Write an object at the next revision. `render` receives the revision and returns the JSON to
   * store (so the resourceVersion inside the object is the row's). The owner index is touched
   * only when the object has or had owners: most writes are a single statement.
   */
  put(
    key: string,
    cluster: string,
    namespace: string,
    name: string,
    uid: string,
    owners: readonly string[],
    hadOwners: boolean,
    render: (rv: number) => string,
  ): { rv: number; json: string } {
    const rv = this.revision + 1
    const json = render(rv)
    this.begin()
    this.q.upsert!.run(key, cluster, namespace, name, uid, rv, json)
    if (owners.length > 0 || hadOwners) {
      this.q.ownersDelete!.run(key, cluster, namespace, name)
      for (const o of owners) this.q.ownersInsert!.run(o, key, cluster, namespace, name)
    }
    this.revision = rv
    return { rv, json }
  }

  private begin(): void {
    if (this.inTransaction) return
    this.q.begin!.run()
    this.inTransaction = true
    setImmediate(() => this.commit())
  }

  /** Commit the open transaction (if any), then run what waited for it. */
  commit(): void {
    if (!this.inTransaction) return
    this.q.commit!.run()
    this.inTransaction = false
    const waiting = this.afterCommit
    this.afterCommit = []
    for (const fn of waiting) fn()
  }

  /** Run `fn` once everything written so far is committed (at once if nothing is pending). */
  onCommit(fn: () => void): void {
    if (this.inTransaction) this.afterCommit.push(fn)
    else fn()
  }

  /** Resolves once everything written so far is committed. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.onCommit(resolve))
  }

  /** Remove an object; the deletion takes a revision of its own (the DELETED event's). */
  remove(key: string, cluster: string, namespace: string, name: string): number {
    const rv = this.revision + 1
    this.begin()
    this.q.delete!.run(key, cluster, namespace, name)
    this.q.ownersDelete!.run(key, cluster, namespace, name)
    this.q.revision!.run(rv)
    this.revision = rv
    return rv
  }

  dependents(ownerUid: string): { key: string; cluster: string; namespace: string; name: string }[] {
    return this.q.dependents!.all(ownerUid) as { key: string; cluster: string; namespace: string; name: string }[]
  }

  /** Every object of one logical cluster, for the given resource keys. */
  objectsIn(cluster: string, keys: readonly string[]): { key: string; namespace: string; name: string }[] {
    return keys.flatMap((key) =>
      (this.q.keyClusterObjects!.all(key, cluster) as { namespace: string; name: string }[]).map((o) => ({
        key,
        ...o,
      })),
    )
  }

  clusters(): { id: string; path: string }[] {
    return this.db.query('SELECT id, path FROM clusters').all() as { id: string; path: string }[]
  }

  addCluster(id: string, path: string): void {
    this.begin()
    this.db.query('INSERT OR IGNORE INTO clusters (id, path) VALUES (?, ?)').run(id, path)
  }

  removeCluster(id: string): void {
    this.begin()
    this.db.query('DELETE FROM clusters WHERE id = ?').run(id)
  }

  identities(): Identity[] {
    return this.db.query('SELECT name, token, scope FROM identities').all() as Identity[]
  }

  addIdentity(identity: Identity): void {
    this.begin()
    this.db
      .query('INSERT OR IGNORE INTO identities (name, token, scope) VALUES (?, ?, ?)')
      .run(identity.name, identity.token, identity.scope)
  }

  close(): void {
    this.commit()
    this.db.close()
  }
}
