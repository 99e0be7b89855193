// Privacy (admins): the exclusion list (stored as keyed hashes; the list shows hints only),
// retention (setting, last purge, purge now), erasure by author or URL (audited with counts, never
// the value), and the streamed export of mentions.
import { Hono, type Context } from 'hono'
import { collectors } from '../../collectors'
import { getBrand, getBrandByName, listBrands } from '../../db/brands'
import { addExclusion, deleteExclusion, listExclusions } from '../../db/exclusions'
import { setSetting } from '../../db/settings'
import { kindLabel, type FieldErrors } from '../../views/components'
import { ExclusionsPage, PrivacyPage } from '../../views/pages/privacy'
import type { Env } from '../app'
import { audit } from '../auth'
import { exportStream } from '../export'
import { redirectAfterPost } from '../htmx'
import { dayStart, isDate } from '../digest-period'
import { canonicalUrl } from '../normalize'
import { eraseBy, lastPurge, purgeExpired, RETENTION_SETTING, retentionDays } from '../retention'

async function exclusionsPage(
  c: Context<Env>,
  extra: Partial<Parameters<typeof ExclusionsPage>[0]> = {},
) {
  const { db } = c.get('ctx')
  const v = c.get('v')
  return (
    <ExclusionsPage
      v={v}
      exclusions={await listExclusions(db)}
      brands={await listBrands(db)}
      platforms={[...collectors.values()].map((x) => ({ id: x.id, label: kindLabel(v, x) }))}
      {...extra}
    />
  )
}

async function privacyPage(
  c: Context<Env>,
  extra: { notice?: string; errors?: FieldErrors; typed?: string } = {},
) {
  const { db } = c.get('ctx')
  return (
    <PrivacyPage
      v={c.get('v')}
      days={await retentionDays(db)}
      lastPurge={await lastPurge(db)}
      brands={await listBrands(db)}
      {...extra}
    />
  )
}

/**
 * A calendar day's start in `tz` (the zone the person reads dates in; Vigie's TZ for a token), or
 * an instant as given; undefined when empty, null when invalid. `endOfDay`: the next day's start
 * ("to" includes that whole day).
 */
function parseDay(
  raw: string | undefined,
  tz: string,
  endOfDay = false,
): string | undefined | null {
  if (!raw) return undefined
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    if (!isDate(raw)) return null
    return dayStart(raw, tz, endOfDay ? 1 : 0).toISOString()
  }
  const d = new Date(raw)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

