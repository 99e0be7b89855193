// The digest as data: what one recipient reads about one day (or week). `loadDigestInput` does
// the reads; `buildDigest` is pure (no clock, no DB) so it is tested table-driven and rendered
// separately for HTML and text (views/email/digest.tsx).
import type { Db } from '../db'
import { listAlerts } from '../db/alerts'
import type { AlertKind, AlertStatus } from '../db/schema-alerts'
import {
  labelCounts,
  mentionsInWindow,
  waitingNegatives,
  type DigestMention,
  type LabelCounts,
} from '../db/digest'
import {
  digestWindows,
  localDate,
  localParts,
  type DigestKind,
  type DigestWindows,
} from './digest-period'
import { byWording, fold } from './text'

export interface DigestRequest {
  kind: DigestKind
  /** Reported day (daily) or any day of the reported week (weekly), local to `timezone`. */
  date: string
  timezone: string
  lang: 'fr' | 'en'
  /** [] = every active brand. */
  brandIds: number[]
  baseUrl: string
}

export interface BrandInput {
  brand: { id: number; name: string }
  current: DigestMention[]
  previous: LabelCounts
  lastWeek?: LabelCounts
  /** Negative mentions still unanswered (any of the last seven days up to the period's end). */
  waiting: DigestMention[]
  /** Alerts open at some point of the period (begun before its end, not resolved before its start). */
  alerts: {
    id: number
    kind: AlertKind
    status: AlertStatus
    started_at: string
    peak_at: string
    peak_value: number
    baseline: number
    acknowledged_at: string | null
    resolved_at: string | null
  }[]
}

export interface DigestInput {
  windows: DigestWindows
  lang: 'fr' | 'en'
  baseUrl: string
  brands: BrandInput[]
}

/** How far back an unanswered negative mention still counts as waiting. */
export const WAITING_DAYS = 7

function waitingSince(w: DigestWindows): string {
  return new Date(new Date(w.current.to).getTime() - WAITING_DAYS * 86400_000).toISOString()
}

export async function loadDigestInput(db: Db, req: DigestRequest): Promise<DigestInput> {
  const windows = digestWindows(req.kind, req.date, req.timezone)
  let q = db.selectFrom('brands').select(['id', 'name']).orderBy('name')
  q = req.brandIds.length ? q.where('id', 'in', req.brandIds) : q.where('active', '=', 1)
  const brands = await q.execute()
  const { current, previous, lastWeek } = windows
  const out: BrandInput[] = []
  for (const brand of brands) {
    const alerts = await listAlerts(db, { brandId: brand.id, from: current.from, to: current.to })
    out.push({
      brand,
      current: await mentionsInWindow(db, brand.id, current.from, current.to),
      previous: await labelCounts(db, brand.id, previous.from, previous.to),
      lastWeek: lastWeek ? await labelCounts(db, brand.id, lastWeek.from, lastWeek.to) : undefined,
      waiting: await waitingNegatives(db, brand.id, waitingSince(windows), current.to),
      alerts: alerts.map((a) => ({
        id: a.id,
        kind: a.kind,
        status: a.status,
        started_at: a.started_at,
        peak_at: a.peak_at,
        peak_value: a.peak_value,
        baseline: a.baseline,
        acknowledged_at: a.acknowledged_at,
        resolved_at: a.resolved_at,
      })),
    })
  }
  return { windows, lang: req.lang, baseUrl: req.baseUrl.replace(/\/+$/, ''), brands: out }
}

// ---- the data the views render ----------------------------------------------------------------

export interface Split extends LabelCounts {
  total: number
  /** (pos − neg) / (pos + neg), null when neither. */
  net: number | null
}

export interface Change {
  /** Absolute difference (mentions, or net-sentiment points ×100). */
  diff: number
  /** Relative change in %, null when the base is 0. */
  pct: number | null
  dir: 'up' | 'down' | 'flat'
}

export interface MentionItem {
  id: number
  title: string
  excerpt: string
  /** the language it is written in, for the e-mail's lang attribute (textLang) */
  lang: string
  url: string
  author: string | null
  source: string
  publishedAt: string
  engagement: number
  status: string
  /** mentions in the list with the same wording, this one included (1: no copies) */
  copies: number
}

export interface SpikeItem {
  id: number
  kind: AlertKind
  /** Status at the end of the period: the digest describes the period, not the morning after. */
  status: AlertStatus
  /** What it has become since the period ended, when that differs ("since resolved"). */
  since?: AlertStatus
  /** The peak came after the period: its value is not the period's, the digest says so. */
  peakAfter: boolean
  startedAt: string
  peakAt: string
  peakValue: number
  baseline: number
  url: string
}

