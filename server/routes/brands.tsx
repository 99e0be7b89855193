// Brands: list, create, edit, delete. Validation failures re-render the form with field errors.
import { Hono } from 'hono'
import { deleteBrand, getBrand, getBrandByName, insertBrand, updateBrand } from '../../db/brands'
import type { FieldErrors } from '../../views/components'
import { BrandFormPage, BrandsPage, type BrandFormValues } from '../../views/pages/brands'
import type { Env } from '../app'
import { redirectAfterPost } from '../htmx'
import { parseQuery, QueryError } from '../query'

async function validateBrand(c: any, values: BrandFormValues, id?: number): Promise<FieldErrors> {
  const { db } = c.get('ctx')
  const t = c.get('v').t
  const errors: FieldErrors = {}
  if (!values.name) errors.name = t('common.required')
  else if (values.name.length > 100) errors.name = 'max 100'
  else {
    const other = await getBrandByName(db, values.name)
    if (other && other.id !== id) errors.name = t('brands.nameTaken')
  }
  if (!values.query.trim()) errors.query = t('common.required')
  else
    try {
      parseQuery(values.query)
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      errors.query = `${t('brands.invalidQuery')}: ${err.message}`
    }
  return errors
}

async function readForm(c: any): Promise<BrandFormValues> {
  const body = await c.req.parseBody()
  return { name: String(body.name ?? '').trim(), query: String(body.query ?? '').trim() }
}

export const brandRoutes = new Hono<Env>()
  .get('/brands', async (c) => {
    const { db } = c.get('ctx')
    const brands = await db
      .selectFrom('brands')
      .leftJoin('mentions', 'mentions.brand_id', 'brands.id')
      .selectAll('brands')
      .select((eb) => eb.fn.count<number>('mentions.id').as('mentions'))
      .groupBy('brands.id')
      .orderBy('brands.name')
      .execute()
    return c.html(
      <BrandsPage
        v={c.get('v')}
        brands={brands.map((b) => ({ ...b, mentions: Number(b.mentions) }))}
      />,
    )
  })
  .get('/brands/new', (c) =>
    c.html(<BrandFormPage v={c.get('v')} values={{ name: '', query: '' }} errors={{}} />),
  )
  .post('/brands', async (c) => {
    const ctx = c.get('ctx')
    const values = await readForm(c)
    const errors = await validateBrand(c, values)
    if (Object.keys(errors).length)
      return c.html(<BrandFormPage v={c.get('v')} values={values} errors={errors} />, 422)
    await insertBrand(ctx.db, values, ctx.now())
    return redirectAfterPost(c, '/brands')
  })
  .get('/brands/:id{[0-9]+}/edit', async (c) => {
    const brand = await getBrand(c.get('ctx').db, Number(c.req.param('id')))
    if (!brand) return c.notFound()
    return c.html(
      <BrandFormPage
        v={c.get('v')}
        id={brand.id}
        values={{ name: brand.name, query: brand.query }}
        errors={{}}
      />,
    )
  })
  .post('/brands/:id{[0-9]+}', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getBrand(ctx.db, id))) return c.notFound()
    const values = await readForm(c)
    const errors = await validateBrand(c, values, id)
    if (Object.keys(errors).length)
      return c.html(<BrandFormPage v={c.get('v')} id={id} values={values} errors={errors} />, 422)
    await updateBrand(ctx.db, id, values, ctx.now())
    return redirectAfterPost(c, '/brands')
  })
  .post('/brands/:id{[0-9]+}/delete', async (c) => {
    await deleteBrand(c.get('ctx').db, Number(c.req.param('id')))
    return redirectAfterPost(c, '/brands')
  })
