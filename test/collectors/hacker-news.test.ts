import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import hn from '../../collectors/hacker-news'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { json, makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const cfg = () => hn.schema.parse({ baseUrl: srv.url })

async function routePages() {
  const pages = [
    await fixture('hacker-news/search-page0.json'),
    await fixture('hacker-news/search-page1.json'),
  ]
  const empty = await fixture('hacker-news/empty.json')
  srv.route('/api/v1/search_by_date', (req, res) => {
    const q = query(req.url!)
    const body = q.query === 'Acme' ? pages[Number(q.page)] : empty
    res.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
}

describe('hacker-news collector', () => {
  it('maps stories and comments, pages per term, and keeps the created_at_i watermark', async () => {
    await routePages()
    const res = await hn.collect(makeCtx(), cfg(), {})
    expect(srv.requests.map((r) => query(r.url))).toEqual([
      {
        query: 'Acme',
        tags: '(story,comment)',
        numericFilters: 'created_at_i>1773057600',
        hitsPerPage: '50',
        page: '0',
      },
      {
        query: 'Acme',
        tags: '(story,comment)',
        numericFilters: 'created_at_i>1773057600',
        hitsPerPage: '50',
        page: '1',
      },
      {
        query: '"Acme Cloud"',
        tags: '(story,comment)',
        numericFilters: 'created_at_i>1773057600',
        hitsPerPage: '50',
        page: '0',
      },
    ])
    expect(res.items).toHaveLength(3)
    expect(res.items[0]).toEqual({
      externalId: '43210077',
      url: 'https://news.ycombinator.com/item?id=43210077',
      title: 'Re: Acme Cloud raises prices for egress',
      text: 'We migrated to <i>Acme Cloud</i> last year; the managed Postgres is solid but egress pricing hurts.',
      author: 'pgdev',
      publishedAt: '2026-03-10T11:40:12.000Z',
      metrics: undefined,
    })
    expect(res.items[1]).toEqual({
      externalId: '43210001',
      url: 'https://news.ycombinator.com/item?id=43210001',
      title: 'Acme Cloud raises prices for egress',
      text: 'https://acme.example/blog/pricing-2026',
      author: 'marie_l',
      publishedAt: '2026-03-10T10:02:33.000Z',
      metrics: { points: 212, comments: 57 },
    })
    expect(res.items[2].text).toContain('testé Acme')
    expect(res.state).toEqual({ since: 1773142812 })
  })

  it('sends the watermark on the next poll and returns only what is new', async () => {
    const empty = await fixture('hacker-news/empty.json')
    srv.route('/api/v1/search_by_date', {
      headers: { 'content-type': 'application/json' },
      body: empty,
    })
    const res = await hn.collect(makeCtx(), cfg(), { since: 1773142812 })
    expect(query(srv.requests[0].url).numericFilters).toBe('created_at_i>1773142812')
    expect(res).toEqual({ items: [], state: { since: 1773142812 } })
  })

  it('restricts tags when only stories are wanted', async () => {
    srv.route('/api/v1/search_by_date', json({ hits: [], nbPages: 0, page: 0 }))
    await hn.collect(
      makeCtx({ brands: [{ name: 'Acme', query: 'Acme', terms: ['Acme'] }] }),
      hn.schema.parse({ baseUrl: srv.url, kinds: 'story' }),
      {},
    )
    expect(query(srv.requests[0].url).tags).toBe('story')
  })

  it('passes a 429 on with its Retry-After', async () => {
    srv.route('/api/v1/search_by_date', { status: 429, headers: { 'retry-after': '60' }, body: '' })
    const err = await hn.collect(makeCtx(), cfg(), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 })
    expect(err.message).toMatch(/^hacker-news: HTTP 429/)
  })

  it('classifies a body without hits as malformed', async () => {
    srv.route('/api/v1/search_by_date', json({ message: 'oops' }))
    const err = await hn.collect(makeCtx(), cfg(), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'malformed' })
    srv.route('/api/v1/search_by_date', { body: '<html>' })
    expect(await hn.collect(makeCtx(), cfg(), {}).catch((e) => e.code)).toBe('malformed')
  })
})
