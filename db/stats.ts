// Dashboard aggregates, one named function each. Volumes and shares read the trigger-maintained
// tables of migration 0002 (mention_hourly, mention_domains_daily, mention_engagement), so an
// overview over 30 days touches thousands of small rows rather than every mention.
import { sql } from 'kysely'
import type { Db } from '.'
import {
  addDays,
  dayStart,
  localDate,
  localParts,
  mondayOf,
  zonedToUtc,
} from '../server/digest-period'
import { mentionTerms, type Term } from '../server/terms'
import { effectiveLabel, selectMentionRows, type MentionRow } from './mentions'

export type Range = '24h' | '7d' | '30d' | '90d'
export const RANGES: Range[] = ['24h', '7d', '30d', '90d']
/** weeks of the 3-month range: the current one and the twelve before */
const WEEKS = 13

const HOUR = 3600_000

export interface RangeSpec {
  range: Range
  /** Inclusive start and exclusive end, on hour boundaries (the current hour is included). */
  from: Date
  to: Date
  bucketHours: number
  /** Start of each bucket, oldest first. */
  buckets: Date[]
}

/**
 * The window of a range ending with the current hour, and the bucket size that fits it. Buckets
 * longer than an hour follow the local clock of `tz`: days (30 days) from midnight to midnight,
 * quarters of a day (7 days) from 00:00, 06:00, 12:00 and 18:00, since each bar is labelled with
 * its date or its weekday and hour. A bar of the 24 hours from the current hour would carry, in
 * the evening in Montréal, the date before most of what it holds, and 6-hour bars from the
 * current hour read "lun. 15 h, lun. 21 h…". Across a DST change such a bar lasts an hour more
 * or less; the last one is the current one, so far. Three months are weeks from Monday 00:00, the
 * way a quarter is reported: the current week and the twelve before.
 */
export function rangeSpec(range: Range, now: Date, tz: string): RangeSpec {
  const to = new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR)
  const buckets: Date[] = []
  if (range === '90d') {
    const monday = mondayOf(localDate(now, tz))
    for (let k = WEEKS - 1; k >= 0; k--) buckets.push(dayStart(monday, tz, -7 * k))
    return { range, from: buckets[0], to, bucketHours: 168, buckets }
  }
  const hours = { '24h': 24, '7d': 168, '30d': 720 }[range]
  const bucketHours = { '24h': 1, '7d': 6, '30d': 24 }[range]
  if (bucketHours > 1) {
    const today = localDate(now, tz)
    const perDay = 24 / bucketHours
    const current = Math.floor(localParts(now, tz).h / bucketHours)
    for (let k = hours / bucketHours - 1; k >= 0; k--) {
      const day = Math.floor((current - k) / perDay)
      const hour = (current - k - day * perDay) * bucketHours
      buckets.push(zonedToUtc(addDays(today, day), `${String(hour).padStart(2, '0')}:00`, tz))
    }
    return { range, from: buckets[0], to, bucketHours, buckets }
  }
  const from = new Date(to.getTime() - hours * HOUR)
  for (let t = from.getTime(); t < to.getTime(); t += bucketHours * HOUR) buckets.push(new Date(t))
  return { range, from, to, bucketHours, buckets }
}

/** The same length of time just before, for "change against the previous period". */
export function previousSpec(s: RangeSpec): RangeSpec {
  const len = s.to.getTime() - s.from.getTime()
  const to = s.from
  const from = new Date(to.getTime() - len)
  const buckets = s.buckets.map((b) => new Date(b.getTime() - len))
  return { ...s, from, to, buckets }
}

const hourKey = (d: Date) => d.toISOString().slice(0, 13)
const dayKey = (d: Date) => d.toISOString().slice(0, 10)

export interface Counts {
  n: number
  pos: number
  neu: number
  neg: number
  /** new or in progress, any sentiment */
  open: number
  /** negative and new or in progress: awaiting an answer, as the digest counts them */
  negOpen: number
}

export interface Bucket extends Counts {
  start: Date
}

function hourly(db: Db, brandId: number | undefined, from: Date, to: Date) {
  let q = db
    .selectFrom('mention_hourly')
    .where('hour', '>=', hourKey(from))
    .where('hour', '<', hourKey(to))
  if (brandId) q = q.where('brand_id', '=', brandId)
  return q
}

