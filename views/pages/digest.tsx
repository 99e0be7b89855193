// Digest settings: recipients (with the state of their last digest, failures included), the
// recipient form, preview and test-send forms, the send log, and the unsubscribe pages.
import type { Brand } from '../../db/schema'
import type { DigestLogRow } from '../../db/digest'
import type { DigestRecipient } from '../../db/schema-digest'
import {
  DeleteForm,
  ErrorSummary,
  Field,
  type FieldErrors,
  LocaleSelect,
  ZoneList,
} from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

function StatusBadge(props: { v: ViewCtx; row: DigestLogRow }) {
  const { v, row } = props
  const cls =
    row.status === 'sent'
      ? 'h-ok'
      : row.status === 'failed'
        ? 'h-failing'
        : row.last_error
          ? 'h-slowed'
          : 'h-pending'
  return <span class={`badge ${cls}`}>{v.t(`digest.state.${row.status}`)}</span>
}

function brandNames(v: ViewCtx, r: DigestRecipient, brands: Brand[]): string {
  let ids: number[] = []
  try {
    ids = JSON.parse(r.brand_ids)
  } catch {
    ids = []
  }
  if (!ids.length) return v.t('digest.allBrands')
  return ids.map((id) => brands.find((b) => b.id === id)?.name ?? `#${id}`).join(', ')
}

export interface DigestPageProps {
  v: ViewCtx
  recipients: DigestRecipient[]
  last: Map<number, DigestLogRow>
  log: DigestLogRow[]
  brands: Brand[]
  smtpConfigured: boolean
  today: string
  flash?: { ok: boolean; text: string }
  testTo?: string
}

