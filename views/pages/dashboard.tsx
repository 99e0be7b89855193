// The dashboard: an onboarding guide while Vigie is empty, then the overview a communications
// team keeps open all day — volume by sentiment with open alerts on the chart, net sentiment and
// its change, negative share, what awaits an answer, share of voice, top sources and domains,
// the most engaged mentions, recurring words in negative mentions, and agreement with the team.
import { raw } from 'hono/html'
import type { Brand } from '../../db/schema'
import { netSentiment, RANGES, type Range } from '../../db/stats'
import type { Overview } from '../../server/overview'
import { Layout } from '../layout'
import { MentionItem } from '../partials/mention-list'
import { VolumeChart } from '../partials/volume-chart'
import type { ViewCtx } from '../view-context'

export interface DashboardData {
  brandCount: number
  sourceCount: number
  mentionCount: number
  failingSources: number
}

function Onboarding(props: { v: ViewCtx; d: DashboardData }) {
  const { v, d } = props
  const step = (
    done: boolean,
    n: number,
    text: string,
    action?: { href: string; label: string },
  ) => (
    <li class={done ? 'done' : ''}>
      <span class="step-n" aria-hidden="true">
        {done ? '✓' : n}
      </span>
      <span>{text}</span>
      {!done && action ? (
        <a class="btn btn-primary" href={action.href}>
          {action.label}
        </a>
      ) : null}
    </li>
  )
  const admin = v.user?.role === 'admin'
  const first = admin ? 2 : 1
  return (
    <section class="card onboarding" aria-labelledby="welcome">
      <h1 id="welcome">{v.t('onboarding.title')}</h1>
      <p>{v.t('onboarding.intro')}</p>
      <ol class="steps">
        {/* the administrator's account guards Vigie like the brand's own social accounts */}
        {admin
          ? step(!!v.user?.totpEnabled, 1, v.t('onboarding.step2fa'), {
              href: '/account/2fa',
              label: v.t('onboarding.enable2fa'),
            })
          : null}
        {step(d.brandCount > 0, first, v.t('onboarding.step1'), {
          href: '/brands/new',
          label: v.t('onboarding.addBrand'),
        })}
        {step(d.sourceCount > 0, first + 1, v.t('onboarding.step2'), {
          href: '/sources/new',
          label: v.t('onboarding.addSource'),
        })}
        {step(d.mentionCount > 0, first + 2, v.t('onboarding.step3'))}
      </ol>
      {d.brandCount > 0 && d.sourceCount > 0 ? (
        <p class="muted">{v.t('onboarding.waiting')}</p>
      ) : null}
      <p class="muted">
        {v.t('onboarding.demo')} <code>npm run demo</code>
      </p>
    </section>
  )
}

// Intl formatters are costly to build and cheap to use: one per locale and style.
const numberFormats = new Map<string, Intl.NumberFormat>()
function nf(v: ViewCtx, style: 'percent' | 'signed'): Intl.NumberFormat {
  const key = `${v.locale}|${style}`
  let f = numberFormats.get(key)
  if (!f) {
    const tag = v.locale === 'fr' ? 'fr-FR' : 'en-GB'
    f =
      style === 'percent'
        ? new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 })
        : new Intl.NumberFormat(tag, { signDisplay: 'exceptZero', maximumFractionDigits: 0 })
    numberFormats.set(key, f)
  }
  return f
}

const pct = (v: ViewCtx, x: number) => nf(v, 'percent').format(x)
// the typographic minus, as the digest writes it: Intl gives a hyphen ("-60")
const signed = (v: ViewCtx, x: number) => nf(v, 'signed').format(x).replace('-', '\u2212')

/** Change against the previous period, with a word for screen readers and colour-blind readers. */
function Delta(props: {
  v: ViewCtx
  now: number
  before: number
  unit?: 'pts' | '%'
  goodUp?: boolean
}) {
  const { v } = props
  if (props.unit === 'pts') {
    const d = Math.round((props.now - props.before) * 100)
    if (!d) return <span class="delta flat">{v.t('dash.stable')}</span>
    const good = props.goodUp === undefined ? null : d > 0 === props.goodUp
    return (
      <span class={`delta ${good === null ? '' : good ? 'good' : 'bad'}`}>
        {d > 0 ? '▲' : '▼'} {v.t('dash.points', { n: v.fmt.number(Math.abs(d)) })}
      </span>
    )
  }
  if (!props.before) return <span class="delta flat">{v.t('dash.noPrevious')}</span>
  const r = (props.now - props.before) / props.before
  if (Math.abs(r) < 0.005) return <span class="delta flat">{v.t('dash.stable')}</span>
  const good = props.goodUp === undefined ? null : r > 0 === props.goodUp
  return (
    <span class={`delta ${good === null ? '' : good ? 'good' : 'bad'}`}>
      {/* Intl's per cent: '66%' in English, '66 %' with a no-break space in French */}
      {r > 0 ? '▲' : '▼'} {pct(v, Math.abs(r))}
    </span>
  )
}

