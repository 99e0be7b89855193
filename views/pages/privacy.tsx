// Privacy settings (admins): the exclusion list (hints only), retention with the last purge's
// report, erasure requests, and the export form.
import type { Brand, Exclusion } from '../../db/schema'
import { ErrorSummary, Field, type FieldErrors } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function ExclusionsPage(props: {
  v: ViewCtx
  exclusions: Exclusion[]
  brands: Brand[]
  platforms: { id: string; label: string }[]
  errors?: FieldErrors
  values?: { kind: string; value: string; platform: string; brand: string }
  notice?: string
}) {
  const { v } = props
  const errors = props.errors ?? {}
  const values = props.values ?? { kind: 'author', value: '', platform: '', brand: '' }
  const brandName = (id: number | null) =>
    id === null
      ? v.t('privacy.allBrands')
      : (props.brands.find((b) => b.id === id)?.name ?? `#${id}`)
  return (
    <Layout v={v} title={v.t('privacy.exclusions')}>
      <h1>{v.t('privacy.exclusions')}</h1>
      <p class="muted">{v.t('privacy.exclusionsHelp')}</p>
      {props.notice ? (
        <p class="alert alert-ok" role="status" id="exclusions-notice" tabindex={-1} autofocus>
          {props.notice}
        </p>
      ) : null}
      <p>
        <a href="/settings/privacy">{v.t('privacy.title')}</a>
      </p>
      {props.exclusions.length ? (
        <div class="table-scroll">
          <table class="table" id="exclusions">
            <thead>
              <tr>
                <th scope="col">{v.t('privacy.hint')}</th>
                <th scope="col">{v.t('privacy.kind')}</th>
                <th scope="col">{v.t('privacy.platform')}</th>
                <th scope="col">{v.t('privacy.brand')}</th>
                <th scope="col">{v.t('privacy.added')}</th>
                <th scope="col">
                  <span class="sr-only">{v.t('common.delete')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.exclusions.map((e) => (
                <tr>
                  <td>
                    <code>{e.hint}</code>
                  </td>
                  <td>{v.t(`privacy.kind.${e.kind}`)}</td>
                  <td>
                    {e.platform
                      ? (props.platforms.find((p) => p.id === e.platform)?.label ?? e.platform)
                      : v.t('privacy.anyPlatform')}
                  </td>
                  <td class="name-cell">{brandName(e.brand_id)}</td>
                  {/* two hints alike ("st…") are told apart by when they were added */}
                  <td class="nowrap">
                    <time datetime={e.created_at}>{v.fmt.dateTime(e.created_at)}</time>
                  </td>
                  <td>
                    <form method="post" action={`/settings/exclusions/${e.id}/delete`}>
                      <button class="btn btn-small btn-danger" type="submit">
                        {v.t('common.delete')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="card empty">{v.t('privacy.noExclusions')}</p>
      )}
      <ErrorSummary v={v} errors={errors} />
      <form method="post" action="/settings/exclusions" class="card form">
        <Field id="ex-kind" label={v.t('privacy.kind')}>
          <select id="ex-kind" name="kind">
            {(['author', 'domain'] as const).map((k) => (
              <option value={k} selected={values.kind === k}>
                {v.t(`privacy.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ex-value" label={v.t('privacy.value')} error={errors.value} required>
          <input id="ex-value" name="value" required value={values.value} autocomplete="off" />
        </Field>
        <Field id="ex-platform" label={v.t('privacy.platform')}>
          <select id="ex-platform" name="platform">
            <option value="">{v.t('privacy.anyPlatform')}</option>
            {props.platforms.map((p) => (
              <option value={p.id} selected={values.platform === p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ex-brand" label={v.t('privacy.brand')}>
          <select id="ex-brand" name="brand">
            <option value="">{v.t('privacy.allBrands')}</option>
            {props.brands.map((b) => (
              <option value={String(b.id)} selected={values.brand === String(b.id)}>
                {b.name}
              </option>
            ))}
          </select>
        </Field>
        <button class="btn btn-primary" type="submit">
          {v.t('privacy.addExclusion')}
        </button>
      </form>
    </Layout>
  )
}

export function PrivacyPage(props: {
  v: ViewCtx
  days: number
  lastPurge?: { at: string; deleted: number }
  brands: Brand[]
  notice?: string
  errors?: FieldErrors
  /** a refused value, shown again as typed */
  typed?: string
}) {
  const { v } = props
  const errors = props.errors ?? {}
  return (
    <Layout v={v} title={v.t('privacy.title')}>
      <h1>{v.t('privacy.title')}</h1>
      {props.notice ? (
        <div class="alert" role="status" id="privacy-notice" tabindex={-1} autofocus>
          {props.notice}
        </div>
      ) : null}
      <ErrorSummary v={v} errors={errors} />
      <section class="card" aria-labelledby="h-excl">
        <h2 id="h-excl">{v.t('privacy.exclusions')}</h2>
        <p class="muted">{v.t('privacy.exclusionsHelp')}</p>
        <a class="btn" href="/settings/exclusions">
          {v.t('privacy.exclusions')}
        </a>
      </section>
      <section class="card" aria-labelledby="h-ret">
        <h2 id="h-ret">{v.t('privacy.retention')}</h2>
        <p class="muted">{v.t('privacy.retentionHelp')}</p>
        <p id="last-purge">
          {props.lastPurge
            ? v.t('privacy.lastPurge', {
                at: v.fmt.dateTime(props.lastPurge.at),
                n: v.fmt.number(props.lastPurge.deleted),
              })
            : v.t('privacy.neverPurged')}
        </p>
        <form method="post" action="/settings/retention" class="form">
          <Field id="ret-days" label={v.t('privacy.retentionDays')} error={errors.days}>
            <input
              id="ret-days"
              name="days"
              type="number"
              min={1}
              max={3650}
              required
              value={props.typed ?? String(props.days)}
            />
          </Field>
          <button class="btn btn-primary" type="submit">
            {v.t('common.save')}
          </button>
        </form>
        <form
          method="post"
          action="/settings/retention/purge"
          data-confirm={v.t('privacy.confirmPurge')}
        >
          <button class="btn" type="submit">
            {v.t('privacy.purgeNow')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="h-erase">
        <h2 id="h-erase">{v.t('privacy.erasure')}</h2>
        <p class="muted">{v.t('privacy.erasureHelp')}</p>
        <form
          method="post"
          action="/settings/erasure"
          class="form"
          data-confirm={v.t('privacy.confirmErase')}
        >
          <Field id="erase-kind" label={v.t('privacy.erasureBy')}>
            <select id="erase-kind" name="kind">
              <option value="author">{v.t('privacy.kind.author')}</option>
              <option value="url">{v.t('privacy.kind.url')}</option>
            </select>
          </Field>
          <Field id="erase-value" label={v.t('privacy.erasureValue')} error={errors.value} required>
            <input id="erase-value" name="value" required autocomplete="off" />
          </Field>
          <button class="btn btn-danger" type="submit">
            {v.t('privacy.erase')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="h-export">
        <h2 id="h-export">{v.t('privacy.export')}</h2>
        <p class="muted">{v.t('privacy.exportHelp')}</p>
        <form method="get" action="/api/export" class="form">
          <Field id="exp-brand" label={v.t('privacy.brand')}>
            <select id="exp-brand" name="brand">
              <option value="">{v.t('privacy.allBrands')}</option>
              {props.brands.map((b) => (
                <option value={String(b.id)}>{b.name}</option>
              ))}
            </select>
          </Field>
          <Field id="exp-from" label={v.t('privacy.from')}>
            <input id="exp-from" name="from" type="date" />
          </Field>
          <Field id="exp-to" label={v.t('privacy.to')}>
            <input id="exp-to" name="to" type="date" />
          </Field>
          <Field id="exp-format" label={v.t('privacy.format')}>
            <select id="exp-format" name="format">
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </Field>
          <Field id="exp-sep" label={v.t('privacy.separator')} help={v.t('privacy.separatorHelp')}>
            {/* Excel in French opens a comma-separated file in one column */}
            <select id="exp-sep" name="sep">
              <option value="semicolon" selected={v.locale === 'fr'}>
                {v.t('privacy.semicolon')}
              </option>
              <option value="comma" selected={v.locale !== 'fr'}>
                {v.t('privacy.comma')}
              </option>
            </select>
          </Field>
          <button class="btn" type="submit">
            {v.t('privacy.download')}
          </button>
        </form>
      </section>
    </Layout>
  )
}
