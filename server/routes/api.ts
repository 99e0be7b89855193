// JSON API: GET /api/mentions (filtered, keyset-paginated, newest first) and GET /healthz.
import { Hono } from 'hono'
import { sql } from 'kysely'
import { collectors } from '../../collectors'
import { listMentions, type MentionRow } from '../../db/mentions'
import { lastGoodPoll } from '../../db/sources'
import type { Env } from '../app'
import { BadQuery, parseMentionQuery } from './params'

export function toApiMention(m: MentionRow) {
  const label = m.manual_label ?? m.sentiment_label
  return {
    id: m.id,
    brand: m.brand_name,
    source: m.source_name,
    url: m.url,
    title: m.title,
    text: m.text,
    author: m.author,
    published_at: m.published_at,
    collected_at: m.collected_at,
    lang: m.lang,
    sentiment: {
      score: m.sentiment_score,
      label,
      scored: !!m.sentiment_scored,
      manual: !!m.manual_label,
    },
    matched_terms: JSON.parse(m.matched_terms || '[]') as string[],
    metrics: m.metrics ? (JSON.parse(m.metrics) as Record<string, number>) : null,
    status: m.status,
  }
}

export const apiRoutes = new Hono<Env>()
  .get('/api/collectors', (c) =>
    c.json({
      collectors: [...collectors.values()].map((k) => ({
        id: k.id,
        label: k.label,
        description: k.description,
        default_interval_seconds: k.defaultInterval,
        uses_brand_query: k.usesBrandQuery,
        streams: !!k.listen,
        fields: k.fields,
      })),
    }),
  )
  .get('/api/mentions', async (c) => {
    const ctx = c.get('ctx')
    try {
      // an API client's calendar days are Vigie's (TZ)
      const p = await parseMentionQuery(
        ctx.db,
        c.req.query(),
        ctx.now(),
        { limit: 50, maxLimit: 500 },
        ctx.config.tz,
      )
      const { rows, nextCursor } = await listMentions(ctx.db, ctx.dialect, p.filter, {
        limit: p.limit,
        cursor: p.cursor,
      })
      return c.json({ mentions: rows.map(toApiMention), next_cursor: nextCursor })
    } catch (err) {
      if (err instanceof BadQuery) return c.json({ error: err.message }, 400)
      throw err
    }
  })
  .get('/healthz', async (c) => {
    const ctx = c.get('ctx')
    const now = ctx.now()
    let db: 'ok' | string = 'ok'
    let lastPoll: string | null = null
    try {
      await sql`select 1`.execute(ctx.db)
      lastPoll = await lastGoodPoll(ctx.db)
    } catch (err) {
      db = `error: ${(err as Error).message}`
    }
    const body = {
      status: db === 'ok' ? 'ok' : 'degraded',
      db,
      last_good_poll_at: lastPoll,
      last_good_poll_age_seconds: lastPoll
        ? Math.round((now.getTime() - Date.parse(lastPoll)) / 1000)
        : null,
    }
    return c.json(body, db === 'ok' ? 200 : 503)
  })
