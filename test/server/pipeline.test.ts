// The pipeline into a real SQLite file: matching per brand, folding, privacy, language, scoring.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { addExclusion } from '../../db/exclusions'
import { insertSource } from '../../db/sources'
import type { Source } from '../../db/schema'
import { ingest } from '../../server/pipeline'
import { purgeExpired, RETENTION_SETTING } from '../../server/retention'
import { setSetting } from '../../db/settings'
import { countMentions } from '../../db/mentions'
import { freshDb, type TestDb } from '../helpers/db'

let tdb: TestDb
let feedA: Source
let feedB: Source
const now = new Date('2026-11-22T12:00:00Z')

beforeEach(async () => {
  tdb = await freshDb()
  await insertBrand(tdb.db, { name: 'Acme', query: '"Acme" -"Acme Road"' }, now)
  await insertBrand(tdb.db, { name: 'Globex', query: 'Globex OR "Globex Corp"' }, now)
  feedA = await insertSource(
    tdb.db,
    { name: 'A', kind: 'rss', config: { url: 'https://a.example/feed' }, intervalSeconds: 900 },
    now,
  )
  feedB = await insertSource(
    tdb.db,
    {
      name: 'B',
      kind: 'mastodon',
      config: { url: 'https://b.example/feed' },
      intervalSeconds: 900,
    },
    now,
  )
})
afterEach(() => tdb.cleanup())

const item = (
  over: Partial<{
    externalId: string
    url: string
    title: string
    text: string
    author: string
    publishedAt: string
  }>,
) => ({
  externalId: 'x',
  url: 'https://news.example/x',
  title: '',
  text: '',
  publishedAt: '2026-11-22T10:00:00Z',
  ...over,
})