const sums = (eb: any) => [
  eb.fn.sum('n').as('n'),
  eb.fn.sum('pos').as('pos'),
  eb.fn.sum('neu').as('neu'),
  eb.fn.sum('neg').as('neg'),
  eb.fn.sum('open').as('open'),
  eb.fn.sum('neg_open').as('neg_open'),
]

function toCounts(r: Record<string, unknown> | undefined): Counts {
  return {
    n: Number(r?.n ?? 0),
    pos: Number(r?.pos ?? 0),
    neu: Number(r?.neu ?? 0),
    neg: Number(r?.neg ?? 0),
    open: Number(r?.open ?? 0),
    negOpen: Number(r?.neg_open ?? 0),
  }
}

/** The last bucket starting at or before `t` (buckets may differ in length: local days), or -1. */
export function bucketIndex(starts: Date[], t: number): number {
  let lo = 0
  let hi = starts.length - 1
  if (hi < 0 || t < starts[0].getTime()) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid].getTime() <= t) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Volume per bucket, split by effective sentiment. */
export async function volumeSeries(db: Db, s: RangeSpec, brandId?: number): Promise<Bucket[]> {
  const rows = await hourly(db, brandId, s.from, s.to)
    .select((eb) => ['hour', ...sums(eb)])
    .groupBy('hour')
    .execute()
  const out: Bucket[] = s.buckets.map((start) => ({ start, ...toCounts(undefined) }))
  for (const r of rows as Record<string, unknown>[]) {
    const b = out[bucketIndex(s.buckets, Date.parse(`${r.hour}:00:00Z`))]
    if (!b) continue
    const c = toCounts(r)
    b.n += c.n
    b.pos += c.pos
    b.neu += c.neu
    b.neg += c.neg
    b.open += c.open
    b.negOpen += c.negOpen
  }
  return out
}

/** Totals of a window. */
export async function periodCounts(
  db: Db,
  from: Date,
  to: Date,
  brandId?: number,
): Promise<Counts> {
  const r = await hourly(db, brandId, from, to)
    .select((eb) => sums(eb))
    .executeTakeFirst()
  return toCounts(r as Record<string, unknown>)
}

/** Where a UTC day's folded count is placed: its noon, whatever the chart's zone. */
const noonOf = (day: string) => Date.parse(`${day}T12:00:00Z`)

export interface FoldedDay {
  brandId: number
  /** YYYY-MM-DD, UTC */
  day: string
  label: string
  n: number
}

/**
 * The counts of mentions the retention job has deleted (server/retention.ts folds them into
 * daily_counts by UTC day and label), for the days whose noon falls in [from, to): what a chart
 * of whole days keeps of them once their text is gone. Every brand: the share of voice needs them.
 */
export async function foldedDays(db: Db, from: Date, to: Date): Promise<FoldedDay[]> {
  const rows = await db
    .selectFrom('daily_counts')
    .select(['brand_id', 'day', 'label', 'count'])
    .where('day', '>=', dayKey(new Date(from.getTime() - 12 * HOUR)))
    .where('day', '<=', dayKey(to))
    .execute()
  return rows
    .map((r) => ({ brandId: r.brand_id, day: r.day, label: r.label, n: Number(r.count) }))
    .filter((r) => {
      const noon = noonOf(r.day)
      return noon >= from.getTime() && noon < to.getTime()
    })
}

/** Adds folded days to counts (they have a label, not a triage status: open counts stay). */
export function addFolded(c: Counts, days: FoldedDay[]): Counts {
  const out = { ...c }
  for (const d of days) {
    out.n += d.n
    if (d.label === 'positive') out.pos += d.n
    else if (d.label === 'neutral') out.neu += d.n
    else if (d.label === 'negative') out.neg += d.n
  }
  return out
}

/** A series with folded days added to the buckets holding their noon. */
export function seriesWithFolded(series: Bucket[], days: FoldedDay[]): Bucket[] {
  const starts = series.map((b) => b.start)
  const out = series.map((b) => ({ ...b }))
  for (const d of days) {
    const i = bucketIndex(starts, noonOf(d.day))
    if (i >= 0) out[i] = { ...addFolded(out[i], [d]), start: out[i].start }
  }
  return out
}

