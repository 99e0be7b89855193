// The mentions feed page: filters that live in the URL, and the list partial.
import type { MentionRow } from '../../db/mentions'
import { Layout } from '../layout'
import { MentionList } from '../partials/mention-list'
import type { ViewCtx } from '../view-context'

export interface FeedFilters {
  brand?: string
  source?: string
  sentiment?: string
  q?: string
}

export function MentionFilters(props: {
  v: ViewCtx
  f: FeedFilters
  brands: { id: number; name: string }[]
  sources: { id: number; name: string }[]
}) {
  const { v, f } = props
  return (
    <form
      class="filters"
      method="get"
      action="/mentions"
      role="search"
      hx-get="/mentions"
      hx-target="#mention-list"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change, input delay:400ms"
    >
      <div class="field">
        <label for="f-q">{v.t('mentions.search')}</label>
        <input
          id="f-q"
          type="search"
          name="q"
          value={f.q ?? ''}
          placeholder={v.t('mentions.searchPlaceholder')}
        />
      </div>
      <div class="field">
        <label for="f-brand">{v.t('mentions.brand')}</label>
        <select id="f-brand" name="brand">
          <option value="">{v.t('common.all')}</option>
          {props.brands.map((b) => (
            <option value={String(b.id)} selected={f.brand === String(b.id)}>
              {b.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-source">{v.t('mentions.source')}</label>
        <select id="f-source" name="source">
          <option value="">{v.t('common.all')}</option>
          {props.sources.map((s) => (
            <option value={String(s.id)} selected={f.source === String(s.id)}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-sentiment">{v.t('mentions.sentiment')}</label>
        <select id="f-sentiment" name="sentiment">
          <option value="">{v.t('common.all')}</option>
          {(['negative', 'neutral', 'positive'] as const).map((s) => (
            <option value={s} selected={f.sentiment === s}>
              {v.t(`sentiment.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field actions">
        <button type="submit" class="btn">
          {v.t('common.filter')}
        </button>
        <a class="btn btn-link" href="/mentions">
          {v.t('common.reset')}
        </a>
      </div>
    </form>
  )
}

export function MentionsPage(props: {
  v: ViewCtx
  f: FeedFilters
  brands: { id: number; name: string }[]
  sources: { id: number; name: string }[]
  rows: MentionRow[]
  nextUrl: string | null
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('mentions.title')}>
      <h1>{v.t('mentions.title')}</h1>
      <MentionFilters v={v} f={props.f} brands={props.brands} sources={props.sources} />
      <MentionList v={v} rows={props.rows} nextUrl={props.nextUrl} />
    </Layout>
  )
}