export function DigestPage(props: DigestPageProps) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('digest.title')}>
      <div class="page-head">
        <h1>{v.t('digest.title')}</h1>
        <a class="btn btn-primary" href="/settings/digest/recipients/new">
          {v.t('digest.newRecipient')}
        </a>
      </div>
      {props.smtpConfigured ? null : (
        <p class="alert alert-error" role="status">
          {v.t('digest.noSmtp')}
        </p>
      )}
      {props.flash ? (
        <p
          class={props.flash.ok ? 'alert card' : 'alert alert-error'}
          role="status"
          id="flash"
          tabindex={-1}
          autofocus
        >
          {props.flash.text}
        </p>
      ) : null}
      <h2>{v.t('digest.recipients')}</h2>
      {props.recipients.length ? (
        <ul class="source-list" id="recipients">
          {props.recipients.map((r) => {
            const last = props.last.get(r.id)
            const edge =
              r.unsubscribed_at || !r.enabled
                ? ''
                : last?.status === 'failed' || last?.last_error
                  ? ' h-edge-failing'
                  : ' h-edge-ok'
            return (
              <li class={`card source${edge}`}>
                <div class="source-head">
                  <h3 style="margin:0;font-size:1.05rem;overflow-wrap:anywhere;">{r.email}</h3>
                  {r.unsubscribed_at ? (
                    <span class="badge h-paused">{v.t('digest.unsubscribed')}</span>
                  ) : !r.enabled ? (
                    <span class="badge h-paused">{v.t('digest.paused')}</span>
                  ) : null}
                  <a class="small" href={`/settings/digest/recipients/${r.id}/edit`}>
                    {v.t('common.edit')}
                    <span class="sr-only"> {r.email}</span>
                  </a>
                </div>
                <dl class="kv">
                  <dt>{v.t('digest.schedule')}</dt>
                  <dd>
                    {r.send_time} {r.timezone} ·{' '}
                    {r.weekly ? v.t('digest.weeklyShort') : v.t('digest.daily')} ·{' '}
                    {r.lang.toUpperCase()}
                  </dd>
                  <dt>{v.t('digest.brands')}</dt>
                  <dd>{brandNames(v, r, props.brands)}</dd>
                  <dt>{v.t('digest.lastSent')}</dt>
                  <dd>
                    {last ? (
                      <>
                        <StatusBadge v={v} row={last} /> {periodLabel(v, last.period)} ·{' '}
                        {v.fmt.dateTime(last.sent_at ?? last.updated_at)}
                        {last.last_error ? (
                          <div class="error-text">
                            <strong>{last.last_error}</strong>
                          </div>
                        ) : null}
                      </>
                    ) : (
                      v.t('common.never')
                    )}
                  </dd>
                </dl>
              </li>
            )
          })}
        </ul>
      ) : (
        <p class="card empty">{v.t('digest.noRecipients')}</p>
      )}

      <h2>{v.t('digest.preview')}</h2>
      <form class="card filters" method="get" action="/settings/digest/preview" target="_blank">
        <p class="help" style="flex-basis:100%;">
          {v.t('digest.previewHelp')}
        </p>
        <div class="field">
          <label for="pv-date">{v.t('digest.date')}</label>
          <input id="pv-date" type="date" name="date" value={props.today} required />
        </div>
        <div class="field">
          <label for="pv-lang">{v.t('digest.lang')}</label>
          <LocaleSelect id="pv-lang" value={v.locale} />
        </div>
        <div class="field">
          <label for="pv-brand">{v.t('digest.brand')}</label>
          <select id="pv-brand" name="brand">
            <option value="">{v.t('digest.allBrands')}</option>
            {props.brands.map((b) => (
              <option value={String(b.id)}>{b.name}</option>
            ))}
          </select>
        </div>
        <div class="field field-check">
          <input id="pv-weekly" type="checkbox" name="weekly" value="1" />
          <label for="pv-weekly">{v.t('digest.weeklyShort')}</label>
        </div>
        <div class="actions">
          <button class="btn" type="submit">
            {v.t('digest.show')}
          </button>
        </div>
      </form>

      <h2>{v.t('digest.test')}</h2>
      <form class="card filters" method="post" action="/settings/digest/test">
        <div class="field">
          <label for="test-to">{v.t('digest.testTo')}</label>
          <input
            id="test-to"
            type="email"
            name="to"
            value={props.testTo ?? ''}
            required
            autocomplete="email"
          />
        </div>
        <div class="field">
          <label for="test-lang">{v.t('digest.lang')}</label>
          <LocaleSelect id="test-lang" value={v.locale} />
        </div>
        <div class="actions">
          <button class="btn btn-primary" type="submit" disabled={!props.smtpConfigured}>
            {v.t('digest.test')}
          </button>
        </div>
      </form>

      <h2>{v.t('digest.log')}</h2>
      {props.log.length ? (
        <ul class="source-list" id="digest-log">
          {props.log.map((row) => (
            <li class="card">
              <div class="source-head">
                <StatusBadge v={v} row={row} />
                <strong style="overflow-wrap:anywhere;">{row.email}</strong>
                <span class="muted">{periodLabel(v, row.period)}</span>
              </div>
              <dl class="kv">
                <dt>{v.t('digest.due')}</dt>
                <dd>{v.fmt.dateTime(row.due_at)}</dd>
                <dt>{v.t('digest.attempts')}</dt>
                <dd>
                  {row.attempts}
                  {row.status === 'pending' && row.last_error
                    ? ` · ${v.t('digest.retrying', { when: v.fmt.relative(row.next_attempt_at, v.now) })}`
                    : ''}
                </dd>
                {row.last_error ? (
                  <>
                    <dt>{v.t('digest.state.failed')}</dt>
                    <dd class="error-text">
                      <strong>{row.last_error}</strong>
                    </dd>
                  </>
                ) : null}
              </dl>
              {row.status === 'failed' ? (
                <form method="post" action={`/settings/digest/log/${row.id}/retry`}>
                  <button class="btn btn-small" type="submit">
                    {v.t('digest.retry')}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="card empty">{v.t('digest.logEmpty')}</p>
      )}
    </Layout>
  )
}

export interface RecipientFormValues {
  email: string
  lang: 'fr' | 'en'
  sendTime: string
  timezone: string
  brandIds: number[]
  weekly: boolean
  enabled: boolean
}

export function RecipientFormPage(props: {
  v: ViewCtx
  id?: number
  unsubscribedAt?: string | null
  values: RecipientFormValues
  errors: FieldErrors
  brands: Brand[]
}) {
  const { v, values, errors } = props
  const title = props.id ? v.t('digest.editRecipient') : v.t('digest.newRecipient')
  const aria = (k: string, help = false) => ({
    'aria-invalid': errors[k] ? ('true' as const) : undefined,
    'aria-describedby':
      [help ? `rc-${k}-help` : '', errors[k] ? `rc-${k}-error` : ''].filter(Boolean).join(' ') ||
      undefined,
  })
  return (
    <Layout v={v} title={title}>
      <h1>{title}</h1>
      {props.unsubscribedAt ? (
        <form
          method="post"
          action={`/settings/digest/recipients/${props.id}/resubscribe`}
          class="card"
        >
          <p>
            <span class="badge h-paused">{v.t('digest.unsubscribed')}</span>{' '}
            {v.fmt.dateTime(props.unsubscribedAt)}
          </p>
          <button class="btn" type="submit">
            {v.t('digest.resubscribe')}
          </button>
        </form>
      ) : null}
      <form
        class="card form"
        method="post"
        action={
          props.id ? `/settings/digest/recipients/${props.id}` : '/settings/digest/recipients'
        }
        novalidate
      >
        <ErrorSummary v={v} errors={errors} />
        <Field id="rc-email" label={v.t('digest.email')} error={errors.email} required>
          <input
            id="rc-email"
            name="email"
            type="email"
            value={values.email}
            required
            autocomplete="email"
            {...aria('email')}
          />
        </Field>
        <Field id="rc-lang" label={v.t('digest.lang')} error={errors.lang}>
          <LocaleSelect id="rc-lang" value={values.lang} />
        </Field>
        <Field id="rc-time" label={v.t('digest.time')} error={errors.time} required>
          <input
            id="rc-time"
            name="time"
            type="time"
            value={values.sendTime}
            required
            {...aria('time')}
          />
        </Field>
        <Field
          id="rc-timezone"
          label={v.t('digest.timezone')}
          error={errors.timezone}
          help={v.t('digest.timezoneHelp')}
          required
        >
          <input
            id="rc-timezone"
            name="timezone"
            value={values.timezone}
            list="rc-tz-list"
            required
            {...aria('timezone', true)}
          />
        </Field>
        <ZoneList id="rc-tz-list" />
        <fieldset>
          <legend>{v.t('digest.brands')}</legend>
          <p class="help" id="rc-brands-help">
            {v.t('digest.brandsHelp')}
          </p>
          {props.brands.map((b) => (
            <div class="field field-check">
              <input
                id={`rc-brand-${b.id}`}
                type="checkbox"
                name="brands"
                value={String(b.id)}
                checked={values.brandIds.includes(b.id)}
              />
              <label for={`rc-brand-${b.id}`}>{b.name}</label>
            </div>
          ))}
        </fieldset>
        <div class="field field-check">
          <input id="rc-weekly" type="checkbox" name="weekly" value="1" checked={values.weekly} />
          <label for="rc-weekly">{v.t('digest.weekly')}</label>
        </div>
        <div class="field field-check">
          <input
            id="rc-enabled"
            type="checkbox"
            name="enabled"
            value="1"
            checked={values.enabled}
          />
          <label for="rc-enabled">{v.t('digest.enabled')}</label>
        </div>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit">
            {v.t('common.save')}
          </button>
          <a class="btn btn-link" href="/settings/digest">
            {v.t('common.cancel')}
          </a>
        </div>
      </form>
      {props.id ? (
        <DeleteForm v={v} action={`/settings/digest/recipients/${props.id}/delete`} />
      ) : null}
    </Layout>
  )
}

/** GET of the unsubscribe link: a confirm button (a link scanner's GET must not unsubscribe). */
export function UnsubscribePage(props: {
  v: ViewCtx
  email?: string
  state: 'confirm' | 'done' | 'invalid'
  action?: string
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('digest.unsubTitle')}>
      <div class="card onboarding">
        <h1>{v.t('digest.unsubTitle')}</h1>
        {props.state === 'invalid' ? (
          <p role="alert">{v.t('digest.unsubInvalid')}</p>
        ) : props.state === 'done' ? (
          <p role="status">{v.t('digest.unsubDone', { email: props.email ?? '' })}</p>
        ) : (
          <form method="post" action={props.action}>
            <p>{v.t('digest.unsubConfirm', { email: props.email ?? '' })}</p>
            <button class="btn btn-primary" type="submit">
              {v.t('digest.unsubButton')}
            </button>
          </form>
        )}
      </div>
    </Layout>
  )
}

/** "day:2026-11-22" (the send log's key) as the reader says it: "journée du 22 novembre 2026". */
function periodLabel(v: ViewCtx, period: string): string {
  const m = /^(day|week):(\d{4}-\d{2}-\d{2})$/.exec(period)
  if (!m) return period
  const date = new Intl.DateTimeFormat(v.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${m[2]}T00:00:00Z`))
  return v.t(m[1] === 'week' ? 'digest.periodWeek' : 'digest.periodDay', { date })
}
