// The same Kysely code on Postgres: migrations, ingestion with dedupe, the filtered feed with
// full-text search, and keyset pagination. Runs when TEST_DATABASE_URL points at a throw-away
// Postgres database (CI starts one); skipped otherwise.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { insertBrand } from '../../db/brands'
import { listMentions } from '../../db/mentions'
import { insertSource, lastGoodPoll, recordPollSuccess } from '../../db/sources'
import { ingest } from '../../server/pipeline'

const url = process.env.TEST_DATABASE_URL
const now = new Date('2026-11-22T12:00:00Z')

describe.skipIf(!url)('Postgres', () => {
  let pg: OpenDb
  beforeAll(async () => {
    // Start from an empty schema so the migrations run from scratch.
    const first = await openDatabase({ kind: 'postgres', url: url! }).catch(async () => null)
    if (first) {
      await sql`drop schema public cascade`.execute(first.db)
      await sql`create schema public`.execute(first.db)
      await first.close()
    }
    pg = await openDatabase({ kind: 'postgres', url: url! })
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('migrates, ingests without duplicates, searches and paginates', async () => {
    expect(pg.dialect).toBe('postgres')
    await insertBrand(pg.db, { name: 'Acme', query: '"Acme" -"Acme Road"' }, now)
    const src = await insertSource(
      pg.db,
      { name: 'feed', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      now,
    )
    const items = Array.from({ length: 30 }, (_, i) => ({
      externalId: `p-${i}`,
      url: `https://f.example/${i}`,
      title: i % 2 ? `Acme panne numéro ${i}` : `Acme super ${i}`,
      text: 'texte',
      publishedAt: new Date(now.getTime() - Math.floor(i / 2) * 60_000).toISOString(),
    }))
    const first = await ingest(pg.db, src, items, now)
    expect(first.newMentions).toHaveLength(30)
    const again = await ingest(pg.db, src, items, now)
    expect(again.newMentions).toHaveLength(0)
    const search = await listMentions(pg.db, 'postgres', { q: 'panne' }, { limit: 100 })
    expect(search.rows).toHaveLength(15)
    const seen: number[] = []
    let cursor = null
    do {
      const page: Awaited<ReturnType<typeof listMentions>> = await listMentions(
        pg.db,
        'postgres',
        {},
        { limit: 7, cursor },
      )
      seen.push(...page.rows.map((r) => r.id))
      cursor = page.nextCursor
        ? { publishedAt: page.rows.at(-1)!.published_at, id: page.rows.at(-1)!.id }
        : null
    } while (cursor)
    expect(new Set(seen).size).toBe(30)
    await recordPollSuccess(pg.db, src.id, {
      now,
      nextCheckAt: now,
      state: {},
      newCount: 30,
      itemCount: 30,
    })
    expect(await lastGoodPoll(pg.db)).toBe(now.toISOString())
  })
})