/** Shares of voice with folded days added (a brand may have nothing else in the window). */
export function shareWithFolded(share: Share[], days: FoldedDay[], names: Map<number, string>) {
  const by = new Map(share.map((s) => [s.brandId, { ...s }]))
  for (const d of days) {
    const name = names.get(d.brandId)
    if (!name) continue // a deleted brand's counts went with it
    const s = by.get(d.brandId) ?? { brandId: d.brandId, name, n: 0, neg: 0 }
    s.n += d.n
    if (d.label === 'negative') s.neg += d.n
    by.set(d.brandId, s)
  }
  return [...by.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
}

/** (pos − neg) / (pos + neg), or null when nothing was positive or negative. */
export function netSentiment(c: Pick<Counts, 'pos' | 'neg'>): number | null {
  return c.pos + c.neg ? (c.pos - c.neg) / (c.pos + c.neg) : null
}

export interface Share {
  brandId: number
  name: string
  n: number
  neg: number
}

/** Each brand's share of all mentions in the window. */
export async function shareOfVoice(db: Db, from: Date, to: Date): Promise<Share[]> {
  // Sum the hourly rows first, then name the few brands: a join before grouping makes SQLite
  // walk the aggregate table once per brand.
  const [rows, brands] = await Promise.all([
    hourly(db, undefined, from, to)
      .select((eb) => [
        'brand_id',
        eb.fn.sum<number>('n').as('n'),
        eb.fn.sum<number>('neg').as('neg'),
      ])
      .groupBy('brand_id')
      .execute(),
    db.selectFrom('brands').select(['id', 'name']).execute(),
  ])
  const names = new Map(brands.map((b) => [b.id, b.name]))
  return rows
    .map((r) => ({
      brandId: r.brand_id,
      name: names.get(r.brand_id) ?? '?',
      n: Number(r.n),
      neg: Number(r.neg),
    }))
    .filter((r) => r.n > 0 && names.has(r.brandId))
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
}

export interface TopSource {
  sourceId: number
  name: string
  kind: string
  n: number
  neg: number
}

export async function topSources(
  db: Db,
  from: Date,
  to: Date,
  brandId?: number,
  limit = 6,
): Promise<TopSource[]> {
  const [rows, sources] = await Promise.all([
    hourly(db, brandId, from, to)
      .select((eb) => [
        'source_id',
        eb.fn.sum<number>('n').as('n'),
        eb.fn.sum<number>('neg').as('neg'),
      ])
      .groupBy('source_id')
      .execute(),
    db.selectFrom('sources').select(['id', 'name', 'kind']).execute(),
  ])
  const byId = new Map(sources.map((s) => [s.id, s]))
  return rows
    .flatMap((r) => {
      const s = byId.get(r.source_id)
      const n = Number(r.n)
      return s && n > 0
        ? [{ sourceId: s.id, name: s.name, kind: s.kind, n, neg: Number(r.neg) }]
        : []
    })
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
    .slice(0, limit)
}

const HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:www\.)?([^/:?#]+)/i

/**
 * Host names with the most mentions. Whole UTC days inside the window come from the daily
 * aggregate; the partial first day is counted from the mentions themselves, so the figures
 * match the window exactly.
 */
export async function topDomains(
  db: Db,
  from: Date,
  to: Date,
  brandId?: number,
  limit = 6,
): Promise<{ domain: string; n: number; neg: number }[]> {
  const dayStart = new Date(Math.floor(from.getTime() / 86400_000) * 86400_000)
  const partial = dayStart.getTime() !== from.getTime()
  let q = db
    .selectFrom('mention_domains_daily')
    .where('day', partial ? '>' : '>=', dayKey(from))
    .where('day', '<=', dayKey(new Date(to.getTime() - 1)))
    .where('domain', '<>', '')
  if (brandId) q = q.where('brand_id', '=', brandId)
  const rows = await q
    .select((eb) => ['domain', eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('neg').as('neg')])
    .groupBy('domain')
    .execute()
  const counts = new Map<string, { n: number; neg: number }>()
  for (const r of rows) counts.set(r.domain, { n: Number(r.n), neg: Number(r.neg) })
  if (partial) {
    const end = new Date(Math.min(dayStart.getTime() + 86400_000, to.getTime()))
    let raw = db
      .selectFrom('mentions')
      .select(['url', effectiveLabel.as('label')])
      .where('published_at', '>=', from.toISOString())
      .where('published_at', '<', end.toISOString())
    if (brandId) raw = raw.where('brand_id', '=', brandId)
    for (const r of await raw.execute()) {
      const host = HOST.exec(r.url)?.[1]?.toLowerCase()
      if (!host) continue
      const c = counts.get(host) ?? { n: 0, neg: 0 }
      c.n++
      if (r.label === 'negative') c.neg++
      counts.set(host, c)
    }
  }
  return [...counts]
    .map(([domain, c]) => ({ domain, ...c }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n || a.domain.localeCompare(b.domain))
    .slice(0, limit)
}

export type EngagedMention = MentionRow & { engagement: number }

/** Mentions with the highest summed engagement metrics in the window. */
export async function mostEngaged(
  db: Db,
  from: Date,
  to: Date,
  brandId?: number,
  limit = 5,
): Promise<EngagedMention[]> {
  let q = db
    .selectFrom('mention_engagement as e')
    .where('e.published_at', '>=', from.toISOString())
    .where('e.published_at', '<', to.toISOString())
    .where('e.engagement', '>', 0)
  if (brandId) q = q.where('e.brand_id', '=', brandId)
  const top = await q
    .select(['e.mention_id', 'e.engagement'])
    .orderBy('e.engagement', 'desc')
    .limit(limit)
    .execute()
  if (!top.length) return []
  const rows = (await selectMentionRows(db)
    .where(
      'mentions.id',
      'in',
      top.map((t) => t.mention_id),
    )
    .execute()) as MentionRow[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return top.flatMap((t) => {
    const m = byId.get(t.mention_id)
    return m ? [{ ...m, engagement: t.engagement }] : []
  })
}

/** Words recurring most in the latest negative mentions of the window (brand terms left out). */
export async function negativeTerms(
  db: Db,
  from: Date,
  to: Date,
  opts: { brandId?: number; exclude?: string[]; sample?: number; limit?: number } = {},
): Promise<Term[]> {
  let q = db
    .selectFrom('mentions')
    .select(['title', 'text'])
    .where('published_at', '>=', from.toISOString())
    .where('published_at', '<', to.toISOString())
    .where(effectiveLabel, '=', 'negative')
  if (opts.brandId) q = q.where('brand_id', '=', opts.brandId)
  const rows = await q
    .orderBy('published_at', 'desc')
    .limit(opts.sample ?? 300)
    .execute()
  return mentionTerms(rows, { exclude: opts.exclude, limit: opts.limit ?? 12 })
}

export interface Agreement {
  n: number
  agreed: number
  byLang: { lang: string; n: number; agreed: number }[]
}

/** How often Vigie's label matched the team's correction, over corrections made since `since`. */
export async function agreement(db: Db, since: Date, brandId?: number): Promise<Agreement> {
  let q = db
    .selectFrom('mentions')
    .where('manual_label', 'is not', null)
    .where('manual_label_at', '>=', since.toISOString())
    .where('sentiment_scored', '=', 1)
  if (brandId) q = q.where('brand_id', '=', brandId)
  const rows = await q
    .select((eb) => [
      'lang',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(sql`case when manual_label = sentiment_label then 1 else 0 end`)
        .as('agreed'),
    ])
    .groupBy('lang')
    .orderBy('lang')
    .execute()
  const byLang = rows.map((r) => ({ lang: r.lang, n: Number(r.n), agreed: Number(r.agreed) }))
  return {
    n: byLang.reduce((a, r) => a + r.n, 0),
    agreed: byLang.reduce((a, r) => a + r.agreed, 0),
    byLang,
  }
}

/**
 * A number that changes whenever anything the overview shows may have changed (a new mention, a
 * triage change, an alert), so a computed overview can be reused until then.
 */
export async function dataVersion(db: Db): Promise<string> {
  const r = await sql<{ m: number | null; e: number | null; a: number | null }>`select
    (select max(id) from mentions) as m,
    (select max(id) from mention_events) as e,
    (select max(updated_at) from alerts) as a`.execute(db)
  const row = r.rows[0]
  return `${row?.m ?? 0}:${row?.e ?? 0}:${row?.a ?? ''}`
}
