// Alerts: the list, one alert's detail, acknowledge / resolve (by whom), each brand's sensitivity,
// and the middleware that loads the open alerts for the banner every page shows.
import { Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import {
  getAlert,
  listAlerts,
  listOpenAlerts,
  parseSummary,
  setBrandSensitivity,
} from '../../db/alerts'
import { listDeliveries } from '../../db/deliveries'
import {
  AlertCard,
  AlertDetailPage,
  AlertsPage,
  type SampleMention,
} from '../../views/pages/alerts'
import type { Env } from '../app'
import {
  acknowledge,
  ANONYMOUS,
  engagement,
  learningBrands,
  mentionsLink,
  mentionsLinks,
  resolve,
} from '../alerts'
import { alertNotifier } from '../deliver'
import { isPartial, redirectAfterPost, varyOnHtmx } from '../htmx'

/**
 * Loads open alerts into the view context for the layout's banner: one indexed query, only for
 * page requests and form posts (not static files, the JSON API or htmx fragments, which don't
 * render the layout).
 */
export const openAlertsBanner: MiddlewareHandler<Env> = async (c, next) => {
  const path = c.req.path
  if (
    // a form post may answer with a whole page too (its errors, recovery codes, a test result)
    (c.req.method === 'GET' || c.req.method === 'POST') &&
    c.get('user') && // signed-out pages (sign-in, setup) never show the brands' alerts
    !path.startsWith('/static/') &&
    !path.startsWith('/api/') &&
    !isPartial(c)
  ) {
    const v = c.get('v')
    const rows = await listOpenAlerts(c.get('ctx').db)
    v.openAlerts = rows.map((a) => ({
      id: a.id,
      brand_name: a.brand_name,
      kind: a.kind,
      status: a.status,
      started_at: a.started_at,
    }))
  }
  await next()
}

/** Who is acting: the signed-in person when the access layer knows them. */
function actor(c: { get(k: 'user'): Env['Variables']['user'] }): string | null {
  const u = c.get('user')
  return u ? u.name || u.email : null
}

function safeBack(raw: unknown, fallback: string): string {
  return typeof raw === 'string' && raw.startsWith('/') && !raw.startsWith('//') ? raw : fallback
}

const sensitivitySchema = z.object({
  brand: z.string().regex(/^\d+$/),
  sensitivity: z.enum(['fewer', 'balanced', 'more']),
  // the list the form was on (active or all), kept after saving
  status: z.literal('all').optional(),
})

export const alertRoutes = new Hono<Env>()
  .get('/alerts', async (c) => {
    const { db } = c.get('ctx')
    const status = c.req.query('status') === 'all' ? 'all' : 'active'
    const alerts = await listAlerts(db, {
      status: status === 'all' ? undefined : ['open', 'acknowledged'],
      limit: 100,
    })
    const brands = await db
      .selectFrom('brands')
      .select(['id', 'name', 'sensitivity'])
      .orderBy('name')
      .execute()
    return c.html(
      <AlertsPage
        v={c.get('v')}
        status={status}
        alerts={(await mentionsLinks(db, alerts)).map((mentions, i) => ({
          a: alerts[i],
          mentions,
        }))}
        brands={brands}
        learning={await learningBrands(db, c.get('ctx').now())}
        saved={c.req.query('saved') === '1'}
      />,
    )
  })
  .get('/alerts/:id{[0-9]+}', async (c) => {
    const { db } = c.get('ctx')
    const a = await getAlert(db, Number(c.req.param('id')))
    if (!a) return c.notFound()
    const s = parseSummary(a)
    const rows = s.sample_ids.length
      ? await db
          .selectFrom('mentions')
          .innerJoin('sources', 'sources.id', 'mentions.source_id')
          .select([
            'mentions.id',
            'mentions.url',
            'mentions.title',
            'mentions.text',
            'mentions.author',
            'mentions.published_at',
            'mentions.lang',
            'mentions.metrics',
            'mentions.sentiment_label',
            'mentions.sentiment_scored',
            'mentions.manual_label',
            'mentions.status',
            'sources.name as source_name',
          ])
          .where('mentions.id', 'in', s.sample_ids)
          .execute()
      : []
    const order = new Map(s.sample_ids.map((id, i) => [id, i]))
    const copies = (id: number) => s.sample_copies?.[order.get(id)!] ?? 1
    const samples: SampleMention[] = rows
      .sort((x, y) => order.get(x.id)! - order.get(y.id)!)
      .map((r) => ({
        id: r.id,
        url: r.url,
        title: r.title,
        text: r.text,
        author: r.author,
        published_at: r.published_at,
        lang: r.lang,
        source_name: r.source_name,
        label: r.manual_label ?? r.sentiment_label,
        scored: r.sentiment_scored === 1,
        manual: !!r.manual_label,
        engagement: engagement(r.metrics),
        copies: copies(r.id),
        status: r.status,
      }))
    return c.html(
      <AlertDetailPage
        v={c.get('v')}
        a={a}
        mentions={await mentionsLink(db, a)}
        samples={samples}
        deliveries={await listDeliveries(db, { alertId: a.id })}
      />,
    )
  })
  .post('/alerts/:id{[0-9]+}/:action{ack|resolve}', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getAlert(ctx.db, id))) return c.notFound()
    const body = await c.req.parseBody()
    const by = actor(c) ?? ANONYMOUS
    const notify = alertNotifier()
    if (c.req.param('action') === 'ack') await acknowledge(ctx, id, by, notify)
    else await resolve(ctx, id, by, notify)
    // The channels are told by the outbox job (every 15 s), never inside this request.
    varyOnHtmx(c)
    if (isPartial(c)) {
      const a = (await getAlert(ctx.db, id))!
      return c.html(
        <AlertCard v={c.get('v')} a={a} mentions={await mentionsLink(ctx.db, a)} focus />,
      )
    }
    return redirectAfterPost(c, safeBack(body.back, `/alerts/${id}`))
  })
  .post('/alerts/sensitivity', async (c) => {
    const ctx = c.get('ctx')
    const r = sensitivitySchema.safeParse(await c.req.parseBody())
    if (!r.success) return c.text('sensitivity must be fewer, balanced or more', 400)
    await setBrandSensitivity(ctx.db, Number(r.data.brand), r.data.sensitivity, ctx.now())
    return redirectAfterPost(c, r.data.status ? '/alerts?status=all&saved=1' : '/alerts?saved=1')
  })