export interface Bar {
  /** '00'…'23' (local hours) or a YYYY-MM-DD local day. */
  key: string
  total: number
  negative: number
}

export interface BrandDigest {
  id: number
  name: string
  url: string
  current: Split
  previous: Split
  lastWeek?: Split
  volume: { vsPrevious: Change; vsLastWeek?: Change }
  netChange: { vsPrevious: Change | null; vsLastWeek?: Change | null }
  chart: Bar[]
  spikes: SpikeItem[]
  waiting: { total: number; top: MentionItem[]; url: string }
  topPositive: MentionItem[]
  topSources: { name: string; count: number }[]
}

export interface Digest {
  kind: DigestKind
  lang: 'fr' | 'en'
  timezone: string
  period: { date: string; from: string; to: string }
  baseUrl: string
  brands: BrandDigest[]
  totals: { mentions: number; negative: number; waiting: number; spikes: number }
}

export const TOP_WAITING = 5
export const TOP_POSITIVE = 3
export const TOP_SOURCES = 5
const EXCERPT = 220

export function split(c: LabelCounts): Split {
  const total = c.positive + c.neutral + c.negative + c.unscored
  const polar = c.positive + c.negative
  return { ...c, total, net: polar ? (c.positive - c.negative) / polar : null }
}

export function change(now: number, before: number): Change {
  const diff = now - before
  return {
    diff,
    pct: before ? Math.round((diff / before) * 100) : null,
    dir: diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat',
  }
}

/** Net sentiment change in points (−100…100 scale); null when either side has no polar mention. */
export function netChange(now: number | null, before: number | null): Change | null {
  if (now === null || before === null) return null
  const diff = Math.round((now - before) * 100)
  return { diff, pct: null, dir: diff > 0 ? 'up' : diff < 0 ? 'down' : 'flat' }
}

/** Engagement from the source's metrics: reactions, replies, points… (audience size excluded). */
export function engagement(metrics: string | null): number {
  if (!metrics) return 0
  try {
    const m = JSON.parse(metrics) as Record<string, unknown>
    let sum = 0
    for (const [k, v] of Object.entries(m))
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && !/follower|subscriber/i.test(k))
        sum += v
    return sum
  } catch {
    return 0
  }
}

