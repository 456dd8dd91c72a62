// List-then-watch of one resource type under one base URL (`<vw>/clusters/*`), with informer
// semantics: after a 410 (or any gap) it relists and emits only the difference, DELETED
// included; it resumes from bookmarks; it reconnects with capped exponential backoff.

import type { KubeObject } from '../../apis/meta.ts'
import { ANNOTATION_CLUSTER } from '../../apis/v1alpha1/labels.ts'
import { type ClusterEvent, isClusterError, type ResourceType, type WatchEventType } from '../cluster.ts'
import type { Connection } from './connection.ts'
import { clusterError } from './errors.ts'
import { fetchInit } from './http.ts'
import { resourceURL } from './paths.ts'
import { listAll } from './workspace-client.ts'

export interface InformerOptions {
  conn: Connection
  /** e.g. `<vw>/clusters/*` */
  base: string
  type: ResourceType
  onEvent: (e: ClusterEvent) => void
  /** Called after each (re)list was delivered. */
  onListed: () => void
  onError?: (e: unknown) => void
  minBackoffMs?: number
  maxBackoffMs?: number
  /** Server-side watch timeout, so idle connections are renewed. */
  watchTimeoutSeconds?: number
}

const keyOf = (o: KubeObject) =>
  `${o.metadata.annotations?.[ANNOTATION_CLUSTER] ?? ''}/${o.metadata.namespace ?? ''}/${o.metadata.name}`

class Gone extends Error {}

export class Informer {
  private readonly known = new Map<string, KubeObject>()
  private readonly abort = new AbortController()
  private rv = ''
  private watching = false
  private stopped = false

  constructor(private readonly o: InformerOptions) {}

  get synced(): boolean {
    return this.watching
  }

  start(): void {
    void this.run()
  }

  stop(): void {
    this.stopped = true
    this.abort.abort()
  }

  private emit(type: WatchEventType, object: KubeObject): void {
    const cluster = object.metadata.annotations?.[ANNOTATION_CLUSTER] ?? ''
    try {
      this.o.onEvent({ type, cluster, resource: this.o.type, object })
    } catch (e) {
      this.o.onError?.(e)
    }
  }

  private async relist(): Promise<void> {
    const url = resourceURL(this.o.base, this.o.type)
    const { items, resourceVersion } = await listAll(this.o.conn, url, this.o.type, undefined, this.abort.signal)
    const seen = new Set<string>()
    for (const item of items) {
      const key = keyOf(item)
      seen.add(key)
      const before = this.known.get(key)
      this.known.set(key, item)
      if (!before) this.emit('ADDED', item)
      else if (before.metadata.resourceVersion !== item.metadata.resourceVersion) this.emit('MODIFIED', item)
    }
    for (const [key, obj] of this.known) {
      if (seen.has(key)) continue
      this.known.delete(key)
      this.emit('DELETED', obj)
    }
    this.rv = resourceVersion
  }

  private async watch(): Promise<void> {
    const q = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.rv,
      timeoutSeconds: String(this.o.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300)),
    })
    const res = await fetch(
      `${resourceURL(this.o.base, this.o.type)}?${q}`,
      fetchInit(this.o.conn, { signal: this.abort.signal }),
    )
    if (!res.ok) {
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {}
      if (res.status === 410) throw new Gone()
      throw clusterError(res.status, body, `watch ${this.o.type.plural}`)
    }
    this.watching = true
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let buffered = ''
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffered += decoder.decode(value, { stream: true })
        let nl = buffered.indexOf('\n')
        while (nl >= 0) {
          const line = buffered.slice(0, nl).trim()
          buffered = buffered.slice(nl + 1)
          if (line) this.handleLine(line)
          nl = buffered.indexOf('\n')
        }
      }
    } finally {
      this.watching = false
    }
  }

  private handleLine(line: string): void {
    const e = JSON.parse(line) as { type: string; object: KubeObject & { code?: number } }
    if (e.type === 'ERROR') {
      if (e.object.code === 410) throw new Gone()
      throw clusterError(e.object.code ?? 500, e.object, `watch ${this.o.type.plural}`)
    }
    const obj = e.object
    if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion
    if (e.type === 'BOOKMARK') return
    obj.apiVersion ??= this.o.type.group ? `${this.o.type.group}/${this.o.type.version}` : this.o.type.version
    obj.kind ??= this.o.type.kind
    const key = keyOf(obj)
    if (e.type === 'DELETED') {
      if (this.known.delete(key)) this.emit('DELETED', obj)
      return
    }
    const had = this.known.has(key)
    this.known.set(key, obj)
    this.emit(had ? 'MODIFIED' : 'ADDED', obj)
  }

  private async run(): Promise<void> {
    const min = this.o.minBackoffMs ?? 200
    const max = this.o.maxBackoffMs ?? 30_000
    let backoff = min
    let needList = true
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist()
          needList = false
          this.o.onListed()
        }
        await this.watch()
        backoff = min
      } catch (e) {
        if (this.stopped) return
        if (e instanceof Gone) {
          needList = true
          continue
        }
        if (isClusterError(e, 'gone')) needList = true
        this.o.onError?.(e)
        await Bun.sleep(backoff * (0.5 + Math.random()))
        backoff = Math.min(max, backoff * 2)
      }
    }
  }
}
