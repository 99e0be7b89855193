// The mention feed: one partial rendered inside the page and returned alone to htmx requests
// (filters, "load more", live arrivals, triage). Mention text is untrusted: it only ever goes
// through escaping; matches are wrapped in <mark> by views/highlight.tsx. A card is an html``
// template rather than JSX — hono's html`` escapes every interpolated value as JSX does, at a
// third of the cost, and the feed draws 30 to 50 cards a page.
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import { STATUSES, type MentionRow } from '../../db/mentions'
import { SentimentBadge } from '../components'
import { highlightHtml } from '../highlight'
import { searchWords } from '../../server/text'
import { may, type ViewCtx } from '../view-context'

export function excerpt(text: string, max = 320): string {
  return text.length > max ? text.slice(0, max).replace(/\s+\S*$/, '') + '…' : text
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return ''
  }
}

/**
 * The language a mention is written in, for the lang attribute of its title and text: without it
 * a screen reader reads an English post on a French page with a French voice (and the reverse).
 * 'other' (not identified) and anything that is not a language tag (the ingest API takes what it
 * is sent) claim nothing.
 */
export function textLang(lang: string | null | undefined): string | undefined {
  return lang && lang !== 'other' && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)
    ? lang
    : undefined
}

const languageNames = new Map<string, Intl.DisplayNames>()

/** "fr" read as "Français" / "French" in the page's language; a code Intl does not know as is. */
export function languageLabel(v: Pick<ViewCtx, 't' | 'locale'>, lang: string): string {
  if (lang === 'other') return v.t('feed.langOther')
  let names = languageNames.get(v.locale)
  if (!names)
    languageNames.set(v.locale, (names = new Intl.DisplayNames([v.locale], { type: 'language' })))
  let name: string | undefined
  try {
    name = textLang(lang) && names.of(lang)
  } catch {
    name = undefined
  }
  return name && name !== lang ? name.charAt(0).toLocaleUpperCase(v.locale) + name.slice(1) : lang
}

export function matchedTerms(m: Pick<MentionRow, 'matched_terms'>): string[] {
  try {
    const t = JSON.parse(m.matched_terms || '[]')
    return Array.isArray(t) ? t.map(String) : []
  } catch {
    return []
  }
}

export function StatusTag(props: { v: ViewCtx; status: string }) {
  const text = props.v.t(`triage.status.${props.status as 'new'}`)
  return html`<span class="status st-${props.status}">${text}</span>`
}

export function MentionItem(props: {
  v: ViewCtx
  m: MentionRow
  /** Words typed in the search box, highlighted alongside the brand terms that matched. */
  q?: string
  engagement?: number
  selectable?: boolean
  /** ticked: a bulk action redraws its cards still selected, for the next action */
  selected?: boolean
  /** the first of a page "Load more" brought: keyboard focus moves to it */
  focus?: boolean
}) {
  const { v, m } = props
  const label = m.manual_label ?? m.sentiment_label
  const terms = matchedTerms(m)
  // each word searched for is marked wherever it is (not the box's text as one phrase)
  const words = [...terms, ...(props.q ? searchWords(props.q).include : [])]
  const host = hostOf(m.url)
  const edge = m.sentiment_scored || m.manual_label ? label : 'unscored'
  const selectLabel = v.t('triage.select', { id: m.id })
  // triage controls only for those the policy lets triage (a viewer reads)
  const triage = may(v, 'POST', `/mentions/${m.id}/triage`)
  const select =
    props.selectable && triage
      ? html`<input type="checkbox" name="ids" value="${m.id}" form="bulk" class="select" aria-label="${selectLabel}"${props.selected ? html` checked` : ''}/>`
      : ''
  const badge = SentimentBadge({
    v,
    label,
    scored: !!m.sentiment_scored,
    score: m.sentiment_score,
    manual: !!m.manual_label,
  })
  const where = `${m.source_name}${host ? ` · ${host}` : ''}${m.author ? ` · ${v.t('mentions.by')} ${m.author}` : ''}`
  const assignee = m.assignee ? html`<span class="meta assignee">→ ${m.assignee}</span>` : ''
  const engagement =
    props.engagement === undefined
      ? ''
      : html`<span class="meta">${v.t('feed.engagement')}${v.t('common.colon')}${v.fmt.number(props.engagement)}</span>`
  const head = html`<div class="mention-head">${select}${badge}<span class="brand-tag">${m.brand_name}</span><span class="meta">${where}</span><time datetime="${m.published_at}" class="meta">${v.fmt.dateTime(m.published_at)}</time><span class="lang-tag" title="${v.t('feed.language')}">${m.lang}</span>${StatusTag({ v, status: m.status })}${assignee}${engagement}</div>`

  const code = textLang(m.lang)
  const lang = code ? html` lang="${code}"` : ''
  const title = m.title ? highlightHtml(m.title, words) : null
  const heading = !title
    ? ''
    : m.url
      ? html`<h3 class="mention-title"${lang}><a href="${m.url}" target="_blank" rel="noopener noreferrer nofollow">${title}</a></h3>`
      : html`<h3 class="mention-title"${lang}>${title}</h3>`
  const body =
    m.text && m.text !== m.title
      ? html`<p class="mention-text"${lang}>${highlightHtml(excerpt(m.text), words)}</p>`
      : ''

  const termList = terms.length
    ? html`<p class="terms"><span class="sr-only">${v.t('mentions.matched')}${v.t('common.colon')}</span>${terms.map((t) => html`<span class="term">${t}</span>`)}</p>`
    : ''
  const action = `/mentions/${m.id}/triage`
  const q = props.q ? html`<input type="hidden" name="q" value="${props.q}"/>` : ''
  // the card comes back as it was: with its checkbox in the feed, its engagement on the dashboard
  const card = html`${props.selectable ? html`<input type="hidden" name="selectable" value="1"/>` : ''}${props.engagement === undefined ? '' : html`<input type="hidden" name="engagement" value="${props.engagement}"/>`}`
  const options = STATUSES.map(
    (s) =>
      html`<option value="${s}"${m.status === s ? html` selected=""` : ''}>${v.t(`triage.status.${s}`)}</option>`,
  )
  // delay: keyboard users move through a closed select with the arrows, one change per step;
  // the status is saved once they stop, not at every option they pass
  const form = !triage
    ? ''
    : html`<form class="quick" method="post" action="${action}" hx-post="${action}" hx-target="closest li" hx-swap="outerHTML" hx-trigger="change delay:700ms"><input type="hidden" name="view" value="item"/>${q}${card}<label class="sr-only" for="st-${m.id}">${v.t('triage.status')}</label><select id="st-${m.id}" name="status">${options}</select><noscript><button class="btn" type="submit">OK</button></noscript></form>`
  const open = html`<a class="open" href="/mentions/${m.id}">${v.t('feed.details')}<span class="sr-only"> #${m.id}</span></a>`

  return html`<li class="mention s-edge-${edge}" id="m-${m.id}" tabindex="-1"${props.focus ? html` autofocus=""` : ''} data-href="/mentions/${m.id}">${head}${heading}${body}<div class="mention-foot">${termList}${form}${open}</div></li>`
}

