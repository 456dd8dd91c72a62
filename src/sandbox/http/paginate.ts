// GitHub pagination: `per_page` (default 30, at most 100) and `page`, with a Link header naming the
// next, last, first and prev pages on absolute URLs.
import type { Ctx } from './types.ts'

export interface Page<T> {
  items: T[]
  headers: Record<string, string>
}

const positive = (v: string | null, fallback: number) => {
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

export function paginate<T>(ctx: Ctx, all: T[]): Page<T> {
  const perPage = Math.min(positive(ctx.query.get('per_page'), 30), 100)
  const page = positive(ctx.query.get('page'), 1)
  const last = Math.max(1, Math.ceil(all.length / perPage))
  const items = all.slice((page - 1) * perPage, page * perPage)
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(ctx.query)
    q.set('per_page', String(perPage))
    q.set('page', String(p))
    return `<${ctx.urls.api}${ctx.path}?${q}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return { items, headers: links.length > 0 ? { link: links.join(', ') } : {} }
}
