// Durable storage on bun:sqlite (WAL). One global revision counter, like etcd's: every write takes
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
  PRIMARY KEY (key, cluster, namespace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS objects_uid ON objects (uid);
CREATE INDEX IF NOT EXISTS objects_cluster ON objects (cluster);
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

  constructor(path: string) {
    this.db = new Database(path, { create: true, strict: true })
    this.db.run('PRAGMA journal_mode = WAL')
    this.db.run('PRAGMA synchronous = NORMAL')
    this.db.run('PRAGMA busy_timeout = 5000')
    this.db.exec(schema)
    const row = this.db.query('SELECT value FROM counters WHERE name = ?').get('revision') as { value: number } | null
    this.revision = row?.value ?? 0
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
      uidExists: p('SELECT 1 FROM objects WHERE uid = ? LIMIT 1'),
      clusterObjects: p('SELECT key, namespace, name FROM objects WHERE cluster = ?'),
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

  count(query: ListQuery): number {
    const where = ['key = ?']
    const args: string[] = [query.key]
    if (query.cluster !== undefined) where.push('cluster = ?') && args.push(query.cluster)
    if (query.namespace !== undefined) where.push('namespace = ?') && args.push(query.namespace)
    if (query.after) where.push('(cluster, namespace, name) > (?, ?, ?)') && args.push(...query.after)
    const row = this.db.query(`SELECT count(*) AS n FROM objects WHERE ${where.join(' AND ')}`).get(...args)
    return (row as { n: number }).n
  }

  /**
   * Write an object at the next revision. `render` receives the revision and returns the JSON to
   * store (so the resourceVersion inside the object is the row's).
   */
  put(
    key: string,
    cluster: string,
    namespace: string,
    name: string,
    uid: string,
    owners: readonly string[],
    render: (rv: number) => string,
  ): { rv: number; json: string } {
    const rv = this.revision + 1
    const json = render(rv)
    this.db.transaction(() => {
      this.q.upsert!.run(key, cluster, namespace, name, uid, rv, json)
      this.q.ownersDelete!.run(key, cluster, namespace, name)
      for (const o of owners) this.q.ownersInsert!.run(o, key, cluster, namespace, name)
      this.q.revision!.run(rv)
    })()
    this.revision = rv
    return { rv, json }
  }

  /** Remove an object; the deletion takes a revision of its own (the DELETED event's). */
  remove(key: string, cluster: string, namespace: string, name: string): number {
    const rv = this.revision + 1
    this.db.transaction(() => {
      this.q.delete!.run(key, cluster, namespace, name)
      this.q.ownersDelete!.run(key, cluster, namespace, name)
      this.q.revision!.run(rv)
    })()
    this.revision = rv
    return rv
  }

  dependents(ownerUid: string): { key: string; cluster: string; namespace: string; name: string }[] {
    return this.q.dependents!.all(ownerUid) as { key: string; cluster: string; namespace: string; name: string }[]
  }

  uidExists(uid: string): boolean {
    return this.q.uidExists!.get(uid) !== null
  }

  objectsIn(cluster: string): { key: string; namespace: string; name: string }[] {
    return this.q.clusterObjects!.all(cluster) as { key: string; namespace: string; name: string }[]
  }

  clusters(): { id: string; path: string }[] {
    return this.db.query('SELECT id, path FROM clusters').all() as { id: string; path: string }[]
  }

  addCluster(id: string, path: string): void {
    this.db.query('INSERT OR IGNORE INTO clusters (id, path) VALUES (?, ?)').run(id, path)
  }

  removeCluster(id: string): void {
    this.db.query('DELETE FROM clusters WHERE id = ?').run(id)
  }

  identities(): Identity[] {
    return this.db.query('SELECT name, token, scope FROM identities').all() as Identity[]
  }

  addIdentity(identity: Identity): void {
    this.db
      .query('INSERT OR IGNORE INTO identities (name, token, scope) VALUES (?, ?, ?)')
      .run(identity.name, identity.token, identity.scope)
  }

  /** Many writes in one transaction (seeding, bulk loads in benchmarks). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  close(): void {
    this.db.close()
  }
}
