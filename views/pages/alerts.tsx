// The alerts pages: the list (active or all, with each brand's sensitivity), an alert's detail
// (peak, baseline, sources, terms, sample mentions, deliveries) and the alert card both share,
// which is also the htmx fragment returned after acknowledging or resolving.
import { parseSummary, type AlertRow } from '../../db/alerts'
import type { DeliveryRow } from '../../db/deliveries'
import { SentimentBadge, TechnicalDetail } from '../components'
import { deliveryProblem } from '../delivery-error'
import type { Fmt, T } from '../i18n'
import type { Dict } from '../i18n/fr'
import { Layout } from '../layout'
import { textLang } from '../partials/mention-list'
import { may, type ViewCtx } from '../view-context'

export interface SampleMention {
  id: number
  url: string
  title: string
  text: string
  author: string | null
  published_at: string
  lang: string
  source_name: string
  label: string
  scored: boolean
  manual: boolean
  engagement: number
  /** mentions behind the alert with this wording (1: no copies) */
  copies: number
  /** triage status: an answered one is not offered an answer again */
  status: string
}

const k = (s: string) => s as keyof Dict

/**
 * A level of an alert over its window, as its card and its chat messages show the peak and the
 * expected level: "60 en 120 min" (a count, to a tenth), or "35 % négatives en 120 min" (a
 * sentiment dip's share of negative mentions).
 */
export function alertLevel(
  t: T,
  fmt: Fmt,
  a: Pick<AlertRow, 'kind' | 'window_minutes'>,
  value: number,
): string {
  return a.kind === 'sentiment_dip'
    ? t('alerts.peakShare', { value: fmt.number(Math.round(value)), window: a.window_minutes })
    : t('alerts.peakValue', {
        value: fmt.number(Math.round(value * 10) / 10),
        window: a.window_minutes,
      })
}

/** The person behind an action; nobody signed in (no access layer) reads as "someone". */
function who(v: ViewCtx, by: string | null): string {
  return !by || by === 'anonymous' ? v.t('alerts.someone') : by
}

function Lifecycle(props: { v: ViewCtx; a: AlertRow }) {
  const { v, a } = props
  return (
    <p class="small muted">
      {a.acknowledged_at
        ? v.t('alerts.ackBy', {
            who: who(v, a.acknowledged_by),
            when: v.fmt.relative(a.acknowledged_at, v.now),
          })
        : null}
      {a.acknowledged_at && a.resolved_at ? ' · ' : null}
      {a.resolved_at
        ? a.resolved_by
          ? v.t('alerts.resolvedBy', {
              who: who(v, a.resolved_by),
              when: v.fmt.relative(a.resolved_at, v.now),
            })
          : v.t('alerts.resolvedAuto', { when: v.fmt.relative(a.resolved_at, v.now) })
        : null}
    </p>
  )
}

export function AlertCard(props: {
  v: ViewCtx
  a: AlertRow
  /** the mentions behind it: the link, and how many it lists now */
  mentions: { href: string; count: number }
  detail?: boolean
  /** swapped in after an action: keyboard focus moves to its new status */
  focus?: boolean
}) {
  const { v, a } = props
  const s = parseSummary(a)
  const peak = alertLevel(v.t, v.fmt, a, a.peak_value)
  return (
    <article class={`card alert-card a-edge-${a.status}`} id={`alert-${a.id}`}>
      <div class="alert-head">
        <span
          class={`badge a-${a.status}`}
          tabindex={props.focus ? -1 : undefined}
          autofocus={props.focus}
        >
          {v.t(k(`alerts.status.${a.status}`))}
        </span>{' '}
        <span class="brand-tag">{a.brand_name}</span>{' '}
        <h2 class="alert-title">
          {props.detail ? (
            v.t(k(`alerts.kind.${a.kind}`))
          ) : (
            <a href={`/alerts/${a.id}`}>{v.t(k(`alerts.kind.${a.kind}`))}</a>
          )}
        </h2>
      </div>
      <dl class="kv">
        <dt>{v.t('alerts.peak')}</dt>
        <dd>
          <strong>{peak}</strong> <span class="muted">· {v.fmt.dateTime(a.peak_at)}</span>
        </dd>
        <dt>{v.t('alerts.baseline')}</dt>
        <dd>{alertLevel(v.t, v.fmt, a, a.baseline)}</dd>
        <dt>{v.t('alerts.started')}</dt>
        <dd>
          {v.fmt.dateTime(a.started_at)}{' '}
          <span class="muted">({v.fmt.relative(a.started_at, v.now)})</span>
        </dd>
        <dt>{v.t('alerts.lastAbnormal')}</dt>
        <dd>{v.fmt.dateTime(a.last_abnormal_at)}</dd>
        {s.sources.length ? (
          <>
            <dt>{v.t('alerts.sources')}</dt>
            <dd>{s.sources.map((x) => `${x.name} (${x.count})`).join(', ')}</dd>
          </>
        ) : null}
        {s.terms.length ? (
          <>
            <dt>{v.t('alerts.terms')}</dt>
            <dd class="terms">
              {s.terms.map((t) => (
                <mark>{t}</mark>
              ))}
            </dd>
          </>
        ) : null}
      </dl>
      <Lifecycle v={v} a={a} />
      <div
        class="alert-actions"
        hx-target:inherited="closest .alert-card"
        hx-swap:inherited="outerHTML"
      >
        <a class="btn btn-small" href={props.mentions.href}>
          {v.t('alerts.seeMentions')} ({v.fmt.number(props.mentions.count)})
        </a>
        {a.status === 'open' && may(v, 'POST', `/alerts/${a.id}/ack`) ? (
          <form method="post" action={`/alerts/${a.id}/ack`} hx-post={`/alerts/${a.id}/ack`}>
            <button class="btn btn-small btn-primary" type="submit">
              {v.t('alerts.acknowledge')}
            </button>
          </form>
        ) : null}
        {a.status !== 'resolved' && may(v, 'POST', `/alerts/${a.id}/resolve`) ? (
          <form
            method="post"
            action={`/alerts/${a.id}/resolve`}
            hx-post={`/alerts/${a.id}/resolve`}
          >
            <button class="btn btn-small" type="submit">
              {v.t('alerts.resolve')}
            </button>
          </form>
        ) : null}
      </div>
    </article>
  )
}

