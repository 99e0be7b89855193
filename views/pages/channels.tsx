// Alert channels settings: the list (routing, quiet hours, recent deliveries with their errors, a
// "Send test" button) and the form generated from the notifier's fields. Stored secrets (webhook
// URLs, signing secrets) are never sent back to the browser: only a short hint is shown.
import type { DeliveryRow } from '../../db/deliveries'
import { ALERT_KINDS, type Channel, type Delivery } from '../../db/schema-alerts'
import type { Notifier } from '../../server/notifiers/types'
import {
  ConfigField,
  schemaDefault,
  DeleteForm,
  ErrorSummary,
  Field,
  type FieldErrors,
  KindPicker,
  LocaleSelect,
  TechnicalDetail,
  ZoneList,
} from '../components'
import { deliveryProblem } from '../delivery-error'
import { isKey, type Dict } from '../i18n/fr'
import { inLocale } from '../i18n'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'
import { DeliveryList } from './alerts'

const k = (s: string) => s as keyof Dict

export interface ChannelFormValues {
  name: string
  kind: string
  lang: 'fr' | 'en'
  brandIds: number[]
  alertKinds: string[]
  quietStart: string
  quietEnd: string
  timezone: string
  enabled: boolean
  config: Record<string, string>
}

function testProblem(v: ViewCtx, problem: string): string {
  const once = `channels.testProblem.${problem}`
  return v.t(k(isKey(once) ? once : `delivery.problem.${problem}`))
}

export function TestResult(props: { v: ViewCtx; d: Delivery | undefined }) {
  const { v, d } = props
  if (!d) return <span />
  return d.status === 'sent' ? (
    <span class="ok-text" role="status">
      {v.t('channels.testOk')}
    </span>
  ) : (
    <span class="error-text" role="alert">
      {v.t('channels.testFailed', {
        // a test is sent once: the alerts' "Vigie keeps trying" would promise a retry it never gets
        error: testProblem(v, deliveryProblem(d.last_error ?? '')),
      })}
      {d.last_error ? (
        <>
          <br />
          <TechnicalDetail v={v} text={d.last_error} />
        </>
      ) : null}
    </span>
  )
}

export function ChannelsPage(props: {
  v: ViewCtx
  channels: Channel[]
  notifiers: Map<string, Notifier>
  brands: Map<number, string>
  recent: Map<number, DeliveryRow[]>
  /** host of each channel's webhook (never the whole URL: its path is the secret) */
  destinations: Map<number, string | undefined>
  /** the change just made (added, saved, deleted), said once above the list */
  done?: string
}) {
  const { v } = props
  const done = ['added', 'saved', 'deleted'].includes(props.done ?? '') ? props.done : undefined
  return (
    <Layout v={v} title={v.t('channels.title')}>
      <p class="small">
        <a href="/settings">← {v.t('settings.title')}</a>
      </p>
      <div class="page-head">
        <h1>{v.t('channels.title')}</h1>
        <a class="btn btn-primary" href="/settings/channels/new">
          {v.t('channels.add')}
        </a>
      </div>
      <p class="muted">{v.t('channels.intro')}</p>
      {done ? (
        <p class="alert alert-ok" role="status" tabindex={-1} autofocus>
          {v.t(k(`channels.done.${done}`))}
        </p>
      ) : null}
      {props.channels.length ? (
        <ul class="source-list">
          {props.channels.map((ch) => {
            const brandIds = JSON.parse(ch.brand_ids) as number[]
            const kinds = JSON.parse(ch.alert_kinds) as string[]
            const quiet = ch.quiet_hours
              ? (JSON.parse(ch.quiet_hours) as { start: string; end: string; timezone: string })
              : null
            return (
              <li class="card source channel">
                <div class="source-head">
                  <h2>{ch.name}</h2>
                  <span class="kind">{props.notifiers.get(ch.kind)?.label ?? ch.kind}</span>
                  <span class="lang-tag">{ch.lang}</span>
                  {ch.enabled ? null : <span class="badge h-paused">{v.t('channels.paused')}</span>}
                  <a class="small" href={`/settings/channels/${ch.id}/edit`}>
                    {v.t('common.edit')}
                  </a>
                </div>
                <dl class="kv">
                  {props.destinations.get(ch.id) ? (
                    <>
                      <dt>{v.t('channels.destination')}</dt>
                      <dd>
                        <code>{props.destinations.get(ch.id)}</code>
                      </dd>
                    </>
                  ) : null}
                  <dt>{v.t('channels.brands')}</dt>
                  <dd>
                    {brandIds.length
                      ? brandIds.map((id) => props.brands.get(id) ?? `#${id}`).join(', ')
                      : v.t('channels.allBrands')}
                  </dd>
                  <dt>{v.t('channels.kinds')}</dt>
                  <dd>
                    {kinds.length
                      ? kinds.map((x) => v.t(k(`alerts.kind.${x}`))).join(', ')
                      : v.t('channels.allKinds')}
                  </dd>
                  <dt>{v.t('channels.tz')}</dt>
                  <dd>{ch.timezone ?? v.vigieTz ?? v.tz}</dd>
                  {quiet ? (
                    <>
                      <dt>{v.t('channels.quiet')}</dt>
                      <dd>
                        {quiet.start} → {quiet.end}
                      </dd>
                    </>
                  ) : null}
                </dl>
                <div class="test-row">
                  <form
                    method="post"
                    action={`/settings/channels/${ch.id}/test`}
                    hx-post={`/settings/channels/${ch.id}/test`}
                    hx-target={`#test-result-${ch.id}`}
                    hx-swap="innerHTML"
                  >
                    <button class="btn btn-small" type="submit">
                      {v.t('channels.test')}
                    </button>
                  </form>
                  <span id={`test-result-${ch.id}`} aria-live="polite"></span>
                </div>
                {lastOutcome(props.recent.get(ch.id))?.status === 'failed' ? (
                  <p class="alert alert-error" role="status">
                    {v.t('channels.broken')}
                  </p>
                ) : null}
                <h3 class="small">{v.t('channels.recent')}</h3>
                {props.recent.get(ch.id)?.length ? (
                  <DeliveryList v={v} rows={props.recent.get(ch.id)!} />
                ) : (
                  <p class="muted small">{v.t('channels.noRecent')}</p>
                )}
              </li>
            )
          })}
        </ul>
      ) : (
        <p class="card empty">{v.t('channels.none')}</p>
      )}
    </Layout>
  )
}

