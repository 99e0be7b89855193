// Detection run and alert lifecycle (issue 5). For each brand: rebuild 5-minute bucket series from
// the stored mentions of the last LOOKBACK_DAYS, replay the online spike detectors over them
// (negative volume, all-mention volume, negative share), group their events into incidents, and
// reconcile the incidents with the stored alerts: one alert per incident, updated while it grows,
// resolved automatically once the level has been back to normal for a while. Replaying from the
// stored data (not keeping detector state in memory) makes every run a pure function of the
// mentions and the clock: running twice changes nothing, a restart loses nothing, a late mention or
// a manual relabel is taken into account at the next run.
//
// Time axis: a mention is bucketed by published_at (when the public spoke), clamped to
// collected_at. collected_at would follow our poll intervals instead (a source polled every 15 min
// drops its mentions into one bucket in three: artificial bursts and gaps, and a backfill after an
// outage of Vigie would look like a spike). Late arrivals land in past buckets, which the replay
// re-reads at every run; future-dated items are clamped to when we saw them.
import type { Db } from '../db'
import {
  acknowledgeAlert,
  alertsSince,
  getAlert,
  insertAlert,
  parseSummary,
  resolveAlert,
  updateAlert,
} from '../db/alerts'
import { effectiveLabel } from '../db/mentions'
import type { Alert, AlertKind, AlertSummary } from '../db/schema-alerts'
import { takeLock } from '../db/settings'
import type { AppContext } from './context'
import {
  createDetector,
  createShareDetector,
  worthTellingAgain,
  type Preset,
  type SpikeEvent,
  type Told,
} from './spikes'
import { PRESETS } from './spikes/presets'
import { mentionTerms } from './terms'
import { byWording } from './text'

/** Stored as acknowledged_by / resolved_by when nobody is signed in; shown as "someone". */
export const ANONYMOUS = 'anonymous'

export const BUCKET_MINUTES = 5
const BUCKET_MS = BUCKET_MINUTES * 60_000
/** Replay window: enough for the detector's weekly shape and its calibration (3 days) to settle. */
export const LOOKBACK_DAYS = 14
/** After the detector's 'end' (itself quietMinutes of normal level), wait this long to resolve. */
export const AUTO_RESOLVE_MINUTES = 60
/** Two incidents of one brand and kind closer than this are the same incident seen twice. */
const MATCH_TOLERANCE_MS = 60 * 60_000
const SCORE_EPS = 1e-3

// ---------- pure part: series → incidents → plan ----------

export interface Bucket {
  t: number
  neg: number
  total: number
}

/** Buckets [from, to] (epoch ms, bucket-aligned) filled from mention times, zeros included. */
export function buildSeries(
  mentions: { at: number; negative: boolean }[],
  from: number,
  to: number,
): Bucket[] {
  const start = Math.floor(from / BUCKET_MS) * BUCKET_MS
  const end = Math.floor(to / BUCKET_MS) * BUCKET_MS
  const n = Math.max(0, Math.round((end - start) / BUCKET_MS) + 1)
  const out: Bucket[] = Array.from({ length: n }, (_, i) => ({
    t: start + i * BUCKET_MS,
    neg: 0,
    total: 0,
  }))
  for (const m of mentions) {
    const i = Math.floor((m.at - start) / BUCKET_MS)
    if (i < 0 || i >= n) continue
    out[i].total++
    if (m.negative) out[i].neg++
  }
  return out
}

export interface Incident {
  kind: AlertKind
  /** start of the alerting window of the first abnormal bucket */
  startT: number
  peakT: number
  peakValue: number
  baseline: number
  score: number
  windowMinutes: number
  lastAbnormalT: number
  /** bucket where the detector declared the incident over; null while it lasts */
  endT: number | null
}

