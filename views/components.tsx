// Small shared components: sentiment badge, health badge, form fields with errors.
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { FieldSpec } from '../collectors/types'
import { tokenize } from '../server/text'
import { type Dict, isKey } from './i18n/fr'
import { inLocale } from './i18n'
import type { ViewCtx } from './view-context'

// (an html`` template rather than JSX: it is drawn once per card of the feed, the hottest page;
// html`` escapes every interpolated value exactly as JSX does)
export function SentimentBadge(props: {
  v: ViewCtx
  label: string
  scored: boolean
  score?: number
  manual?: boolean
}) {
  const { v } = props
  if (!props.scored && !props.manual) {
    const help = v.t('sentiment.unscoredHelp')
    return html`<span class="badge s-unscored" title="${help}">${v.t('sentiment.unscored')}</span>`
  }
  const label = props.label as 'positive' | 'neutral' | 'negative'
  const title = props.score !== undefined ? html` title="${`score ${props.score}`}"` : ''
  const text = v.t(`sentiment.${label}`)
  // the pencil is decoration; a screen reader hears what it means
  const manual = props.manual
    ? html`<span aria-hidden="true"> ✎</span><span class="sr-only"> ${v.t('sentiment.corrected')}</span>`
    : ''
  return html`<span class="badge s-${label}"${title}>${text}${manual}</span>`
}

export function HealthBadge(props: {
  v: ViewCtx
  health: 'ok' | 'pending' | 'slowed' | 'failing' | 'paused'
}) {
  return <span class={`badge h-${props.health}`}>{props.v.t(`health.${props.health}`)}</span>
}

export type FieldErrors = Record<string, string>

/**
 * Links the field's control (the child with the field's id) to its help and error text, so a
 * screen reader reads them with it, and marks it invalid when there is an error.
 */
function describeControl(children: Child, id: string, describedBy: string, invalid: boolean) {
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) return c.forEach(visit)
    const node = c as { props?: Record<string, unknown> } | null
    if (!node || typeof node !== 'object' || node.props?.id !== id) return
    if (describedBy && !node.props['aria-describedby']) node.props['aria-describedby'] = describedBy
    if (invalid) node.props['aria-invalid'] = 'true'
  }
  visit(children)
}

/**
 * The help to show beside an error: none when the error says the same words (a hint "16 caractères
 * au moins." over the error "au moins 16 caractères" is one message read twice).
 */
export function helpBeside(help: string | undefined, error: string | undefined) {
  if (!help || !error) return help
  const words = (s: string) => [...new Set(tokenize(s))].sort().join(' ')
  return words(help) === words(error) ? undefined : help
}

