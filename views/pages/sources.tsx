// Sources: health at a glance with the last error in plain words, "Poll now" with a status
// fragment that refreshes itself while the poll runs, and a settings form generated from the
// collector's fields (no view work per collector).
import { collectors } from '../../collectors'
import type { Collector } from '../../collectors/types'
import type { Source } from '../../db/schema'
import { sourceHealth } from '../../db/sources'
import {
  ConfigField,
  schemaDefault,
  DeleteForm,
  ErrorSummary,
  Field,
  type FieldErrors,
  HealthBadge,
  KindPicker,
  kindLabel,
  SourceError,
  storedKindLabel,
} from '../components'
import { inLocale } from '../i18n'
import { Layout } from '../layout'
import { formatInterval } from '../../server/schedule-math'
import { warningText } from '../source-warning'
import { may, type ViewCtx } from '../view-context'

export function SourceStatus(props: { v: ViewCtx; s: Source; polling: boolean }) {
  const { v, s } = props
  const health = sourceHealth(s)
  const push = !!collectors.get(s.kind)?.pushOnly
  return (
    <div
      class="source-status"
      id={`source-status-${s.id}`}
      {...(props.polling
        ? {
            'hx-get': `/sources/${s.id}/status`,
            'hx-trigger': 'load delay:1s',
            'hx-swap': 'outerHTML',
          }
        : {})}
    >
      <p>
        <HealthBadge v={v} health={health} />{' '}
        {s.error_count > 0 ? (
          <span class="muted">{v.t('sources.errors', { n: s.error_count })}</span>
        ) : null}
      </p>
      <dl class="kv">
        <dt>{v.t('sources.lastOk')}</dt>
        <dd>
          {s.last_ok_at ? (
            <time datetime={s.last_ok_at}>{v.fmt.relative(s.last_ok_at, v.now)}</time>
          ) : (
            v.t('common.never')
          )}
          {s.last_ok_at && s.last_new_count !== null ? (
            <span class="muted">
              {' '}
              · {v.t('sources.newMentions', { n: s.last_new_count })},{' '}
              {v.t('sources.items', { n: s.last_item_count ?? 0 })}
            </span>
          ) : null}
        </dd>
        {s.last_error && s.error_count > 0 ? (
          <>
            <dt>{v.t('sources.lastError')}</dt>
            <dd class="error-text">
              <SourceError v={v} code={s.last_error_code} message={s.last_error} />
              {s.last_error_at ? (
                <small class="muted"> · {v.fmt.relative(s.last_error_at, v.now)}</small>
              ) : null}
            </dd>
          </>
        ) : null}
        {s.warning ? (
          <>
            <dt>⚠</dt>
            <dd class="warn-text">{warningText(v, s.warning)}</dd>
          </>
        ) : null}
        {push ? (
          <>
            <dt>{v.t('sources.pushed')}</dt>
            <dd>
              <code>POST /api/ingest</code>
            </dd>
          </>
        ) : (
          <>
            <dt>{v.t('sources.nextCheck')}</dt>
            <dd>
              {s.enabled ? (
                // due already: "il y a 4 secondes" read as a poll that happened
                s.next_check_at <= v.now.toISOString() ? (
                  v.t('sources.due')
                ) : (
                  <time datetime={s.next_check_at}>{v.fmt.relative(s.next_check_at, v.now)}</time>
                )
              ) : (
                '—'
              )}
              <span class="muted">
                {' '}
                · {v.t('sources.every', { interval: formatInterval(s.interval_seconds, v.locale) })}
              </span>
            </dd>
          </>
        )}
      </dl>
      {!push && may(v, 'POST', `/sources/${s.id}/poll`) ? (
        // The box replaces itself (the press, each check while polling, the outcome): the id
        // lets htmx give focus back to this button in the new box, and aria-disabled rather
        // than disabled keeps it focusable while the poll runs (it sends nothing then).
        <button
          type="button"
          id={`poll-${s.id}`}
          class="btn btn-small"
          hx-post={props.polling ? undefined : `/sources/${s.id}/poll`}
          hx-target={`#source-status-${s.id}`}
          hx-swap="outerHTML"
          aria-disabled={props.polling ? 'true' : undefined}
        >
          {props.polling ? v.t('sources.polling') : v.t('sources.pollNow')}
        </button>
      ) : null}
    </div>
  )
}