/** Groups one detector's events into incidents (one per start…end). */
export function incidentsFromEvents(
  kind: AlertKind,
  events: SpikeEvent[],
  quietMinutes: number,
  scale = 1,
): Incident[] {
  const out: Incident[] = []
  let cur: Incident | null = null
  for (const e of events) {
    if (e.kind === 'start') {
      cur = {
        kind,
        startT: e.t - (e.windowMinutes - BUCKET_MINUTES) * 60_000,
        peakT: e.t,
        peakValue: e.value * scale,
        baseline: e.baseline * scale,
        score: e.score,
        windowMinutes: e.windowMinutes,
        lastAbnormalT: e.t,
        endT: null,
      }
      out.push(cur)
    } else if (cur && e.kind === 'update') {
      cur.lastAbnormalT = e.t
      if (e.score > cur.score) {
        cur.peakT = e.t
        cur.peakValue = e.value * scale
        cur.baseline = e.baseline * scale
        cur.score = e.score
        cur.windowMinutes = e.windowMinutes
      }
    } else if (cur && e.kind === 'end') {
      cur.endT = e.t
      cur.lastAbnormalT = Math.max(cur.lastAbnormalT, e.t - quietMinutes * 60_000)
      cur = null
    }
  }
  return out
}

const overlaps = (a: Incident, b: Incident, now: number) =>
  a.startT - MATCH_TOLERANCE_MS <= (b.endT ?? now) &&
  b.startT - MATCH_TOLERANCE_MS <= (a.endT ?? now)

/** Mentions of all labels in the window of `minutes` ending with the bucket at `t`. */
function windowTotal(series: Bucket[], t: number, minutes: number): number {
  let sum = 0
  const from = t - (minutes - BUCKET_MINUTES) * 60_000
  for (const b of series) if (b.t >= from && b.t <= t) sum += b.total
  return sum
}

/**
 * Runs the three detectors over a brand's series. A volume spike or a sentiment dip that overlaps
 * a negative spike is the same story told twice: only the negative spike is kept (no crying wolf).
 */
export function findIncidents(series: Bucket[], preset: Preset, now: number): Incident[] {
  const opts = { preset, bucketMinutes: BUCKET_MINUTES }
  const neg = createDetector(opts)
  const vol = createDetector(opts)
  const share = createShareDetector(opts)
  const ev = { neg: [] as SpikeEvent[], vol: [] as SpikeEvent[], share: [] as SpikeEvent[] }
  for (const b of series) {
    ev.neg.push(...neg.push(b.t, b.neg))
    ev.vol.push(...vol.push(b.t, b.total))
    ev.share.push(...share.push(b.t, b.neg, b.total))
  }
  const quiet = PRESETS[preset].tuning.quietMinutes
  const negative = incidentsFromEvents('negative_spike', ev.neg, quiet)
  const volume = incidentsFromEvents('volume_spike', ev.vol, quiet)
  // The share test reports negatives in its window; alerts show a dip as shares (%) instead.
  const dips = incidentsFromEvents('sentiment_dip', ev.share, quiet).map((i) => {
    const total = windowTotal(series, i.peakT, i.windowMinutes)
    return total
      ? { ...i, peakValue: (100 * i.peakValue) / total, baseline: (100 * i.baseline) / total }
      : i
  })
  const notNegative = (i: Incident) => !negative.some((n) => overlaps(n, i, now))
  return [...negative, ...volume.filter(notNegative), ...dips.filter(notNegative)].sort(
    (a, b) => a.startT - b.startT,
  )
}

export type AlertEventName = 'opened' | 'updated' | 'resolved'

export type PlanAction =
  | { type: 'create'; incident: Incident; status: 'open' | 'resolved'; notify: boolean }
  | { type: 'update'; alertId: number; incident: Incident; notify: boolean }
  | { type: 'resolve'; alertId: number }

const iso = (t: number) => new Date(t).toISOString()

/**
 * Reconciles detected incidents with stored alerts. Idempotent: an incident that already has its
 * alert only updates it when something changed; a human's acknowledgement or resolution is never
 * undone. Incidents over for long enough when first seen (a first run over history, the demo) are
 * recorded as resolved without notifying anyone.
 */