export const privacyRoutes = new Hono<Env>()
  .get('/settings/exclusions', async (c) =>
    c.html(
      await exclusionsPage(c, {
        notice: c.req.query('done') === 'added' ? c.get('v').t('privacy.excluded') : undefined,
      }),
    ),
  )
  .post('/settings/exclusions', async (c) => {
    const ctx = c.get('ctx')
    const body = await c.req.parseBody()
    const values = {
      kind: body.kind === 'domain' ? 'domain' : 'author',
      value: String(body.value ?? '').trim(),
      platform: collectors.has(String(body.platform ?? '')) ? String(body.platform) : '',
      brand: String(body.brand ?? ''),
    }
    const brandId = values.brand ? Number(values.brand) : null
    const errors: FieldErrors = {}
    if (!values.value) errors.value = c.get('v').t('common.required')
    else if (values.value.length > 300) errors.value = c.get('v').t('common.tooLong', { max: 300 })
    if (brandId !== null && !(await getBrand(ctx.db, brandId)))
      errors.brand = c.get('v').t('common.required')
    if (Object.keys(errors).length) return c.html(await exclusionsPage(c, { errors, values }), 422)
    let added: Awaited<ReturnType<typeof addExclusion>>
    try {
      added = await addExclusion(
        ctx.db,
        { kind: values.kind as 'author', value: values.value, platform: values.platform, brandId },
        ctx.now(),
      )
    } catch (err) {
      return c.html(
        await exclusionsPage(c, { errors: { value: (err as Error).message }, values }),
        422,
      )
    }
    if (!added.created) {
      const errors = { value: c.get('v').t('privacy.alreadyExcluded') }
      return c.html(await exclusionsPage(c, { errors, values }), 422)
    }
    const row = added.exclusion
    // The value itself is personal data: the audit keeps the kind and scope only.
    await audit(c, {
      action: 'exclusions.create',
      outcome: 'ok',
      detail: { id: row.id, kind: row.kind, platform: row.platform, brandId },
    })
    return redirectAfterPost(c, '/settings/exclusions?done=added')
  })
  .post('/settings/exclusions/:id{[0-9]+}/delete', async (c) => {
    const id = Number(c.req.param('id'))
    await deleteExclusion(c.get('ctx').db, id)
    await audit(c, { action: 'exclusions.delete', outcome: 'ok', detail: { id } })
    return redirectAfterPost(c, '/settings/exclusions')
  })
  .get('/settings/privacy', async (c) => {
    const t = c.get('v').t
    const done = c.req.query('done')
    const n = Number(c.req.query('n') ?? 0)
    const notice =
      done === 'saved'
        ? t('privacy.saved')
        : done === 'purged'
          ? t('privacy.purged', { n })
          : done === 'erased'
            ? t('privacy.erased', { n })
            : undefined
    return c.html(await privacyPage(c, { notice }))
  })
  .post('/settings/retention', async (c) => {
    const ctx = c.get('ctx')
    const typed = String((await c.req.parseBody()).days ?? '')
    const days = Number(typed)
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      return c.html(
        // the refused value stays in the box, next to its error
        await privacyPage(c, { errors: { days: c.get('v').t('privacy.invalidDays') }, typed }),
        422,
      )
    await setSetting(ctx.db, RETENTION_SETTING, String(days))
    await audit(c, { action: 'retention.update', outcome: 'ok', detail: { days } })
    return redirectAfterPost(c, '/settings/privacy?done=saved')
  })
  .post('/settings/retention/purge', async (c) => {
    const ctx = c.get('ctx')
    const r = await purgeExpired(ctx.db, ctx.now())
    ctx.log.info('retention purge', { deleted: r.deleted, cutoff: r.cutoff, days: r.days })
    await audit(c, { action: 'retention.purge', outcome: 'ok', detail: { deleted: r.deleted } })
    return redirectAfterPost(c, `/settings/privacy?done=purged&n=${r.deleted}`)
  })
  .post('/settings/erasure', async (c) => {
    const ctx = c.get('ctx')
    const body = await c.req.parseBody()
    const kind = body.kind === 'url' ? 'url' : 'author'
    const value = String(body.value ?? '').trim()
    const problem = !value
      ? 'common.required'
      : kind === 'url' && !canonicalUrl(value)
        ? 'privacy.notUrl'
        : null
    if (problem)
      return c.html(await privacyPage(c, { errors: { value: c.get('v').t(problem) } }), 422)
    const r = await eraseBy(ctx.db, { kind, value }, ctx.now())
    // Counts only: recording the handle or URL would keep the very data that was erased.
    await audit(c, { action: 'privacy.erasure', outcome: 'ok', detail: { kind, ...r } })
    return redirectAfterPost(c, `/settings/privacy?done=erased&n=${r.deleted}`)
  })
  .get('/api/export', async (c) => {
    const ctx = c.get('ctx')
    const q = c.req.query()
    const format = (q.format ?? 'csv') as 'csv' | 'json'
    if (format !== 'csv' && format !== 'json')
      return c.json({ error: 'format must be csv or json' }, 400)
    const sep = q.sep ?? 'comma'
    if (sep !== 'comma' && sep !== 'semicolon')
      return c.json({ error: 'sep must be comma or semicolon' }, 400)
    let brandId: number | undefined
    if (q.brand) {
      const b = /^\d+$/.test(q.brand)
        ? await getBrand(ctx.db, Number(q.brand))
        : await getBrandByName(ctx.db, q.brand)
      if (!b) return c.json({ error: `brand "${q.brand}" does not exist` }, 400)
      brandId = b.id
    }
    const from = parseDay(q.from, c.get('v').tz)
    const to = parseDay(q.to, c.get('v').tz, true)
    if (from === null) return c.json({ error: `from="${q.from}" is not a date (YYYY-MM-DD)` }, 400)
    if (to === null) return c.json({ error: `to="${q.to}" is not a date (YYYY-MM-DD)` }, 400)
    // an empty file would read as "no mentions in that period"
    if (from && to && from >= to)
      return c.json({ error: `from=${q.from} is after to=${q.to}: swap them` }, 400)
    await audit(c, {
      action: 'privacy.export',
      outcome: 'ok',
      detail: { brandId: brandId ?? null, from: from ?? null, to: to ?? null, format },
    })
    const name = `vigie-mentions-${new Date(ctx.now()).toISOString().slice(0, 10)}.${format}`
    c.header(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    )
    c.header('Content-Disposition', `attachment; filename="${name}"`)
    c.header('Cache-Control', 'no-store')
    const separator = sep === 'semicolon' ? ';' : ','
    return c.body(exportStream(ctx.db, { brandId, from, to, format, separator }))
  })
