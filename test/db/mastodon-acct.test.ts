// Migration 0012 on a database that already holds Mastodon mentions (a real SQLite file, and
// Postgres when TEST_DATABASE_URL is set): an instance's own accounts, stored as "user", become
// "user@instance" from their status's address; remote ones and other platforms stay as they were.
import { Migrator, type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import type { Db } from '../../db'
import { insertBrand } from '../../db/brands'
import { migrationProvider } from '../../db/migrations'
import { insertSource } from '../../db/sources'
import { emptyDatabase } from '../helpers/postgres'

const dialects = process.env.TEST_DATABASE_URL
  ? (['sqlite', 'postgres'] as const)
  : (['sqlite'] as const)

describe.each(dialects)('0012 on %s', (dialect) => {
  let db: Kysely<any>
  let close: () => Promise<void>
  afterEach(() => close())

  it('gives local Mastodon authors their instance', async () => {
    ;({ db, close } = await emptyDatabase(dialect, 'mastoacct'))
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
    expect((await migrator.migrateTo('0011-alert-told')).error).toBeUndefined()
    const now = new Date('2026-11-22T10:00:00Z')
    const brand = await insertBrand(db as Db, { name: 'Acme', query: 'Acme' }, now)
    const masto = await insertSource(
      db as Db,
      { name: 'M', kind: 'mastodon', config: { hashtags: 'acme' }, intervalSeconds: 900 },
      now,
    )
    const rss = await insertSource(
      db as Db,
      { name: 'R', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
      now,
    )
    const rows: [number, string | null, string][] = [
      [masto.id, 'opsgrump', 'https://mastodon.social/@opsgrump/1'],
      [masto.id, 'camille@piaille.fr', 'https://piaille.fr/@camille/2'],
      [masto.id, null, 'https://mastodon.social/@x/3'],
      [masto.id, 'odd', 'not a url'],
      [rss.id, 'jane', 'https://news.example/a'],
    ]
    await db
      .insertInto('mentions')
      .values(
        rows.map(([sourceId, author, url], i) => ({
          brand_id: brand.id,
          source_id: sourceId,
          external_id: `e${i}`,
          fold_hash: `f${i}`,
          url,
          title: 'Acme',
          text: '',
          author,
          published_at: now.toISOString(),
          collected_at: now.toISOString(),
          lang: 'fr',
          sentiment_score: 0,
          sentiment_label: 'neutral',
          sentiment_scored: 1,
          matched_terms: '["Acme"]',
        })),
      )
      .execute()
    expect((await migrator.migrateToLatest()).error).toBeUndefined()
    const after = await db.selectFrom('mentions').select('author').orderBy('id').execute()
    expect(after.map((r) => r.author)).toEqual([
      'opsgrump@mastodon.social',
      'camille@piaille.fr',
      null,
      'odd',
      'jane',
    ])
  })
})
