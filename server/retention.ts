// Retention and erasure. Mentions older than the retention setting (default 180 days) are purged
// by a daily job; before deleting, their per-brand/day/label counts are folded into daily_counts so
// charts keep the history without the text. Erasure deletes everything by an author handle or a
// URL in one action and excludes the author from future collection. The same nightly job forgets
// sign-in failure counts older than a day.
import { sql } from 'kysely'
import type { Db } from '../db'
import { addExclusion, authorKeys, normalizeHandle } from '../db/exclusions'
import { getSetting, setSetting, takeLock } from '../db/settings'
import { pruneSigninFailures } from './auth/rate-limit'
import { canonicalUrl } from './normalize'
import type { Job } from './scheduler'

export const DEFAULT_RETENTION_DAYS = 180
export const RETENTION_SETTING = 'retention_days'
export const LAST_PURGE_SETTING = 'retention_last_purge'

export async function retentionDays(db: Db): Promise<number> {
  const n = Number(await getSetting(db, RETENTION_SETTING))
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_RETENTION_DAYS
}

const cutoffFor = (days: number, now: Date) =>
  new Date(now.getTime() - days * 86400_000).toISOString()

/** The instant before which mentions are not kept (published earlier: purged, never stored). */
export async function retentionCutoff(db: Db, now: Date): Promise<string> {
  return cutoffFor(await retentionDays(db), now)
}

export interface PurgeReport {
  at: string
  cutoff: string
  deleted: number
  days: number
}

/** Folds the counts of mentions published before the cutoff into daily_counts, then deletes them. */
export async function purgeExpired(db: Db, now: Date): Promise<PurgeReport> {
  const days = await retentionDays(db)
  const cutoff = cutoffFor(days, now)
  return db.transaction().execute(async (trx) => {
    // Every process on one Postgres runs the nightly job at 03:17: the second waits here, then
    // finds the expired mentions gone (without the lock it counted them into daily_counts too).
    await takeLock(trx, 'retention', now)
    const rows = await trx
      .selectFrom('mentions')
      .select([
        'brand_id',
        sql<string>`substr(published_at, 1, 10)`.as('day'),
        sql<string>`coalesce(manual_label, sentiment_label)`.as('label'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('published_at', '<', cutoff)
      .groupBy([
        'brand_id',
        sql`substr(published_at, 1, 10)`,
        sql`coalesce(manual_label, sentiment_label)`,
      ])
      .execute()
    for (const r of rows) {
      await trx
        .insertInto('daily_counts')
        .values({ brand_id: r.brand_id, day: r.day, label: r.label, count: Number(r.n) })
        .onConflict((oc) =>
          oc
            .columns(['brand_id', 'day', 'label'])
            .doUpdateSet({ count: sql`daily_counts.count + ${Number(r.n)}` }),
        )
        .execute()
    }
    const res = await trx
      .deleteFrom('mentions')
      .where('published_at', '<', cutoff)
      .executeTakeFirst()
    const report = { at: now.toISOString(), cutoff, deleted: Number(res.numDeletedRows), days }
    // Nothing left right after another process's purge: the page keeps showing that one.
    const last = await lastPurge(trx)
    if (!report.deleted && last && now.getTime() - Date.parse(last.at) < 600_000) return report
    await setSetting(trx, LAST_PURGE_SETTING, JSON.stringify(report))
    return report
  })
}

export async function lastPurge(db: Db): Promise<PurgeReport | undefined> {
  const raw = await getSetting(db, LAST_PURGE_SETTING)
  return raw ? (JSON.parse(raw) as PurgeReport) : undefined
}

/** The nightly job (03:17 local time: away from the hour when everything else runs). */
export const retentionJob: Job = {
  name: 'retention',
  schedule: '0 17 3 * * *',
  run: async (ctx) => {
    const r = await purgeExpired(ctx.db, ctx.now())
    ctx.log.info('retention purge', { deleted: r.deleted, cutoff: r.cutoff, days: r.days })
    // sign-in failure counts are forgiven after a day: a day-old one is only an address kept
    const forgotten = await pruneSigninFailures(ctx.db, ctx.now())
    if (forgotten) ctx.log.info('sign-in failures forgotten', { count: forgotten })
  },
}

export interface ErasureResult {
  deleted: number
  excluded: boolean
}

/**
 * Deletes every mention by this author handle (any platform) or at this address, and adds an
 * exclusion (hashed) so that neither is collected again. Returns counts only: the caller audits
 * those.
 */
export async function eraseBy(
  db: Db,
  input: { kind: 'author' | 'url'; value: string },
  now: Date,
): Promise<ErasureResult> {
  const value = input.value.trim()
  if (!value) throw new Error('empty value')
  // Narrow in SQL, decide with the same normalization the exclusion matcher uses: an address
  // matches with or without www., tracking parameters or a trailing slash, as at collection.
  let ids: number[]
  if (input.kind === 'url') {
    const page = canonicalUrl(value)
    if (!page) throw new Error('not an http(s) address')
    const path = page.split('?')[0]
    const tail = path.slice(path.lastIndexOf('/') + 1) || path.replace(/^\/\//, '')
    const candidates = await db
      .selectFrom('mentions')
      .select(['id', 'url'])
      .where(sql<boolean>`lower(url) like ${`%${tail.toLowerCase().replace(/[%_]/g, '_')}%`}`)
      .execute()
    ids = candidates.filter((m) => canonicalUrl(m.url) === page).map((m) => m.id)
  } else {
    const handle = normalizeHandle(value)
    if (!handle) throw new Error('empty handle')
    const candidates = await db
      .selectFrom('mentions')
      .innerJoin('sources', 'sources.id', 'mentions.source_id')
      .select(['mentions.id as id', 'mentions.author as author', 'sources.kind as kind'])
      .where(sql<boolean>`lower(mentions.author) like ${`%${handle.replace(/%/g, '_')}%`}`)
      .execute()
    ids = candidates
      .filter((m) => m.author && authorKeys(m.author, m.kind).includes(handle))
      .map((m) => m.id)
  }
  let deleted = 0
  for (let i = 0; i < ids.length; i += 500) {
    const r = await db
      .deleteFrom('mentions')
      .where('id', 'in', ids.slice(i, i + 500))
      .executeTakeFirst()
    deleted += Number(r.numDeletedRows)
  }
  await addExclusion(db, { kind: input.kind, value }, now)
  return { deleted, excluded: true }
}
