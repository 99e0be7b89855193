// Full-text search in the feed on a real SQLite file: the same results, in the same order, page
// after page, whether the word is rare (the feed looks each hit up by id) or in thousands of
// mentions (the feed walks its time index and tests each row against the hits) — checked
// against a plain filter-and-sort of what was stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { countNewMentions, listMentions, type Cursor, type MentionFilter } from '../../db/mentions'
import { insertSource } from '../../db/sources'
import { mulberry32 } from '../../server/random'
import { ingest } from '../../server/pipeline'
import { freshDb, type TestDb } from '../helpers/db'

const now = new Date('2026-11-22T12:00:00Z')
const N = 3000

interface Stored {
  id: number
  brand_id: number
  published_at: string
  text: string
}

describe('feed search (SQLite FTS5)', () => {
  let t: TestDb
  let stored: Stored[]
  let acme = 0
  beforeAll(async () => {
    t = await freshDb()
    acme = (await insertBrand(t.db, { name: 'Acme', query: 'Acme' }, now)).id
    await insertBrand(t.db, { name: 'Globex', query: 'Globex' }, now)
    const src = await insertSource(
      t.db,
      { name: 'feed', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      now,
    )
    const u = mulberry32(7)
    // "panne" in about 80 % of mentions (dense), "grève" in about 1 % (rare); published times
    // shuffled over 30 days so that ids and dates do not follow each other
    const items = Array.from({ length: N }, (_, i) => ({
      externalId: `m-${i}`,
      url: `https://f.example/${i}`,
      title: `${u() < 0.5 ? 'Acme' : 'Globex'} message ${i}`,
      text: `${u() < 0.8 ? 'panne réseau' : 'tout va bien'}${u() < 0.01 ? ', grève' : ''}`,
      publishedAt: new Date(now.getTime() - Math.floor(u() * 30 * 86_400) * 1000).toISOString(),
    }))
    expect((await ingest(t.db, src, items, now)).newMentions).toHaveLength(N)
    stored = await t.db
      .selectFrom('mentions')
      .select(['id', 'brand_id', 'published_at', 'text'])
      .execute()
  })
  afterAll(() => t.cleanup())

  const byFeedOrder = (a: Stored, b: Stored) =>
    a.published_at === b.published_at ? b.id - a.id : a.published_at < b.published_at ? 1 : -1

  const sevenDaysAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString()
  const cases: [name: string, filter: () => MentionFilter, keep: (m: Stored) => boolean][] = [
    ['dense word', () => ({ q: 'panne' }), (m) => m.text.includes('panne')],
    ['dense word, prefix', () => ({ q: 'pan' }), (m) => m.text.includes('panne')],
    ['rare word, accents folded', () => ({ q: 'greve' }), (m) => m.text.includes('grève')],
    [
      'dense word + brand + last 7 days',
      () => ({ q: 'panne', brandId: acme, since: sevenDaysAgo }),
      (m) => m.text.includes('panne') && m.brand_id === acme && m.published_at >= sevenDaysAgo,
    ],
    [
      'two words (both required)',
      () => ({ q: 'panne grève' }),
      (m) => m.text.includes('panne') && m.text.includes('grève'),
    ],
    ['no hit', () => ({ q: 'introuvable' }), () => false],
    [
      'a word left out with a minus',
      () => ({ q: 'panne -grève' }),
      (m) => m.text.includes('panne') && !m.text.includes('grève'),
    ],
    ['only words left out', () => ({ q: '-panne -grève' }), (m) => !/panne|grève/.test(m.text)],
  ]

  for (const [name, filter, keep] of cases) {
    it(`${name}: every hit once, newest first, across pages`, async () => {
      const expected = stored.filter(keep).sort(byFeedOrder)
      const seen: number[] = []
      let cursor: Cursor | null = null
      for (let pages = 0; pages < 100; pages++) {
        const page: Awaited<ReturnType<typeof listMentions>> = await listMentions(
          t.db,
          'sqlite',
          filter(),
          { limit: 250, cursor },
        )
        seen.push(...page.rows.map((r) => r.id))
        const last = page.rows.at(-1)
        if (!page.nextCursor || !last) break
        cursor = { publishedAt: last.published_at, id: last.id }
      }
      expect(seen).toEqual(expected.map((m) => m.id))
    })
  }

  it('counts new hits for the live pill the same way', async () => {
    const after = [...stored].sort((a, b) => a.id - b.id)[N - 500].id
    const fresh = stored.filter((m) => m.id > after)
    expect(await countNewMentions(t.db, 'sqlite', { q: 'panne' }, after, 1000)).toBe(
      fresh.filter((m) => m.text.includes('panne')).length,
    )
    expect(await countNewMentions(t.db, 'sqlite', { q: 'grève' }, after, 1000)).toBe(
      fresh.filter((m) => m.text.includes('grève')).length,
    )
  })
})