describe('ingest', () => {
  it('stores one mention per matching brand, with matched terms, and skips the rest', async () => {
    const r = await ingest(
      tdb.db,
      feedA,
      [
        item({ externalId: '1', url: 'https://n.example/1', text: 'Acme and Globex Corp merge' }),
        item({ externalId: '2', url: 'https://n.example/2', text: 'Roadworks on Acme Road' }),
        item({ externalId: '3', url: 'https://n.example/3', text: 'Nothing to see' }),
        item({ externalId: '4', url: '', title: '', text: '' }),
      ],
      now,
    )
    expect(r.newMentions).toHaveLength(2)
    expect(r.unmatched).toBe(2)
    expect(r.invalid).toBe(1)
    const rows = await tdb.db
      .selectFrom('mentions')
      .innerJoin('brands', 'brands.id', 'mentions.brand_id')
      .select(['brands.name', 'matched_terms'])
      .orderBy('brands.name')
      .execute()
    expect(rows).toEqual([
      { name: 'Acme', matched_terms: '["\\"Acme\\""]' },
      { name: 'Globex', matched_terms: '["Globex","\\"Globex Corp\\""]' },
    ])
  })

  it('never stores what the retention period would purge, however often a feed lists it', async () => {
    await setSetting(tdb.db, RETENTION_SETTING, '30')
    const old = item({
      externalId: 'old',
      text: 'Acme in 2024',
      publishedAt: '2024-01-01T10:00:00Z',
    })
    const edge = item({
      externalId: 'edge',
      url: 'https://n.example/e',
      text: 'Acme, 29 days ago',
      publishedAt: '2026-10-24T12:00:00Z',
    })
    const r = await ingest(tdb.db, feedA, [old, edge], now)
    expect(r).toMatchObject({ expired: 1, unmatched: 0 })
    expect(r.newMentions).toHaveLength(1)
    // the nightly purge then the next poll: nothing comes back, nothing is counted twice
    await purgeExpired(tdb.db, now)
    const again = await ingest(tdb.db, feedA, [old, edge], now)
    expect(again).toMatchObject({ expired: 1, duplicates: 1 })
    expect(await tdb.db.selectFrom('daily_counts').selectAll().execute()).toEqual([])
    expect(await countMentions(tdb.db)).toBe(1)
  })

  it('folds the same article seen by two sources into one mention per brand', async () => {
    await ingest(
      tdb.db,
      feedA,
      [
        item({
          externalId: 'a-1',
          url: 'https://n.example/story?utm_source=rss',
          text: 'Acme story',
        }),
      ],
      now,
    )
    const r = await ingest(
      tdb.db,
      feedB,
      [
        item({
          externalId: 'b-9',
          url: 'http://www.n.example/story',
          text: 'Acme story, reposted',
        }),
      ],
      now,
    )
    expect(r.newMentions).toHaveLength(0)
    expect(r.duplicates).toBe(1)
  })

  it('ingesting the same batch twice stores nothing the second time', async () => {
    const batch = [
      item({ externalId: '1', text: 'Acme' }),
      item({ externalId: '2', url: 'https://n.example/2', text: 'Globex' }),
    ]
    expect((await ingest(tdb.db, feedA, batch, now)).newMentions).toHaveLength(2)
    expect((await ingest(tdb.db, feedA, batch, now)).newMentions).toHaveLength(0)
  })

  it('drops excluded authors (any platform, or this platform only) and domains before storage', async () => {
    await addExclusion(tdb.db, { kind: 'author', value: '@Staff_Anna' }, now)
    await addExclusion(tdb.db, { kind: 'author', value: 'bob', platform: 'mastodon' }, now)
    await addExclusion(tdb.db, { kind: 'domain', value: 'intranet.example' }, now)
    const batch = [
      item({
        externalId: '1',
        url: 'https://n.example/1',
        text: 'Acme rocks',
        author: 'staff_anna',
      }),
      item({ externalId: '2', url: 'https://n.example/2', text: 'Acme rocks', author: 'bob' }),
      item({ externalId: '3', url: 'https://news.intranet.example/3', text: 'Acme memo' }),
      item({ externalId: '4', url: 'https://n.example/4', text: 'Acme fan', author: 'carol' }),
    ]
    const a = await ingest(tdb.db, feedA, batch, now) // rss: bob is only excluded on mastodon
    expect(a.excluded).toBe(2)
    expect(a.newMentions).toHaveLength(2)
    const b = await ingest(
      tdb.db,
      feedB,
      batch.map((i) => ({ ...i, externalId: 'b' + i.externalId, url: i.url + '?b' })),
      now,
    )
    expect(b.excluded).toBe(3)
    const authors = (await tdb.db.selectFrom('mentions').select('author').execute()).map(
      (m) => m.author,
    )
    expect(authors).not.toContain('staff_anna')
  })

  it('scopes a brand-bound source to its brand', async () => {
    const scoped = await insertSource(
      tdb.db,
      {
        name: 'C',
        kind: 'rss',
        config: { url: 'https://c.example' },
        intervalSeconds: 900,
        brandId: 1,
      },
      now,
    )
    const r = await ingest(tdb.db, scoped, [item({ text: 'Acme and Globex' })], now)
    expect(r.newMentions.map((m) => m.brand_id)).toEqual([1])
  })

  it('labels the language and scores sentiment; unscored languages are marked', async () => {
    await ingest(
      tdb.db,
      feedA,
      [
        item({
          externalId: 'en',
          url: 'https://n.example/en',
          text: 'Acme support is terrible and the app is awful',
        }),
        item({
          externalId: 'de',
          url: 'https://n.example/de',
          text: 'Acme ist heute wieder nicht erreichbar, sehr ärgerlich',
        }),
      ],
      now,
    )
    const rows = await tdb.db
      .selectFrom('mentions')
      .select(['external_id', 'lang', 'sentiment_label', 'sentiment_scored'])
      .orderBy('external_id')
      .execute()
    expect(rows[0]).toMatchObject({
      external_id: 'de',
      lang: 'other',
      sentiment_scored: 0,
      sentiment_label: 'neutral',
    })
    expect(rows[1]).toMatchObject({
      external_id: 'en',
      lang: 'en',
      sentiment_scored: 1,
      sentiment_label: 'negative',
    })
  })

  it('stores HTML as text and drops unsafe links', async () => {
    await ingest(
      tdb.db,
      feedA,
      [
        item({
          url: 'javascript:alert(1)',
          title: '<b>Acme</b> &amp; co',
          text: '<script>alert(1)</script><p>Acme</p>',
        }),
      ],
      now,
    )
    const m = await tdb.db.selectFrom('mentions').selectAll().executeTakeFirstOrThrow()
    expect(m.title).toBe('Acme & co')
    expect(m.text).toBe('Acme')
    expect(m.url).toBe('')
  })
})
