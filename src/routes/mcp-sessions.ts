// Live MCP sessions (streamable HTTP and legacy SSE), each bound to the caller that opened it:
// a request with another identity cannot use it. Bounded in number and idle time, so clients that
// initialize and walk away cost nothing for long.
export interface Session {
  /** callerKey of the caller that opened it. */
  owner: string
  lastSeen: number
  close(): Promise<void>
}

export class SessionTable<S extends Session> {
  private readonly sessions = new Map<string, S>()
  private readonly sweeper: ReturnType<typeof setInterval>

  constructor(
    private readonly max: number,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleMs, 60_000))
    this.sweeper.unref?.()
  }

  get size() {
    return this.sessions.size
  }

  /** The session if it exists and belongs to `owner`; 'forbidden' when someone else owns it. */
  use(id: string, owner: string): S | 'forbidden' | undefined {
    const s = this.sessions.get(id)
    if (!s) return undefined
    if (s.owner !== owner) return 'forbidden'
    s.lastSeen = this.now()
    return s
  }

  add(id: string, session: S): void {
    if (this.sessions.size >= this.max) {
      const oldest = [...this.sessions].sort(([, a], [, b]) => a.lastSeen - b.lastSeen)[0]
      if (oldest) this.remove(oldest[0])
    }
    this.sessions.set(id, session)
  }

  /** Forget and close; closing twice is harmless. */
  remove(id: string): void {
    const s = this.sessions.get(id)
    if (!s) return
    this.sessions.delete(id)
    void s.close().catch(() => undefined)
  }

  sweep(): void {
    const cutoff = this.now() - this.idleMs
    for (const [id, s] of this.sessions) if (s.lastSeen < cutoff) this.remove(id)
  }

  closeAll(): void {
    clearInterval(this.sweeper)
    for (const id of [...this.sessions.keys()]) this.remove(id)
  }
}
