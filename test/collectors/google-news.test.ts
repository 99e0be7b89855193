import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import news from '../../collectors/google-news'
import { MAX_FEED_ITEMS } from '../../collectors/rss'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

describe('google-news collector', () => {
  it('sends a consistent hl/gl/ceid and folds on title + publisher', async () => {
    srv.route('/rss/search', {
      headers: { 'content-type': 'application/rss+xml' },
      body: await fixture('google-news/search.xml'),
    })
    const res = await news.collect(
      makeCtx(),
      news.schema.parse({ baseUrl: srv.url, edition: 'fr-CH' }),
      {},
    )
    expect(query(srv.requests[0].url)).toEqual({
      q: 'Acme OR "Acme Cloud" when:1d',
      hl: 'fr',
      gl: 'CH',
      ceid: 'CH:fr',
    })
    expect(res.items[0]).toMatchObject({
      externalId: 'CBMiiAFBVV95cUxPZ3JqY0xXb0RzR3FoR1Rw',
      url: 'https://news.google.com/rss/articles/CBMiiAFBVV95cUxPZ3JqY0xXb0RzR3FoR1Rw?oc=5',
      title: 'Acme lève 20 millions pour son cloud souverain',
      author: 'Le Temps',
      publishedAt: '2026-03-10T07:00:00.000Z',
      lang: 'fr',
      foldKey: 'acme leve 20 millions pour son cloud souverain|le temps',
    })
    expect(res.items[1].foldKey).toBe('panne chez acme cloud : les clients romands touches|rts')
  })

  it('uses the regional hl for English and French Canada', async () => {
    srv.route('/rss/search', {
      body: '<rss version="2.0"><channel><title>t</title></channel></rss>',
    })
    const res = await news.collect(
      makeCtx(),
      news.schema.parse({ baseUrl: srv.url, edition: 'fr-CA', window: '7d' }),
      {},
    )
    expect(query(srv.requests[0].url)).toMatchObject({
      hl: 'fr-CA',
      gl: 'CA',
      ceid: 'CA:fr',
      q: 'Acme OR "Acme Cloud" when:7d',
    })
    expect(res.items).toEqual([])
    expect(news.schema.safeParse({ edition: 'xx-YY' }).success).toBe(false)
  })

  it('keeps the first MAX_FEED_ITEMS items of a huge answer and says so', async () => {
    const items = Array.from(
      { length: MAX_FEED_ITEMS + 5 },
      (_, i) => `<item><guid>n${i}</guid><title>Acme ${i} - RTS</title><source>RTS</source></item>`,
    )
    srv.route('/rss/search', {
      body: `<rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`,
    })
    const res = await news.collect(makeCtx(), news.schema.parse({ baseUrl: srv.url }), {})
    expect(res.items).toHaveLength(MAX_FEED_ITEMS)
    expect(res.items[0]).toMatchObject({ externalId: 'n0', title: 'Acme 0', author: 'RTS' })
    expect(res.warning).toBe(
      `google-news: kept the first ${MAX_FEED_ITEMS} of ${MAX_FEED_ITEMS + 5} items`,
    )
  })

  it('does a conditional GET', async () => {
    srv.route('/rss/search', (req, res) => {
      if (req.headers['if-modified-since'] === 'Tue, 10 Mar 2026 11:58:12 GMT')
        return void res.writeHead(304).end()
      res.writeHead(500).end()
    })
    const state = { lastModified: 'Tue, 10 Mar 2026 11:58:12 GMT' }
    const res = await news.collect(makeCtx(), news.schema.parse({ baseUrl: srv.url }), state)
    expect(res.notModified).toBe(true)
  })

  it('classifies a captcha page as malformed, a 429 as rate_limited, no terms as config', async () => {
    srv.route('/rss/search', {
      headers: { 'content-type': 'text/html' },
      body: '<html><body>unusual traffic</body>',
    })
    const err = await news
      .collect(makeCtx(), news.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err.code).toBe('malformed')
    srv.route('/rss/search', { status: 429, headers: { 'retry-after': '120' } })
    expect(
      await news.collect(makeCtx(), news.schema.parse({ baseUrl: srv.url }), {}).catch((e) => e),
    ).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 120_000,
    })
    const none = await news
      .collect(makeCtx({ brands: [] }), news.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(none.code).toBe('config')
  })
})
