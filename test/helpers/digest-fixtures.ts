// Rows for digest tests: a brand, a source and mentions with a chosen label, status, time and
// metrics, written straight to the real test database.
import type { Db } from '../../db'
import { insertBrand } from '../../db/brands'
import { insertSource } from '../../db/sources'

let seq = 0

export async function seedBrand(db: Db, name: string, now = new Date('2026-01-01T00:00:00Z')) {
  const brand = await insertBrand(db, { name, query: `"${name}"` }, now)
  const source = await insertSource(
    db,
    {
      name: `${name} news`,
      kind: 'rss',
      config: { url: 'https://example.com/feed' },
      intervalSeconds: 900,
    },
    now,
  )
  return { brandId: brand.id, sourceId: source.id }
}

export interface MentionSpec {
  brandId: number
  sourceId: number
  at: string
  label?: 'positive' | 'neutral' | 'negative'
  manual?: 'positive' | 'neutral' | 'negative'
  scored?: boolean
  status?: 'new' | 'in_progress' | 'answered' | 'ignored'
  metrics?: Record<string, number>
  title?: string
  text?: string
  url?: string
  author?: string
}

export async function addMention(db: Db, m: MentionSpec): Promise<number> {
  const n = ++seq
  const row = await db
    .insertInto('mentions')
    .values({
      brand_id: m.brandId,
      source_id: m.sourceId,
      external_id: `ext-${n}`,
      fold_hash: `fold-${n}`,
      url: m.url ?? `https://example.com/m/${n}`,
      title: m.title ?? `Mention ${n}`,
      text: m.text ?? `Text of mention ${n}`,
      author: m.author ?? null,
      published_at: m.at,
      collected_at: m.at,
      lang: 'fr',
      sentiment_score: m.label === 'positive' ? 0.6 : m.label === 'negative' ? -0.6 : 0,
      sentiment_label: m.label ?? 'neutral',
      sentiment_scored: m.scored === false ? 0 : 1,
      manual_label: m.manual ?? null,
      metrics: m.metrics ? JSON.stringify(m.metrics) : null,
      matched_terms: '[]',
      status: m.status ?? 'new',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
