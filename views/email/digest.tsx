// The digest e-mail, rendered from the data built by server/digest.ts: an HTML part made of
// tables with inline styles (what Outlook, Gmail and Apple Mail agree on: no external images,
// no scripts, no <style> the client might drop) and a plain-text part saying the same.
// Mention text is untrusted: it only ever reaches the HTML through JSX escaping.
import { translator, type T } from '../i18n'
import {
  WAITING_DAYS,
  type BrandDigest,
  type Change,
  type Digest,
  type MentionItem,
  type SpikeItem,
} from '../../server/digest'
import { addDays } from '../../server/digest-period'
import { textLang } from '../partials/mention-list'

const C = {
  ink: '#1f2328',
  muted: '#57606a',
  line: '#d0d7de',
  bg: '#f6f8fa',
  card: '#ffffff',
  pos: '#1a7f37',
  neu: '#8c959f',
  neg: '#cf222e',
  bar: '#6e7781',
  link: '#0b5cad',
  accent: '#0b5cad',
}
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"

export interface EmailLinks {
  unsubscribe?: string
  /** the recipients page, for a recipient who administers Vigie */
  manage?: string
}

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

function tag(lang: 'fr' | 'en') {
  return lang === 'fr' ? 'fr-FR' : 'en-GB'
}

function fmt(d: Digest) {
  const locale = tag(d.lang)
  const num = new Intl.NumberFormat(locale)
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
  const short = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  })
  const weekdayName = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' })
  const time = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: d.timezone,
  })
  const dayTime = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: d.timezone,
  })
  const utcDay = (date: string) => new Date(`${date}T12:00:00Z`)
  return {
    n: (x: number) => num.format(x),
    day: (date: string) => day.format(utcDay(date)),
    short: (date: string) => short.format(utcDay(date)),
    weekday: (date: string) => weekdayName.format(utcDay(date)),
    at: (iso: string) =>
      iso >= d.period.from && iso < d.period.to
        ? time.format(new Date(iso))
        : dayTime.format(new Date(iso)),
  }
}

/** "▲ +12 %", "▼ −3 pts", "= stable", or "new" when there was nothing to compare with. */
export function arrow(
  c: Change | null | undefined,
  t: T,
  unit: 'pct' | 'pts',
  n: (x: number) => string,
) {
  if (!c) return '—'
  if (c.dir === 'flat') return `= ${t('digest.noChange')}`
  const sign = c.diff > 0 ? '+' : '−'
  const mark = c.dir === 'up' ? '▲' : '▼'
  if (unit === 'pts') return `${mark} ${sign}${n(Math.abs(c.diff))} ${t('digest.points')}`
  if (c.pct === null) return `${mark} ${t('digest.noBase')}`
  return `${mark} ${sign}${t('digest.percent', { n: n(Math.abs(c.pct)) })}`
}

