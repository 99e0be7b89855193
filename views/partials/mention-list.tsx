// The mention feed: one partial rendered inside the page and returned alone to htmx requests
// (filters, "load more"). Mention text is untrusted: it only ever goes through JSX escaping.
import type { MentionRow } from '../../db/mentions'
import { SentimentBadge } from '../components'
import type { ViewCtx } from '../view-context'

function excerpt(text: string, max = 320): string {
  return text.length > max ? text.slice(0, max).replace(/\s+\S*$/, '') + '…' : text
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return ''
  }
}

export function MentionItem(props: { v: ViewCtx; m: MentionRow }) {
  const { v, m } = props
  const label = m.manual_label ?? m.sentiment_label
  const terms: string[] = JSON.parse(m.matched_terms || '[]')
  return (
    <li
      class={`mention s-edge-${m.sentiment_scored || m.manual_label ? label : 'unscored'}`}
      id={`m-${m.id}`}
    >
      <div class="mention-head">
        <SentimentBadge
          v={v}
          label={label}
          scored={!!m.sentiment_scored}
          score={m.sentiment_score}
          manual={!!m.manual_label}
        />
        <span class="brand-tag">{m.brand_name}</span>
        <span class="meta">
          {m.source_name}
          {hostOf(m.url) ? ` · ${hostOf(m.url)}` : ''}
          {m.author ? ` · ${v.t('mentions.by')} ${m.author}` : ''}
        </span>
        <time datetime={m.published_at} class="meta">
          {v.fmt.dateTime(m.published_at)}
        </time>
        <span class="lang-tag" title="lang">
          {m.lang}
        </span>
      </div>
      {m.title ? (
        <h3 class="mention-title">
          {m.url ? (
            <a href={m.url} target="_blank" rel="noopener noreferrer nofollow">
              {m.title}
            </a>
          ) : (
            m.title
          )}
        </h3>
      ) : null}
      {m.text && m.text !== m.title ? <p class="mention-text">{excerpt(m.text)}</p> : null}
      {terms.length ? (
        <p class="terms">
          <span class="sr-only">{v.t('mentions.matched')}: </span>
          {terms.map((term) => (
            <mark>{term}</mark>
          ))}
        </p>
      ) : null}
    </li>
  )
}

export function MentionList(props: {
  v: ViewCtx
  rows: MentionRow[]
  nextUrl: string | null
  append?: boolean
}) {
  const { v, rows } = props
  const items = rows.map((m) => <MentionItem v={v} m={m} />)
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
    <ul class="mentions" id="mention-list" aria-live="polite">
      {rows.length ? items : <li class="empty">{v.t('mentions.none')}</li>}
      {more}
    </ul>
  )
}
