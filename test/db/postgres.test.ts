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
import { listAlerts } from '../../db/alerts'
import { insertChannel } from '../../db/channels'
import { claimDelivery, recoverStale } from '../../db/deliveries'
import { runDetection } from '../../server/alerts'
import { alertNotifier } from '../../server/deliver'
import { silentLogger } from '../../server/log'
import { ingestOverTime } from '../helpers/history'
import { channelInput } from '../helpers/channel'

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
    // a word left out with a minus, with or without words to find
    for (const q of ['acme -panne', '-panne'])
      expect((await listMentions(pg.db, 'postgres', { q }, { limit: 100 })).rows).toHaveLength(15)
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

  it('alerts: detection is idempotent, the outbox queues once and recovers a stale send', async () => {
    const brand = await insertBrand(pg.db, { name: 'Telvia', query: 'Telvia' }, now)
    const src = await insertSource(
      pg.db,
      { name: 'forum', kind: 'rss', config: { url: 'https://f.example/t' }, intervalSeconds: 900 },
      now,
    )
    // Two days of calm (one neutral mention every 20 min), then 40 complaints in 40 minutes.
    const start = now.getTime() - 2 * 86400_000
    const calm = Array.from({ length: 144 }, (_, i) => ({
      externalId: `c-${i}`,
      url: `https://f.example/c/${i}`,
      title: `Telvia annonce ${i}`,
      text: 'information',
      publishedAt: new Date(start + i * 20 * 60_000).toISOString(),
    }))
    const burst = Array.from({ length: 40 }, (_, i) => ({
      externalId: `b-${i}`,
      url: `https://f.example/b/${i}`,
      title: `Panne Telvia ${i}`,
      text: 'Panne réseau Telvia, horrible, service client nul, inadmissible',
      publishedAt: new Date(now.getTime() - (40 - i) * 60_000).toISOString(),
    }))
    // as collected over those two days: a first import of it all would be a new brand, learning
    await ingestOverTime(pg.db, src, [...calm, ...burst], now)
    await insertChannel(
      pg.db,
      channelInput('https://hooks.example/x', { name: 'veille', brandIds: [brand.id] }),
      now,
    )
    const ctx = { db: pg.db, now: () => now, log: silentLogger }
    const notify = alertNotifier()
    expect((await runDetection(ctx, { notify })).created).toBe(1)
    expect(await runDetection(ctx, { notify })).toMatchObject({
      created: 0,
      updated: 0,
      resolved: 0,
    })
    const [alert] = await listAlerts(pg.db, { brandId: brand.id })
    expect(alert).toMatchObject({ kind: 'negative_spike', status: 'open', brand_name: 'Telvia' })
    const rows = await pg.db.selectFrom('deliveries').selectAll().execute()
    expect(rows.map((r) => [r.event, r.status])).toEqual([['opened', 'pending']])
    expect(await claimDelivery(pg.db, rows[0].id, now, new Date(now.getTime() + 120_000))).toBe(
      true,
    )
    expect(await claimDelivery(pg.db, rows[0].id, now, new Date(now.getTime() + 120_000))).toBe(
      false,
    )
    expect(await recoverStale(pg.db, now)).toBe(0)
    expect(await recoverStale(pg.db, new Date(now.getTime() + 121_000))).toBe(1)
  })
})
