// The overview as data: every figure the dashboard shows for one brand (or all) over one range,
// built from db/stats.ts. Results are reused while nothing changed (a new mention, a triage
// change, an alert moves the data version) and for at most a minute, so a team keeping the page
// open all day, refreshing every minute, costs a handful of cheap reads.
import type { Db } from '../db'
import { listAlerts, type AlertRow } from '../db/alerts'
import type { Brand } from '../db/schema'
import {
  addFolded,
  agreement,
  dataVersion,
  foldedDays,
  mostEngaged,
  negativeTerms,
  periodCounts,
  previousSpec,
  rangeSpec,
  seriesWithFolded,
  shareOfVoice,
  shareWithFolded,
  topDomains,
  topSources,
  volumeSeries,
  type Agreement,
  type Bucket,
  type Counts,
  type EngagedMention,
  type Range,
  type RangeSpec,
  type Share,
  type TopSource,
} from '../db/stats'
import { positiveTerms, parseQuery } from './query'

export interface Overview {
  spec: RangeSpec
  brandId?: number
  series: Bucket[]
  current: Counts
  previous: Counts
  share: Share[]
  sources: TopSource[]
  domains: { domain: string; n: number; neg: number }[]
  engaged: EngagedMention[]
  negTerms: { term: string; n: number }[]
  agreement: Agreement
  alerts: AlertRow[]
}

function brandTerms(brands: Brand[], brandId?: number): string[] {
  return brands
    .filter((b) => !brandId || b.id === brandId)
    .flatMap((b) => {
      try {
        return positiveTerms(parseQuery(b.query))
      } catch {
        return [b.name]
      }
    })
}

export async function buildOverview(
  db: Db,
  opts: { range: Range; brandId?: number; now: Date; tz: string; brands: Brand[] },
): Promise<Overview> {
  const spec = rangeSpec(opts.range, opts.now, opts.tz)
  const prev = previousSpec(spec)
  const { brandId } = opts
  // Charts of whole days (30 days, 3 months) keep the daily counts of what the retention job has
  // deleted; shorter ones show stored mentions only (a day's count cannot be split into hours).
  const whole = spec.bucketHours >= 24
  const [
    series,
    current,
    previous,
    share,
    sources,
    domains,
    engaged,
    negTerms,
    agr,
    alerts,
    foldedNow,
    foldedBefore,
  ] = await Promise.all([
    volumeSeries(db, spec, brandId),
    periodCounts(db, spec.from, spec.to, brandId),
    periodCounts(db, prev.from, prev.to, brandId),
    shareOfVoice(db, spec.from, spec.to),
    topSources(db, spec.from, spec.to, brandId),
    topDomains(db, spec.from, spec.to, brandId),
    mostEngaged(db, spec.from, spec.to, brandId),
    negativeTerms(db, spec.from, spec.to, { brandId, exclude: brandTerms(opts.brands, brandId) }),
    agreement(db, new Date(opts.now.getTime() - 30 * 86400_000), brandId),
    listAlerts(db, {
      brandId,
      status: ['open', 'acknowledged'],
      from: spec.from.toISOString(),
      to: spec.to.toISOString(),
    }),
    whole ? foldedDays(db, spec.from, spec.to) : [],
    whole ? foldedDays(db, prev.from, prev.to) : [],
  ])
  const mine = (days: typeof foldedNow) =>
    brandId ? days.filter((d) => d.brandId === brandId) : days
  const names = new Map(opts.brands.map((b) => [b.id, b.name]))
  return {
    spec,
    brandId,
    series: seriesWithFolded(series, mine(foldedNow)),
    current: addFolded(current, mine(foldedNow)),
    previous: addFolded(previous, mine(foldedBefore)),
    share: shareWithFolded(share, foldedNow, names),
    sources,
    domains,
    engaged,
    negTerms,
    agreement: agr,
    alerts,
  }
}

const TTL_MS = 60_000
const MAX_ENTRIES = 64

export interface CachedOverview {
  overview: Overview
  /** Renderings derived from this overview (per locale), dropped with it. */
  rendered: Map<string, string>
}

/** Overview cache keyed by brand, range, hour and data version (per database handle). */
export function overviewCache() {
  const entries = new Map<
    string,
    { at: number; value: Promise<Overview>; rendered: Map<string, string> }
  >()
  return async function get(
    db: Db,
    opts: { range: Range; brandId?: number; now: Date; tz: string; brands: Brand[] },
  ): Promise<CachedOverview> {
    const version = await dataVersion(db)
    const hour = Math.floor(opts.now.getTime() / 3600_000)
    // Brand names and queries are part of the picture too (renaming a brand changes labels).
    const brands = opts.brands.map((b) => `${b.id}:${b.updated_at}`).join(',')
    const key = `${opts.brandId ?? 0}|${opts.range}|${opts.tz}|${hour}|${version}|${brands}`
    let hit = entries.get(key)
    const t = Date.now()
    if (!hit || t - hit.at >= TTL_MS) {
      const value = buildOverview(db, opts)
      // A failed computation is not remembered.
      value.catch(() => entries.delete(key))
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
      hit = { at: t, value, rendered: new Map() }
      entries.set(key, hit)
    }
    return { overview: await hit.value, rendered: hit.rendered }
  }
}
