// Brands: list, create, edit, delete, per-brand sentiment vocabulary, and the live preview of a
// query against the stored mentions of the last 30 days. Validation failures re-render the form
// with field errors.
import { Hono } from 'hono'
import {
  deleteBrand,
  getBrand,
  getBrandByNameAnyCase,
  insertBrand,
  updateBrand,
} from '../../db/brands'
import type { FieldErrors } from '../../views/components'
import {
  BrandFormPage,
  BrandsPage,
  QueryPreview,
  type BrandFormValues,
  type PreviewData,
  type PreviewRow,
} from '../../views/pages/brands'
import type { Env } from '../app'
import { audit } from '../auth'
import { formatVocabulary, parseVocabulary } from '../brand-vocabulary'
import { redirectAfterPost } from '../htmx'
import { lowercaseOperators, matchQuery, parseQuery, prepareText, QueryError } from '../query'
import type { Db } from '../../db'
import type { T } from '../../views/i18n'
import { oneLine } from '../text'

async function validateBrand(
  c: any,
  values: BrandFormValues,
  id?: number,
): Promise<{ errors: FieldErrors; vocabulary: Record<string, number> }> {
  const { db } = c.get('ctx')
  const t = c.get('v').t
  const errors: FieldErrors = {}
  if (!values.name) errors.name = t('common.required')
  else if (values.name.length > 100) errors.name = t('common.tooLong', { max: 100 })
  else {
    const other = await getBrandByNameAnyCase(db, values.name)
    if (other && other.id !== id) errors.name = t('brands.nameTaken')
  }
  if (!values.query.trim()) errors.query = t('common.required')
  else if (values.query.length > 2000) errors.query = t('common.tooLong', { max: 2000 })
  else
    try {
      parseQuery(values.query)
    } catch (err) {
      if (!(err instanceof QueryError)) throw err
      errors.query = t('brands.invalidQueryReason', { reason: queryErrorText(t, err) })
    }
  const vocab = parseVocabulary(values.vocabulary)
  if (vocab.errors.length)
    errors.vocabulary = vocab.errors
      .map((e) => t('vocab.lineError', { line: e.line, reason: t(`vocab.err.${e.message}`) }))
      .join(' ')
  return { errors, vocabulary: vocab.vocabulary }
}

async function readForm(c: any): Promise<BrandFormValues> {
  const body = await c.req.parseBody()
  return {
    name: oneLine(String(body.name ?? '')),
    query: String(body.query ?? '').trim(),
    vocabulary: String(body.vocabulary ?? ''),
    // an unticked box sends nothing: only a form that showed it (has_active) can pause; a post
    // without it (a script, an older page) leaves the brand as it is
    active: body.has_active === undefined ? undefined : body.active !== undefined,
  }
}

const PREVIEW_SAMPLE = 3000

/** Which of the latest stored mentions (30 days) a query would keep, and which of this brand's it would drop. */
/** A query's mistake in the reader's language (QueryError's own message is for logs and YAML). */
export function queryErrorText(t: T, err: QueryError): string {
  return t(`query.err.${err.code}`, { pos: err.position + 1, token: err.token })
}

export async function previewQuery(
  db: Db,
  query: string,
  now: Date,
  t: T,
  brandId?: number,
): Promise<PreviewData> {
  let node
  try {
    node = parseQuery(query)
  } catch (err) {
    if (err instanceof QueryError) return { error: queryErrorText(t, err) }
    throw err
  }
  const since = new Date(now.getTime() - 30 * 86400_000).toISOString()
  const rows = await db
    .selectFrom('mentions')
    .innerJoin('brands', 'brands.id', 'mentions.brand_id')
    .select([
      'mentions.id',
      'mentions.brand_id',
      'mentions.title',
      'mentions.text',
      'mentions.url',
      'mentions.published_at',
      'mentions.lang',
      'brands.name as brand_name',
    ])
    .where('mentions.published_at', '>=', since)
    .orderBy('mentions.published_at', 'desc')
    .limit(PREVIEW_SAMPLE)
    .execute()
  const kept: PreviewRow[] = []
  const dropped: PreviewRow[] = []
  let keptN = 0
  let droppedN = 0
  let ownN = 0
  for (const r of rows) {
    const hits = matchQuery(node, prepareText(`${r.title} ${r.text}`))
    const own = brandId !== undefined && r.brand_id === brandId
    if (own) ownN++
    if (hits) {
      keptN++
      if (kept.length < 6) kept.push({ ...r, terms: hits })
    } else if (own) {
      droppedN++
      if (dropped.length < 6) dropped.push({ ...r, terms: [] })
    }
  }
  return {
    sample: rows.length,
    keptN,
    droppedN,
    ownN,
    kept,
    dropped,
    lowercaseOps: lowercaseOperators(query),
  }
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
    c.html(
      <BrandFormPage
        v={c.get('v')}
        values={{ name: '', query: '', vocabulary: '', active: true }}
        errors={{}}
      />,
    ),
  )
  .post('/brands/preview', async (c) => {
    const ctx = c.get('ctx')
    const body = await c.req.parseBody()
    const query = String(body.query ?? '').trim()
    const id = /^\d+$/.test(String(body.id ?? '')) ? Number(body.id) : undefined
    if (!query) return c.html(<QueryPreview v={c.get('v')} data={{ empty: true }} />)
    const data = await previewQuery(ctx.db, query, ctx.now(), c.get('v').t, id)
    return c.html(<QueryPreview v={c.get('v')} data={data} />)
  })
  .post('/brands', async (c) => {
    const ctx = c.get('ctx')
    const values = await readForm(c)
    const { errors, vocabulary } = await validateBrand(c, values)
    if (Object.keys(errors).length)
      return c.html(<BrandFormPage v={c.get('v')} values={values} errors={errors} />, 422)
    await insertBrand(ctx.db, { ...values, vocabulary }, ctx.now())
    return redirectAfterPost(c, '/brands')
  })
  .get('/brands/:id{[0-9]+}/edit', async (c) => {
    const brand = await getBrand(c.get('ctx').db, Number(c.req.param('id')))
    if (!brand) return c.notFound()
    return c.html(
      <BrandFormPage
        v={c.get('v')}
        id={brand.id}
        values={{
          name: brand.name,
          query: brand.query,
          vocabulary: formatVocabulary(brand.vocabulary),
          active: !!brand.active,
        }}
        errors={{}}
      />,
    )
  })
  .post('/brands/:id{[0-9]+}', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getBrand(ctx.db, id))) return c.notFound()
    const values = await readForm(c)
    const { errors, vocabulary } = await validateBrand(c, values, id)
    if (Object.keys(errors).length)
      return c.html(<BrandFormPage v={c.get('v')} id={id} values={values} errors={errors} />, 422)
    await updateBrand(ctx.db, id, { ...values, vocabulary }, ctx.now())
    return redirectAfterPost(c, '/brands')
  })
  .post('/brands/:id{[0-9]+}/delete', async (c) => {
    const id = Number(c.req.param('id'))
    const brand = await getBrand(c.get('ctx').db, id)
    await deleteBrand(c.get('ctx').db, id)
    // its name, since the row it named is gone
    await audit(c, { action: 'brands.delete', outcome: 'ok', detail: { id, name: brand?.name } })
    return redirectAfterPost(c, '/brands')
  })
