// Sources: list with health, the form generated from the collector's fields, "Poll now" and the
// self-refreshing status fragment.
import { Hono } from 'hono'
import { collectors } from '../../collectors'
import { configDefaults } from '../../collectors/shared'
import {
  deleteSource,
  getSource,
  getSourceByName,
  insertSource,
  listSources,
  sourceMentionCount,
  updateSource,
} from '../../db/sources'
import type { FieldErrors } from '../../views/components'
import {
  SourceFormPage,
  SourcesPage,
  SourceStatus,
  type SourceFormValues,
} from '../../views/pages/sources'
import type { Env } from '../app'
import { audit } from '../auth'
import { redirectAfterPost } from '../htmx'
import { secretHints } from '../secrets'
import { formatInterval, parseInterval } from '../schedule-math'
import { configFieldErrors, parseIn } from '../field-errors'
import type { Locale } from '../../views/i18n'

export function formValues(body: Record<string, unknown>): SourceFormValues {
  const config: Record<string, string> = {}
  for (const [k, val] of Object.entries(body))
    if (k.startsWith('config.')) config[k.slice(7)] = String(val)
  return {
    name: String(body.name ?? '').trim(),
    kind: String(body.kind ?? ''),
    interval: String(body.interval ?? '').trim(),
    brandId: String(body.brandId ?? ''),
    enabled: body.enabled === 'true',
    config,
  }
}

/** Builds the collector config from form strings: types per field, blanks dropped, secrets kept. */
export function toConfig(
  kind: string,
  values: SourceFormValues,
  previous?: Record<string, unknown>,
  locale: Locale = 'en',
) {
  const collector = collectors.get(kind)!
  const out: Record<string, unknown> = {}
  for (const f of collector.fields) {
    const raw = (values.config[f.name] ?? '').trim()
    if (f.type === 'checkbox') {
      if (raw === 'true') out[f.name] = true
      continue
    }
    if (!raw) {
      if (f.type === 'secret' && previous?.[f.name] !== undefined) out[f.name] = previous[f.name]
      continue
    }
    out[f.name] = f.type === 'number' ? Number(raw) : raw
  }
  return parseIn(collector.schema, out, locale)
}

async function validate(
  c: any,
  values: SourceFormValues,
  id?: number,
  previous?: Record<string, unknown>,
) {
  const { db } = c.get('ctx')
  const t = c.get('v').t
  const errors: FieldErrors = {}
  if (!values.name) errors.name = t('common.required')
  else if (values.name.length > 100) errors.name = t('common.tooLong', { max: 100 })
  else {
    const other = await getSourceByName(db, values.name)
    if (other && other.id !== id) errors.name = t('sources.nameTaken')
  }
  const collector = collectors.get(values.kind)!
  let intervalSeconds = collector.defaultInterval
  if (values.interval)
    try {
      intervalSeconds = parseInterval(values.interval)
    } catch {
      errors.interval = t('sources.badInterval')
    }
  const locale = c.get('v').locale
  const parsed = toConfig(values.kind, values, previous, locale)
  if (!parsed.success) Object.assign(errors, configFieldErrors(parsed.error.issues, t, locale))
  return {
    errors,
    intervalSeconds,
    config: parsed.success ? (parsed.data as Record<string, unknown>) : {},
  }
}

async function brandOptions(c: any) {
  return c.get('ctx').db.selectFrom('brands').select(['id', 'name']).orderBy('name').execute()
}

