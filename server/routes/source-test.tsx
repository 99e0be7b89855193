// POST /sources/test: the "Test source" dry run from the source form (new or existing source).
import { Hono } from 'hono'
import { getSource } from '../../db/sources'
import { SourceTestResult } from '../../views/partials/source-test'
import type { Env } from '../app'
import { configFieldErrors } from '../field-errors'
import { dryRunFailure, dryRunSource } from '../source-test'
import { formValues, toConfig } from './sources'

export const sourceTestRoutes = new Hono<Env>().post('/sources/test', async (c) => {
  const ctx = c.get('ctx')
  const values = formValues(await c.req.parseBody())
  const id = Number(c.req.query('id'))
  const existing = id ? await getSource(ctx.db, id) : undefined
  const kind = existing?.kind ?? values.kind
  // Secrets left blank in the form keep their stored value, as on save.
  const v = c.get('v')
  const parsed = toConfig(
    kind,
    { ...values, kind },
    existing ? JSON.parse(existing.config) : undefined,
    v.locale,
  )
  // settings the form would refuse are said in the reader's language, without fetching anything
  if (!parsed.success) {
    const message = Object.entries(configFieldErrors(parsed.error.issues, v.t, v.locale))
      .map(([field, text]) => `${field.replace(/^config\./, '')}${v.t('common.colon')}${text}`)
      .join(' · ')
    return c.html(<SourceTestResult v={v} r={dryRunFailure('config', message)} />)
  }
  const config = parsed.data
  const result = await dryRunSource(ctx, {
    kind,
    config,
    brandId: values.brandId ? Number(values.brandId) : null,
  })
  return c.html(<SourceTestResult v={v} r={result} />)
})
