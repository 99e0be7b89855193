import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import appStore from '../../collectors/app-store'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const cfg = (over = {}) =>
  appStore.schema.parse({ appId: '1234567890', country: 'FR', baseUrl: srv.url, ...over })
const PAGE1 = '/fr/rss/customerreviews/page=1/id=1234567890/sortby=mostrecent/json'

describe('app-store collector', () => {
  it('maps reviews with rating, votes and author; one page when fewer than 50', async () => {
    srv.route(PAGE1, {
      headers: { 'content-type': 'application/json', etag: '"r1"' },
      body: await fixture('app-store/reviews.json'),
    })
    const res = await appStore.collect(makeCtx(), cfg({}), {})
    expect(srv.requests.map((r) => r.url)).toEqual([PAGE1])
    expect(res.items[0]).toEqual({
      externalId: '11734567890',
      url: 'https://itunes.apple.com/fr/review?id=1234567890&type=Purple%20Software',
      title: 'Plantage à chaque ouverture',
      text: 'Depuis la mise à jour l’app Acme plante dès l’ouverture. Inutilisable.',
      author: 'Camille_L',
      publishedAt: '2026-03-10T09:14:33.000Z',
      rating: 1,
      metrics: { votes: 4, helpful: 3 },
    })
    expect(res.items[1]).toMatchObject({ rating: 5, publishedAt: '2026-03-09T18:02:00.000Z' })
    expect(res.state).toEqual({
      etag: '"r1"',
      since: '2026-03-10T09:14:33.000Z',
      seen: ['11734567890'],
    })
  })

  it('returns only reviews newer than the watermark', async () => {
    srv.route(PAGE1, { body: await fixture('app-store/reviews.json') })
    const res = await appStore.collect(makeCtx(), cfg(), {
      since: '2026-03-09T18:02:00.000Z',
      seen: ['11734001122'],
    })
    expect(res.items.map((i) => i.externalId)).toEqual(['11734567890'])
  })

  it('accepts a single review as an object and no review at all', async () => {
    srv.route('/ch/rss/customerreviews/page=1/id=1234567890/sortby=mostrecent/json', {
      body: await fixture('app-store/single.json'),
    })
    const one = await appStore.collect(makeCtx(), cfg({ country: 'ch' }), {})
    expect(one.items).toHaveLength(1)
    expect(one.items[0]).toMatchObject({ author: 'LéaG', rating: 4 })
    srv.route(PAGE1, { body: await fixture('app-store/empty.json') })
    const none = await appStore.collect(makeCtx(), cfg(), {})
    expect(none.items).toEqual([])
  })

  it('pages on (bounded) when a full page is new', async () => {
    const entry = JSON.parse(await fixture('app-store/single.json')).feed.entry
    const full = (page: number) => ({
      feed: {
        entry: Array.from({ length: 50 }, (_, i) => ({
          ...entry,
          id: { label: String(page * 100 + i) },
          updated: { label: `2026-03-0${9 - page}T10:00:00Z` },
        })),
      },
    })
    srv.route('*', (req, res) => {
      const page = Number(/page=(\d+)/.exec(req.url!)![1])
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(full(page)))
    })
    const res = await appStore.collect(makeCtx(), cfg(), { since: '2026-01-01T00:00:00Z' })
    expect(srv.requests).toHaveLength(3)
    expect(res.items).toHaveLength(150)
  })

  it('reports a conditional GET 304, an unknown app and a malformed body', async () => {
    srv.route(
      PAGE1,
      (req, res) =>
        void res.writeHead(req.headers['if-none-match'] === '"r1"' ? 304 : 200).end('{}'),
    )
    const same = await appStore.collect(makeCtx(), cfg(), { etag: '"r1"' })
    expect(same).toMatchObject({ items: [], notModified: true })
    const err = await appStore.collect(makeCtx(), cfg(), {}).catch((e) => e)
    expect(err.code).toBe('malformed')
    const missing = await appStore.collect(makeCtx(), cfg({ appId: '99999' }), {}).catch((e) => e)
    expect(missing.code).toBe('not_found')
    expect(appStore.schema.safeParse({ appId: 'com.acme.app' }).success).toBe(false)
  })
})