export function SourcesPage(props: {
  v: ViewCtx
  sources: Source[]
  brands: Map<number, string>
  collectors: Map<string, Collector>
  polling: (id: number) => boolean
}) {
  const { v } = props
  // What needs a look comes first: failing, then slowed, then the rest in name order.
  const rank = { failing: 0, slowed: 1, pending: 2, ok: 3, paused: 4 }
  const sources = [...props.sources].sort((a, b) => rank[sourceHealth(a)] - rank[sourceHealth(b)])
  const counts = { ok: 0, pending: 0, slowed: 0, failing: 0, paused: 0 }
  for (const s of sources) counts[sourceHealth(s)]++
  const warned = sources.filter((s) => s.warning)
  return (
    <Layout v={v} title={v.t('sources.title')}>
      <div class="page-head">
        <h1>{v.t('sources.title')}</h1>
        {may(v, 'GET', '/sources/new') ? (
          <a class="btn btn-primary" href="/sources/new">
            {v.t('sources.new')}
          </a>
        ) : null}
      </div>
      {sources.length ? (
        <section class="health-summary" aria-label={v.t('sourcesx.summary')}>
          {(['ok', 'slowed', 'failing', 'pending', 'paused'] as const)
            .filter((h) => counts[h] || h === 'ok' || h === 'failing')
            .map((h) => (
              <span class="summary-item">
                <HealthBadge v={v} health={h} /> <strong>{v.fmt.number(counts[h])}</strong>
              </span>
            ))}
          {warned.length ? (
            <span class="summary-item warn-text">
              ⚠ {v.t('sourcesx.warnings', { n: warned.length })}
              {v.t('common.colon')}
              {warned.map((s, i) => (
                <>
                  {i ? ', ' : ''}
                  <a href={`#source-${s.id}`}>{s.name}</a>
                </>
              ))}
            </span>
          ) : null}
        </section>
      ) : null}
      {sources.length ? (
        <ul class="source-list">
          {sources.map((s) => (
            <li class={`card source h-edge-${sourceHealth(s)}`} id={`source-${s.id}`}>
              <div class="source-head">
                <h2>{s.name}</h2>
                <span class="kind">{storedKindLabel(v, props.collectors, s.kind)}</span>
                {s.brand_id ? <span class="brand-tag">{props.brands.get(s.brand_id)}</span> : null}
                {may(v, 'GET', `/sources/${s.id}/edit`) ? (
                  <a class="small" href={`/sources/${s.id}/edit`}>
                    {v.t('common.edit')}
                  </a>
                ) : null}
              </div>
              <SourceStatus v={v} s={s} polling={props.polling(s.id)} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="card empty">{v.t('sources.none')}</p>
      )}
    </Layout>
  )
}

export interface SourceFormValues {
  name: string
  kind: string
  interval: string
  brandId: string
  enabled: boolean
  config: Record<string, string>
}

export function SourceFormPage(props: {
  v: ViewCtx
  id?: number
  collector?: Collector
  collectors: Map<string, Collector>
  brands: { id: number; name: string }[]
  values: SourceFormValues
  errors: FieldErrors
  /** hints of stored secrets, by config key */
  storedSecrets?: Record<string, string>
  /** mentions stored from this source, which deleting it deletes */
  mentions?: number
}) {
  const { v, values, errors, collector } = props
  const title = props.id ? v.t('sources.edit') : v.t('sources.new')
  if (!collector)
    return (
      <Layout v={v} title={title}>
        <h1>{title}</h1>
        <KindPicker
          v={v}
          action="/sources/new"
          legend={v.t('sources.chooseKind')}
          kinds={[...props.collectors.values()]}
        />
      </Layout>
    )
  return (
    <Layout v={v} title={title}>
      <h1>
        {title} <span class="kind">{kindLabel(v, collector)}</span>
      </h1>
      <p class="muted">{inLocale(collector.description, v.locale)}</p>
      <form
        class="card form"
        method="post"
        action={props.id ? `/sources/${props.id}` : '/sources'}
        novalidate
      >
        <ErrorSummary v={v} errors={errors} />
        <input type="hidden" name="kind" value={collector.id} />
        <Field id="src-name" label={v.t('sources.name')} error={errors.name} required>
          <input
            id="src-name"
            name="name"
            value={values.name}
            required
            maxlength={100}
            aria-invalid={errors.name ? 'true' : undefined}
          />
        </Field>
        {collector.fields.map((f) => (
          <ConfigField
            v={v}
            f={f}
            value={values.config[f.name] ?? ''}
            error={errors[`config.${f.name}`]}
            typed={Object.keys(errors).length > 0}
            stored={props.storedSecrets?.[f.name]}
            fallback={schemaDefault(collector.schema, f.name)}
          />
        ))}
        <Field
          id="src-interval"
          label={v.t('sources.interval')}
          error={errors.interval}
          help={v.t('sources.intervalHelp')}
        >
          <input
            id="src-interval"
            name="interval"
            value={values.interval}
            aria-invalid={errors.interval ? 'true' : undefined}
          />
        </Field>
        <Field id="src-brand" label={v.t('sources.brand')} error={errors.brandId}>
          <select id="src-brand" name="brandId">
            <option value="">{v.t('sources.brandAny')}</option>
            {props.brands.map((b) => (
              <option value={String(b.id)} selected={values.brandId === String(b.id)}>
                {b.name}
              </option>
            ))}
          </select>
        </Field>
        <div class="field field-check">
          <input
            id="src-enabled"
            type="checkbox"
            name="enabled"
            value="true"
            checked={values.enabled}
          />
          <label for="src-enabled">{v.t('sources.enabled')}</label>
        </div>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit">
            {v.t('common.save')}
          </button>
          <button
            class="btn"
            type="button"
            hx-post={props.id ? `/sources/test?id=${props.id}` : '/sources/test'}
            hx-include="closest form"
            hx-target="#source-test-result"
            hx-swap="outerHTML"
            title={v.t('sources.testHelp')}
          >
            {v.t('sources.testSource')}
          </button>
          <a class="btn btn-link" href="/sources">
            {v.t('common.cancel')}
          </a>
        </div>
        {/* the dry run's answer replaces this; its one-line outcome goes to the status line */}
        <p id="source-test-status" class="sr-only" role="status"></p>
        <div id="source-test-result" />
      </form>
      {props.id ? (
        <DeleteForm
          v={v}
          action={`/sources/${props.id}/delete`}
          confirm={
            props.mentions
              ? v.t('sources.confirmDelete', {
                  name: values.name,
                  count: props.mentions,
                  shown: v.fmt.number(props.mentions),
                })
              : v.t('sources.confirmDeleteEmpty', { name: values.name })
          }
        />
      ) : null}
    </Layout>
  )
}
