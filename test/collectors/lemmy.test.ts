import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import lemmy from '../../collectors/lemmy'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const one = () => makeCtx({ brands: [{ name: 'Acme', query: 'Acme', terms: ['Acme'] }] })
const JSON_H = { 'content-type': 'application/json' }

describe('lemmy collector', () => {
  it('detects v3 (no /api/v4/site), maps posts and comments', async () => {
    srv.route('/api/v3/search', { headers: JSON_H, body: await fixture('lemmy/search-v3.json') })
    const res = await lemmy.collect(one(), lemmy.schema.parse({ instance: srv.url }), {})
    expect(srv.requests.map((r) => r.url.split('?')[0])).toEqual(['/api/v4/site', '/api/v3/search'])
    expect(query(srv.requests[1].url)).toEqual({
      q: 'Acme',
      type_: 'All',
      sort: 'New',
      listing_type: 'All',
      limit: '50',
      page: '1',
    })
    expect(res.items).toEqual([
      {
        externalId: 'https://jlai.lu/post/13370001',
        url: 'https://jlai.lu/post/13370001',
        title: 'Acme lève 20 millions pour un cloud souverain',
        text: 'Enfin une alternative française ?\n\nhttps://www.lemonde.fr/economie/article/2026/03/10/acme-leve-20-millions_6612345_3234.html',
        author: 'marianne',
        publishedAt: '2026-03-10T09:45:10.000Z',
        metrics: { score: 54, comments: 12 },
      },
      {
        externalId: 'https://lemmy.world/comment/15550123',
        url: 'https://lemmy.world/comment/15550123',
        title: 'Re: Acme Cloud down in eu-west-3',
        text: 'We moved off Acme Cloud after the outage, support never answered.',
        author: 'tux_admin',
        publishedAt: '2026-03-10T10:20:00.123Z',
        metrics: { score: 7, replies: 2 },
      },
    ])
    expect(res.state).toEqual({ api: 'v3', since: { Acme: '2026-03-10T10:20:00.123Z' } })
  })

  it('returns only items newer than the per-term watermark, without re-detecting', async () => {
    srv.route('/api/v3/search', { headers: JSON_H, body: await fixture('lemmy/search-v3.json') })
    const res = await lemmy.collect(one(), lemmy.schema.parse({ instance: srv.url }), {
      api: 'v3',
      since: { Acme: '2026-03-10T10:00:00.000Z' },
    })
    expect(srv.requests).toHaveLength(1)
    expect(res.items.map((i) => i.author)).toEqual(['tux_admin'])
  })

  it('uses v4 where the instance has it (tagged results, counts on the objects)', async () => {
    srv.route('/api/v4/site', {
      headers: JSON_H,
      body: '{"site_view":{"site":{"name":"Lemmy Example"}},"version":"1.0.0"}',
    })
    srv.route('/api/v4/search', { headers: JSON_H, body: await fixture('lemmy/search-v4.json') })
    const res = await lemmy.collect(one(), lemmy.schema.parse({ instance: srv.url }), {})
    expect(query(srv.requests[1].url)).toEqual({
      q: 'Acme',
      type_: 'All',
      sort: 'New',
      listing_type: 'All',
      limit: '50',
    })
    expect(res.items.map((i) => [i.externalId, i.metrics])).toEqual([
      ['https://lemmy.example/post/512', { score: 19, comments: 4 }],
      ['https://lemmy.example/comment/9001', { score: 3, replies: 0 }],
    ])
    expect(res.state.api).toBe('v4')
  })

  it('falls back to v3 when v4 search answers 404', async () => {
    srv.route('/api/v3/search', {
      headers: JSON_H,
      body: '{"type_":"All","comments":[],"posts":[],"communities":[],"users":[]}',
    })
    const res = await lemmy.collect(one(), lemmy.schema.parse({ instance: srv.url, api: 'v4' }), {})
    expect(srv.requests.map((r) => r.url.split('?')[0])).toEqual([
      '/api/v4/search',
      '/api/v3/search',
    ])
    expect(res).toEqual({ items: [], state: { api: 'v3', since: {} } })
  })

  it('classifies errors: rate limit, malformed', async () => {
    srv.route('/api/v3/search', { status: 429, headers: { 'retry-after': '5' } })
    expect(
      await lemmy
        .collect(one(), lemmy.schema.parse({ instance: srv.url, api: 'v3' }), {})
        .catch((e) => e),
    ).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 5000,
    })
    srv.route('/api/v3/search', { headers: JSON_H, body: '{"error":"couldnt_find_object"}' })
    expect(
      await lemmy
        .collect(one(), lemmy.schema.parse({ instance: srv.url, api: 'v3' }), {})
        .catch((e) => e.code),
    ).toBe('malformed')
  })

  it('pages on while a full page is newer than the watermark (bounded)', async () => {
    const post = JSON.parse(await fixture('lemmy/search-v3.json')).posts[0]
    srv.route('/api/v3/search', (req, res) => {
      const page = Number(query(req.url!).page)
      const posts = Array.from({ length: 50 }, (_, i) => ({
        ...post,
        post: {
          ...post.post,
          ap_id: `https://jlai.lu/post/${page}-${i}`,
          published: '2026-03-10T11:00:00Z',
        },
      }))
      res
        .writeHead(200, JSON_H)
        .end(JSON.stringify({ type_: 'All', posts, comments: [], communities: [], users: [] }))
    })
    const res = await lemmy.collect(one(), lemmy.schema.parse({ instance: srv.url, api: 'v3' }), {
      since: { Acme: '2026-03-10T10:00:00Z' },
    })
    expect(srv.requests.map((r) => query(r.url).page)).toEqual(['1', '2'])
    expect(res.items).toHaveLength(100)
    expect(res.state.since).toEqual({ Acme: '2026-03-10T11:00:00.000Z' })
  })
})