export interface BrandSensitivity {
  id: number
  name: string
  sensitivity: string
}

export function AlertsPage(props: {
  v: ViewCtx
  alerts: { a: AlertRow; mentions: { href: string; count: number } }[]
  status: 'active' | 'all'
  brands: BrandSensitivity[]
  /** brands no alert can open for yet (server/alerts.ts learningBrands) */
  learning?: { id: number; name: string; until: string | null }[]
  saved?: boolean
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('alerts.title')}>
      <div class="page-head">
        <h1>{v.t('alerts.title')}</h1>
      </div>
      <p class="muted">{v.t('alerts.intro')}</p>
      <form class="filters" method="get" action="/alerts">
        <div class="field">
          <label for="alert-status">{v.t('alerts.filter.status')}</label>
          <select id="alert-status" name="status">
            <option value="active" selected={props.status === 'active'}>
              {v.t('alerts.filter.active')}
            </option>
            <option value="all" selected={props.status === 'all'}>
              {v.t('alerts.filter.all')}
            </option>
          </select>
        </div>
        <div class="actions">
          <button class="btn" type="submit">
            {v.t('common.filter')}
          </button>
        </div>
      </form>
      {props.alerts.length ? (
        <div class="alert-list">
          {props.alerts.map(({ a, mentions }) => (
            <AlertCard v={v} a={a} mentions={mentions} />
          ))}
        </div>
      ) : (
        <p class="card empty">{v.t('alerts.none')}</p>
      )}
      {props.learning?.length ? (
        <section class="card" aria-labelledby="learning-title" id="learning">
          <h2 id="learning-title">{v.t('alerts.learning')}</h2>
          <p class="muted small">{v.t('alerts.learningHelp')}</p>
          <ul>
            {props.learning.map((b) => (
              <li>
                {b.until
                  ? v.t('alerts.learningUntil', {
                      brand: b.name,
                      when: v.fmt.dateTime(b.until),
                    })
                  : v.t('alerts.learningNoMention', { brand: b.name })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.brands.length && may(v, 'POST', '/alerts/sensitivity') ? (
        <section class="card" aria-labelledby="sens-title">
          <h2 id="sens-title">{v.t('alerts.sensitivity')}</h2>
          <p class="muted small">{v.t('alerts.sensitivityHelp')}</p>
          {props.saved ? (
            <p class="alert alert-ok" role="status" tabindex={-1} autofocus>
              {v.t('alerts.sensSaved')}
            </p>
          ) : null}
          <ul class="sens-list">
            {props.brands.map((b) => (
              <li>
                <form method="post" action="/alerts/sensitivity" class="sens-form">
                  <input type="hidden" name="brand" value={String(b.id)} />
                  {props.status === 'all' ? (
                    <input type="hidden" name="status" value="all" />
                  ) : null}
                  <label for={`sens-${b.id}`}>{b.name}</label>
                  <select id={`sens-${b.id}`} name="sensitivity">
                    {(['fewer', 'balanced', 'more'] as const).map((p) => (
                      <option value={p} selected={b.sensitivity === p}>
                        {v.t(`alerts.sens.${p}`)}
                      </option>
                    ))}
                  </select>
                  <button class="btn btn-small" type="submit">
                    {v.t('common.save')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  )
}

export function AlertDetailPage(props: {
  v: ViewCtx
  a: AlertRow
  mentions: { href: string; count: number }
  samples: SampleMention[]
  deliveries: DeliveryRow[]
}) {
  const { v, a } = props
  return (
    <Layout v={v} title={`${a.brand_name} · ${v.t(k(`alerts.kind.${a.kind}`))}`}>
      <p class="small">
        <a href="/alerts">← {v.t('alerts.title')}</a>
      </p>
      <h1>
        {a.brand_name} · {v.t(k(`alerts.kind.${a.kind}`))}
      </h1>
      <AlertCard v={v} a={a} mentions={props.mentions} detail />
      {props.samples.length ? (
        <section aria-labelledby="samples-title">
          <h2 id="samples-title">{v.t('alerts.samples')}</h2>
          <ul class="mentions">
            {props.samples.map((m) => (
              <li class={`mention s-edge-${m.label}`}>
                <div class="mention-head">
                  <SentimentBadge v={v} label={m.label} scored={m.scored} manual={m.manual} />
                  <span class="meta muted small">
                    {m.source_name}
                    {m.author ? ` · ${m.author}` : ''} · {v.fmt.dateTime(m.published_at)}
                    {m.engagement
                      ? ` · ${v.t('digest.engagement', { n: v.fmt.number(m.engagement) })}`
                      : ''}
                    {m.copies > 1 ? ` · ${v.t('alerts.copies', { n: m.copies })}` : ''}
                  </span>
                </div>
                <p class="mention-title" lang={textLang(m.lang)}>
                  <a href={m.url} rel="noopener noreferrer nofollow" target="_blank">
                    {m.title || (m.text.length > 140 ? `${m.text.slice(0, 140)}…` : m.text)}
                  </a>
                </p>
                {/* Social posts have no title: their text already stands as the link. */}
                {m.title && !m.text.startsWith(m.title.slice(0, 40)) ? (
                  <p class="mention-text" lang={textLang(m.lang)}>
                    {m.text.length > 280 ? `${m.text.slice(0, 280)}…` : m.text}
                  </p>
                ) : null}
                {/* triage and the four-eyes answer live on the mention's own page */}
                <p class="small">
                  {m.status === 'answered' ? (
                    <span class="status st-answered">{v.t('triage.status.answered')}</span>
                  ) : null}{' '}
                  <a href={`/mentions/${m.id}#answer-panel`}>
                    {/* a viewer reads the mention; answering is for responders */}
                    {may(v, 'POST', `/mentions/${m.id}/answer`) && m.status !== 'answered'
                      ? v.t('answers.open')
                      : v.t('feed.details')}
                    <span class="sr-only"> #{m.id}</span>
                  </a>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{v.t('alerts.deliveries')}</h2>
        {props.deliveries.length ? (
          <DeliveryList v={v} rows={props.deliveries} showChannel />
        ) : (
          <p class="muted">{v.t('alerts.noDeliveries')}</p>
        )}
      </section>
    </Layout>
  )
}

export function DeliveryList(props: { v: ViewCtx; rows: DeliveryRow[]; showChannel?: boolean }) {
  const { v } = props
  return (
    <ul class="delivery-list">
      {props.rows.map((d) => (
        <li class="delivery">
          <span class={`badge d-${d.status}`}>{v.t(k(`delivery.status.${d.status}`))}</span>{' '}
          {props.showChannel ? <strong>{d.channel_name}</strong> : null}{' '}
          <span>{v.t(k(`delivery.event.${d.event}`))}</span>{' '}
          {!props.showChannel && d.alert_id ? (
            <a class="small" href={`/alerts/${d.alert_id}`}>
              {v.t('delivery.alertRef', { id: d.alert_id })}
            </a>
          ) : null}{' '}
          <span class="muted small">
            {v.fmt.relative(d.sent_at ?? d.created_at, v.now)} ·{' '}
            {v.t('delivery.attempts', { n: d.attempts })}
            {d.status === 'pending' && d.attempts
              ? ` · ${v.t('delivery.nextAttempt', { when: v.fmt.relative(d.next_attempt_at, v.now) })}`
              : ''}
          </span>
          {d.last_error && d.status !== 'sent' ? (
            <p class="error-text small">
              {v.t(k(`delivery.problem.${deliveryProblem(d.last_error)}`))}
              <br />
              <TechnicalDetail v={v} text={d.last_error} />
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  )
}
