// The mentions feed page (filters that live in the URL, the live pill, bulk triage, the list
// partial) and the mention detail page (full text, engagement, triage form, mute, history).
import { collectors } from '../../collectors'
import type { Child } from 'hono/jsx'
import type { MentionRow } from '../../db/mentions'
import { STATUSES } from '../../db/mentions'
import type { MentionEvent } from '../../db/schema-triage'
import { RANGES, type Range } from '../../db/stats'
import {
  ErrorSummary,
  Field,
  FilterSelect,
  SentimentBadge,
  storedKindLabel,
  type FieldErrors,
} from '../components'
import { Highlight } from '../highlight'
import type { Dict } from '../i18n/fr'
import { Layout } from '../layout'
import {
  hostOf,
  LivePill,
  LiveRegion,
  matchedTerms,
  MentionList,
  StatusTag,
  textLang,
  languageLabel,
} from '../partials/mention-list'
import { may, type ViewCtx } from '../view-context'

export interface FeedFilters {
  brand?: string
  source?: string
  kind?: string
  sentiment?: string
  lang?: string
  status?: string
  author?: string
  assignee?: string
  domain?: string
  since?: string
  from?: string
  until?: string
  q?: string
}

export function MentionFilters(props: {
  v: ViewCtx
  f: FeedFilters
  brands: { id: number; name: string }[]
  sources: { id: number; name: string }[]
  kinds: string[]
  langs: string[]
  /** names mentions are assigned to (server: teamNames) */
  team: string[]
}) {
  const { v, f } = props
  const all = v.t('common.all')
  const advanced = !!(
    f.author ||
    f.assignee ||
    f.domain ||
    f.from ||
    f.until ||
    f.lang ||
    f.kind ||
    f.source
  )
  // An alert's "see the mentions" link narrows the feed to instants (since=…T17:25, until=…T20:00)
  // that neither the period menu nor a date picker can show: they get an option of their own, so
  // the window stays visible and survives the next change of filter instead of silently going.
  const sinceInstant = f.since && !RANGES.includes(f.since as Range) ? f.since : undefined
  const untilInstant = f.until && !/^\d{4}-\d{2}-\d{2}$/.test(f.until) ? f.until : undefined
  // a hand-typed look-back (since=2w) is shown as typed
  const shown = (s: string, label: (when: string) => string) =>
    Number.isNaN(Date.parse(s)) ? s : label(v.fmt.dateTime(s))
  const sinceOptions: [string, string][] = sinceInstant
    ? [[sinceInstant, shown(sinceInstant, (when) => v.t('feed.sinceInstant', { when }))]]
    : []
  return (
    <form
      class="filters"
      method="get"
      action="/mentions"
      role="search"
      hx-get="/mentions"
      hx-target="#feed"
      hx-select="#feed"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change changed, input changed delay:400ms"
      // the count goes into the live region already on the page, which a screen reader then
      // reads out (a region swapped in whole, as #feed is, is often not)
      hx-select-oob="#feed-status:innerHTML"
    >
      <div class="field grow">
        <label for="f-q">{v.t('mentions.search')}</label>
        <input
          id="f-q"
          type="search"
          name="q"
          value={f.q ?? ''}
          placeholder={v.t('mentions.searchPlaceholder')}
        />
      </div>
      <FilterSelect
        id="f-brand"
        name="brand"
        label={v.t('mentions.brand')}
        value={f.brand}
        all={all}
        options={props.brands.map((b) => [String(b.id), b.name])}
      />
      <FilterSelect
        id="f-sentiment"
        name="sentiment"
        label={v.t('mentions.sentiment')}
        value={f.sentiment}
        all={all}
        options={(['negative', 'neutral', 'positive'] as const).map((s) => [
          s,
          v.t(`sentiment.${s}`),
        ])}
      />
      <FilterSelect
        id="f-status"
        name="status"
        label={v.t('triage.status')}
        value={f.status}
        all={all}
        options={[
          ['open', v.t('triage.status.open')],
          ...STATUSES.map((s) => [s, v.t(`triage.status.${s}`)] as [string, string]),
        ]}
      />
      <FilterSelect
        id="f-since"
        name="since"
        label={v.t('feed.period')}
        // a "from" date wins over the period (server/routes/params.ts): the menu must not claim one
        value={f.from ? '' : f.since}
        all={v.t('feed.anyTime')}
        options={[
          ...sinceOptions,
          ...RANGES.map((r) => [r, v.t(`dash.range.${r}`)] as [string, string]),
        ]}
      />
      <details class="more-filters" open={advanced}>
        <summary>{v.t('feed.moreFilters')}</summary>
        <div class="filters-row">
          <FilterSelect
            id="f-source"
            name="source"
            label={v.t('mentions.source')}
            value={f.source}
            all={all}
            options={props.sources.map((s) => [String(s.id), s.name])}
          />
          <FilterSelect
            id="f-kind"
            name="kind"
            label={v.t('feed.kind')}
            value={f.kind}
            all={all}
            options={props.kinds.map((k) => [k, storedKindLabel(v, collectors, k)])}
          />
          <FilterSelect
            id="f-lang"
            name="lang"
            label={v.t('feed.language')}
            value={f.lang}
            all={all}
            options={props.langs.map((l) => [l, languageLabel(v, l)])}
          />
          <FilterSelect
            id="f-assignee"
            name="assignee"
            label={v.t('triage.assignee')}
            value={f.assignee}
            all={all}
            options={[
              ['-', v.t('feed.nobody')],
              ...props.team.map((n) => [n, n] as [string, string]),
              // a name typed in the address that is not (or no longer) in the team list
              ...(f.assignee && f.assignee !== '-' && !props.team.includes(f.assignee)
                ? [[f.assignee, f.assignee] as [string, string]]
                : []),
            ]}
          />
          <div class="field">
            <label for="f-author">{v.t('feed.author')}</label>
            <input id="f-author" name="author" value={f.author ?? ''} autocomplete="off" />
          </div>
          <div class="field">
            <label for="f-domain">{v.t('feed.domain')}</label>
            <input
              id="f-domain"
              name="domain"
              value={f.domain ?? ''}
              placeholder="example.com"
              autocomplete="off"
            />
          </div>
          <div class="field">
            <label for="f-from">{v.t('feed.from')}</label>
            <input id="f-from" type="date" name="from" value={f.from ?? ''} />
          </div>
          {untilInstant ? (
            <FilterSelect
              id="f-until"
              name="until"
              label={v.t('feed.until')}
              value={untilInstant}
              all={v.t('feed.noEnd')}
              options={[[untilInstant, shown(untilInstant, (when) => when)]]}
            />
          ) : (
            <div class="field">
              <label for="f-until">{v.t('feed.until')}</label>
              <input id="f-until" type="date" name="until" value={f.until ?? ''} />
            </div>
          )}
        </div>
      </details>
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

/** The names the assignee boxes suggest (one <datalist> per page). */
export function TeamList(props: { names: string[] }) {
  return (
    <datalist id="team-names">
      {props.names.map((n) => (
        <option value={n} />
      ))}
    </datalist>
  )
}

export function BulkBar(props: { v: ViewCtx }) {
  const { v } = props
  return (
    <form
      id="bulk"
      class="bulk"
      method="post"
      action="/mentions/bulk"
      hx-post="/mentions/bulk"
      hx-target="#bulk-status"
      hx-swap="innerHTML"
    >
      <span class="bulk-label">{v.t('triage.bulk')}</span>
      {/* shown by app.js, which does the ticking: without script there is nothing to tick */}
      <label class="bulk-all" for="bulk-all" hidden>
        <input type="checkbox" id="bulk-all" /> {v.t('triage.selectAll')}
      </label>
      <label class="sr-only" for="bulk-action">
        {v.t('triage.bulkAction')}
      </label>
      <select id="bulk-action" name="action">
        {STATUSES.map((s) => (
          <option value={`status:${s}`}>
            {v.t('triage.markAs', { status: v.t(`triage.status.${s}`) })}
          </option>
        ))}
        <option value="assign">{v.t('triage.assignTo')}</option>
      </select>
      <label class="sr-only" for="bulk-assignee">
        {v.t('triage.assignee')}
      </label>
      <input
        id="bulk-assignee"
        name="assignee"
        list="team-names"
        autocomplete="off"
        placeholder={v.t('triage.assigneePlaceholder')}
        maxlength={80}
      />
      <button class="btn" type="submit">
        {v.t('triage.apply')}
      </button>
      <span id="bulk-status" role="status"></span>
    </form>
  )
}

export function Feed(props: {
  v: ViewCtx
  rows: MentionRow[]
  nextUrl: string | null
  q?: string
  live: { after: number; query: string }
}) {
  const { v } = props
  return (
    <div id="feed">
      {/* between the page's h1 and the cards' h3 titles, so a screen reader's heading list
          skips no level; the filters and the count above say what the list holds */}
      <h2 class="sr-only">{v.t('feed.results')}</h2>
      <LiveRegion>
        <LivePill v={v} after={props.live.after} count={0} query={props.live.query} />
      </LiveRegion>
      <p class="kbd-help muted">
        {/* checked or not from this browser's choice, by app.js (which honours it) */}
        <label class="kbd-toggle">
          <input type="checkbox" id="kbd-on" checked /> {v.t('feed.keysOn')}
        </label>
        {v.t('common.colon')}
        {v.t('feed.keys')}
      </p>
      <MentionList v={v} rows={props.rows} nextUrl={props.nextUrl} q={props.q} selectable />
    </div>
  )
}

export function MentionsPage(props: {
  v: ViewCtx
  f: FeedFilters
  brands: { id: number; name: string }[]
  sources: { id: number; name: string }[]
  kinds: string[]
  langs: string[]
  team: string[]
  rows: MentionRow[]
  nextUrl: string | null
  live: { after: number; query: string }
  error?: string
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('mentions.title')}>
      <h1>{v.t('mentions.title')}</h1>
      <MentionFilters
        v={v}
        f={props.f}
        brands={props.brands}
        sources={props.sources}
        kinds={props.kinds}
        langs={props.langs}
        team={props.team}
      />
      <TeamList names={props.team} />
      {props.error ? (
        <p class="alert alert-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {may(v, 'POST', '/mentions/bulk') ? <BulkBar v={v} /> : null}
      <p id="feed-status" class="feed-status muted small" role="status">
        {!props.rows.length
          ? v.t('mentions.none')
          : v.t(props.nextUrl ? 'feed.countMore' : 'feed.count', { count: props.rows.length })}
      </p>
      <Feed v={v} rows={props.rows} nextUrl={props.nextUrl} q={props.f.q} live={props.live} />
    </Layout>
  )
}

export interface TriageValues {
  status: string
  assignee: string
  note: string
  answer_url: string
  manual_label: string
}

/** The fields of the triage form, as the form shows them. */
export const TRIAGE_FORM_FIELDS = ['status', 'assignee', 'manual_label', 'note'] as const

export function triageValues(m: MentionRow): TriageValues {
  return {
    status: m.status,
    assignee: m.assignee ?? '',
    note: m.note ?? '',
    answer_url: m.answer_url ?? '',
    manual_label: m.manual_label ?? '',
  }
}

/** The mention's sentiment as Vigie scored it, and the team's correction: redrawn after triage. */
export function SentimentFact(props: { v: ViewCtx; m: MentionRow }) {
  const { v, m } = props
  return (
    <dd id="sentiment-fact">
      {m.sentiment_scored
        ? `${v.t(`sentiment.${m.sentiment_label as 'neutral'}`)} (${v.fmt.number(Math.round(m.sentiment_score * 100) / 100)})`
        : v.t('sentiment.unscored')}
      {m.manual_label
        ? ` — ${v.t('triage.correctedBy', {
            label: v.t(`sentiment.${m.manual_label as 'neutral'}`),
            who: m.manual_label_by ?? '?',
            when: v.fmt.dateTime(m.manual_label_at),
          })}`
        : ''}
    </dd>
  )
}

export function TriageForm(props: {
  v: ViewCtx
  m: MentionRow
  values: TriageValues
  errors: FieldErrors
  saved?: boolean
  /** what the form showed when it was drawn (default: the stored values) */
  was?: TriageValues
  /** fields a colleague changed since this person's page was drawn: nothing was saved */
  conflicts?: string[]
}) {
  const { v, m, values, errors } = props
  const was = props.was ?? triageValues(m)
  return (
    <form
      id="triage"
      class="card form"
      method="post"
      action={`/mentions/${m.id}/triage`}
      hx-post={`/mentions/${m.id}/triage`}
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h2>{v.t('triage.title')}</h2>
      {/* the server saves only what was changed here, and spots what a colleague changed since */}
      {TRIAGE_FORM_FIELDS.map((k) => (
        <input type="hidden" name={`was_${k}`} value={was[k]} />
      ))}
      <ErrorSummary v={v} errors={errors} />
      {props.conflicts?.length ? (
        <p class="alert alert-error" role="alert" tabindex={-1} autofocus>
          {v.t('triage.conflict', {
            fields: props.conflicts
              .map((k) =>
                v.t(
                  k === 'status'
                    ? 'triage.status'
                    : k === 'assignee'
                      ? 'triage.assignee'
                      : k === 'note'
                        ? 'triage.note'
                        : 'triage.correct',
                ),
              )
              .join(', '),
          })}
        </p>
      ) : null}
      {props.saved ? (
        // focus lands on the confirmation after the swap, not back at the top of the page
        <p class="alert alert-ok" role="status" tabindex={-1} autofocus>
          {v.t('triage.saved')}
        </p>
      ) : null}
      <fieldset class="radios">
        <legend>{v.t('triage.status')}</legend>
        {STATUSES.map((s) => (
          <label>
            <input type="radio" name="status" value={s} checked={values.status === s} />{' '}
            {v.t(`triage.status.${s}`)}
          </label>
        ))}
      </fieldset>
      <Field id="t-assignee" label={v.t('triage.assignee')} error={errors.assignee}>
        <input
          id="t-assignee"
          name="assignee"
          value={values.assignee}
          list="team-names"
          autocomplete="off"
          maxlength={80}
          placeholder={v.t('triage.assigneePlaceholder')}
        />
      </Field>
      <Field
        id="t-label"
        label={v.t('triage.correct')}
        help={v.t('triage.correctHelp', {
          label: v.t(`sentiment.${m.sentiment_label as 'neutral'}`),
        })}
        error={errors.manual_label}
      >
        <select id="t-label" name="manual_label" aria-describedby="t-label-help">
          <option value="">{v.t('triage.keepVigie')}</option>
          {(['negative', 'neutral', 'positive'] as const).map((s) => (
            <option value={s} selected={values.manual_label === s}>
              {v.t(`sentiment.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="t-note" label={v.t('triage.note')} error={errors.note}>
        <textarea id="t-note" class="prose" name="note" rows={3} maxlength={2000}>
          {values.note}
        </textarea>
      </Field>
      <div class="form-actions">
        <button class="btn btn-primary" type="submit">
          {v.t('common.save')}
        </button>
      </div>
    </form>
  )
}

export function MuteBox(props: {
  v: ViewCtx
  m: MentionRow
  done?: { kind: 'author' | 'domain'; exclusionId: number }
  undone?: boolean
}) {
  const { v, m } = props
  const host = hostOf(m.url)
  return (
    <div id="mute" class="card mute">
      <h2>{v.t('mute.title')}</h2>
      <p class="muted">{v.t('mute.help', { brand: m.brand_name })}</p>
      {props.done ? (
        <form
          method="post"
          action={`/mentions/${m.id}/unmute`}
          hx-post={`/mentions/${m.id}/unmute`}
          hx-target="#mute"
          hx-swap="outerHTML"
          class="inline"
        >
          {/* the pressed button went with the swap: focus moves to what happened (read out),
              the next Tab reaches Undo, instead of falling back to the top of the page */}
          <p role="status" tabindex={-1} autofocus>
            {v.t(props.done.kind === 'author' ? 'mute.doneAuthor' : 'mute.doneDomain')}
          </p>{' '}
          <input type="hidden" name="exclusion" value={String(props.done.exclusionId)} />
          <button class="btn" type="submit">
            {v.t('mute.undo')}
          </button>
        </form>
      ) : (
        <div class="inline">
          {props.undone ? (
            <p role="status" tabindex={-1} autofocus>
              {v.t('mute.undone')}
            </p>
          ) : null}
          {m.author ? (
            <form
              method="post"
              action={`/mentions/${m.id}/mute`}
              hx-post={`/mentions/${m.id}/mute`}
              hx-target="#mute"
              hx-swap="outerHTML"
            >
              <input type="hidden" name="kind" value="author" />
              <button class="btn" type="submit">
                {v.t('mute.author', { author: m.author })}
              </button>
            </form>
          ) : null}
          {host ? (
            <form
              method="post"
              action={`/mentions/${m.id}/mute`}
              hx-post={`/mentions/${m.id}/mute`}
              hx-target="#mute"
              hx-swap="outerHTML"
            >
              <input type="hidden" name="kind" value="domain" />
              <button class="btn" type="submit">
                {v.t('mute.domain', { domain: host })}
              </button>
            </form>
          ) : null}
        </div>
      )}
    </div>
  )
}

/** A mention's engagement figures as the sources name them (likes, reblogs…), in the UI's
 * language; a name no translation knows is shown as the source sent it. */
export function engagementText(v: ViewCtx, metrics: string | null): string {
  let entries: [string, number][] = []
  try {
    entries = Object.entries(JSON.parse(metrics ?? '{}')).filter(
      (e): e is [string, number] => typeof e[1] === 'number',
    )
  } catch {
    // unreadable figures: none shown
  }
  if (!entries.length) return '—'
  const name = (k: string) => {
    const key = `metric.${k}`
    const s = v.t(key as keyof Dict)
    return s === key ? k : s
  }
  return entries.map(([k, n]) => `${name(k)} ${v.fmt.number(n)}`).join(' · ')
}

/** Sentiment, brand and status above a mention; swapped again when its triage is saved. */
export function DetailHead(props: { v: ViewCtx; m: MentionRow }) {
  const { v, m } = props
  return (
    <div class="mention-head" id="detail-head">
      <SentimentBadge
        v={v}
        label={m.manual_label ?? m.sentiment_label}
        scored={!!m.sentiment_scored}
        score={m.sentiment_score}
        manual={!!m.manual_label}
      />
      <span class="brand-tag">{m.brand_name}</span>
      <StatusTag v={v} status={m.status} />
      {m.assignee ? <span class="meta assignee">→ {m.assignee}</span> : null}
    </div>
  )
}

/** "l’auteur @chloe36" from a mute event's "author @chloe36" (or just "author" when undone). */
function muteText(v: ViewCtx, value: string | null): string {
  const [kind, ...rest] = (value ?? '').split(' ')
  const what = kind === 'author' || kind === 'domain' ? v.t(`history.kind.${kind}`) : kind
  return [what, ...rest].join(' ')
}

export function History(props: { v: ViewCtx; events: MentionEvent[] }) {
  const { v } = props
  const show = (field: string, value: string | null) => {
    if (value === null || value === '') return '—'
    if (field === 'status') return v.t(`triage.status.${value as 'new'}`)
    if (field === 'manual_label') return v.t(`sentiment.${value as 'neutral'}`)
    return value
  }
  return (
    <section id="history" class="card" aria-labelledby="history-h">
      <h2 id="history-h">{v.t('triage.history')}</h2>
      {props.events.length ? (
        <ol class="history">
          {props.events.map((e) => (
            <li>
              <time datetime={e.at}>{v.fmt.dateTime(e.at)}</time> — <strong>{e.actor}</strong>{' '}
              {v.t(`history.${e.field as 'status'}`)}
              {e.field === 'muted' || e.field === 'unmuted' ? (
                <> {muteText(v, e.new_value)}</>
              ) : (
                <>
                  {v.t('common.colon')}
                  {show(e.field, e.old_value)} → {show(e.field, e.new_value)}
                </>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">{v.t('triage.noHistory')}</p>
      )}
    </section>
  )
}

export function MentionDetailPage(props: {
  v: ViewCtx
  m: MentionRow
  events: MentionEvent[]
  triage: { values: TriageValues; errors: FieldErrors; saved?: boolean }
  /** The four-eyes answer panel (views/pages/answer.tsx), rendered under the triage. */
  answer?: Child
  team?: string[]
}) {
  const { v, m } = props
  const terms = matchedTerms(m)
  return (
    <Layout v={v} title={m.title || v.t('feed.mention')}>
      <p>
        <a href="/mentions">← {v.t('nav.mentions')}</a>
      </p>
      <article class="card detail">
        <DetailHead v={v} m={m} />
        {/* "Mention", the stand-in for a missing title, is in the page's language */}
        <h1 class="detail-title" lang={m.title ? textLang(m.lang) : undefined}>
          <Highlight text={m.title || v.t('feed.mention')} words={terms} />
        </h1>
        <p class="detail-text" lang={textLang(m.lang)}>
          <Highlight text={m.text} words={terms} />
        </p>
        <dl class="facts">
          <dt>{v.t('mentions.source')}</dt>
          <dd>
            {m.source_name} ({storedKindLabel(v, collectors, m.source_kind)})
          </dd>
          <dt>{v.t('feed.author')}</dt>
          <dd>{m.author ?? '—'}</dd>
          <dt>{v.t('feed.published')}</dt>
          <dd>
            <time datetime={m.published_at}>{v.fmt.dateTime(m.published_at)}</time>
          </dd>
          <dt>{v.t('feed.language')}</dt>
          <dd>{m.lang ? languageLabel(v, m.lang) : '—'}</dd>
          <dt>{v.t('feed.engagement')}</dt>
          <dd>{engagementText(v, m.metrics)}</dd>
          <dt>{v.t('mentions.matched')}</dt>
          <dd>{terms.length ? terms.join(', ') : '—'}</dd>
          <dt>{v.t('mentions.sentiment')}</dt>
          <SentimentFact v={v} m={m} />
          {m.answer_url ? (
            <>
              <dt>{v.t('triage.answerUrl')}</dt>
              <dd>
                <a href={m.answer_url} rel="noopener noreferrer nofollow" target="_blank">
                  {m.answer_url}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        {m.url ? (
          <p>
            <a class="btn" href={m.url} target="_blank" rel="noopener noreferrer nofollow">
              {v.t('feed.openOriginal')}
            </a>
          </p>
        ) : null}
      </article>
      <TeamList names={props.team ?? []} />
      {/* a viewer reads the mention and its history; triage and muting are for responders */}
      {may(v, 'POST', `/mentions/${m.id}/triage`) ? (
        <div class="grid-2">
          <TriageForm
            v={v}
            m={m}
            values={props.triage.values}
            errors={props.triage.errors}
            saved={props.triage.saved}
          />
          <div>
            <MuteBox v={v} m={m} />
            <History v={v} events={props.events} />
          </div>
        </div>
      ) : (
        <History v={v} events={props.events} />
      )}
      {props.answer}
    </Layout>
  )
}