export const sourceRoutes = new Hono<Env>()
  .get('/sources', async (c) => {
    const { db } = c.get('ctx')
    const [sources, brands] = await Promise.all([listSources(db), brandOptions(c)])
    const poller = c.get('poller')
    return c.html(
      <SourcesPage
        v={c.get('v')}
        sources={sources}
        brands={new Map(brands.map((b: { id: number; name: string }) => [b.id, b.name]))}
        collectors={collectors}
        polling={(id) => poller.isPolling(id)}
      />,
    )
  })
  .get('/sources/new', async (c) => {
    const kind = c.req.query('kind') ?? ''
    const collector = collectors.get(kind)
    const values: SourceFormValues = {
      name: '',
      kind,
      interval: collector ? formatInterval(collector.defaultInterval, c.get('v').locale) : '',
      brandId: c.req.query('brand') ?? '',
      enabled: true,
      config: collector ? configDefaults(collector.schema) : {},
    }
    return c.html(
      <SourceFormPage
        v={c.get('v')}
        collector={collector}
        collectors={collectors}
        brands={await brandOptions(c)}
        values={values}
        errors={{}}
      />,
    )
  })
  .post('/sources', async (c) => {
    const ctx = c.get('ctx')
    const values = formValues(await c.req.parseBody())
    const collector = collectors.get(values.kind)
    if (!collector) return c.text(`unknown source kind "${values.kind}"`, 400)
    const { errors, intervalSeconds, config } = await validate(c, values)
    // the page carries what was typed into secret fields: not for any cache
    if (Object.keys(errors).length) {
      c.header('Cache-Control', 'no-store')
      return c.html(
        <SourceFormPage
          v={c.get('v')}
          collector={collector}
          collectors={collectors}
          brands={await brandOptions(c)}
          values={values}
          errors={errors}
        />,
        422,
      )
    }
    await insertSource(
      ctx.db,
      {
        name: values.name,
        kind: values.kind,
        config,
        intervalSeconds,
        brandId: values.brandId ? Number(values.brandId) : null,
        enabled: values.enabled,
      },
      ctx.now(),
    )
    return redirectAfterPost(c, '/sources')
  })
  .get('/sources/:id{[0-9]+}/edit', async (c) => {
    const s = await getSource(c.get('ctx').db, Number(c.req.param('id')))
    if (!s) return c.notFound()
    const config = JSON.parse(s.config) as Record<string, unknown>
    const collector = collectors.get(s.kind)
    const shown: Record<string, string> = {}
    for (const f of collector?.fields ?? [])
      if (f.type !== 'secret' && config[f.name] !== undefined)
        shown[f.name] = String(config[f.name])
    const values: SourceFormValues = {
      name: s.name,
      kind: s.kind,
      interval: formatInterval(s.interval_seconds, c.get('v').locale),
      brandId: s.brand_id ? String(s.brand_id) : '',
      enabled: !!s.enabled,
      config: shown,
    }
    return c.html(
      <SourceFormPage
        v={c.get('v')}
        id={s.id}
        collector={collector}
        collectors={collectors}
        brands={await brandOptions(c)}
        values={values}
        errors={{}}
        storedSecrets={secretHints(collector?.fields ?? [], config)}
        mentions={await sourceMentionCount(c.get('ctx').db, s.id)}
      />,
    )
  })
  .post('/sources/:id{[0-9]+}', async (c) => {
    const ctx = c.get('ctx')
    const s = await getSource(ctx.db, Number(c.req.param('id')))
    if (!s) return c.notFound()
    const values = { ...formValues(await c.req.parseBody()), kind: s.kind }
    const previous = JSON.parse(s.config) as Record<string, unknown>
    const { errors, intervalSeconds, config } = await validate(c, values, s.id, previous)
    // the page carries what was typed into secret fields: not for any cache
    if (Object.keys(errors).length) {
      c.header('Cache-Control', 'no-store')
      return c.html(
        <SourceFormPage
          v={c.get('v')}
          id={s.id}
          collector={collectors.get(s.kind)}
          collectors={collectors}
          brands={await brandOptions(c)}
          values={values}
          errors={errors}
          storedSecrets={secretHints(collectors.get(s.kind)?.fields ?? [], previous)}
          mentions={await sourceMentionCount(ctx.db, s.id)}
        />,
        422,
      )
    }
    await updateSource(
      ctx.db,
      s.id,
      {
        name: values.name,
        config,
        intervalSeconds,
        brandId: values.brandId ? Number(values.brandId) : null,
        enabled: values.enabled,
      },
      ctx.now(),
    )
    return redirectAfterPost(c, '/sources')
  })
  .post('/sources/:id{[0-9]+}/delete', async (c) => {
    const id = Number(c.req.param('id'))
    const source = await getSource(c.get('ctx').db, id)
    await deleteSource(c.get('ctx').db, id)
    await audit(c, { action: 'sources.delete', outcome: 'ok', detail: { id, name: source?.name } })
    return redirectAfterPost(c, '/sources')
  })
  .post('/sources/:id{[0-9]+}/poll', async (c) => {
    const ctx = c.get('ctx')
    const s = await getSource(ctx.db, Number(c.req.param('id')))
    if (!s) return c.notFound()
    const poller = c.get('poller')
    // a push source has nothing to fetch: "poll" would only record a failure
    if (collectors.get(s.kind)?.pushOnly)
      return c.html(<SourceStatus v={c.get('v')} s={s} polling={false} />)
    // Runs in the background; the status fragment polls itself until it is done.
    void poller.pollSource(s)
    return c.html(<SourceStatus v={c.get('v')} s={s} polling={poller.isPolling(s.id)} />)
  })
  .get('/sources/:id{[0-9]+}/status', async (c) => {
    const s = await getSource(c.get('ctx').db, Number(c.req.param('id')))
    if (!s) return c.notFound()
    return c.html(
      <SourceStatus
        v={{ ...c.get('v'), now: c.get('ctx').now() }}
        s={s}
        polling={c.get('poller').isPolling(s.id)}
      />,
    )
  })
