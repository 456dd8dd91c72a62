// What the /debug views render. Plain shapes (views import only views and apis): the runtime's
// ActorView, ActorDetail and GateSnapshot fit them as they are.

export interface DebugTransition {
  at: string
  from: string
  to: string
  event: string
}

export interface DebugActor {
  id: string
  cluster: string
  kind: string
  name: string
  state: string
  since: string
  attempts: number
  parent?: string
  lastError?: { reason: string; message: string; status?: number; requestId?: string; retryAfterMs?: number }
  waitingFor?: { kind: string; name: string; message: string }
  lastResponse?: {
    method: string
    route: string
    status: number
    requestId?: string
    notModified: boolean
    gate: string
    at: string
  }
  running?: { operation: string; since: string; queued: boolean }
  lastRun?: { operation: string; at: string; durationMs: number; result: string; reason?: string }
}

export interface DebugActorDetail extends DebugActor {
  transitions: DebugTransition[]
  status: string
  context: unknown
  nextWakeup?: { delay: string; event: string; at: string; inMs: number }
  mailboxDepth: number
}

export interface DebugTreeNode {
  actor: DebugActor
  children: DebugTreeNode[]
}

export interface DebugGate {
  id: string
  host: string
  maxConcurrency: number
  inFlight: number
  queued: number
  limit?: number
  remaining?: number
  resetAt?: string
  parkedUntil?: string
  parkedReason?: string
  writesLastMinute: number
  requests: { total: number; notModified: number; errors: number }
}

export interface DebugComponent {
  name: string
  description?: string
  status: string
  since: string
  lastSuccess?: string
  lastError?: { at: string; message: string }
  consecutiveFailures: number
  detail?: string
}

export interface DebugFilter {
  workspace?: string
  kind?: string
  state?: string
}

export interface DebugChoices {
  workspaces: string[]
  kinds: string[]
  states: string[]
}

export interface DebugSummary {
  ready: boolean
  systemState: string
  workspaces: number
  actors: number
  pendingTimers: number
}

/** The URL of an actor's detail fragment (ids contain slashes). */
export const detailURL = (id: string) => `/debug/view/actors/${encodeURIComponent(id)}`