export function netLabel(net: number | null, n: (x: number) => string): string {
  if (net === null) return '—'
  const v = Math.round(net * 100)
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${n(Math.abs(v))}`
}

function heading(d: Digest, t: T, f: ReturnType<typeof fmt>) {
  return d.kind === 'weekly'
    ? t('digest.headingWeekly', { date: f.day(d.period.date) })
    : t('digest.headingDaily', { date: f.day(d.period.date) })
}

export function digestSubject(d: Digest): string {
  const t = translator(d.lang)
  const f = fmt(d)
  const vars = {
    date: d.kind === 'weekly' ? f.day(d.period.date) : f.day(d.period.date),
    mentions: t('common.nMentions', { count: d.totals.mentions, n: f.n(d.totals.mentions) }),
    waiting: f.n(d.totals.waiting),
    days: WAITING_DAYS,
  }
  return t(d.kind === 'weekly' ? 'digest.subjectWeekly' : 'digest.subjectDaily', vars)
}

/** The summary line above everything (and the inbox preview): each figure with its own plural. */
function preheader(d: Digest, t: T, n: (x: number) => string): string {
  const { mentions, negative, waiting } = d.totals
  return t('digest.preheader', {
    mentions: t('common.nMentions', { count: mentions, n: n(mentions) }),
    negative: t('common.nOfThemNegative', { count: negative, n: n(negative) }),
    waiting: t('digest.nNegatives', { count: waiting, n: n(waiting) }),
    days: WAITING_DAYS,
  })
}

// ---- HTML -------------------------------------------------------------------------------------

function A(props: { href: string; children: any; style?: string; lang?: string }) {
  return (
    <a
      href={props.href}
      lang={props.lang}
      style={`color:${C.link};text-decoration:underline;${props.style ?? ''}`}
    >
      {props.children}
    </a>
  )
}

function Kpi(props: { label: string; value: string; lines: string[]; color?: string }) {
  return (
    <td valign="top" width="33%" style={`padding:8px 6px;${FONT}`}>
      <div style={`font-size:12px;color:${C.muted};`}>{props.label}</div>
      <div style={`font-size:26px;line-height:32px;font-weight:700;color:${props.color ?? C.ink};`}>
        {props.value}
      </div>
      {props.lines.map((l) => (
        <div style={`font-size:12px;line-height:17px;color:${C.muted};`}>{l}</div>
      ))}
    </td>
  )
}

/** One-row table whose cell widths are the sentiment shares (renders everywhere, no images). */
function SplitBar(props: { b: BrandDigest; t: T; n: (x: number) => string }) {
  const { b, t, n } = props
  const parts = [
    { k: 'positive', v: b.current.positive, c: C.pos },
    { k: 'neutral', v: b.current.neutral + b.current.unscored, c: C.neu },
    { k: 'negative', v: b.current.negative, c: C.neg },
  ].filter((p) => p.v > 0)
  const total = parts.reduce((s, p) => s + p.v, 0)
  if (!total) return null
  return (
    <>
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0}>
        <tr>
          {parts.map((p) => (
            <td
              width={`${Math.max(1, Math.round((p.v / total) * 100))}%`}
              height="10"
              bgcolor={p.c}
              style={`background:${p.c};height:10px;font-size:0;line-height:0;`}
            >
              &nbsp;
            </td>
          ))}
        </tr>
      </table>
      <div style={`${FONT}font-size:12px;color:${C.muted};padding-top:4px;`}>
        <span style={`color:${C.pos};`}>■</span> {t('sentiment.positive')} {n(b.current.positive)}
        {'  '}
        <span style={`color:${C.neu};`}>■</span> {t('sentiment.neutral')}{' '}
        {n(b.current.neutral + b.current.unscored)}
        {'  '}
        <span style={`color:${C.neg};`}>■</span> {t('sentiment.negative')} {n(b.current.negative)}
      </div>
    </>
  )
}

const CHART_H = 56

/** Vertical bars as table cells with a height and a background colour. */
function Chart(props: { b: BrandDigest; d: Digest; t: T; f: ReturnType<typeof fmt> }) {
  const { b, d, t, f } = props
  const max = Math.max(1, ...b.chart.map((x) => x.total))
  const px = (v: number) => (v ? Math.max(2, Math.round((v / max) * CHART_H)) : 0)
  const label = (key: string, i: number) =>
    d.kind === 'daily'
      ? i % 6 === 0
        ? d.lang === 'fr'
          ? `${key}h`
          : `${key}:00`
        : ''
      : f.short(key)
  const cell = (h: number, color: string) =>
    h ? (
      <tr>
        <td
          height={String(h)}
          bgcolor={color}
          style={`background:${color};height:${h}px;font-size:0;line-height:0;`}
        >
          &nbsp;
        </td>
      </tr>
    ) : null
  return (
    <>
      <div style={`${FONT}font-size:12px;color:${C.muted};padding:14px 0 6px;`}>
        {t(d.kind === 'weekly' ? 'digest.chartWeekly' : 'digest.chartDaily')}
      </div>
      <table
        role="presentation"
        width="100%"
        cellpadding="0"
        cellspacing="0"
        border={0}
        style="table-layout:fixed;"
      >
        <tr>
          {b.chart.map((bar) => {
            const total = px(bar.total)
            const neg = bar.negative ? Math.max(2, Math.round((bar.negative / max) * CHART_H)) : 0
            const rest = Math.max(0, total - neg)
            return (
              <td
                valign="bottom"
                height={String(CHART_H)}
                style={`padding:0 1px;height:${CHART_H}px;`}
              >
                <table
                  role="presentation"
                  width="100%"
                  cellpadding="0"
                  cellspacing="0"
                  border={0}
                  title={`${bar.key}: ${bar.total}`}
                >
                  {cell(rest, C.bar)}
                  {cell(neg, C.neg)}
                  {!total ? cell(1, C.line) : null}
                </table>
              </td>
            )
          })}
        </tr>
        <tr>
          {b.chart.map((bar, i) => (
            <td
              align={d.kind === 'daily' ? 'left' : 'center'}
              style={`${FONT}font-size:10px;line-height:14px;color:${C.muted};white-space:nowrap;overflow:visible;padding-top:2px;`}
            >
              {label(bar.key, i)}
            </td>
          ))}
        </tr>
      </table>
    </>
  )
}

function SectionTitle(props: { children: any }) {
  return (
    <div
      style={`${FONT}font-size:14px;font-weight:700;color:${C.ink};padding:18px 0 6px;border-top:1px solid ${C.line};margin-top:16px;`}
    >
      {props.children}
    </div>
  )
}

/** "source · author · engagement" under a mention, in the HTML and the text part alike */
function mentionMeta(m: MentionItem, t: T, n: (x: number) => string): string {
  return [
    m.source,
    m.author,
    m.engagement ? t('digest.engagement', { n: n(m.engagement) }) : '',
    m.copies > 1 ? t('digest.copies', { n: n(m.copies) }) : '',
  ]
    .filter(Boolean)
    .join(' · ')
}

/** A spike's status at the period's end (and since), and its peak, in the HTML and text alike. */
function spikeWords(s: SpikeItem, t: T, f: ReturnType<typeof fmt>) {
  const at = t(`digest.status.${s.status}`)
  const status = s.since
    ? t('digest.statusThen', { status: at, since: t(`digest.since.${s.since}`) })
    : at
  const vars = {
    value: f.n(Math.round(s.peakValue)),
    time: f.at(s.peakAt),
    baseline: f.n(Math.round(s.baseline)),
  }
  const peak = s.peakAfter
    ? t('digest.peakAfter', { ...vars, start: f.at(s.startedAt) })
    : t('digest.peak', vars)
  return { status, peak }
}

function Item(props: { m: MentionItem; t: T; n: (x: number) => string; color: string }) {
  const { m, t, n } = props
  const meta = mentionMeta(m, t, n)
  // an English post in a French e-mail is read with an English voice (and the reverse)
  const lang = textLang(m.lang)
  return (
    <tr>
      <td
        style={`${FONT}padding:8px 0 8px 10px;border-left:3px solid ${props.color};font-size:14px;line-height:20px;color:${C.ink};`}
      >
        {m.url ? (
          <A href={m.url} style="font-weight:600;" lang={lang}>
            {m.title}
          </A>
        ) : (
          <strong lang={lang}>{m.title}</strong>
        )}
        {m.excerpt ? (
          <div
            style={`font-size:13px;line-height:18px;color:${C.ink};padding-top:2px;`}
            lang={lang}
          >
            {m.excerpt}
          </div>
        ) : null}
        <div style={`font-size:12px;color:${C.muted};padding-top:2px;`}>{meta}</div>
      </td>
    </tr>
  )
}

function ItemList(props: { items: MentionItem[]; t: T; n: (x: number) => string; color: string }) {
  return (
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0}>
      {props.items.map((m, i) => (
        <>
          {i ? (
            <tr>
              <td height="6" style="height:6px;font-size:0;line-height:0;">
                &nbsp;
              </td>
            </tr>
          ) : null}
          <Item m={m} t={props.t} n={props.n} color={props.color} />
        </>
      ))}
    </table>
  )
}

function BrandSection(props: { b: BrandDigest; d: Digest; t: T; f: ReturnType<typeof fmt> }) {
  const { b, d, t, f } = props
  const n = f.n
  const weekly = d.kind === 'weekly'
  const vsPrev = t(weekly ? 'digest.vsPreviousWeek' : 'digest.vsPrevious')
  const vsLast = t('digest.vsLastWeek', { day: f.weekday(addDays(d.period.date, -7)) })
  const netColor =
    b.current.net === null ? C.ink : b.current.net > 0 ? C.pos : b.current.net < 0 ? C.neg : C.ink
  return (
    <table
      role="presentation"
      width="100%"
      cellpadding="0"
      cellspacing="0"
      border={0}
      bgcolor={C.card}
      style={`background:${C.card};border:1px solid ${C.line};border-radius:8px;margin:0 0 16px;`}
    >
      <tr>
        <td style={`padding:16px 16px 18px;${FONT}`}>
          <h2 style={`margin:0 0 6px;font-size:20px;line-height:26px;color:${C.ink};${FONT}`}>
            <A href={b.url} style={`color:${C.ink};text-decoration:none;`}>
              {b.name}
            </A>
          </h2>
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border={0}>
            <tr>
              <Kpi
                label={t('digest.mentions')}
                value={n(b.current.total)}
                lines={[
                  `${arrow(b.volume.vsPrevious, t, 'pct', n)} ${vsPrev}`,
                  ...(b.volume.vsLastWeek
                    ? [`${arrow(b.volume.vsLastWeek, t, 'pct', n)} ${vsLast}`]
                    : []),
                ]}
              />
              <Kpi
                label={t('digest.net')}
                value={netLabel(b.current.net, n)}
                color={netColor}
                lines={[
                  `${arrow(b.netChange.vsPrevious, t, 'pts', n)} ${vsPrev}`,
                  ...(b.lastWeek
                    ? [`${arrow(b.netChange.vsLastWeek, t, 'pts', n)} ${vsLast}`]
                    : []),
                ]}
              />
              <Kpi
                label={t('digest.waiting')}
                value={n(b.waiting.total)}
                color={b.waiting.total ? C.neg : C.pos}
                lines={[t('digest.waitingHelp', { days: WAITING_DAYS })]}
              />
            </tr>
          </table>
          {b.current.total ? (
            <>
              <div style="padding-top:8px;">
                <SplitBar b={b} t={t} n={n} />
              </div>
              <Chart b={b} d={d} t={t} f={f} />
            </>
          ) : (
            <p style={`${FONT}font-size:14px;color:${C.muted};margin:10px 0 0;`}>
              {t('digest.noMentions')}
            </p>
          )}
          {b.spikes.length ? (
            <>
              <SectionTitle>{t('digest.spikes')}</SectionTitle>
              {b.spikes.map((s) => {
                const w = spikeWords(s, t, f)
                return (
                  <div
                    style={`${FONT}font-size:14px;line-height:20px;color:${C.ink};padding:3px 0;`}
                  >
                    <A href={s.url}>{t(`digest.spike.${s.kind}`)}</A>{' '}
                    <span
                      style={`color:${s.status === 'resolved' ? C.pos : C.neg};font-weight:600;`}
                    >
                      ({w.status})
                    </span>
                    <div style={`font-size:12px;color:${C.muted};`}>{w.peak}</div>
                  </div>
                )
              })}
            </>
          ) : null}
          <SectionTitle>{t('digest.waitingTitle')}</SectionTitle>
          {b.waiting.total ? (
            <>
              <ItemList items={b.waiting.top} t={t} n={n} color={C.neg} />
              <div style={`${FONT}font-size:14px;padding-top:10px;`}>
                <A href={b.waiting.url}>{t('digest.waitingAll', { n: n(b.waiting.total) })} →</A>
              </div>
            </>
          ) : (
            <div style={`${FONT}font-size:14px;color:${C.muted};`}>{t('digest.noneWaiting')}</div>
          )}
          {b.topPositive.length ? (
            <>
              <SectionTitle>{t('digest.positives')}</SectionTitle>
              <ItemList items={b.topPositive} t={t} n={n} color={C.pos} />
            </>
          ) : null}
          {b.topSources.length ? (
            <>
              <SectionTitle>{t('digest.sources')}</SectionTitle>
              <div style={`${FONT}font-size:14px;line-height:22px;color:${C.ink};`}>
                {b.topSources.map((s, i) => (
                  <>
                    {i ? ' · ' : ''}
                    {s.name} <strong>{n(s.count)}</strong>
                  </>
                ))}
              </div>
            </>
          ) : null}
        </td>
      </tr>
    </table>
  )
}

export function DigestEmail(props: { d: Digest; links: EmailLinks; test?: boolean }) {
  const { d, links } = props
  const t = translator(d.lang)
  const f = fmt(d)
  const pre = preheader(d, t, f.n)
  return (
    <html lang={d.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{digestSubject(d)}</title>
      </head>
      <body style={`margin:0;padding:0;background:${C.bg};`}>
        <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{pre}</div>
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          border={0}
          bgcolor={C.bg}
          style={`background:${C.bg};`}
        >
          <tr>
            <td align="center" style="padding:16px 8px;">
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                border={0}
                style="width:100%;max-width:600px;"
              >
                {props.test ? (
                  <tr>
                    <td
                      style={`${FONT}background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;font-size:13px;color:${C.ink};`}
                    >
                      {t('digest.testBanner')}
                    </td>
                  </tr>
                ) : null}
                <tr>
                  <td style={`${FONT}padding:8px 4px 14px;`}>
                    <div
                      style={`font-size:13px;font-weight:700;color:${C.accent};letter-spacing:.04em;`}
                    >
                      ◉ VIGIE
                    </div>
                    <h1
                      style={`margin:4px 0 0;font-size:22px;line-height:28px;color:${C.ink};${FONT}`}
                    >
                      {heading(d, t, f)}
                    </h1>
                    <div style={`font-size:14px;color:${C.muted};padding-top:4px;`}>{pre}</div>
                  </td>
                </tr>
                <tr>
                  <td>
                    {d.brands.length ? (
                      d.brands.map((b) => <BrandSection b={b} d={d} t={t} f={f} />)
                    ) : (
                      <p style={`${FONT}font-size:14px;color:${C.muted};`}>
                        {t('digest.noBrands')}
                      </p>
                    )}
                  </td>
                </tr>
                <tr>
                  <td style={`${FONT}padding:4px 4px 16px;font-size:14px;`}>
                    <A href={`${d.baseUrl}/`}>{t('digest.openDashboard')}</A>
                  </td>
                </tr>
                <tr>
                  <td
                    style={`${FONT}padding:12px 4px;border-top:1px solid ${C.line};font-size:12px;line-height:18px;color:${C.muted};`}
                  >
                    {t('digest.footer')}{' '}
                    {/* the times above ("peak at 21:40") are Vigie's zone's, maybe not the reader's */}
                    {t('common.timeZone', { tz: d.timezone })}
                    <br />
                    {links.unsubscribe ? (
                      <A href={links.unsubscribe} style={`color:${C.muted};`}>
                        {t('digest.unsubscribe')}
                      </A>
                    ) : null}
                    {links.unsubscribe && links.manage ? ' · ' : null}
                    {links.manage ? (
                      <A href={links.manage} style={`color:${C.muted};`}>
                        {t('digest.manage')}
                      </A>
                    ) : null}
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  )
}

export async function renderDigestHtml(
  d: Digest,
  links: EmailLinks,
  test = false,
): Promise<string> {
  const body = await (<DigestEmail d={d} links={links} test={test} />).toString()
  return `<!doctype html>${body}`
}

// ---- text -------------------------------------------------------------------------------------

/** The same content as plain text (mention text already stripped of control characters). */
export function renderDigestText(d: Digest, links: EmailLinks, test = false): string {
  const t = translator(d.lang)
  const f = fmt(d)
  const n = f.n
  const out: string[] = []
  if (test) out.push(`[${t('digest.testBanner')}]`, '')
  const h = heading(d, t, f)
  out.push(h, '='.repeat(Math.min(h.length, 72)), '')
  out.push(preheader(d, t, n), '')
  if (!d.brands.length) out.push(t('digest.noBrands'), '')
  const c = t('common.colon')
  const sc = t('common.semicolon')
  const weekly = d.kind === 'weekly'
  const vsPrev = t(weekly ? 'digest.vsPreviousWeek' : 'digest.vsPrevious')
  const vsLast = t('digest.vsLastWeek', { day: f.weekday(addDays(d.period.date, -7)) })
  const mention = (m: MentionItem) => {
    out.push(`- ${m.title}`)
    if (m.excerpt) out.push(`  ${m.excerpt}`)
    const meta = mentionMeta(m, t, n)
    out.push(`  ${meta}`)
    if (m.url) out.push(`  ${m.url}`)
  }
  for (const b of d.brands) {
    out.push(`## ${b.name}`, '')
    out.push(
      `${t('digest.mentions')}${c}${n(b.current.total)}  (${arrow(b.volume.vsPrevious, t, 'pct', n)} ${vsPrev}${
        b.volume.vsLastWeek ? `${sc}${arrow(b.volume.vsLastWeek, t, 'pct', n)} ${vsLast}` : ''
      })`,
    )
    out.push(
      `${t('digest.net')}${c}${netLabel(b.current.net, n)}  (${arrow(b.netChange.vsPrevious, t, 'pts', n)} ${vsPrev}${
        b.lastWeek ? `${sc}${arrow(b.netChange.vsLastWeek, t, 'pts', n)} ${vsLast}` : ''
      })`,
    )
    out.push(
      `${t('digest.waiting')}${c}${n(b.waiting.total)} (${t('digest.waitingHelp', { days: WAITING_DAYS })})`,
    )
    if (b.current.total) {
      out.push(
        `${t('digest.split')}${c}${t('sentiment.positive')} ${n(b.current.positive)} · ${t('sentiment.neutral')} ${n(
          b.current.neutral + b.current.unscored,
        )} · ${t('sentiment.negative')} ${n(b.current.negative)}`,
      )
      const max = Math.max(1, ...b.chart.map((x) => x.total))
      const peak = b.chart.reduce((a, x) => (x.total > a.total ? x : a), b.chart[0])
      if (peak && peak.total)
        out.push(
          `${t(weekly ? 'digest.chartWeeklyText' : 'digest.chartDailyText')}${c}${b.chart
            .map((x) => ' ▁▂▃▄▅▆▇█'[Math.ceil((x.total / max) * 8)])
            .join('')}`,
        )
    } else out.push(t('digest.noMentions'))
    out.push(`${t('digest.open')}${c}${b.url}`, '')
    if (b.spikes.length) {
      out.push(`### ${t('digest.spikes')}`)
      for (const s of b.spikes) {
        const w = spikeWords(s, t, f)
        out.push(`- ${t(`digest.spike.${s.kind}`)} (${w.status}), ${w.peak}`, `  ${s.url}`)
      }
      out.push('')
    }
    out.push(`### ${t('digest.waitingTitle')}`)
    if (b.waiting.total) {
      b.waiting.top.forEach(mention)
      out.push(`${t('digest.waitingAll', { n: n(b.waiting.total) })}${c}${b.waiting.url}`)
    } else out.push(t('digest.noneWaiting'))
    out.push('')
    if (b.topPositive.length) {
      out.push(`### ${t('digest.positives')}`)
      b.topPositive.forEach(mention)
      out.push('')
    }
    if (b.topSources.length) {
      out.push(`### ${t('digest.sources')}`)
      out.push(b.topSources.map((s) => `${s.name} ${n(s.count)}`).join(' · '), '')
    }
  }
  out.push(
    `${t('digest.openDashboard')}${c}${d.baseUrl}/`,
    '',
    '-- ',
    `${t('digest.footer')} ${t('common.timeZone', { tz: d.timezone })}`,
  )
  if (links.unsubscribe) out.push(`${t('digest.unsubscribe')}${c}${links.unsubscribe}`)
  if (links.manage) out.push(`${t('digest.manage')}${c}${links.manage}`)
  return out.join('\n') + '\n'
}

export async function renderDigestEmail(
  d: Digest,
  links: EmailLinks,
  test = false,
): Promise<RenderedEmail> {
  return {
    subject: (test ? `[${translator(d.lang)('digest.testBanner')}] ` : '') + digestSubject(d),
    html: await renderDigestHtml(d, links, test),
    text: renderDigestText(d, links, test),
  }
}
