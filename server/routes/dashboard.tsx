// The dashboard home: onboarding while Vigie is empty, else the overview for one brand or all
// over 24 h / 7 d / 30 d (range and brand in the URL, so a view can be bookmarked and shared).
import { Hono } from 'hono'
import type { Db } from '../../db'
import { listBrands } from '../../db/brands'
import { sourceHealth } from '../../db/sources'
import { RANGES, type Range } from '../../db/stats'
import { DashboardPage, OverviewView } from '../../views/pages/dashboard'
import type { Env } from '../app'
import { overviewCache } from '../overview'

const caches = new WeakMap<Db, ReturnType<typeof overviewCache>>()

export const dashboardRoutes = new Hono<Env>().get('/', async (c) => {
  const { db } = c.get('ctx')
  const v = c.get('v')
  const [brands, sources, hasMention] = await Promise.all([
    listBrands(db),
    db.selectFrom('sources').select(['id', 'enabled', 'error_count', 'last_ok_at']).execute(),
    db.selectFrom('mentions').select('id').limit(1).executeTakeFirst(),
  ])
  const d = {
    brandCount: brands.length,
    sourceCount: sources.length,
    mentionCount: hasMention ? 1 : 0, // the onboarding only needs to know there is one
    failingSources: sources.filter((s) => sourceHealth(s) === 'failing').length,
  }
  if (!d.brandCount || !d.sourceCount || !d.mentionCount)
    return c.html(<DashboardPage v={v} d={d} />)
  const range: Range = RANGES.includes(c.req.query('range') as Range)
    ? (c.req.query('range') as Range)
    : '24h'
  const brandParam = Number(c.req.query('brand'))
  const brandId = brands.some((b) => b.id === brandParam) ? brandParam : undefined
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = overviewCache()))
  const { overview: o, rendered } = await cache(db, {
    range,
    brandId,
    now: v.now,
    tz: v.tz,
    brands,
  })
  // The overview shows absolute times only, so one rendering per locale serves every request
  // until the data changes; it is JSX output (mention text already escaped), not mention text.
  const key = `${v.locale}|${d.failingSources}`
  let body = rendered.get(key)
  if (body === undefined) {
    body = await (
      <OverviewView
        v={v}
        tz={v.tz}
        o={o}
        brands={brands}
        range={range}
        failingSources={d.failingSources}
      />
    ).toString()
    rendered.set(key, body)
  }
  return c.html(<DashboardPage v={v} d={d} overviewHtml={body} />)
})
