// Migration 0008 on a database that already holds mentions (a real SQLite file, and Postgres when
// TEST_DATABASE_URL is set): the hourly aggregates gain the negative mentions awaiting an answer,
// counted from the stored rows, and the triggers keep the new column in step afterwards.
import { Migrator, type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../db'
import { migrationProvider } from '../../db/migrations'
import { emptyDatabase } from '../helpers/postgres'

const pgUrl = process.env.TEST_DATABASE_URL
const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)

describe.each(dialects)('0008 on %s', (dialect) => {
  let db: Kysely<any>
  let close: () => Promise<void>
  afterEach(() => close())

  async function open(): Promise<void> {
    ;({ db, close } = await emptyDatabase(dialect, 'negopen'))
  }

  it('backfills the negative mentions awaiting an answer, then follows new ones', async () => {
    await open()
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
    const before = await migrator.migrateTo('0007-pg-folded-search')
    expect(before.error).toBeUndefined()
    const at = '2026-11-22T10:00:00.000Z'
    await db
      .insertInto('brands')
      .values({ name: 'Acme', query: 'Acme', created_at: at, updated_at: at })
      .execute()
    await db
      .insertInto('sources')
      .values({
        name: 'Feed',
        kind: 'rss',
        config: '{}',
        interval_seconds: 900,
        next_check_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute()
    const row = (i: number, label: string, status: string, manual: string | null = null) => ({
      brand_id: 1,
      source_id: 1,
      external_id: `e${i}`,
      fold_hash: `f${i}`,
      url: `https://news.example/${i}`,
      title: '',
      text: `text ${i}`,
      published_at: at,
      collected_at: at,
      lang: 'fr',
      sentiment_score: 0,
      sentiment_label: label,
      sentiment_scored: 1,
      manual_label: manual,
      matched_terms: '[]',
      status,
    })
    await db
      .insertInto('mentions')
      .values([
        row(1, 'negative', 'new'),
        row(2, 'negative', 'in_progress'),
        row(3, 'negative', 'answered'),
        row(4, 'positive', 'new'),
        row(5, 'neutral', 'new', 'negative'),
        row(6, 'negative', 'new', 'positive'),
      ])
      .execute()

    await migrate(db, dialect)
    const hourly = () =>
      db
        .selectFrom('mention_hourly')
        .select(['n', 'neg', 'open', 'neg_open'])
        .where('hour', '=', '2026-11-22T10')
        .executeTakeFirstOrThrow()
    expect(await hourly()).toEqual({ n: 6, neg: 4, open: 5, neg_open: 3 })
    // the triggers now keep it: a new negative mention, then one answered
    await db
      .insertInto('mentions')
      .values(row(7, 'negative', 'new'))
      .execute()
    await db
      .updateTable('mentions')
      .set({ status: 'answered' })
      .where('external_id', '=', 'e1')
      .execute()
    expect(await hourly()).toEqual({ n: 7, neg: 5, open: 5, neg_open: 3 })
    // applying the migrations again changes nothing
    await migrate(db, dialect)
    expect(await hourly()).toEqual({ n: 7, neg: 5, open: 5, neg_open: 3 })
  })
})