function excerpt(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1).trimEnd()}…` : flat
}

// Mention text is untrusted: HTML escaping is JSX's job; here we drop what would mislead in both
// parts (control characters, bidi overrides that reorder a line) and non-web links.
const UNSAFE_CHARS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

export function safeText(s: string): string {
  return s.replace(UNSAFE_CHARS, '')
}

export function safeUrl(s: string): string {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : ''
  } catch {
    return ''
  }
}

const words = (s: string) =>
  fold(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
const sameWords = (a: string, b: string) => words(a) === words(b)

function item(m: DigestMention): MentionItem {
  const title = safeText(m.title)
  const text = safeText(m.text)
  return {
    id: m.id,
    title: excerpt(title || text).slice(0, 140),
    // a post whose text repeats its title (most reviews and short posts) is shown once
    excerpt: title && !sameWords(text, title) ? excerpt(text) : '',
    lang: m.lang,
    url: safeUrl(m.url),
    author: m.author ? safeText(m.author) : null,
    source: safeText(m.source_name),
    publishedAt: m.published_at,
    engagement: engagement(m.metrics),
    status: m.status,
    copies: 1,
  }
}

/** Most engaged first, one per wording: a complaint posted by forty accounts takes one line. */
function top(items: MentionItem[], n: number): MentionItem[] {
  return byWording(items.sort(byEngagement), (m) => `${m.title} ${m.excerpt}`)
    .slice(0, n)
    .map(({ item, copies }) => ({ ...item, copies }))
}

/** Most engaged first; ties: the most recent. */
function byEngagement(a: MentionItem, b: MentionItem): number {
  return b.engagement - a.engagement || b.publishedAt.localeCompare(a.publishedAt)
}

function countLabels(ms: DigestMention[]): LabelCounts {
  const c: LabelCounts = { positive: 0, neutral: 0, negative: 0, unscored: 0 }
  for (const m of ms) {
    const key = !m.scored ? 'unscored' : (m.label as keyof LabelCounts)
    if (key in c) c[key]++
  }
  return c
}

function chart(ms: DigestMention[], w: DigestWindows): Bar[] {
  const bars = new Map<string, Bar>()
  if (w.kind === 'daily') {
    for (let h = 0; h < 24; h++) {
      const key = String(h).padStart(2, '0')
      bars.set(key, { key, total: 0, negative: 0 })
    }
  } else {
    const start = new Date(`${w.current.date}T00:00:00Z`)
    for (let d = 0; d < 7; d++) {
      const key = new Date(start.getTime() + d * 86400_000).toISOString().slice(0, 10)
      bars.set(key, { key, total: 0, negative: 0 })
    }
  }
  for (const m of ms) {
    const at = new Date(m.published_at)
    const key =
      w.kind === 'daily'
        ? String(localParts(at, w.timezone).h).padStart(2, '0')
        : localDate(at, w.timezone)
    const bar = bars.get(key)
    if (!bar) continue
    bar.total++
    if (m.scored && m.label === 'negative') bar.negative++
  }
  return [...bars.values()]
}

/**
 * An alert's status at `end` from its timestamps, and what it is now when that changed later: a
 * spike of Sunday night resolved on Monday reads "open; since resolved" in Sunday's digest.
 */
export function statusAt(
  a: Pick<BrandInput['alerts'][number], 'status' | 'acknowledged_at' | 'resolved_at'>,
  end: string,
): { status: AlertStatus; since?: AlertStatus } {
  const status: AlertStatus =
    a.resolved_at && a.resolved_at < end
      ? 'resolved'
      : a.acknowledged_at && a.acknowledged_at < end
        ? 'acknowledged'
        : 'open'
  return a.status === status ? { status } : { status, since: a.status }
}

function brandUrl(base: string, id: number, w: DigestWindows): string {
  // the digest's own period: "Mentions 24" opens those 24, not everything since
  return (
    `${base}/mentions?brand=${id}&since=${encodeURIComponent(w.current.from)}` +
    `&until=${encodeURIComponent(w.current.to)}`
  )
}

export function buildBrandDigest(b: BrandInput, w: DigestWindows, baseUrl: string): BrandDigest {
  const current = split(countLabels(b.current))
  const previous = split(b.previous)
  const lastWeek = b.lastWeek ? split(b.lastWeek) : undefined
  const waitingItems = b.waiting.map(item)
  const positives = b.current.filter((m) => m.scored && m.label === 'positive').map(item)
  const sources = new Map<string, number>()
  for (const m of b.current) {
    const name = safeText(m.source_name)
    sources.set(name, (sources.get(name) ?? 0) + 1)
  }
  return {
    id: b.brand.id,
    name: b.brand.name,
    url: brandUrl(baseUrl, b.brand.id, w),
    current,
    previous,
    lastWeek,
    volume: {
      vsPrevious: change(current.total, previous.total),
      vsLastWeek: lastWeek ? change(current.total, lastWeek.total) : undefined,
    },
    netChange: {
      vsPrevious: netChange(current.net, previous.net),
      vsLastWeek: lastWeek ? netChange(current.net, lastWeek.net) : undefined,
    },
    chart: chart(b.current, w),
    spikes: b.alerts
      .map((a) => ({
        id: a.id,
        kind: a.kind,
        ...statusAt(a, w.current.to),
        peakAfter: a.peak_at >= w.current.to,
        startedAt: a.started_at,
        peakAt: a.peak_at,
        peakValue: a.peak_value,
        baseline: a.baseline,
        url: `${baseUrl}/alerts/${a.id}`,
      }))
      .sort((x, y) => x.startedAt.localeCompare(y.startedAt)),
    waiting: {
      total: waitingItems.length,
      top: top(waitingItems, TOP_WAITING),
      // the same mentions as the count: negative, new or in progress, over the waiting window
      url:
        `${baseUrl}/mentions?brand=${b.brand.id}&sentiment=negative&status=open` +
        `&since=${encodeURIComponent(waitingSince(w))}&until=${encodeURIComponent(w.current.to)}`,
    },
    topPositive: top(positives, TOP_POSITIVE),
    topSources: [...sources]
      .map(([name, count]) => ({ name, count }))
      .sort((x, y) => y.count - x.count || x.name.localeCompare(y.name))
      .slice(0, TOP_SOURCES),
  }
}

/** Pure: the digest's numbers, lists and chart from the loaded rows. */
export function buildDigest(input: DigestInput): Digest {
  const w = input.windows
  const brands = input.brands.map((b) => buildBrandDigest(b, w, input.baseUrl))
  return {
    kind: w.kind,
    lang: input.lang,
    timezone: w.timezone,
    period: { date: w.current.date, from: w.current.from, to: w.current.to },
    baseUrl: input.baseUrl,
    brands,
    totals: {
      mentions: brands.reduce((s, b) => s + b.current.total, 0),
      negative: brands.reduce((s, b) => s + b.current.negative, 0),
      waiting: brands.reduce((s, b) => s + b.waiting.total, 0),
      spikes: brands.reduce((s, b) => s + b.spikes.length, 0),
    },
  }
}
