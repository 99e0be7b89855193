// The dashboard home and the mentions feed (page, or the list partial for htmx).
import { Hono } from 'hono'
import { countMentions, listMentions } from '../../db/mentions'
import { sourceHealth } from '../../db/sources'
import { DashboardPage } from '../../views/pages/dashboard'
import { MentionsPage } from '../../views/pages/mentions'
import { MentionList } from '../../views/partials/mention-list'
import type { Env } from '../app'
import { isPartial, varyOnHtmx } from '../htmx'
import { BadQuery, parseMentionQuery } from './params'

export const mentionRoutes = new Hono<Env>()
  .get('/', async (c) => {
    const { db, dialect } = c.get('ctx')
    const v = c.get('v')
    const [brands, sources, mentionCount] = await Promise.all([
      db.selectFrom('brands').select('id').execute(),
      db.selectFrom('sources').select(['id', 'enabled', 'error_count', 'last_ok_at']).execute(),
      countMentions(db),
    ])
    const since = new Date(v.now.getTime() - 86400_000).toISOString()
    const counts = await db
      .selectFrom('mentions')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn
          .sum<number>(eb.case().when('sentiment_label', '=', 'negative').then(1).else(0).end())
          .as('neg'),
      ])
      .where('published_at', '>=', since)
      .executeTakeFirst()
    const recent = mentionCount ? (await listMentions(db, dialect, {}, { limit: 15 })).rows : []
    return c.html(
      <DashboardPage
        v={v}
        d={{
          brandCount: brands.length,
          sourceCount: sources.length,
          mentionCount,
          mentions24h: Number(counts?.total ?? 0),
          negative24h: Number(counts?.neg ?? 0),
          failingSources: sources.filter((s) => sourceHealth(s) === 'failing').length,
          recent,
        }}
      />,
    )
  })
  .get('/mentions', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    varyOnHtmx(c)
    let p
    try {
      p = await parseMentionQuery(ctx.db, c.req.query(), ctx.now(), { limit: 30, maxLimit: 100 })
    } catch (err) {
      if (err instanceof BadQuery) return c.text(err.message, 400)
      throw err
    }
    const { rows, nextCursor } = await listMentions(ctx.db, ctx.dialect, p.filter, {
      limit: p.limit,
      cursor: p.cursor,
    })
    const params = new URLSearchParams(
      Object.entries(p.raw).filter(([k, val]) => val && k !== 'cursor') as [string, string][],
    )
    const nextUrl = nextCursor
      ? `/mentions?${params.toString() ? params + '&' : ''}cursor=${nextCursor}`
      : null
    if (isPartial(c))
      return c.html(<MentionList v={v} rows={rows} nextUrl={nextUrl} append={!!p.cursor} />)
    const [brands, sources] = await Promise.all([
      ctx.db.selectFrom('brands').select(['id', 'name']).orderBy('name').execute(),
      ctx.db.selectFrom('sources').select(['id', 'name']).orderBy('name').execute(),
    ])
    return c.html(
      <MentionsPage
        v={v}
        f={{ brand: p.raw.brand, source: p.raw.source, sentiment: p.raw.sentiment, q: p.raw.q }}
        brands={brands}
        sources={sources}
        rows={rows}
        nextUrl={nextUrl}
      />,
    )
  })