export function planReconcile(
  incidents: Incident[],
  existing: Alert[],
  now: number,
  autoResolveMinutes = AUTO_RESOLVE_MINUTES,
): PlanAction[] {
  const actions: PlanAction[] = []
  const used = new Set<number>()
  const autoMs = autoResolveMinutes * 60_000
  for (const inc of incidents) {
    const match = existing.find(
      (a) =>
        !used.has(a.id) &&
        a.kind === inc.kind &&
        Date.parse(a.started_at) - MATCH_TOLERANCE_MS <= (inc.endT ?? now) &&
        inc.startT - MATCH_TOLERANCE_MS <= Date.parse(a.last_abnormal_at),
    )
    const over = inc.endT !== null && now >= inc.endT + autoMs
    if (!match) {
      actions.push({
        type: 'create',
        incident: inc,
        status: over ? 'resolved' : 'open',
        notify: !over,
      })
      continue
    }
    used.add(match.id)
    const changed =
      iso(inc.lastAbnormalT) > match.last_abnormal_at ||
      // scores are compared with a tolerance: Postgres stores `real` as float4
      inc.score > match.score + SCORE_EPS ||
      (match.peak_at !== iso(inc.peakT) && inc.score >= match.score - SCORE_EPS)
    if (changed)
      actions.push({
        type: 'update',
        alertId: match.id,
        incident: inc,
        notify: match.status !== 'resolved' && worthTellingAgain(toldOf(match), told(inc)),
      })
    if (match.status !== 'resolved' && over) actions.push({ type: 'resolve', alertId: match.id })
  }
  // An open alert no replayed incident explains any more (data relabelled, or older than the
  // window) is resolved once its last abnormal bucket is long past.
  const quietMs = 60 * 60_000
  for (const a of existing)
    if (
      !used.has(a.id) &&
      a.status !== 'resolved' &&
      now >= Date.parse(a.last_abnormal_at) + quietMs + autoMs
    )
      actions.push({ type: 'resolve', alertId: a.id })
  return actions
}

// ---------- I/O part ----------

export type AlertNotify = (
  db: Db,
  alert: Alert,
  event: AlertEventName | 'acknowledged',
  now: Date,
) => Promise<void>

export interface DetectionReport {
  brands: number
  created: number
  updated: number
  resolved: number
  ms: number
}

/** Mention times and labels of one brand since `since` (effective label: manual wins). */
async function loadMentions(db: Db, brandId: number, since: string) {
  const rows = await db
    .selectFrom('mentions')
    .select(['published_at', 'collected_at', 'manual_label', 'sentiment_label'])
    .where('brand_id', '=', brandId)
    .where('published_at', '>=', since)
    .execute()
  return rows.map((r) => ({
    at: Math.min(Date.parse(r.published_at), Date.parse(r.collected_at)),
    collected: Date.parse(r.collected_at),
    negative: (r.manual_label ?? r.sentiment_label) === 'negative',
  }))
}

/** Engagement from the collector's metrics JSON (likes, replies, reposts, score…; not followers). */
export function engagement(metrics: string | null): number {
  if (!metrics) return 0
  try {
    const m = JSON.parse(metrics) as Record<string, unknown>
    let sum = 0
    for (const [k, v] of Object.entries(m))
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && !/follower/i.test(k)) sum += v
    return sum
  } catch {
    return 0
  }
}

/** The alert's mentions link: negative ones for negative alerts, all for a volume spike. */
export function mentionsHref(a: Pick<Alert, 'brand_id' | 'kind' | 'started_at'>, until: string) {
  const p = new URLSearchParams({ brand: String(a.brand_id) })
  if (a.kind !== 'volume_spike') p.set('sentiment', 'negative')
  p.set('since', a.started_at)
  p.set('until', until)
  return `/mentions?${p}`
}

