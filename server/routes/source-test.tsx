// POST /sources/test: the "Test source" dry run from the source form (new or existing source).
import { Hono } from 'hono'
import { getSource } from '../../db/sources'
import { SourceTestResult } from '../../views/partials/source-test'
import type { Env } from '../app'
import { dryRunSource } from '../source-test'
import { formValues, toConfig } from './sources'

export const sourceTestRoutes = new Hono<Env>().post('/sources/test', async (c) => {
  const ctx = c.get('ctx')
  const values = formValues(await c.req.parseBody())
  const id = Number(c.req.query('id'))
  const existing = id ? await getSource(ctx.db, id) : undefined
  const kind = existing?.kind ?? values.kind
  // Secrets left blank in the form keep their stored value, as on save.
  const parsed = toConfig(
    kind,
    { ...values, kind },
    existing ? JSON.parse(existing.config) : undefined,
  )
  const config = parsed.success
    ? parsed.data
    : Object.fromEntries(Object.entries(values.config).filter(([, val]) => val !== ''))
  const result = await dryRunSource(ctx, {
    kind,
    config,
    brandId: values.brandId ? Number(values.brandId) : null,
  })
  return c.html(<SourceTestResult v={c.get('v')} r={result} />)
})
