// Alert channels settings: list, create, edit, delete, and "Send test". The form is generated from
// the notifier's fields; its config is validated by the notifier's strict schema. Secrets typed
// once are never rendered back: an empty secret field keeps the stored value.
import { Hono } from 'hono'
import {
  deleteChannel,
  getChannel,
  getChannelByName,
  insertChannel,
  listChannels,
  updateChannel,
  type ChannelInput,
} from '../../db/channels'
import { listDeliveries } from '../../db/deliveries'
import { HHMM, isTimeZone } from '../digest-period'
import { ALERT_KINDS, type AlertKind, type Channel } from '../../db/schema-alerts'
import type { FieldErrors } from '../../views/components'
import {
  ChannelFormPage,
  ChannelsPage,
  TestResult,
  type ChannelFormValues,
} from '../../views/pages/channels'
import type { Env } from '../app'
import { audit } from '../auth'
import { announceOpenAlerts, sendTest } from '../deliver'
import { isPartial, redirectAfterPost, varyOnHtmx } from '../htmx'
import { notifiers } from '../notifiers'
import { destinationHost, secretHints } from '../secrets'
import { configFieldErrors, parseIn } from '../field-errors'

/** `tz`: the zone this browser chose, if not Vigie's (a new channel is likely its team's) */
function emptyValues(kind: string, tz: string | undefined): ChannelFormValues {
  return {
    name: '',
    kind,
    lang: 'fr',
    brandIds: [],
    alertKinds: [],
    quietStart: '',
    quietEnd: '',
    timezone: tz ?? '',
    enabled: true,
    config: {},
  }
}

function valuesOf(ch: Channel): ChannelFormValues {
  const cfg = JSON.parse(ch.config) as Record<string, unknown>
  const quiet = ch.quiet_hours ? JSON.parse(ch.quiet_hours) : null
  return {
    name: ch.name,
    kind: ch.kind,
    lang: ch.lang,
    brandIds: JSON.parse(ch.brand_ids),
    alertKinds: JSON.parse(ch.alert_kinds),
    quietStart: quiet?.start ?? '',
    quietEnd: quiet?.end ?? '',
    timezone: ch.timezone ?? quiet?.timezone ?? '',
    enabled: ch.enabled === 1,
    config: Object.fromEntries(Object.entries(cfg).map(([k, v]) => [k, String(v ?? '')])),
  }
}

async function readForm(c: any): Promise<ChannelFormValues> {
  const body = await c.req.parseBody({ all: true })
  const list = (x: unknown) => (Array.isArray(x) ? x : x === undefined ? [] : [x]).map(String)
  const one = (x: unknown) => (Array.isArray(x) ? String(x[0] ?? '') : String(x ?? '')).trim()
  const config: Record<string, string> = {}
  for (const [k, v] of Object.entries(body))
    if (k.startsWith('config.')) config[k.slice(7)] = one(v)
  return {
    name: one(body.name),
    kind: one(body.kind),
    lang: one(body.lang) === 'en' ? 'en' : 'fr',
    brandIds: list(body.brand)
      .filter((x) => /^\d+$/.test(x))
      .map(Number),
    alertKinds: list(body.alert_kind).filter((x) => (ALERT_KINDS as string[]).includes(x)),
    quietStart: one(body.quiet_start),
    quietEnd: one(body.quiet_end),
    timezone: one(body.timezone),
    enabled: one(body.enabled) === 'true',
    config,
  }
}

/** Validates the form into a ChannelInput, or field errors. */
async function validate(
  c: any,
  values: ChannelFormValues,
  existing?: Channel,
): Promise<{ input?: ChannelInput; errors: FieldErrors }> {
  const { db } = c.get('ctx')
  const t = c.get('v').t
  const errors: FieldErrors = {}
  const notifier = notifiers.get(values.kind)!
  if (!values.name) errors.name = t('common.required')
  else if (values.name.length > 100) errors.name = t('common.tooLong', { max: 100 })
  else {
    const other = await getChannelByName(db, values.name)
    if (other && other.id !== existing?.id) errors.name = t('channels.nameTaken')
  }
  const stored = existing ? (JSON.parse(existing.config) as Record<string, unknown>) : {}
  const config: Record<string, unknown> = {}
  for (const f of notifier.fields) {
    const v = values.config[f.name] ?? ''
    if (v) config[f.name] = v
    else if (f.type === 'secret' && stored[f.name] !== undefined) config[f.name] = stored[f.name]
  }
  const locale = c.get('v').locale
  const parsed = parseIn(notifier.schema, config, locale)
  if (!parsed.success) Object.assign(errors, configFieldErrors(parsed.error.issues, t, locale))
  const anyQuiet = values.quietStart || values.quietEnd
  if (anyQuiet) {
    // one end of the quiet hours given and not the other: say which one is missing
    const time = (x: string) =>
      !x ? t('channels.quietBoth') : HHMM.test(x) ? undefined : t('channels.badTime')
    const start = time(values.quietStart)
    const end = time(values.quietEnd)
    if (start) errors.quietStart = start
    if (end) errors.quietEnd = end
  }
  if (values.timezone && !isTimeZone(values.timezone)) errors.timezone = t('channels.badTz')
  if (Object.keys(errors).length) return { errors }
  return {
    errors,
    input: {
      name: values.name,
      kind: values.kind,
      config: parsed.data as Record<string, unknown>,
      lang: values.lang,
      brandIds: values.brandIds,
      alertKinds: values.alertKinds as AlertKind[],
      // empty: Vigie's TZ, which quiet hours then keep explicitly (they need a clock)
      timezone: values.timezone || null,
      quietHours: anyQuiet
        ? {
            start: values.quietStart,
            end: values.quietEnd,
            timezone: values.timezone || c.get('ctx').config.tz,
          }
        : null,
      enabled: values.enabled,
    },
  }
}

