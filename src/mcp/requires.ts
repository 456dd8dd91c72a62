// What several tools check before they act: the Repository exists, and its Connection is not in a
// state only a person can fix. Failures name the tool that shows more.
import { actorProblem, isReady, readinessMessage } from './shapes.ts'
import { type Obj, type ToolContext, ToolError } from './tool.ts'

/** The Repository from the cache, or an error that says which tool lists them. */
export async function requireRepository(ctx: ToolContext, name: string): Promise<Obj> {
  const r = await ctx.read.get<Obj>('Repository', name)
  if (!r) throw new ToolError(`repository "${name}" not found: call list_repositories`)
  return r
}

/** A connection that only a person can fix (bad token, missing scope) fails fast, with its own words. */
export async function requireUsableConnection(ctx: ToolContext, repository: Obj): Promise<void> {
  const name = (repository.spec as { connectionRef?: string }).connectionRef ?? ''
  const c = await ctx.read.get<Obj>('Connection', name)
  if (!c)
    throw new ToolError(
      `connection "${name}" of repository "${repository.metadata.name}" not found: call list_connections`,
    )
  const view = ctx.actor('Connection', name)
  const problem = actorProblem(view)
  if (!isReady(c) && (view?.lastError?.needsHuman || problem)) {
    throw new ToolError(`connection "${name}" is not Ready: ${problem ?? readinessMessage(c)}`)
  }
}