/**
 * Brands whose detector is still learning their usual level (the first warmupHours after Vigie
 * first collected one of their mentions in the replay window, where the detection's series
 * starts): no alert can open for them yet, which the team must know when a brand is added in the
 * middle of a crisis. `until` is null for a brand without mentions.
 */
export async function learningBrands(
  db: Db,
  now: Date,
): Promise<{ id: number; name: string; until: string | null }[]> {
  const from = iso(now.getTime() - LOOKBACK_DAYS * 86_400_000)
  const rows = await db
    .selectFrom('brands')
    .leftJoin('mentions', (j) =>
      j.onRef('mentions.brand_id', '=', 'brands.id').on('mentions.published_at', '>=', from),
    )
    .select(['brands.id', 'brands.name', (eb) => eb.fn.min('mentions.collected_at').as('first')])
    .where('brands.active', '=', 1)
    .groupBy(['brands.id', 'brands.name'])
    .orderBy('brands.name')
    .execute()
  const warmupMs = PRESETS.balanced.tuning.warmupHours * 3_600_000
  return rows.flatMap((r): { id: number; name: string; until: string | null }[] => {
    if (!r.first) return [{ id: r.id, name: r.name, until: null }]
    const until = Date.parse(String(r.first)) + warmupMs
    return until > now.getTime() ? [{ id: r.id, name: r.name, until: iso(until) }] : []
  })
}

type LinkedAlert = Pick<Alert, 'brand_id' | 'kind' | 'started_at' | 'summary' | 'updated_at'>

/**
 * The link from each alert to the mentions behind it, and how many it lists now: the summary's
 * count is a snapshot taken at detection, and the team's corrections since (a negative mention
 * relabelled neutral) change what the link lists. One query for a whole page of alerts (each
 * count a subquery), rather than a round trip per card.
 */
export async function mentionsLinks(
  db: Db,
  alerts: LinkedAlert[],
): Promise<{ href: string; count: number }[]> {
  if (!alerts.length) return []
  const untils = alerts.map((a) => parseSummary(a).until)
  const row = await db
    .selectNoFrom((eb) =>
      alerts.map((a, i) => {
        let q = eb
          .selectFrom('mentions')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('brand_id', '=', a.brand_id)
          .where('published_at', '>=', a.started_at)
          .where('published_at', '<', untils[i])
        if (a.kind !== 'volume_spike') q = q.where(effectiveLabel, '=', 'negative')
        return q.as(`a${i}`)
      }),
    )
    .executeTakeFirstOrThrow()
  const counts = row as Record<string, number | string | null>
  return alerts.map((a, i) => ({
    href: mentionsHref(a, untils[i]),
    count: Number(counts[`a${i}`] ?? 0),
  }))
}

export async function mentionsLink(
  db: Db,
  a: LinkedAlert,
): Promise<{ href: string; count: number }> {
  return (await mentionsLinks(db, [a]))[0]
}

export async function summarize(
  db: Db,
  brand: { id: number; name: string },
  kind: AlertKind,
  from: string,
  until: string,
): Promise<AlertSummary> {
  const rows = await db
    .selectFrom('mentions')
    .innerJoin('sources', 'sources.id', 'mentions.source_id')
    .select([
      'mentions.id',
      'mentions.title',
      'mentions.text',
      'mentions.metrics',
      'mentions.manual_label',
      'mentions.sentiment_label',
      'sources.name as source_name',
    ])
    .where('mentions.brand_id', '=', brand.id)
    .where('mentions.published_at', '>=', from)
    .where('mentions.published_at', '<', until)
    .limit(5000)
    .execute()
  const neg = (r: (typeof rows)[number]) => (r.manual_label ?? r.sentiment_label) === 'negative'
  const behind = kind === 'volume_spike' ? rows : rows.filter(neg)
  const bySource = new Map<string, number>()
  for (const r of behind) bySource.set(r.source_name, (bySource.get(r.source_name) ?? 0) + 1)
  // Samples: the most engaged negative mentions first, one per wording (case, accents and
  // punctuation aside), so that a complaint copied by forty accounts shows once, with its count,
  // and leaves room for the other complaints.
  const ranked = behind
    .map((r) => ({ ...r, negative: neg(r), engagement: engagement(r.metrics) }))
    .sort(
      (a, b) =>
        Number(b.negative) - Number(a.negative) || b.engagement - a.engagement || a.id - b.id,
    )
  const samples = byWording(ranked, (r) => `${r.title} ${r.text}`).slice(0, 5)
  return {
    count: behind.length,
    sources: [...bySource]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 6)
      .map(([name, count]) => ({ name, count })),
    terms: mentionTerms(behind, { exclude: [brand.name], limit: 8, minLength: 4 }).map(
      (t) => t.term,
    ),
    sample_ids: samples.map((r) => r.item.id),
    sample_copies: samples.map((r) => r.copies),
    until,
  }
}

