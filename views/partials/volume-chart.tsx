// Volume over time stacked by sentiment, as server-rendered SVG (no chart library): one <rect>
// per bucket and label, open alerts drawn as shaded bands with a marker, and the same figures as
// a table for screen readers and for anyone who prefers numbers.
import type { AlertRow } from '../../db/alerts'
import { bucketIndex, type Bucket, type RangeSpec } from '../../db/stats'
import { localParts } from '../../server/digest-period'
import type { ViewCtx } from '../view-context'

const W = 720
const H = 220
const PAD = { l: 40, r: 8, t: 10, b: 26 }

/** A round axis maximum (1, 2, 5 × 10^k) at or above the tallest bar. */
export function niceMax(n: number): number {
  if (n <= 5) return 5
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

// Building an Intl formatter costs far more than using one: keep them per locale, zone and size.
const formatters = new Map<string, Intl.DateTimeFormat>()

function format(v: ViewCtx, tz: string, kind: string, opts: Intl.DateTimeFormatOptions, d: Date) {
  const key = `${v.locale}|${tz}|${kind}`
  let f = formatters.get(key)
  if (!f)
    formatters.set(
      key,
      (f = new Intl.DateTimeFormat(v.locale === 'fr' ? 'fr-FR' : 'en-GB', {
        ...opts,
        timeZone: tz,
      })),
    )
  return f.format(d)
}

export function bucketLabel(v: ViewCtx, tz: string, spec: RangeSpec, d: Date): string {
  return spec.bucketHours === 1
    ? format(v, tz, 'hour', { hour: '2-digit', minute: '2-digit' }, d)
    : spec.bucketHours < 24
      ? // with its date: the first and the last day of a week share a weekday
        format(
          v,
          tz,
          'weekday-hour',
          { weekday: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
          d,
        )
      : spec.bucketHours === 24
        ? format(v, tz, 'day', { day: 'numeric', month: 'short' }, d)
        : v.t('dash.weekOf', { date: format(v, tz, 'day', { day: 'numeric', month: 'short' }, d) })
}

const compact = new Map<string, Intl.NumberFormat>()

/**
 * A value on the vertical axis: in full up to 9,999, compact beyond ("100 k", "1,5 M"), since the
 * axis has room for about five characters (a busy brand's "100 000" lost its first digits). The
 * tooltips and the table keep the full figures.
 */
export function axisNumber(v: Pick<ViewCtx, 'locale' | 'fmt'>, n: number): string {
  if (n < 10_000) return v.fmt.number(n)
  let f = compact.get(v.locale)
  if (!f)
    compact.set(
      v.locale,
      (f = new Intl.NumberFormat(v.locale === 'fr' ? 'fr-FR' : 'en-GB', {
        notation: 'compact',
        maximumFractionDigits: 1,
      })),
    )
  return f.format(n)
}

interface Tick {
  text: string
  x: number
  anchor: 'start' | 'middle' | 'end'
}

/**
 * The axis labels: about eight, evenly spaced, each under the middle of its bar; on the 7-day
 * chart one a day, naming the day ("lun. 16") and starting where the day does, under its midnight
 * bar (today's, when it has only just begun, ends at the chart's edge rather than past it), while
 * each bar keeps its hour in its tooltip and the table.
 */
function axisTicks(
  v: ViewCtx,
  tz: string,
  spec: RangeSpec,
  labels: string[],
  starts: Date[],
  bar: { width: number; gap: number },
): Tick[] {
  const ticks: Tick[] = []
  if (spec.bucketHours !== 6) {
    const every = Math.ceil(labels.length / 8)
    for (let i = 0; i < labels.length; i += every) {
      // a week is named by its Monday's date under the axis ("16 nov."), in full in its tooltip
      const text =
        spec.bucketHours === 168
          ? format(v, tz, 'day', { day: 'numeric', month: 'short' }, starts[i])
          : labels[i]
      ticks.push({ text, x: PAD.l + i * bar.width + bar.width / 2, anchor: 'middle' })
    }
    return ticks
  }
  starts.forEach((d, i) => {
    if (localParts(d, tz).h !== 0) return
    const text = format(v, tz, 'weekday-day', { weekday: 'short', day: 'numeric' }, d)
    ticks.push(
      i < starts.length - 2
        ? { text, x: PAD.l + i * bar.width + bar.gap / 2, anchor: 'start' }
        : { text, x: W - PAD.r, anchor: 'end' },
    )
  })
  return ticks
}

export function VolumeChart(props: {
  v: ViewCtx
  tz: string
  spec: RangeSpec
  series: Bucket[]
  alerts: AlertRow[]
}) {
  const { v, spec, series } = props
  const labels = series.map((b) => bucketLabel(v, props.tz, spec, b.start))
  const max = niceMax(Math.max(0, ...series.map((b) => b.pos + b.neu + b.neg)))
  const iw = W - PAD.l - PAD.r
  const ih = H - PAD.t - PAD.b
  const bw = iw / series.length
  const gap = Math.min(2, bw * 0.15)
  const y = (n: number) => PAD.t + ih - (n / max) * ih
  // An instant's place: its bar, and how far into it. Bars are drawn the same width but a local
  // day may last 23 or 25 hours and today's bar is not over yet, so a straight time scale would
  // put an alert's band over the next day's bar.
  const starts = series.map((b) => b.start)
  const x = (t: number) => {
    const i = Math.max(0, bucketIndex(starts, t))
    const start = starts[i]?.getTime() ?? spec.from.getTime()
    const end = starts[i + 1]?.getTime() ?? spec.to.getTime()
    const frac = Math.min(1, Math.max(0, (t - start) / (end - start)))
    return PAD.l + (i + frac) * (starts.length ? bw : iw)
  }
  const ticks = axisTicks(v, props.tz, spec, labels, starts, { width: bw, gap })
  const total = series.reduce((a, b) => a + b.n, 0)
  const peak = series.reduce((a, b) => (b.n > a.n ? b : a), series[0])
  const neg = series.reduce((a, b) => a + b.neg, 0)
  // each figure takes its own plural ("1 mention, dont 0 négative")
  const summary = v.t('dash.chartSummary', {
    mentions: v.t('common.nMentions', { count: total, n: v.fmt.number(total) }),
    negatives: v.t('common.nOfThemNegative', { count: neg, n: v.fmt.number(neg) }),
    peak: peak ? labels[series.indexOf(peak)] : '—',
  })
  const parts = [
    ['neg', 'negative'],
    ['neu', 'neutral'],
    ['pos', 'positive'],
  ] as const
  return (
    <figure class="chart">
      <div class="chart-scroll">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} class="volume">
          {[0, 0.5, 1].map((f) => (
            <g class="grid">
              <line x1={PAD.l} x2={W - PAD.r} y1={y(max * f)} y2={y(max * f)} />
              <text x={PAD.l - 6} y={y(max * f) + 4} text-anchor="end">
                {axisNumber(v, max * f)}
              </text>
            </g>
          ))}
          {props.alerts.map((a) => {
            const start = Math.max(Date.parse(a.started_at), spec.from.getTime())
            const end = Math.min(
              Math.max(
                Date.parse(a.last_abnormal_at) + a.window_minutes * 60_000,
                start + 3600_000,
              ),
              spec.to.getTime(),
            )
            return (
              // a shortcut for the pointer (app.js follows data-href): a link inside role=img
              // would be a keyboard stop a screen reader cannot name (axe: nested-interactive);
              // the same alerts are links in the list under the chart
              <g class="alert-band" data-href={`/alerts/${a.id}`}>
                <title>{`${v.t('dash.alert')}${v.t('common.colon')}${a.brand_name} · ${v.fmt.dateTime(a.started_at)}`}</title>
                <rect x={x(start)} y={PAD.t} width={Math.max(3, x(end) - x(start))} height={ih} />
                <path d={`M${x(start)} ${PAD.t} l6 0 l-6 9 z`} class="alert-mark" />
              </g>
            )
          })}
          {series.map((b, i) => {
            let acc = 0
            return (
              <g>
                <title>{`${labels[i]} — ${v.t('sentiment.negative')} ${b.neg}, ${v.t('sentiment.neutral')} ${b.neu}, ${v.t('sentiment.positive')} ${b.pos}`}</title>
                {parts.map(([k, cls]) => {
                  const n = b[k]
                  if (!n) return null
                  const y0 = y(acc)
                  acc += n
                  return (
                    <rect
                      class={`bar-${cls}`}
                      x={PAD.l + i * bw + gap / 2}
                      width={Math.max(1, bw - gap)}
                      y={y(acc)}
                      height={Math.max(0.5, y0 - y(acc))}
                    />
                  )
                })}
              </g>
            )
          })}
          {ticks.map((tick) => (
            <text class="tick" x={tick.x} text-anchor={tick.anchor} y={H - 8}>
              {tick.text}
            </text>
          ))}
        </svg>
      </div>
      <figcaption class="legend">
        <span class="key key-negative">{v.t('sentiment.negative')}</span>
        <span class="key key-neutral">{v.t('sentiment.neutral')}</span>
        <span class="key key-positive">{v.t('sentiment.positive')}</span>
        {props.alerts.length ? <span class="key key-alert">{v.t('dash.alert')}</span> : null}
      </figcaption>
      <details class="chart-data">
        <summary>{v.t('dash.asTable')}</summary>
        {/* four columns do not fit 320 px: they scroll in their box rather than get cut off */}
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{v.t('dash.period')}</th>
                <th scope="col" class="num">
                  {v.t('sentiment.negative')}
                </th>
                <th scope="col" class="num">
                  {v.t('sentiment.neutral')}
                </th>
                <th scope="col" class="num">
                  {v.t('sentiment.positive')}
                </th>
              </tr>
            </thead>
            <tbody>
              {series.map((b, i) => (
                <tr>
                  <th scope="row">{labels[i]}</th>
                  <td class="num">{v.fmt.number(b.neg)}</td>
                  <td class="num">{v.fmt.number(b.neu)}</td>
                  <td class="num">{v.fmt.number(b.pos)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
