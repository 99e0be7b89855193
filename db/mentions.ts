// Mentions: insert-only ingestion (duplicates fold on unique indexes and are skipped), the
// filtered, keyset-paginated feed, and triage updates.
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '.'
import type { Mention, NewMention } from './schema'
import { ftsMatch } from './sqlite'

const BATCH = 400 // rows per INSERT: well under SQLite's bound-parameter limit

/** Inserts mentions, skipping any already stored; returns the ids of the new ones. */
export async function insertMentions(
  db: Db,
  rows: NewMention[],
): Promise<{ id: number; brand_id: number }[]> {
  if (!rows.length) return []
  return db.transaction().execute(async (trx) => {
    const out: { id: number; brand_id: number }[] = []
    for (let i = 0; i < rows.length; i += BATCH) {
      const inserted = await trx
        .insertInto('mentions')
        .values(rows.slice(i, i + BATCH))
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'brand_id'])
        .execute()
      out.push(...inserted)
    }
    return out
  })
}

export interface MentionFilter {
  brandId?: number
  sourceId?: number
  sourceKind?: string
  sentiment?: 'positive' | 'neutral' | 'negative'
  lang?: string
  status?: string
  author?: string
  q?: string
  since?: string
  until?: string
}

export interface Cursor {
  publishedAt: string
  id: number
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.publishedAt}|${c.id}`).toString('base64url')
}

export function decodeCursor(s: string): Cursor | null {
  const [publishedAt, id] = Buffer.from(s, 'base64url').toString('utf8').split('|')
  if (!publishedAt || !/^\d+$/.test(id ?? '') || Number.isNaN(Date.parse(publishedAt))) return null
  return { publishedAt, id: Number(id) }
}

export type MentionRow = Mention & { brand_name: string; source_name: string; source_kind: string }

/** Effective label: a teammate's correction wins over the machine's. */
export const effectiveLabel = sql<string>`coalesce(mentions.manual_label, mentions.sentiment_label)`

export async function listMentions(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  f: MentionFilter,
  page: { limit: number; cursor?: Cursor | null },
): Promise<{ rows: MentionRow[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('mentions')
    .innerJoin('brands', 'brands.id', 'mentions.brand_id')
    .innerJoin('sources', 'sources.id', 'mentions.source_id')
    .selectAll('mentions')
    .select([
      'brands.name as brand_name',
      'sources.name as source_name',
      'sources.kind as source_kind',
    ])
  if (f.brandId) q = q.where('mentions.brand_id', '=', f.brandId)
  if (f.sourceId) q = q.where('mentions.source_id', '=', f.sourceId)
  if (f.sourceKind) q = q.where('sources.kind', '=', f.sourceKind)
  if (f.sentiment) q = q.where(effectiveLabel, '=', f.sentiment)
  if (f.lang) q = q.where('mentions.lang', '=', f.lang)
  if (f.status) q = q.where('mentions.status', '=', f.status)
  if (f.author) q = q.where('mentions.author', '=', f.author)
  if (f.since) q = q.where('mentions.published_at', '>=', f.since)
  if (f.until) q = q.where('mentions.published_at', '<', f.until)
  if (f.q) {
    const match: Expression<SqlBool> | null = ftsMatch(dialect, f.q)
    if (match) q = q.where(match)
  }
  const c = page.cursor
  if (c) {
    q = q.where((eb) =>
      eb.or([
        eb('mentions.published_at', '<', c.publishedAt),
        eb.and([eb('mentions.published_at', '=', c.publishedAt), eb('mentions.id', '<', c.id)]),
      ]),
    )
  }
  const rows = (await q
    .orderBy('mentions.published_at', 'desc')
    .orderBy('mentions.id', 'desc')
    .limit(page.limit + 1)
    .execute()) as MentionRow[]
  const more = rows.length > page.limit
  if (more) rows.pop()
  const last = rows[rows.length - 1]
  return {
    rows,
    nextCursor: more && last ? encodeCursor({ publishedAt: last.published_at, id: last.id }) : null,
  }
}

export async function getMention(db: Db, id: number): Promise<MentionRow | undefined> {
  return (await db
    .selectFrom('mentions')
    .innerJoin('brands', 'brands.id', 'mentions.brand_id')
    .innerJoin('sources', 'sources.id', 'mentions.source_id')
    .selectAll('mentions')
    .select([
      'brands.name as brand_name',
      'sources.name as source_name',
      'sources.kind as source_kind',
    ])
    .where('mentions.id', '=', id)
    .executeTakeFirst()) as MentionRow | undefined
}

export async function countMentions(db: Db): Promise<number> {
  const r = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}