/** What a channel would be told about this incident now. */
const told = (inc: Incident): Told => ({ score: inc.score, excess: inc.peakValue - inc.baseline })

/** What the channels were last told about an alert (its first figures for alerts from before 0011). */
const toldOf = (a: Alert): Told => ({
  score: a.told_score ?? a.score,
  excess: a.told_excess ?? a.peak_value - a.baseline,
})

const toldColumns = (inc: Incident) => {
  const t = told(inc)
  return { told_score: t.score, told_excess: t.excess }
}

function incidentColumns(inc: Incident) {
  return {
    started_at: iso(inc.startT),
    last_abnormal_at: iso(inc.lastAbnormalT),
    peak_at: iso(inc.peakT),
    peak_value: inc.peakValue,
    baseline: Math.round(inc.baseline * 100) / 100,
    score: inc.score,
    window_minutes: inc.windowMinutes,
  }
}

// Runs from the poller, the stream manager and the scheduler may overlap: one at a time per
// database, so two runs never both create the alert of one incident.
const chains = new WeakMap<Db, Promise<unknown>>()

/** Detection over the given brands (default: all active ones) and reconciliation with alerts. */
export function runDetection(
  ctx: Pick<AppContext, 'db' | 'now' | 'log'>,
  opts: { brandIds?: number[]; notify?: AlertNotify; lookbackDays?: number } = {},
): Promise<DetectionReport> {
  const run = (chains.get(ctx.db) ?? Promise.resolve()).then(() => detectNow(ctx, opts))
  chains.set(
    ctx.db,
    run.catch(() => {}),
  )
  return run
}