export function Field(props: {
  id: string
  label: string
  error?: string
  help?: string
  required?: boolean
  children: Child
}) {
  const help = helpBeside(props.help, props.error)
  const describedBy = [help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ')
  describeControl(props.children, props.id, describedBy, !!props.error)
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={props.id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.children}
      {help ? (
        <p class="help" id={`${props.id}-help`}>
          {help}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/**
 * Above a refused form. Focused when the page (or the htmx swap) arrives: a role=alert already in
 * a freshly loaded page is not announced, and focus left at the top of the page told a screen
 * reader user nothing of the refusal; from here the next Tab reaches the form's fields.
 */
export function ErrorSummary(props: { v: ViewCtx; errors: FieldErrors }) {
  if (!Object.keys(props.errors).length) return null
  return (
    <div class="alert alert-error" role="alert" tabindex={-1} autofocus>
      {props.v.t('common.fixErrors')}
    </div>
  )
}

// The notices a form leaves on the page it comes back to ('Saved.', a token shown once, an
// invitation link) carry tabindex=-1 autofocus, for the same reason as ErrorSummary: a status
// already in a page that loads is not read out, and focus at the top said nothing of the outcome.

/**
 * One line for a status region that stays in the page (`target`, role=status), sent beside an
 * htmx response: a screen reader reads that line, where a region swapped in whole is often not
 * read at all, or read item by item.
 */
export function Announce(props: { target: string; text: string }) {
  return (
    <hx-partial hx-target={`#${props.target}`} hx-swap="innerHTML">
      {props.text}
    </hx-partial>
  )
}

/** A delete button that asks first (views/static/app.js): `confirm` says what goes with it. */
export function DeleteForm(props: { v: ViewCtx; action: string; confirm?: string }) {
  return (
    <form
      method="post"
      action={props.action}
      class="danger-zone"
      data-confirm={props.confirm ?? props.v.t('common.confirmDelete')}
    >
      <button class="btn btn-danger" type="submit">
        {props.v.t('common.delete')}
      </button>
    </form>
  )
}

/**
 * A source kind's name in the page's language. Most are brands (Mastodon, Hacker News) and keep
 * their collector label; the few that describe in English ('App Store reviews') have a 'kind.<id>'
 * translation, so French pages do not show them in English.
 */
export function kindLabel(v: ViewCtx, kind: { id: string; label: string }): string {
  const key = `kind.${kind.id}`
  return isKey(key) ? v.t(key) : kind.label
}

/** kindLabel of a stored kind id; a kind no collector has any more shows as its id. */
export function storedKindLabel(
  v: ViewCtx,
  registry: ReadonlyMap<string, { id: string; label: string }>,
  id: string,
): string {
  return kindLabel(v, registry.get(id) ?? { id, label: id })
}

/** Step one of a "new source/channel" form: pick the kind (its settings form comes next). */
export function KindPicker(props: {
  v: ViewCtx
  action: string
  legend: string
  kinds: { id: string; label: string; description: { en: string; fr: string } }[]
}) {
  const { v } = props
  return (
    <form class="card form" method="get" action={props.action}>
      <fieldset>
        <legend>{props.legend}</legend>
        <ul class="kind-list">
          {props.kinds.map((k) => (
            <li>
              <label>
                <input type="radio" name="kind" value={k.id} required />
                <strong>{kindLabel(v, k)}</strong>
                <span class="muted">{inLocale(k.description, v.locale)}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div class="form-actions">
        <button class="btn btn-primary" type="submit">
          {v.t('common.next')} →
        </button>
      </div>
    </form>
  )
}

/**
 * One setting of a collector or a notifier (its FieldSpec) as a form field. A stored secret is
 * never sent back to the browser: the field stays empty, says what is kept (`stored`: its hint,
 * such as the last characters, or '' when there is none) and leaving it empty keeps it.
 */
export function ConfigField(props: {
  v: ViewCtx
  f: FieldSpec
  value: string
  error?: string
  stored?: string
  /** the form comes back with errors: `value` is what this person just typed, kept for them
   * (a pasted webhook address must not have to be pasted again) */
  typed?: boolean
  /** what the settings' schema takes when the field is left empty (schemaDefault) */
  fallback?: string
}) {
  const { v, f } = props
  const id = `cfg-${f.name}`
  const isStored = f.type === 'secret' && props.stored !== undefined
  const help = isStored
    ? v.t('form.secretKept', { hint: props.stored || '••••' })
    : f.help && inLocale(f.help, v.locale)
  // Field links its help and error to the control (aria-describedby, aria-invalid)
  const common = { id, name: `config.${f.name}` }
  let input
  if (f.type === 'select')
    input = (
      <select {...common}>
        {/* an empty choice only where empty means something the options do not say */}
        {!f.required && !f.options?.some((o) => o.value === props.fallback) ? (
          <option value="">—</option>
        ) : null}
        {(f.options ?? []).map((o) => (
          <option value={o.value} selected={(props.value || props.fallback) === o.value}>
            {inLocale(o.label, v.locale)}
          </option>
        ))}
      </select>
    )
  else if (f.type === 'checkbox')
    input = <input {...common} type="checkbox" value="true" checked={props.value === 'true'} />
  else if (f.type === 'textarea')
    input = (
      <textarea {...common} rows={3}>
        {props.value}
      </textarea>
    )
  else if (f.type === 'secret')
    input = (
      <input
        {...common}
        type="password"
        autocomplete="new-password"
        value={props.typed ? props.value : ''}
        placeholder={f.placeholder}
      />
    )
  else
    input = (
      <input
        {...common}
        type={f.type === 'number' ? 'number' : f.type === 'url' ? 'url' : 'text'}
        value={props.value}
        placeholder={f.placeholder}
      />
    )
  return (
    <Field
      id={id}
      label={inLocale(f.label, v.locale)}
      error={props.error}
      help={help}
      required={f.required && !isStored}
    >
      {input}
    </Field>
  )
}

/** The French/English choice (UI, digest, chat message language), in each language's own name. */
export function LocaleSelect(props: { id: string; value: string }) {
  return (
    <select name="lang" id={props.id}>
      <option value="fr" selected={props.value === 'fr'}>
        Français
      </option>
      <option value="en" selected={props.value === 'en'}>
        English
      </option>
    </select>
  )
}

/** A source's failure: its kind in plain words, what Vigie does and what to check (in the page's
 * language), then the collector's own message, which stays technical English like the logs. */
export function SourceError(props: { v: ViewCtx; code: string | null; message: string }) {
  const { v } = props
  const code = errorCode(props.code)
  return (
    <>
      <strong>{sourceErrorTitle(v, code)}</strong>
      <br />
      <span class="small">{v.t(`error.help.${code}` as keyof Dict)}</span>
      <br />
      <TechnicalDetail v={v} text={props.message} />
    </>
  )
}

/** A stored failure code with an explanation, or 'http' (the generic one) for any other. */
const errorCode = (code: string | null) => (code && isKey(`error.help.${code}`) ? code : 'http')

/** A source failure's kind in plain words ('Source unreachable'). */
export function sourceErrorTitle(v: ViewCtx, code: string | null): string {
  return v.t(`error.${errorCode(code)}` as keyof Dict)
}

/** A failure's own message (English, like the logs) under its explanation in the reader's words. */
export function TechnicalDetail(props: { v: ViewCtx; text: string }) {
  return (
    <small class="muted">
      {props.v.t('error.detail')}
      {props.v.t('common.colon')}
      <code class="error-detail">{props.text}</code>
    </small>
  )
}

/** The zones a time-zone box suggests: the team's usual ones (any IANA name is accepted). */
const ZONES = [
  'Europe/Paris',
  'Europe/Zurich',
  'Europe/Brussels',
  'Europe/Luxembourg',
  'America/Toronto',
  'America/Montreal',
  'Europe/London',
  'UTC',
]

export function ZoneList(props: { id: string }) {
  return (
    <datalist id={props.id}>
      {ZONES.map((tz) => (
        <option value={tz} />
      ))}
    </datalist>
  )
}

/** An API token's name (with its visible prefix), scope in words and last use: three cells, the
 * same on one's account page and on the team's list. */
export function TokenCells(props: {
  v: ViewCtx
  t: { name: string; prefix: string; scope: string; last_used_at: string | null }
}) {
  const { v, t } = props
  return (
    <>
      <td class="name-cell">
        {t.name} <code class="small">{t.prefix}…</code>
      </td>
      <td>
        {t.scope === 'ingest'
          ? v.t('account.scopeIngest')
          : t.scope === 'read'
            ? v.t('account.scopeRead')
            : t.scope}
      </td>
      <td>{t.last_used_at ? v.fmt.relative(t.last_used_at, v.now) : v.t('common.never')}</td>
    </>
  )
}

/** A filter's menu: its first option ("all") sends nothing. */
export function FilterSelect(props: {
  id: string
  name: string
  label: string
  value?: string
  options: [string, string][]
  all: string
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        <option value="">{props.all}</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.value === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The value a settings schema (zod object) gives a field left empty, when it has a default. */
export function schemaDefault(schema: unknown, name: string): string | undefined {
  const field = (schema as { shape?: Record<string, { safeParse?: (x: unknown) => unknown }> })
    .shape?.[name]
  const r = field?.safeParse?.(undefined) as { success: boolean; data?: unknown } | undefined
  return r?.success && r.data !== undefined ? String(r.data) : undefined
}