export function ChannelFormPage(props: {
  v: ViewCtx
  id?: number
  notifier?: Notifier
  notifiers: Map<string, Notifier>
  brands: { id: number; name: string }[]
  values: ChannelFormValues
  errors: FieldErrors
  /** hints of stored secrets, by config key */
  secretHints?: Record<string, string>
}) {
  const { v, values, errors, notifier } = props
  const title = props.id ? v.t('channels.edit') : v.t('channels.new')
  if (!notifier)
    return (
      <Layout v={v} title={title}>
        <h1>{title}</h1>
        <KindPicker
          v={v}
          action="/settings/channels/new"
          legend={v.t('channels.kind')}
          kinds={[...props.notifiers.values()]}
        />
      </Layout>
    )
  return (
    <Layout v={v} title={title}>
      <h1>
        {title} <span class="kind">{notifier.label}</span>
      </h1>
      <p class="muted">{inLocale(notifier.description, v.locale)}</p>
      <form
        class="card form"
        method="post"
        action={props.id ? `/settings/channels/${props.id}` : '/settings/channels'}
        novalidate
      >
        <ErrorSummary v={v} errors={errors} />
        <input type="hidden" name="kind" value={notifier.id} />
        <Field id="ch-name" label={v.t('channels.name')} error={errors.name} required>
          <input
            id="ch-name"
            name="name"
            value={values.name}
            required
            maxlength={100}
            aria-invalid={errors.name ? 'true' : undefined}
          />
        </Field>
        {notifier.fields.map((f) => (
          <ConfigField
            v={v}
            f={f}
            value={values.config[f.name] ?? ''}
            error={errors[`config.${f.name}`]}
            typed={Object.keys(errors).length > 0}
            stored={props.secretHints?.[f.name]}
            fallback={schemaDefault(notifier.schema, f.name)}
          />
        ))}
        <Field id="ch-lang" label={v.t('channels.lang')}>
          <LocaleSelect id="ch-lang" value={values.lang} />
        </Field>
        <Field
          id="ch-tz"
          label={v.t('channels.tz')}
          help={v.t('channels.tzHelp', { tz: v.vigieTz ?? v.tz })}
          error={errors.timezone}
        >
          <input
            id="ch-tz"
            name="timezone"
            value={values.timezone}
            placeholder={v.vigieTz ?? v.tz}
            list="ch-tz-list"
            autocomplete="off"
          />
        </Field>
        <ZoneList id="ch-tz-list" />
        <fieldset class="field">
          <legend>{v.t('channels.brands')}</legend>
          <p class="help">{v.t('channels.brandsHelp')}</p>
          {props.brands.map((b) => (
            <label class="check">
              <input
                type="checkbox"
                name="brand"
                value={String(b.id)}
                checked={values.brandIds.includes(b.id)}
              />{' '}
              {b.name}
            </label>
          ))}
        </fieldset>
        <fieldset class="field">
          <legend>{v.t('channels.kinds')}</legend>
          <p class="help">{v.t('channels.kindsHelp')}</p>
          {ALERT_KINDS.map((kind) => (
            <label class="check">
              <input
                type="checkbox"
                name="alert_kind"
                value={kind}
                checked={values.alertKinds.includes(kind)}
              />{' '}
              {v.t(k(`alerts.kind.${kind}`))}
            </label>
          ))}
        </fieldset>
        <fieldset class="field quiet-hours">
          <legend>{v.t('channels.quiet')}</legend>
          <p class="help">{v.t('channels.quietHelp')}</p>
          <Field id="ch-quiet-start" label={v.t('channels.quietStart')} error={errors.quietStart}>
            <input
              id="ch-quiet-start"
              name="quiet_start"
              type="time"
              value={values.quietStart}
              aria-invalid={errors.quietStart ? 'true' : undefined}
            />
          </Field>
          <Field id="ch-quiet-end" label={v.t('channels.quietEnd')} error={errors.quietEnd}>
            <input
              id="ch-quiet-end"
              name="quiet_end"
              type="time"
              value={values.quietEnd}
              aria-invalid={errors.quietEnd ? 'true' : undefined}
            />
          </Field>
        </fieldset>
        <div class="field field-check">
          <input
            id="ch-enabled"
            type="checkbox"
            name="enabled"
            value="true"
            checked={values.enabled}
          />
          <label for="ch-enabled">{v.t('channels.enabled')}</label>
        </div>
        <div class="form-actions">
          <button class="btn btn-primary" type="submit">
            {v.t('common.save')}
          </button>
          <a class="btn btn-link" href="/settings/channels">
            {v.t('common.cancel')}
          </a>
        </div>
      </form>
      {props.id ? <DeleteForm v={v} action={`/settings/channels/${props.id}/delete`} /> : null}
    </Layout>
  )
}

/** The newest message this channel actually tried to send (tests included), newest first. */
function lastOutcome(rows: DeliveryRow[] | undefined): DeliveryRow | undefined {
  return rows?.find((r) => r.status === 'sent' || (r.status === 'failed' && r.attempts > 0))
}
