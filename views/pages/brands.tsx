// Brands: the list and the form (validation errors shown in the form, not as exceptions), with
// the query language's help inline, a live preview of the query, and the brand's vocabulary.
import type { Brand } from '../../db/schema'
import { Announce, DeleteForm, ErrorSummary, Field, type FieldErrors } from '../components'
import { Highlight } from '../highlight'
import { Layout } from '../layout'
import { excerpt, textLang } from '../partials/mention-list'
import { may, type ViewCtx } from '../view-context'

export function BrandsPage(props: { v: ViewCtx; brands: (Brand & { mentions: number })[] }) {
  const { v } = props
  const admin = may(v, 'GET', '/brands/new')
  return (
    <Layout v={v} title={v.t('brands.title')}>
      <div class="page-head">
        <h1>{v.t('brands.title')}</h1>
        {admin ? (
          <a class="btn btn-primary" href="/brands/new">
            {v.t('brands.new')}
          </a>
        ) : null}
      </div>
      {props.brands.length ? (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{v.t('brands.name')}</th>
                <th scope="col" class="wide-only">
                  {v.t('brands.query')}
                </th>
                <th scope="col" class="num">
                  {v.t('brands.mentions')}
                </th>
                <th scope="col">
                  <span class="sr-only">{v.t('common.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.brands.map((b) => (
                <tr>
                  <td class="name-cell">
                    <a href={`/mentions?brand=${b.id}`}>{b.name}</a>
                    {b.active ? null : (
                      <>
                        {' '}
                        <span class="badge">{v.t('brands.paused')}</span>
                      </>
                    )}
                  </td>
                  <td class="wide-only">
                    <code>{b.query}</code>
                  </td>
                  <td class="num">{v.fmt.number(b.mentions)}</td>
                  <td>
                    {admin ? <a href={`/brands/${b.id}/edit`}>{v.t('common.edit')}</a> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="card empty">{v.t('brands.none')}</p>
      )}
    </Layout>
  )
}

export interface BrandFormValues {
  name: string
  query: string
  /** One "term = valence" per line (server/brand-vocabulary.ts). */
  vocabulary: string
  /** watched: sources search it, alerts may open; a paused brand keeps its mentions (undefined:
   * not sent, left as it is) */
  active?: boolean
}

export interface PreviewRow {
  id: number
  brand_name: string
  title: string
  text: string
  published_at: string
  lang: string
  terms: string[]
}

export type PreviewData =
  | { empty: true }
  | { error: string }
  | {
      sample: number
      keptN: number
      droppedN: number
      ownN: number
      /** operator-like words in lower case, searched as words */
      lowercaseOps: string[]
      kept: PreviewRow[]
      dropped: PreviewRow[]
    }

function PreviewList(props: { v: ViewCtx; rows: PreviewRow[] }) {
  const { v } = props
  return (
    <ul class="preview-list">
      {props.rows.map((r) => (
        <li>
          <span class="brand-tag">{r.brand_name}</span>{' '}
          <time class="meta" datetime={r.published_at}>
            {v.fmt.dateTime(r.published_at)}
          </time>{' '}
          <a href={`/mentions/${r.id}`} lang={textLang(r.lang)}>
            <Highlight text={excerpt(r.title || r.text, 160)} words={r.terms} />
          </a>
        </li>
      ))}
    </ul>
  )
}

/** What the query being typed would keep and drop among the stored mentions of the last 30 days. */
export function QueryPreview(props: { v: ViewCtx; data: PreviewData }) {
  const { v, data } = props
  // the verdict alone goes to the page's status line, which a screen reader reads out: the
  // examples below it would be a dozen mentions read at every pause in the typing
  const said = (text: string) => <Announce target="preview-status" text={text} />
  if ('empty' in data)
    return (
      <>
        <p class="muted">{v.t('preview.empty')}</p>
        {said(v.t('preview.empty'))}
      </>
    )
  if ('error' in data) {
    const error = v.t('brands.invalidQueryReason', { reason: data.error })
    return (
      <>
        <p class="error" id="brand-query-live-error">
          {error}
        </p>
        {said(error)}
      </>
    )
  }
  const warning = data.lowercaseOps.length
    ? `⚠ ${v.t('query.lowercaseOps', { words: data.lowercaseOps.join(', ') })}`
    : ''
  const keeps = v.t('preview.keeps', {
    n: v.fmt.number(data.keptN),
    of: v.fmt.number(data.sample),
  })
  const drops = data.ownN
    ? v.t('preview.drops', { n: v.fmt.number(data.droppedN), of: v.fmt.number(data.ownN) })
    : ''
  return (
    <div>
      {said([warning, [keeps, drops].filter(Boolean).join(' · ')].filter(Boolean).join(' '))}
      {warning ? (
        <p class="warn-text" id="brand-query-hint">
          {warning}
        </p>
      ) : null}
      <p>
        <strong>{keeps}</strong>
        {drops ? <> · {drops}</> : null}
      </p>
      {data.kept.length ? (
        <>
          <h3>{v.t('preview.kept')}</h3>
          <PreviewList v={v} rows={data.kept} />
        </>
      ) : null}
      {data.dropped.length ? (
        <>
          <h3>{v.t('preview.dropped')}</h3>
          <PreviewList v={v} rows={data.dropped} />
        </>
      ) : null}
    </div>
  )
}

function QueryHelp(props: { v: ViewCtx }) {
  const { v } = props
  const rows: [string, string][] = [
    ['Acme', v.t('qhelp.word')],
    ['"Acme Corp"', v.t('qhelp.phrase')],
    ['Acme OR Initech', v.t('qhelp.or')],
    ['Acme -"Acme Road"', v.t('qhelp.not')],
    ['(Acme OR Initech) bank', v.t('qhelp.group')],
    ['acmeapp*', v.t('qhelp.prefix')],
  ]
  return (
    <details class="qhelp">
      <summary>{v.t('qhelp.title')}</summary>
      <table class="table">
        <tbody>
          {rows.map(([ex, what]) => (
            <tr>
              <th scope="row">
                <code>{ex}</code>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

export function BrandFormPage(props: {
  v: ViewCtx
  id?: number
  values: BrandFormValues
  errors: FieldErrors
}) {
  const { v, values, errors } = props
  const title = props.id ? v.t('brands.edit') : v.t('brands.new')
  return (
    <Layout v={v} title={title}>
      <h1>{title}</h1>
      <form
        class="card form"
        method="post"
        action={props.id ? `/brands/${props.id}` : '/brands'}
        novalidate
      >
        <ErrorSummary v={v} errors={errors} />
        <Field id="brand-name" label={v.t('brands.name')} error={errors.name} required>
          <input
            id="brand-name"
            name="name"
            value={values.name}
            required
            maxlength={100}
            aria-invalid={errors.name ? 'true' : undefined}
            aria-describedby={errors.name ? 'brand-name-error' : undefined}
          />
        </Field>
        <Field
          id="brand-query"
          label={v.t('brands.query')}
          error={errors.query}
          help={v.t('brands.queryHelp')}
          required
        >
          <textarea
            id="brand-query"
            name="query"
            rows={3}
            required
            spellcheck={false}
            aria-invalid={errors.query ? 'true' : undefined}
            aria-describedby={`brand-query-help${errors.query ? ' brand-query-error' : ''}`}
            hx-post="/brands/preview"
            hx-trigger="input changed delay:300ms, load"
            hx-target="#preview"
            hx-swap="innerHTML"
          >
            {values.query}
          </textarea>
        </Field>
        <QueryHelp v={v} />
        {props.id ? <input type="hidden" name="id" value={String(props.id)} /> : null}
        <section class="preview" aria-labelledby="preview-h">
          <h2 id="preview-h">{v.t('preview.title')}</h2>
          <p id="preview-status" class="sr-only" role="status"></p>
          <div id="preview">
            <p class="muted">{v.t('preview.empty')}</p>
          </div>
        </section>
        <Field
          id="brand-vocabulary"
          label={v.t('vocab.label')}
          error={errors.vocabulary}
          help={v.t('vocab.help')}
        >
          <textarea
            id="brand-vocabulary"
            name="vocabulary"
            rows={4}
            spellcheck={false}
            placeholder={v.t('vocab.placeholder')}
            aria-invalid={errors.vocabulary ? 'true' : undefined}
            aria-describedby={`brand-vocabulary-help${errors.vocabulary ? ' brand-vocabulary-error' : ''}`}
          >
            {values.vocabulary}
          </textarea>
        </Field>
        <div class="field field-check">
          <input type="hidden" name="has_active" value="1" />
          <input
            id="brand-active"
            type="checkbox"
            name="active"
            value="true"
            checked={values.active !== false}
            aria-describedby="brand-active-help"
          />
          <label for="brand-active">{v.t('brands.active')}</label>
          <p class="help" id="brand-active-help">
            {v.t('brands.activeHelp')}
          </p>
        </div>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit">
            {v.t('common.save')}
          </button>
          <a class="btn btn-link" href="/brands">
            {v.t('common.cancel')}
          </a>
        </div>
      </form>
      {props.id ? (
        <DeleteForm
          v={v}
          action={`/brands/${props.id}/delete`}
          confirm={v.t('brands.confirmDelete', { name: values.name })}
        />
      ) : null}
    </Layout>
  )
}
