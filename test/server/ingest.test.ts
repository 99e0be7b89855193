// POST /api/ingest: token scope, single item or batch, per-item errors, dedupe, size cap.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { countMentions } from '../../db/mentions'
import { dueSources, getSource, getSourceByName, insertSource } from '../../db/sources'
import { createApp } from '../../server/app'
import { Poller } from '../../server/poller'
import { bearer, signIn } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'

let tdb: TestDb
interface Requester {
  request(input: string, init?: RequestInit): Promise<Response> | Response
}
let app: Requester
const now = new Date('2026-11-22T12:00:00Z')

/** The app as a script holding an API token with these scopes (null: no token at all). */
async function withScopes(scopes: ('read' | 'ingest')[] | null): Promise<Requester> {
  const ctx = testContext(tdb, { now: () => now })
  const inner = createApp(ctx, new Poller(ctx))
  if (!scopes) return inner
  const { user } = await signIn(tdb.db, 'responder', now)
  const auth = await bearer(tdb.db, user.id, scopes[0], now)
  return {
    request: (input, init) =>
      Promise.resolve(
        inner.request(input, { ...init, headers: { ...(init?.headers as object), ...auth } }),
      ),
  }
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
    app = await withScopes(null)
    expect((await app.request('/api/ingest', post({ text: 'Acme' }))).status).toBe(401)
    app = await withScopes(['read'])
    expect((await app.request('/api/ingest', post({ text: 'Acme' }))).status).toBe(403)
    expect(await countMentions(tdb.db)).toBe(0)
  })

  it('takes a single item, then a batch, and stores each mention once', async () => {
    app = await withScopes(['ingest'])
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
          { id: 'z-5', text: 'Acme viral', metrics: { likes: 1e308 } },
          { id: 'z-6', text: 'Acme negative', metrics: { likes: -5 } },
          { id: 'z-7', text: 'Acme yesterday', published_at: 'yesterday' },
        ],
      }),
    )
    const body = await batch.json()
    expect(body).toMatchObject({ received: 8, stored: 1, duplicates: 1, unmatched: 1, invalid: 5 })
    expect(body.errors).toEqual([
      { index: 3, error: 'an item needs a title or a text' },
      { index: 4, error: 'Unrecognized key: "colour"' },
      { index: 5, error: expect.stringMatching(/^metrics\.likes: Too big/) },
      { index: 6, error: expect.stringMatching(/^metrics\.likes: Too small/) },
      { index: 7, error: expect.stringMatching(/^published_at: not an ISO 8601 date/) },
    ])
    expect((await getSourceByName(tdb.db, 'Zapier'))!.kind).toBe('push')
    expect(await countMentions(tdb.db)).toBe(2)
  })

  it("answers the fields the README's HTTP API table names, a title alone being an item", async () => {
    app = await withScopes(['ingest'])
    const res = await app.request('/api/ingest', post({ title: 'Acme is down' }))
    expect(res.status).toBe(200)
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const row = readme.split('\n').find((l) => l.startsWith('| `POST /api/ingest`'))!
    const answer = /Answers `\{([^`]+)\}`/.exec(row)![1]
    // top-level names only: errors' items are described inside their brackets
    const named = [...answer.replace(/\[[^\]]*\]/g, '').matchAll(/(?:^|,)\s*([a-z_]+)/g)].map(
      (m) => m[1],
    )
    expect(Object.keys(await res.json()).sort()).toEqual(named.sort())
  })

  it('a push source is never polled: not due, no "poll now", and a forced poll records nothing', async () => {
    const src = await insertSource(
      tdb.db,
      { name: 'Zapier', kind: 'push', config: {}, intervalSeconds: 86_400 },
      now,
    )
    expect(await dueSources(tdb.db, new Date(now.getTime() + 400 * 86_400_000), 10)).toEqual([])
    const admin = await signIn(tdb.db, 'admin', now)
    const inner = (await withScopes(null)) as { request(p: string, i?: RequestInit): Response }
    const page = await (await inner.request('/sources', { headers: admin.headers })).text()
    expect(page).toContain('Reçoit ses mentions par</dt><dd><code>POST /api/ingest</code>')
    expect(page).not.toContain(`hx-post="/sources/${src.id}/poll"`)
    const forced = await inner.request(`/sources/${src.id}/poll`, {
      method: 'POST',
      headers: { ...admin.headers, origin: 'http://localhost' },
    })
    expect(forced.status).toBe(200)
    expect((await getSource(tdb.db, src.id))!.error_count).toBe(0)
  })

  const bad: [unknown, number, RegExp][] = [
    ['{not json', 400, /not valid JSON/],
    [{ items: [] }, 400, /items/],
    [{ items: Array.from({ length: 501 }, () => ({ text: 'Acme' })) }, 400, /items/],
    [{ brand: 'Nope', items: [{ text: 'Acme' }] }, 400, /brand "Nope" does not exist/],
  ]
  it.each(bad)('answers %#: %i', async (body, status, message) => {
    app = await withScopes(['ingest'])
    const res = await app.request('/api/ingest', post(body))
    expect(res.status).toBe(status)
    expect((await res.json()).error).toMatch(message)
  })

  it('a brand named in a push scopes that push only; the source is bound by its settings', async () => {
    app = await withScopes(['ingest'])
    await insertBrand(tdb.db, { name: 'Globex', query: 'Globex' }, now)
    const first = await app.request(
      '/api/ingest',
      post({ source: 'Bound', brand: 'Acme', items: [{ id: 'a', text: 'Acme news' }] }),
    )
    expect(await first.json()).toMatchObject({ stored: 1 })
    expect((await getSourceByName(tdb.db, 'Bound'))?.brand_id).toBeNull()
    const later = await app.request(
      '/api/ingest',
      post({ source: 'Bound', items: [{ id: 'b', text: 'Globex rocks' }] }),
    )
    expect(await later.json()).toMatchObject({ stored: 1, unmatched: 0 })
  })

  it('reads null as absent (Zapier, n8n) and a brand name whatever its case', async () => {
    app = await withScopes(['ingest'])
    const res = await app.request(
      '/api/ingest',
      post({
        source: 'Zap',
        brand: 'acme',
        items: [{ id: null, url: null, author: null, text: 'Acme', published_at: null }],
      }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ stored: 1, errors: [] })
  })

  it('a push with nothing readable creates no source and marks none healthy', async () => {
    app = await withScopes(['ingest'])
    const res = await app.request('/api/ingest', post({ source: 'Fake', items: [{ nope: 1 }] }))
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ stored: 0, invalid: 1 })
    expect(await getSourceByName(tdb.db, 'Fake')).toBeUndefined()
  })

  it.each([
    ['2026-11-22T10:00:00Z', true],
    ['2026-11-22T10:00:00.123+01:00', true],
    ['2026-11-22 10:00+0100', true],
    ['2026-11-22', true],
    ['1', false],
    ['Acme 2', false],
    ['12/11/2026', false],
    ['2026-11-23 10:00', false], // a time without its zone: whose 10:00?
    ['hier', false],
  ])('published_at %j accepted: %s', async (published_at, ok) => {
    app = await withScopes(['ingest'])
    const res = await app.request('/api/ingest', post({ text: 'Acme', published_at }))
    const body = await res.json()
    expect(body.errors.length === 0).toBe(ok)
  })

  it('concurrent first pushes to a new source all land', async () => {
    app = await withScopes(['ingest'])
    const all = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.request(
          '/api/ingest',
          post({ source: 'Solo', items: [{ id: `s${i}`, text: 'Acme' }] }),
        ),
      ),
    )
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(200))
    expect(await countMentions(tdb.db)).toBe(8)
  })

  it('refuses a body over 5 MB', async () => {
    app = await withScopes(['ingest'])
    const res = await app.request(
      '/api/ingest',
      post({ items: [{ text: 'Acme ' + 'x'.repeat(6 * 1024 * 1024) }] }),
    )
    expect(res.status).toBe(413)
  })
})
