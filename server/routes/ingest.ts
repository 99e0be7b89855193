// POST /api/ingest: one mention or a batch, pushed by another tool, through the same pipeline as
// polled items (privacy, matching, language, sentiment, dedupe). Token-protected (scope "ingest").
// Item-level problems are reported per index and never reject the rest of the batch.
//
// Body: { "source"?: string, "brand"?: string, "items": Item[] }  or a single Item, where
// Item = { id?, url?, title?, text, author?, published_at?, lang?, metrics?: {name: number}, rating?: 1..5 }
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { CollectedItem } from '../../collectors/types'
import { getBrandByNameAnyCase } from '../../db/brands'
import { getSourceByName, insertSource, recordPollSuccess } from '../../db/sources'
import type { Env } from '../app'
import { ingest, type IngestStats } from '../pipeline'

const MAX_ITEMS = 500
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?))?$/i

const itemSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String).optional(),
    url: z.string().max(4000).optional(),
    title: z.string().max(5000).optional(),
    text: z.string().max(100_000).default(''),
    author: z.string().max(500).optional(),
    // a date nobody can read must not become "now" silently: the item is refused with its index.
    // ISO 8601 only, with its zone when it has a time: Date.parse read "1" as 2001 (dropped as
    // too old), "12/11/2026" as December, and "2026-11-23 10:00" in whatever zone Vigie runs in
    published_at: z
      .string()
      .max(100)
      .refine(
        (d) => ISO_DATE.test(d) && !Number.isNaN(Date.parse(d)),
        'not an ISO 8601 date with its zone (e.g. 2026-11-22T10:00:00Z or 2026-11-22)',
      )
      .optional(),
    lang: z.string().max(20).optional(),
    // counts (likes, shares, followers): a 300-digit "engagement" would top every list for good
    metrics: z.record(z.string().max(40), z.number().finite().min(0).max(1e12)).optional(),
    rating: z.number().min(1).max(5).optional(),
  })
  .strict()
  .refine((i) => (i.title ?? '').trim() || i.text.trim(), 'an item needs a title or a text')

const batchSchema = z
  .object({
    source: z.string().trim().min(1).max(100).default('API'),
    brand: z.string().trim().min(1).max(100).optional(),
    items: z.array(z.unknown()).min(1).max(MAX_ITEMS),
  })
  .strict()

export const ingestRoutes = new Hono<Env>().post(
  '/api/ingest',
  bodyLimit({
    maxSize: 5 * 1024 * 1024,
    onError: (c) => c.json({ error: 'body over 5 MB: send smaller batches' }, 413),
  }),
  async (c) => {
    const scopes = c.get('tokenScopes')
    if (!scopes)
      return c.json(
        { error: 'an API token with the "ingest" scope is required (Authorization: Bearer …)' },
        401,
      )
    if (!scopes.includes('ingest'))
      return c.json({ error: 'this token lacks the "ingest" scope' }, 403)
    const ctx = c.get('ctx')
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return c.json({ error: 'the body is not valid JSON' }, 400)
    }
    // tools such as Zapier or n8n send null for a field they have no value for: absent, then
    const stripNulls = (x: unknown) =>
      x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).filter(([, v]) => v !== null))
        : x
    body = stripNulls(body)
    if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items))
      body = { ...body, items: (body as { items: unknown[] }).items.map(stripNulls) }
    const batch = batchSchema.safeParse(
      body && typeof body === 'object' && !Array.isArray(body) && !('items' in body)
        ? { items: [body] }
        : body,
    )
    if (!batch.success) {
      const i = batch.error.issues[0]
      return c.json({ error: `${i.path.join('.') || 'body'}: ${i.message}` }, 400)
    }
    const { source: sourceName, brand: brandName, items: rawItems } = batch.data
    const now = ctx.now()
    let brandId: number | null = null
    if (brandName) {
      const brand = await getBrandByNameAnyCase(ctx.db, brandName)
      if (!brand) return c.json({ error: `brand "${brandName}" does not exist` }, 400)
      brandId = brand.id
    }
    const errors: { index: number; error: string }[] = []
    const items: CollectedItem[] = []
    rawItems.forEach((raw, index) => {
      const r = itemSchema.safeParse(raw)
      if (!r.success) {
        const i = r.error.issues[0]
        errors.push({
          index,
          error: i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
        })
        return
      }
      const it = r.data
      items.push({
        externalId: it.id,
        url: it.url ?? '',
        title: it.title ?? '',
        text: it.text,
        author: it.author,
        publishedAt: it.published_at,
        lang: it.lang,
        metrics: it.metrics,
        rating: it.rating,
      })
    })
    const answer = (stats: Omit<IngestStats, 'fetched'>, status: 200 | 400) =>
      c.json(
        {
          received: rawItems.length,
          stored: stats.newMentions.length,
          duplicates: stats.duplicates,
          unmatched: stats.unmatched,
          excluded: stats.excluded,
          expired: stats.expired,
          invalid: stats.invalid + errors.length,
          errors,
          mention_ids: stats.newMentions.map((m) => m.id),
        },
        status,
      )
    // a batch with nothing readable creates no source and marks none healthy
    if (!items.length)
      return answer(
        { invalid: 0, excluded: 0, unmatched: 0, expired: 0, duplicates: 0, newMentions: [] },
        400,
      )
    // `brand` scopes this request only: a source is bound to a brand in its settings, not by
    // whichever push named one first. Two first pushes at once (one Postgres, several
    // processes) both try to create it: the loser reads the winner's.
    const source =
      (await getSourceByName(ctx.db, sourceName)) ??
      (await insertSource(
        ctx.db,
        { name: sourceName, kind: 'push', config: {}, intervalSeconds: 86400, brandId: null },
        now,
      ).catch(async (err: unknown) => {
        const made = await getSourceByName(ctx.db, sourceName)
        if (!made) throw err
        return made
      }))
    if (source.kind !== 'push')
      return c.json({ error: `source "${sourceName}" is not a push source` }, 400)
    const stats = await ingest(
      ctx.db,
      { ...source, brand_id: brandId ?? source.brand_id },
      items,
      now,
    )
    await recordPollSuccess(ctx.db, source.id, {
      now,
      nextCheckAt: new Date(now.getTime() + 365 * 86400_000),
      state: {},
      newCount: stats.newMentions.length,
      itemCount: items.length,
    })
    // Spike detection right away, as after a poll (errors are logged, never returned).
    await c.get('poller').afterIngest([...new Set(stats.newMentions.map((m) => m.brand_id))])
    return answer(stats, 200)
  },
)
