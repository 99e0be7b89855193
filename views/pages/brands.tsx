// Brands: the list and the form (validation errors shown in the form, not as exceptions).
import type { Brand } from '../../db/schema'
import { ErrorSummary, Field, type FieldErrors } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function BrandsPage(props: { v: ViewCtx; brands: (Brand & { mentions: number })[] }) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('brands.title')}>
      <div class="page-head">
        <h1>{v.t('brands.title')}</h1>
        <a class="btn btn-primary" href="/brands/new">
          {v.t('brands.new')}
        </a>
      </div>
      {props.brands.length ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{v.t('brands.name')}</th>
              <th scope="col">{v.t('brands.query')}</th>
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
                <td>
                  <a href={`/mentions?brand=${b.id}`}>{b.name}</a>
                </td>
                <td>
                  <code>{b.query}</code>
                </td>
                <td class="num">{v.fmt.number(b.mentions)}</td>
                <td>
                  <a href={`/brands/${b.id}/edit`}>{v.t('common.edit')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="card empty">{v.t('brands.none')}</p>
      )}
    </Layout>
  )
}

export interface BrandFormValues {
  name: string
  query: string
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
            aria-invalid={errors.query ? 'true' : undefined}
            aria-describedby={`brand-query-help${errors.query ? ' brand-query-error' : ''}`}
          >
            {values.query}
          </textarea>
        </Field>
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
        <form
          method="post"
          action={`/brands/${props.id}/delete`}
          class="danger-zone"
          hx-confirm={v.t('common.confirmDelete')}
        >
          <button class="btn btn-danger" type="submit">
            {v.t('common.delete')}
          </button>
        </form>
      ) : null}
    </Layout>
  )
}