async function detectNow(
  ctx: Pick<AppContext, 'db' | 'now' | 'log'>,
  opts: { brandIds?: number[]; notify?: AlertNotify; lookbackDays?: number },
): Promise<DetectionReport> {
  const t0 = Date.now()
  const now = ctx.now()
  const nowMs = now.getTime()
  const from = nowMs - (opts.lookbackDays ?? LOOKBACK_DAYS) * 86_400_000
  let q = ctx.db.selectFrom('brands').select(['id', 'name', 'sensitivity']).where('active', '=', 1)
  if (opts.brandIds) {
    if (!opts.brandIds.length) return { brands: 0, created: 0, updated: 0, resolved: 0, ms: 0 }
    q = q.where('id', 'in', opts.brandIds)
  }
  const brands = await q.execute()
  const report: DetectionReport = {
    brands: brands.length,
    created: 0,
    updated: 0,
    resolved: 0,
    ms: 0,
  }
  for (const brand of brands) {
    try {
      const preset = (brand.sensitivity in PRESETS ? brand.sensitivity : 'balanced') as Preset
      const mentions = await loadMentions(ctx.db, brand.id, iso(from))
      // The series starts when Vigie first collected a mention of the brand in the window: days of
      // zeros before a brand existed would use up the detector's warm-up and make its first
      // mentions a "spike", and so would what a first import reads back-dated (a feed lists its
      // last items, not the brand's whole past: yesterday looks quiet, the last hour busy).
      const first = mentions.reduce((m, x) => Math.min(m, x.collected), nowMs)
      const series = buildSeries(mentions, Math.max(from, first), nowMs)
      const incidents = findIncidents(series, preset, nowMs)
      const done = { created: 0, updated: 0, resolved: 0 }
      await ctx.db.transaction().execute(async (trx) => {
        // Several processes on one Postgres run detection at the same moment (the scheduled run
        // fires at the same second in each): the second waits here, then reconciles with the
        // alerts the first one stored instead of opening the same alert again.
        await takeLock(trx, 'detect', now)
        const existing = await alertsSince(trx, brand.id, iso(from))
        const plan = planReconcile(incidents, existing, nowMs)
        for (const action of plan) {
          if (action.type === 'create') {
            const inc = action.incident
            const until = iso(inc.endT ?? nowMs)
            const summary = await summarize(trx, brand, inc.kind, iso(inc.startT), until)
            const row = await insertAlert(trx, {
              brand_id: brand.id,
              kind: inc.kind,
              status: action.status,
              ...incidentColumns(inc),
              ...toldColumns(inc),
              updated_at: now.toISOString(),
              acknowledged_by: null,
              acknowledged_at: null,
              resolved_by: null,
              // An incident already over when first seen: resolved when the rule would have.
              resolved_at:
                action.status === 'resolved'
                  ? iso(Math.min(nowMs, (inc.endT ?? nowMs) + AUTO_RESOLVE_MINUTES * 60_000))
                  : null,
              summary: JSON.stringify(summary),
            })
            done.created++
            if (action.notify && opts.notify) await opts.notify(trx, row, 'opened', now)
          } else if (action.type === 'update') {
            const inc = action.incident
            const summary = await summarize(
              trx,
              brand,
              inc.kind,
              iso(inc.startT),
              iso(inc.endT ?? nowMs),
            )
            await updateAlert(trx, action.alertId, {
              ...incidentColumns(inc),
              ...(action.notify ? toldColumns(inc) : {}),
              updated_at: now.toISOString(),
              summary: JSON.stringify(summary),
            })
            done.updated++
            const row = await getAlert(trx, action.alertId)
            if (action.notify && opts.notify && row) await opts.notify(trx, row, 'updated', now)
          } else {
            if (await resolveAlert(trx, action.alertId, null, now)) {
              done.resolved++
              const row = await getAlert(trx, action.alertId)
              if (opts.notify && row) await opts.notify(trx, row, 'resolved', now)
            }
          }
        }
      })
      report.created += done.created
      report.updated += done.updated
      report.resolved += done.resolved
    } catch (err) {
      // One brand's failure never stops the others; it is logged where operators look.
      ctx.log.error('detection failed', {
        brand: brand.name,
        err: (err as Error).stack ?? String(err),
      })
    }
  }
  report.ms = Date.now() - t0
  return report
}

/** A person acknowledges an open alert; the channels that announced it are told. */
export function acknowledge(
  ctx: Pick<AppContext, 'db' | 'now'>,
  id: number,
  by: string,
  notify?: AlertNotify,
): Promise<boolean> {
  return transition(ctx, id, by, 'acknowledged', notify)
}

/** A person resolves an open or acknowledged alert. */
export function resolve(
  ctx: Pick<AppContext, 'db' | 'now'>,
  id: number,
  by: string,
  notify?: AlertNotify,
): Promise<boolean> {
  return transition(ctx, id, by, 'resolved', notify)
}

async function transition(
  ctx: Pick<AppContext, 'db' | 'now'>,
  id: number,
  by: string,
  event: 'acknowledged' | 'resolved',
  notify?: AlertNotify,
): Promise<boolean> {
  const now = ctx.now()
  const change = event === 'acknowledged' ? acknowledgeAlert : resolveAlert
  if (!(await change(ctx.db, id, by, now))) return false
  const row = await getAlert(ctx.db, id)
  if (row && notify) await notify(ctx.db, row, event, now)
  return true
}
