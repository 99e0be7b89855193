// Parsing the mention filters shared by the feed page and GET /api/mentions: one place decides
// what a valid filter is, and both answer a bad one the same way.
import { z } from 'zod'
import type { Db } from '../../db'
import { normalizeDomain } from '../../db/exclusions'
import { decodeCursor, type Cursor, type MentionFilter } from '../../db/mentions'
import { dayStart, isDate } from '../digest-period'
import { getBrandByNameAnyCase } from '../../db/brands'

const DURATION = /^(\d+)([mhdw])$/

const schema = z.object({
  brand: z.string().trim().optional(),
  source: z.string().trim().optional(),
  sentiment: z.enum(['positive', 'neutral', 'negative', '']).optional(),
  lang: z.string().trim().max(10).optional(),
  status: z.enum(['open', 'new', 'in_progress', 'answered', 'ignored', '']).optional(),
  kind: z.string().trim().max(40).optional(),
  author: z.string().trim().max(200).optional(),
  assignee: z.string().trim().max(80).optional(),
  domain: z.string().trim().max(200).optional(),
  q: z.string().max(200).optional(),
  since: z.string().trim().optional(),
  from: z.string().trim().optional(),
  until: z.string().trim().optional(),
  after: z.string().regex(/^\d+$/, 'must be a mention id').optional(),
  limit: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
  cursor: z.string().optional(),
})

export type ParsedQuery = {
  filter: MentionFilter
  limit: number
  cursor: Cursor | null
  raw: z.infer<typeof schema>
}

/** A query parameter that cannot apply: `message` for the API, `param` for a page to name it. */
export class BadQuery extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message)
  }
}

/**
 * Resolves `since` as a date/time, a calendar day (YYYY-MM-DD: its midnight in `tz`, the zone the
 * person reads dates in) or a look-back such as 24h, 7d, 2w.
 */
export function resolveSince(raw: string, now: Date, tz: string, name = 'since'): string {
  const m = DURATION.exec(raw)
  if (m) {
    const minutes = Number(m[1]) * { m: 1, h: 60, d: 1440, w: 10080 }[m[2] as 'm' | 'h' | 'd' | 'w']
    return new Date(now.getTime() - minutes * 60_000).toISOString()
  }
  if (isDate(raw)) return dayStart(raw, tz).toISOString()
  const t = Date.parse(raw)
  if (Number.isNaN(t))
    throw new BadQuery(
      `${name}="${raw}" is neither a date (2026-01-31) nor a look-back (30m, 24h, 7d)`,
      name,
    )
  return new Date(t).toISOString()
}

/** The start of a calendar day in `tz` (`days` later: 1 for the end of it). */
function calendarDay(name: string, raw: string, tz: string, days = 0): string {
  if (!isDate(raw)) throw new BadQuery(`${name}="${raw}" is not a date (2026-01-31)`, name)
  return dayStart(raw, tz, days).toISOString()
}

export async function parseMentionQuery(
  db: Db,
  query: Record<string, string>,
  now: Date,
  defaults: { limit: number; maxLimit: number },
  /** the zone calendar days are read in: the page's, or Vigie's TZ for the API */
  tz: string,
): Promise<ParsedQuery> {
  const r = schema.safeParse(query)
  if (!r.success) {
    const i = r.error.issues[0]
    throw new BadQuery(`${i.path.join('.')}: ${i.message}`, i.path.join('.'))
  }
  const raw = r.data
  const filter: MentionFilter = {}
  if (raw.brand) {
    const row = /^\d+$/.test(raw.brand)
      ? await db
          .selectFrom('brands')
          .select('id')
          .where('id', '=', Number(raw.brand))
          .executeTakeFirst()
      : // names differ by more than case (the brand form refuses twins): "acme" is Acme
        await getBrandByNameAnyCase(db, raw.brand)
    if (!row) throw new BadQuery(`brand "${raw.brand}" does not exist`, 'brand')
    filter.brandId = row.id
  }
  if (raw.source) {
    const row = /^\d+$/.test(raw.source)
      ? await db
          .selectFrom('sources')
          .select('id')
          .where('id', '=', Number(raw.source))
          .executeTakeFirst()
      : await db
          .selectFrom('sources')
          .select('id')
          .where('name', '=', raw.source)
          .executeTakeFirst()
    if (!row) throw new BadQuery(`source "${raw.source}" does not exist`, 'source')
    filter.sourceId = row.id
  }
  if (raw.sentiment) filter.sentiment = raw.sentiment
  if (raw.lang) filter.lang = raw.lang
  if (raw.status) filter.status = raw.status
  if (raw.q?.trim()) filter.q = raw.q.trim()
  if (raw.since) filter.since = resolveSince(raw.since, now, tz)
  // A calendar "from" date is more precise than a look-back: it wins when both are given.
  if (raw.from) filter.since = calendarDay('from', raw.from, tz)
  if (raw.until) {
    // A bare date (the feed's date picker) means "until the end of that day", the day as the
    // page shows it; anything else is an instant or a look-back, as for `since` (alert links).
    filter.until = /^\d{4}-\d{2}-\d{2}$/.test(raw.until)
      ? calendarDay('until', raw.until, tz, 1)
      : resolveSince(raw.until, now, tz, 'until')
  }
  if (raw.kind) filter.sourceKind = raw.kind
  if (raw.author) filter.author = raw.author
  if (raw.assignee) filter.assignee = raw.assignee
  if (raw.domain) filter.domain = normalizeDomain(raw.domain)
  if (raw.after) filter.afterId = Number(raw.after)
  const limit = raw.limit ? Number(raw.limit) : defaults.limit
  if (limit < 1 || limit > defaults.maxLimit)
    throw new BadQuery(`limit must be between 1 and ${defaults.maxLimit}`, 'limit')
  let cursor: Cursor | null = null
  if (raw.cursor) {
    cursor = decodeCursor(raw.cursor)
    if (!cursor) throw new BadQuery('cursor is not one Vigie returned', 'cursor')
  }
  return { filter, limit, cursor, raw }
}
