// Migration 0008 on a database that already holds mentions (a real SQLite file, and Postgres when
// TEST_DATABASE_URL is set): the hourly aggregates gain the negative mentions awaiting an answer,
// counted from the stored rows, and the triggers keep the new column in step afterwards.
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../db'
import { migrationProvider } from '../../db/migrations'
import { openSqlite } from '../../db/sqlite'
import { scratchDatabase, type ScratchDatabase } from '../helpers/postgres'

const pgUrl = process.env.TEST_DATABASE_URL
const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)

describe.each(dialects)('0008 on %s', (dialect) => {
  let db: Kysely<any>
  let done: () => Promise<void>
  afterEach(async () => {
    await db.destroy()
    await done()
  })

  async function open(): Promise<void> {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'))
      db = new Kysely<any>({
        dialect: new SqliteDialect({ database: openSqlite(join(dir, 'vigie.db')) }),
      })
      done = async () => rmSync(dir, { recursive: true, force: true })
    } else {
      const scratch: ScratchDatabase = await scratchDatabase(pgUrl!, 'negopen')
      const pg = (await import('pg')).default
      const pool = new pg.Pool({ connectionString: scratch.url })
      pool.on('error', () => {}) // the drop at the end ends idle connections
      db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
      done = () => scratch.drop()
    }
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