export function OverviewView(props: {
  v: ViewCtx
  tz: string
  o: Overview
  brands: Brand[]
  range: Range
  failingSources: number
}) {
  const { v, o } = props
  const b = o.brandId ? `brand=${o.brandId}&` : ''
  // the figures' own window (whole hours), so that each link lists exactly what its figure counts
  const since = `since=${encodeURIComponent(o.spec.from.toISOString())}&until=${encodeURIComponent(o.spec.to.toISOString())}`
  const net = netSentiment(o.current)
  const netPrev = netSentiment(o.previous)
  const negShare = o.current.n ? o.current.neg / o.current.n : 0
  const negSharePrev = o.previous.n ? o.previous.neg / o.previous.n : 0
  const shareTotal = o.share.reduce((a, s) => a + s.n, 0)
  const url = (brand: number | undefined, range: Range) =>
    `/?${brand ? `brand=${brand}&` : ''}range=${range}`
  const rangeLabel = v.t(`dash.range.${props.range}`)
  return (
    <div
      id="overview"
      hx-get={url(o.brandId, props.range)}
      hx-trigger="every 60s"
      hx-select="#overview"
      hx-target="this"
      hx-swap="outerMorph"
    >
      <div class="page-head">
        <h1>{v.t('dash.title')}</h1>
        <nav class="segmented" aria-label={v.t('dash.rangeLabel')}>
          {RANGES.map((r) => (
            <a href={url(o.brandId, r)} aria-current={r === props.range ? 'true' : undefined}>
              {v.t(`dash.range.${r}`)}
            </a>
          ))}
        </nav>
      </div>
      <nav class="brand-tabs" aria-label={v.t('dash.brandLabel')}>
        <a href={url(undefined, props.range)} aria-current={!o.brandId ? 'true' : undefined}>
          {v.t('dash.allBrands')}
        </a>
        {props.brands.map((br) => (
          <a href={url(br.id, props.range)} aria-current={o.brandId === br.id ? 'true' : undefined}>
            {br.name}
          </a>
        ))}
      </nav>

      <section class="tiles" aria-label={v.t('dash.keyFigures')}>
        <a class="tile" href={`/mentions?${b}${since}`}>
          <span class="tile-l">{v.t('dash.mentions', { range: rangeLabel })}</span>
          <span class="tile-n">{v.fmt.number(o.current.n)}</span>
          <Delta v={v} now={o.current.n} before={o.previous.n} />
        </a>
        <div class={`tile${net !== null && net < 0 ? ' tile-neg' : ''}`}>
          <span class="tile-l">{v.t('dash.net')}</span>
          <span class="tile-n">{net === null ? '—' : signed(v, Math.round(net * 100))}</span>
          {net !== null && netPrev !== null ? (
            <Delta v={v} now={net} before={netPrev} unit="pts" goodUp />
          ) : (
            <span class="delta flat">{v.t('dash.noPrevious')}</span>
          )}
        </div>
        <a
          class={`tile${negShare >= 0.3 ? ' tile-neg' : ''}`}
          href={`/mentions?${b}${since}&sentiment=negative`}
        >
          <span class="tile-l">{v.t('dash.negShare')}</span>
          <span class="tile-n">{pct(v, negShare)}</span>
          {o.previous.n ? (
            <Delta v={v} now={negShare} before={negSharePrev} unit="pts" goodUp={false} />
          ) : (
            // no mention before: a share of nothing is not 0 %, there is nothing to compare with
            <span class="delta flat">{v.t('dash.noPrevious')}</span>
          )}
        </a>
        <a
          class={`tile${o.current.negOpen ? ' tile-warn' : ''}`}
          href={`/mentions?${b}${since}&sentiment=negative&status=open`}
        >
          {/* what the digest's figure counts too: negative, new or in progress */}
          <span class="tile-l">{v.t('dash.awaiting')}</span>
          <span class="tile-n">{v.fmt.number(o.current.negOpen)}</span>
          <span class="delta flat">{v.t('dash.awaitingHelp', { range: rangeLabel })}</span>
        </a>
        {props.failingSources ? (
          <a class="tile tile-warn" href="/sources">
            <span class="tile-l">{v.t('dash.sourcesFailing')}</span>
            <span class="tile-n">{v.fmt.number(props.failingSources)}</span>
          </a>
        ) : null}
      </section>

      <section class="card" aria-labelledby="volume-h">
        <h2 id="volume-h">{v.t('dash.volume')}</h2>
        <VolumeChart v={v} tz={props.tz} spec={o.spec} series={o.series} alerts={o.alerts} />
        {o.alerts.length ? (
          <ul class="chart-alerts">
            {o.alerts.map((a) => (
              <li>
                <a href={`/alerts/${a.id}`}>
                  ⚠ {a.brand_name} — {v.fmt.dateTime(a.started_at)}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <div class="grid-2">
        {!o.brandId && o.share.length > 1 ? (
          <section class="card" aria-labelledby="sov-h">
            <h2 id="sov-h">{v.t('dash.shareOfVoice')}</h2>
            <ul class="bars">
              {o.share.map((s) => (
                <li>
                  <a href={url(s.brandId, props.range)}>{s.name}</a>
                  <span class="bar" aria-hidden="true">
                    <span style={`width:${((s.n / shareTotal) * 100).toFixed(1)}%`} />
                  </span>
                  <span class="num">
                    {pct(v, s.n / shareTotal)} · {v.fmt.number(s.n)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section class="card" aria-labelledby="src-h">
          <h2 id="src-h">{v.t('dash.topSources')}</h2>
          {o.sources.length ? (
            <ol class="ranked">
              {o.sources.map((s) => (
                <li>
                  <a href={`/mentions?${b}${since}&source=${s.sourceId}`}>{s.name}</a>
                  <span class="num">
                    {v.fmt.number(s.n)}
                    {s.neg ? (
                      <span class="neg-n"> · {v.t('dash.negN', { n: v.fmt.number(s.neg) })}</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p class="muted">{v.t('dash.nothing')}</p>
          )}
          <h3>{v.t('dash.topDomains')}</h3>
          {o.domains.length ? (
            <ol class="ranked">
              {o.domains.map((d) => (
                <li>
                  <a
                    class="domain"
                    href={`/mentions?${b}${since}&domain=${encodeURIComponent(d.domain)}`}
                  >
                    {/* a long name breaks before a dot, not mid-word ("news.ycombinator.examp / le") */}
                    {d.domain.split('.').map((part, i) => (i ? [<wbr />, `.${part}`] : part))}
                  </a>
                  <span class="num">
                    {v.fmt.number(d.n)}
                    {d.neg ? (
                      <span class="neg-n"> · {v.t('dash.negN', { n: v.fmt.number(d.neg) })}</span>
                    ) : null}
                  </span>
                </li>
              ))}
            </ol>
          ) : (
            <p class="muted">{v.t('dash.nothing')}</p>
          )}
        </section>
        <section class="card" aria-labelledby="terms-h">
          <h2 id="terms-h">{v.t('dash.negTerms')}</h2>
          {o.negTerms.length ? (
            <ul class="chips">
              {o.negTerms.map((t) => (
                <li>
                  <a
                    href={`/mentions?${b}${since}&sentiment=negative&q=${encodeURIComponent(t.term)}`}
                  >
                    {t.term} <span class="chip-n">{v.fmt.number(t.n)}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{v.t('dash.nothing')}</p>
          )}
          <h3>{v.t('dash.agreement')}</h3>
          {o.agreement.n ? (
            <p class="agreement">
              {v.t('dash.agreementRight')}{' '}
              <strong>{pct(v, o.agreement.agreed / o.agreement.n)}</strong>{' '}
              {v.t('dash.agreementOf', { n: v.fmt.number(o.agreement.n) })}
              {o.agreement.byLang.length > 1
                ? ' — ' +
                  o.agreement.byLang
                    .map((l) => `${l.lang} ${pct(v, l.agreed / l.n)} (n = ${v.fmt.number(l.n)})`)
                    .join(', ')
                : ''}
            </p>
          ) : (
            <p class="muted">{v.t('dash.agreementNone')}</p>
          )}
          <p class="muted small">{v.t('dash.agreementHow')}</p>
        </section>
      </div>

      <section aria-labelledby="engaged-h">
        <h2 id="engaged-h">{v.t('dash.engaged')}</h2>
        {o.engaged.length ? (
          <ul class="mentions">
            {o.engaged.map((m) => (
              <MentionItem v={v} m={m} engagement={m.engagement} />
            ))}
          </ul>
        ) : (
          <p class="muted">{v.t('dash.nothing')}</p>
        )}
      </section>
    </div>
  )
}

export function DashboardPage(props: {
  v: ViewCtx
  d: DashboardData
  /** The rendered OverviewView (rendered once per data version and locale, see the route). */
  overviewHtml?: string
}) {
  const { v, d } = props
  if (!d.brandCount || !d.sourceCount || !d.mentionCount || props.overviewHtml === undefined)
    return (
      <Layout v={v} title={v.t('dash.title')}>
        <Onboarding v={v} d={d} />
      </Layout>
    )
  return (
    <Layout v={v} title={v.t('dash.title')}>
      {raw(props.overviewHtml)}
    </Layout>
  )
}