function hints(ch: Channel): Record<string, string> {
  const fields = notifiers.get(ch.kind)?.fields ?? []
  return secretHints(fields, JSON.parse(ch.config) as Record<string, unknown>)
}

async function brandList(c: any) {
  return c.get('ctx').db.selectFrom('brands').select(['id', 'name']).orderBy('name').execute()
}

export const channelRoutes = new Hono<Env>()
  .get('/settings/channels', async (c) => {
    const { db } = c.get('ctx')
    const channels = await listChannels(db)
    const recent = new Map<number, Awaited<ReturnType<typeof listDeliveries>>>()
    for (const ch of channels)
      recent.set(ch.id, await listDeliveries(db, { channelId: ch.id, limit: 5 }))
    const brands = await brandList(c)
    return c.html(
      <ChannelsPage
        v={c.get('v')}
        channels={channels}
        notifiers={notifiers}
        brands={new Map(brands.map((b: { id: number; name: string }) => [b.id, b.name]))}
        recent={recent}
        destinations={
          new Map(
            channels.map((ch) => [
              ch.id,
              destinationHost(
                notifiers.get(ch.kind)?.fields ?? [],
                JSON.parse(ch.config) as Record<string, unknown>,
              ),
            ]),
          )
        }
        done={c.req.query('done')}
      />,
    )
  })
  .get('/settings/channels/new', async (c) => {
    const kind = c.req.query('kind') ?? ''
    const notifier = notifiers.get(kind)
    return c.html(
      <ChannelFormPage
        v={c.get('v')}
        notifier={notifier}
        notifiers={notifiers}
        brands={await brandList(c)}
        values={emptyValues(kind, c.get('v').vigieTz && c.get('v').tz)}
        errors={{}}
      />,
    )
  })
  .post('/settings/channels', async (c) => {
    const ctx = c.get('ctx')
    const values = await readForm(c)
    const notifier = notifiers.get(values.kind)
    if (!notifier) return c.text(`unknown channel kind "${values.kind}"`, 400)
    const { input, errors } = await validate(c, values)
    // the page carries what was typed into secret fields: not for any cache
    if (!input) {
      c.header('Cache-Control', 'no-store')
      return c.html(
        <ChannelFormPage
          v={c.get('v')}
          notifier={notifier}
          notifiers={notifiers}
          brands={await brandList(c)}
          values={values}
          errors={errors}
        />,
        422,
      )
    }
    const ch = await insertChannel(ctx.db, input, ctx.now())
    // an incident under way reaches the new channel too (the outbox job sends it within 15 s)
    await announceOpenAlerts(ctx.db, ch.id, ctx.now())
    return redirectAfterPost(c, '/settings/channels?done=added')
  })
  .get('/settings/channels/:id{[0-9]+}/edit', async (c) => {
    const ctx = c.get('ctx')
    const ch = await getChannel(ctx.db, Number(c.req.param('id')))
    if (!ch) return c.notFound()
    return c.html(
      <ChannelFormPage
        v={c.get('v')}
        id={ch.id}
        notifier={notifiers.get(ch.kind)}
        notifiers={notifiers}
        brands={await brandList(c)}
        values={valuesOf(ch)}
        errors={{}}
        secretHints={hints(ch)}
      />,
    )
  })
  .post('/settings/channels/:id{[0-9]+}', async (c) => {
    const ctx = c.get('ctx')
    const ch = await getChannel(ctx.db, Number(c.req.param('id')))
    if (!ch) return c.notFound()
    const values = { ...(await readForm(c)), kind: ch.kind }
    const notifier = notifiers.get(ch.kind)
    if (!notifier) return c.text(`unknown channel kind "${ch.kind}"`, 400)
    const { input, errors } = await validate(c, values, ch)
    // the page carries what was typed into secret fields: not for any cache
    if (!input) {
      c.header('Cache-Control', 'no-store')
      return c.html(
        <ChannelFormPage
          v={c.get('v')}
          id={ch.id}
          notifier={notifier}
          notifiers={notifiers}
          brands={await brandList(c)}
          values={values}
          errors={errors}
          secretHints={hints(ch)}
        />,
        422,
      )
    }
    await updateChannel(ctx.db, ch.id, input, ctx.now())
    // enabled again, or routing a brand or kind it did not: open alerts it now takes reach it
    await announceOpenAlerts(ctx.db, ch.id, ctx.now())
    return redirectAfterPost(c, '/settings/channels?done=saved')
  })
  .post('/settings/channels/:id{[0-9]+}/delete', async (c) => {
    const id = Number(c.req.param('id'))
    const channel = await getChannel(c.get('ctx').db, id)
    await deleteChannel(c.get('ctx').db, id)
    await audit(c, {
      action: 'settings.channels.delete',
      outcome: 'ok',
      detail: { id, name: channel?.name },
    })
    return redirectAfterPost(c, '/settings/channels?done=deleted')
  })
  .post('/settings/channels/:id{[0-9]+}/test', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getChannel(ctx.db, id))) return c.notFound()
    const d = await sendTest(ctx, id)
    varyOnHtmx(c)
    if (isPartial(c)) return c.html(<TestResult v={c.get('v')} d={d} />)
    return redirectAfterPost(c, '/settings/channels')
  })