export function MentionList(props: {
  v: ViewCtx
  rows: MentionRow[]
  nextUrl: string | null
  append?: boolean
  q?: string
  selectable?: boolean
}) {
  const { v, rows } = props
  const items = rows.map((m, i) => (
    <MentionItem
      v={v}
      m={m}
      q={props.q}
      selectable={props.selectable}
      focus={props.append && i === 0}
    />
  ))
  const more = props.nextUrl ? (
    <li class="load-more">
      <button
        type="button"
        class="btn"
        hx-get={props.nextUrl}
        hx-target="closest li"
        hx-swap="outerHTML"
      >
        {v.t('common.loadMore')}
      </button>
    </li>
  ) : null
  // "Load more" replaces its own <li> with the next items and the next button.
  if (props.append)
    return (
      <>
        {items}
        {more}
      </>
    )
  return (
    <ul class="mentions" id="mention-list">
      {rows.length ? items : <li class="empty">{v.t('mentions.none')}</li>}
      {more}
    </ul>
  )
}

/**
 * The live pill: polls for mentions stored after the watermark and, when there are some, offers
 * to insert them at the top — the list never moves by itself under the reader. It replaces itself
 * at each poll, so the page wraps it in a LiveRegion that stays.
 */
export function LivePill(props: { v: ViewCtx; after: number; count: number; query: string }) {
  const { v } = props
  const qs = `${props.query ? props.query + '&' : ''}after=${props.after}`
  return (
    <div
      id="live"
      class="live"
      hx-get={`/mentions/live?${qs}`}
      hx-trigger="every 10s"
      hx-swap="outerHTML"
    >
      {props.count ? (
        <button
          type="button"
          class="btn btn-primary pill"
          hx-get={`/mentions/arrivals?${qs}`}
          hx-target="#mention-list"
          hx-swap="afterbegin"
        >
          {props.count >= 100
            ? v.t('feed.newMany')
            : props.count === 1
              ? v.t('feed.newOne')
              : v.t('feed.newN', { n: props.count })}
        </button>
      ) : null}
    </div>
  )
}

/**
 * The polite live region around the live pill: it stays in the page while the pill inside is
 * replaced, so a screen reader announces '3 new mentions' (a region swapped in whole at each
 * poll is, for a screen reader, a new region, and its content is often never read).
 */
export function LiveRegion(props: { children: Child }) {
  return (
    <div class="live-region" aria-live="polite">
      {props.children}
    </div>
  )
}
