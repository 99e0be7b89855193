import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import mastodon from '../../collectors/mastodon'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const JSON_H = {
  'content-type': 'application/json; charset=utf-8',
  'x-ratelimit-limit': '300',
  'x-ratelimit-remaining': '297',
}
const cfg = (over = {}) => mastodon.schema.parse({ instance: srv.url, ...over })

describe('mastodon collector', () => {
  it('reads hashtag timelines derived from the brand terms and maps statuses', async () => {
    const acme = await fixture('mastodon/tag-acme.json')
    srv.route('/api/v1/timelines/tag/acme', { headers: JSON_H, body: acme })
    srv.route('/api/v1/timelines/tag/acmecloud', { headers: JSON_H, body: '[]' })
    const res = await mastodon.collect(makeCtx(), cfg(), {})
    expect(srv.requests.map((r) => r.url)).toEqual([
      '/api/v1/timelines/tag/acme?limit=40',
      '/api/v1/timelines/tag/acmecloud?limit=40',
    ])
    expect(res.items[0]).toEqual({
      externalId: 'https://piaille.fr/users/camille/statuses/114162012345678901',
      url: 'https://piaille.fr/@camille/114162012345678901',
      title: '',
      text: expect.stringContaining('Migration terminée vers'),
      author: 'camille@piaille.fr',
      publishedAt: '2026-03-10T11:31:07.000Z',
      lang: 'fr',
      metrics: { favourites: 14, reblogs: 5, replies: 2, followers: 812 },
    })
    expect(res.items[1].text).toMatch(/^outage rant\n\n<p>Third/)
    // an instance's own account ("opsgrump") is stored as user@instance like the others
    expect(res.items[1].author).toBe('opsgrump@mastodon.social')
    expect(res.state).toEqual({ cursors: { 'tag:acme': '114162012345678901' } })
    expect(res.warning).toBeUndefined()
  })

  it('sends since_id on the next poll and pages back with max_id while pages are full', async () => {
    const first = JSON.parse(await fixture('mastodon/tag-acme.json'))[0]
    const full = Array.from({ length: 40 }, (_, i) => ({
      ...first,
      id: String(114162100000000099n - BigInt(i)),
      uri: `https://x.example/s/${i}`,
    }))
    srv.route('/api/v1/timelines/tag/acme', (req, res) => {
      const q = query(req.url!)
      res.writeHead(200, JSON_H).end(JSON.stringify(q.max_id ? [] : full))
    })
    const state = { cursors: { 'tag:acme': '114162012345678901' } }
    const res = await mastodon.collect(makeCtx(), cfg({ hashtags: '#Acme' }), state)
    expect(srv.requests.map((r) => query(r.url))).toEqual([
      { limit: '40', since_id: '114162012345678901' },
      { limit: '40', since_id: '114162012345678901', max_id: '114162100000000060' },
    ])
    expect(res.items).toHaveLength(40)
    expect(res.state).toEqual({ cursors: { 'tag:acme': '114162100000000099' } })
  })

  it('searches full text with a token, using min_id as the cursor', async () => {
    srv.route('/api/v1/timelines/tag/acme', { headers: JSON_H, body: '[]' })
    srv.route('/api/v2/search', { headers: JSON_H, body: await fixture('mastodon/search.json') })
    const res = await mastodon.collect(
      makeCtx(),
      cfg({ hashtags: 'acme', search: true, token: 'tok' }),
      {
        cursors: { 'search:Acme Cloud': '114162000000000000' },
      },
    )
    const searches = srv.requests.filter((r) => r.url.startsWith('/api/v2/search'))
    expect(searches.map((r) => query(r.url))).toEqual([
      { q: 'Acme', type: 'statuses', resolve: 'false', limit: '40' },
      {
        q: '"Acme Cloud"',
        type: 'statuses',
        resolve: 'false',
        limit: '40',
        min_id: '114162000000000000',
      },
    ])
    expect(searches[0].headers.authorization).toBe('Bearer tok')
    expect(res.items.map((i) => i.author)).toEqual(['lea@fosstodon.org'])
  })

  it('says plainly when search is refused without a token, and still returns hashtags', async () => {
    srv.route('/api/v1/timelines/tag/acme', {
      headers: JSON_H,
      body: await fixture('mastodon/tag-acme.json'),
    })
    srv.route('/api/v2/search', {
      status: 401,
      headers: JSON_H,
      body: '{"error":"Search queries with offset require authentication"}',
    })
    const res = await mastodon.collect(makeCtx(), cfg({ hashtags: 'acme', search: true }), {})
    expect(res.items).toHaveLength(2)
    expect(res.warning).toContain('does not allow full-text search without a logged-in user')
  })

  it('reports a refused token as auth', async () => {
    srv.route('/api/v1/timelines/tag/acme', { headers: JSON_H, body: '[]' })
    srv.route('/api/v2/search', {
      status: 403,
      body: '{"error":"This action is outside the authorized scopes"}',
    })
    const err = await mastodon
      .collect(makeCtx(), cfg({ hashtags: 'acme', search: true, token: 'bad' }), {})
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'auth', status: 403 })
  })

  it('returns retryAfterMs when the rate-limit budget is spent; malformed bodies are reported', async () => {
    srv.route('/api/v1/timelines/tag/acme', {
      headers: {
        ...JSON_H,
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '2026-03-10T12:03:00.000Z',
      },
      body: '[]',
    })
    const res = await mastodon.collect(makeCtx(), cfg({ hashtags: 'acme, acmecloud' }), {})
    expect(res.retryAfterMs).toBe(180_000)
    expect(srv.requests).toHaveLength(1) // the budget is spent: the second hashtag waits
    srv.route('/api/v1/timelines/tag/acme', {
      headers: JSON_H,
      body: '{"error":"Record not found"}',
    })
    expect(
      await mastodon.collect(makeCtx(), cfg({ hashtags: 'acme' }), {}).catch((e) => e.code),
    ).toBe('malformed')
  })
})
