// POST /api/ingest: token scope, single item or batch, per-item errors, dedupe, size cap.
import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { countMentions } from '../../db/mentions'
import { getSourceByName } from '../../db/sources'
import { createApp, type Env } from '../../server/app'
import { Poller } from '../../server/poller'
import { freshDb, testContext, type TestDb } from '../helpers/db'

let tdb: TestDb
let app: Hono<Env>
const now = new Date('2026-11-22T12:00:00Z')

function withScopes(scopes: string[] | null) {
  const ctx = testContext(tdb, { now: () => now })
  // The access layer sets tokenScopes from a Bearer token; here a harness stands in front of the app.
  const outer = new Hono<Env>()
  outer.use(async (c, next) => {
    c.set('tokenScopes', scopes)
    await next()
  })
  outer.route('/', createApp(ctx, new Poller(ctx)))
  return outer
}

beforeEach(async () => {
  tdb = await freshDb()
  await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
})
afterEach(() => tdb.cleanup())

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

describe('POST /api/ingest', () => {
  it('refuses requests without an ingest token', async () => {
    app = withScopes(null)
    expect((await app.request('/api/ingest', post({ text: 'Acme' }))).status).toBe(401)
    app = withScopes(['read'])
    expect((await app.request('/api/ingest', post({ text: 'Acme' }))).status).toBe(403)
    expect(await countMentions(tdb.db)).toBe(0)
  })

  it('takes a single item, then a batch, and stores each mention once', async () => {
    app = withScopes(['ingest'])
    const one = await app.request(
      '/api/ingest',
      post({
        id: 'z-1',
        url: 'https://zap.example/1',
        text: 'Acme support was awful today',
        author: '@a',
      }),
    )
    expect(one.status).toBe(200)
    expect(await one.json()).toMatchObject({ received: 1, stored: 1, duplicates: 0, invalid: 0 })
    const batch = await app.request(
      '/api/ingest',
      post({
        source: 'Zapier',
        items: [
          { id: 'z-1', url: 'https://zap.example/1', text: 'Acme support was awful today' },
          {
            id: 'z-2',
            text: 'I love Acme',
            published_at: '2026-11-22T10:00:00Z',
            metrics: { likes: 3 },
          },
          { id: 'z-3', text: 'nothing about brands' },
          { text: '' },
          { id: 'z-4', text: 'Acme', colour: 'red' },
        ],
      }),
    )
    const body = await batch.json()
    expect(body).toMatchObject({ received: 5, stored: 1, duplicates: 1, unmatched: 1, invalid: 2 })
    expect(body.errors).toEqual([
      { index: 3, error: 'an item needs a title or a text' },
      { index: 4, error: 'Unrecognized key: "colour"' },
    ])
    expect((await getSourceByName(tdb.db, 'Zapier'))!.kind).toBe('push')
    expect(await countMentions(tdb.db)).toBe(2)
  })

  const bad: [unknown, number, RegExp][] = [
    ['{not json', 400, /not valid JSON/],
    [{ items: [] }, 400, /items/],
    [{ items: Array.from({ length: 501 }, () => ({ text: 'Acme' })) }, 400, /items/],
    [{ brand: 'Nope', items: [{ text: 'Acme' }] }, 400, /brand "Nope" does not exist/],
  ]
  it.each(bad)('answers %#: %i', async (body, status, message) => {
    app = withScopes(['ingest'])
    const res = await app.request('/api/ingest', post(body))
    expect(res.status).toBe(status)
    expect((await res.json()).error).toMatch(message)
  })

  it('refuses a body over 5 MB', async () => {
    app = withScopes(['ingest'])
    const res = await app.request(
      '/api/ingest',
      post({ items: [{ text: 'Acme ' + 'x'.repeat(6 * 1024 * 1024) }] }),
    )
    expect(res.status).toBe(413)
  })
})
