// The dashboard's chart in Montréal: one bar per local day, labelled with that day, and an
// open alert's band over the bar of the day it started (the bars are the same width although a
// day around a DST change lasts 23 or 25 hours and today's is not over).
import { describe, expect, it } from 'vitest'
import type { AlertRow } from '../../db/alerts'
import { rangeSpec, type RangeSpec } from '../../db/stats'
import { formatter, frenchSpacing, translator } from '../../views/i18n'
import { axisNumber, VolumeChart } from '../../views/partials/volume-chart'
import type { ViewCtx } from '../../views/view-context'

const tz = 'America/Toronto'
const now = new Date('2026-11-23T02:48:00Z') // Sunday 22 November, 21:48 in Montréal
const v = {
  t: translator('fr'),
  fmt: formatter('fr', tz),
  locale: 'fr',
  now,
  path: '/',
  here: '/',
  user: { id: 1, email: 'x@y.example', name: 'X', role: 'viewer' },
} as ViewCtx

/** One bar per bucket of the range, each holding `neutral` neutral mentions. */
const flat = (spec: RangeSpec, neutral: number) =>
  spec.buckets.map((start) => ({
    start,
    n: neutral,
    pos: 0,
    neu: neutral,
    neg: 0,
    open: 0,
    negOpen: 0,
  }))

function render(startedAt: string) {
  const spec = rangeSpec('30d', now, tz)
  const series = flat(spec, 0)
  const alert = {
    id: 7,
    brand_name: 'Telvia',
    started_at: startedAt,
    last_abnormal_at: startedAt,
    window_minutes: 60,
  } as AlertRow
  const out = String(VolumeChart({ v, tz, spec, series, alerts: [alert] }))
  const rows = [...out.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1])
  const band = /<g class="alert-band"[^>]*>.*?<rect x="([\d.]+)"/s.exec(out)
  // the chart's inner width and left padding (volume-chart.tsx): 720 − 40 − 8, 40
  const bw = (720 - 48) / series.length
  const barOf = (x: number) => Math.floor((x - 40) / bw)
  return { rows, bar: band ? rows[barOf(Number(band[1]))] : undefined }
}

describe('30-day chart in a time zone', () => {
  it('labels the bars with the local days, today last', () => {
    const { rows } = render('2026-11-22T17:00:00Z')
    expect(rows).toHaveLength(30)
    expect(rows[0]).toBe('24 oct.')
    expect(rows.at(-1)).toBe('22 nov.')
  })

  it.each([
    ['2026-11-23T01:10:00Z', '22 nov.'], // this evening, 20:10
    ['2026-11-21T17:00:00Z', '21 nov.'], // yesterday at noon
    ['2026-11-21T04:30:00Z', '20 nov.'], // Friday 23:30
    ['2026-11-02T04:30:00Z', '1 nov.'], // 23:30 at the end of the 25-hour day
    ['2026-11-01T05:30:00Z', '1 nov.'], // 01:30 before the clocks went back
  ])('draws an alert started at %s over the bar of %s', (at, day) => {
    expect(render(at).bar).toBe(day)
  })

  // the band's tooltip is French text like the rest: a space before the colon
  it('names the alert in French typography', () => {
    const out = String(
      VolumeChart({
        v,
        tz,
        spec: rangeSpec('24h', now, tz),
        series: [],
        alerts: [
          {
            id: 7,
            brand_name: 'Telvia',
            started_at: '2026-11-23T01:10:00Z',
            last_abnormal_at: '2026-11-23T01:10:00Z',
            window_minutes: 60,
          } as AlertRow,
        ],
      }),
    )
    expect(out).toContain(
      frenchSpacing('<title>Alerte en cours : Telvia · 22 nov. 2026, 20:10</title>'),
    )
  })
})

describe('chart summary', () => {
  const bucket = (n: number, neg: number) => ({
    start: now,
    n,
    pos: 0,
    neu: n - neg,
    neg,
    open: 0,
    negOpen: 0,
  })
  it.each([
    ['fr', [bucket(1, 0)], '1 mention sur la période, dont 0 négative'],
    ['fr', [bucket(1, 1)], '1 mention sur la période, dont 1 négative'],
    ['fr', [bucket(1200, 2), bucket(34, 0)], '1 234 mentions sur la période, dont 2 négatives'],
    ['en', [bucket(1, 0)], '1 mention in the period, 0 of them negative'],
    ['en', [bucket(3, 2)], '3 mentions in the period, 2 of them negative'],
  ] as const)('%s %j: %s', (locale, series, want) => {
    const w = { ...v, t: translator(locale), fmt: formatter(locale, tz), locale } as ViewCtx
    const spec = rangeSpec('24h', now, tz)
    const out = String(VolumeChart({ v: w, tz, spec, series: [...series], alerts: [] }))
    expect(out.replace(/\u202f|\u00a0/g, ' ')).toContain(want)
  })
})

// The 7-day chart: 28 bars of 6 hours, one axis label a day under its midnight bar, naming the day;
// each bar's tooltip keeps its hour.
describe('7-day axis', () => {
  const render7 = (at: Date) => {
    const spec = rangeSpec('7d', at, tz)
    const series = flat(spec, 1)
    return String(VolumeChart({ v: { ...v, now: at }, tz, spec, series, alerts: [] }))
  }
  const ticks = (out: string) =>
    [...out.matchAll(/<text class="tick" x="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</g)].map(
      (m) => [m[3], m[2], Number(m[1])] as const,
    )

  it.each([
    // Sunday 22 Nov 21:48: the bars start on Monday 16 at 00:00, one label per day
    [now, ['lun. 16', 'mar. 17', 'mer. 18', 'jeu. 19', 'ven. 20', 'sam. 21', 'dim. 22']],
    // Monday 23 Nov 02:10: today has one bar so far; its label ends at the chart's edge
    [
      new Date('2026-11-23T07:10:00Z'),
      ['mar. 17', 'mer. 18', 'jeu. 19', 'ven. 20', 'sam. 21', 'dim. 22', 'lun. 23'],
    ],
  ] as const)('at %s', (at, days) => {
    const out = render7(at)
    const t = ticks(out)
    expect(t.map(([label]) => label)).toEqual(days)
    expect(t.slice(0, -1).every(([, anchor]) => anchor === 'start')).toBe(true)
    for (const [, , x] of t) expect(x).toBeLessThanOrEqual(720)
    expect(out).toContain('<title>dim. 22 18:00 — négatif 0, neutre 1, positif 0</title>')
  })
})

// The vertical axis has room for about five characters: a busy brand's "100 000" showed as
// "0 000". Beyond 9,999 the axis speaks compactly; tooltips and the table keep full figures.
describe('axisNumber', () => {
  const en = { locale: 'en', fmt: formatter('en', tz) } as const
  it.each([
    [v, 250, '250'],
    [v, 9999, frenchSpacing('9\u202f999')],
    [v, 50_000, '50\u00a0k'],
    [v, 100_000, '100\u00a0k'],
    [v, 1_500_000, '1,5\u00a0M'],
    [en, 9999, '9,999'],
    [en, 100_000, '100k'],
  ] as const)('%#: %i → %s', (ctx, n, text) => expect(axisNumber(ctx, n)).toBe(text))
})
