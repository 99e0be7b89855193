import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import gdelt from '../../collectors/gdelt'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const PATH = '/api/v2/doc/doc'

describe('gdelt collector', () => {
  it('builds an OR query in parentheses with the language filter and maps articles', async () => {
    srv.route(PATH, {
      headers: { 'content-type': 'application/json' },
      body: await fixture('gdelt/artlist.json'),
    })
    const res = await gdelt.collect(
      makeCtx(),
      gdelt.schema.parse({ baseUrl: srv.url, sourceLang: 'french' }),
      {},
    )
    expect(query(srv.requests[0].url)).toEqual({
      query: '(Acme OR "Acme Cloud") sourcelang:french',
      mode: 'ArtList',
      format: 'json',
      sort: 'DateDesc',
      maxrecords: '250',
      timespan: '1d',
    })
    expect(res.items[0]).toEqual({
      externalId:
        'https://www.lemonde.fr/economie/article/2026/03/10/acme-leve-20-millions_6612345_3234.html',
      url: 'https://www.lemonde.fr/economie/article/2026/03/10/acme-leve-20-millions_6612345_3234.html',
      title: "Acme lève 20 millions d ' euros pour son cloud souverain",
      text: "Acme lève 20 millions d ' euros pour son cloud souverain",
      author: 'lemonde.fr',
      publishedAt: '2026-03-10T09:15:00.000Z',
      lang: 'fr',
    })
    expect(res.items[1].lang).toBe('en')
    expect(res.state).toEqual({ since: '2026-03-10T09:15:00.000Z' })
  })

  it('asks from the watermark on the next poll and drops what was already seen', async () => {
    srv.route(PATH, { body: await fixture('gdelt/artlist.json') })
    const res = await gdelt.collect(
      makeCtx({ brands: [{ name: 'Acme', query: 'Acme', terms: ['Acme'] }] }),
      gdelt.schema.parse({ baseUrl: srv.url, sourceCountry: 'sz' }),
      { since: '2026-03-10T08:15:00.000Z' },
    )
    const q = query(srv.requests[0].url)
    expect(q.query).toBe('Acme sourcecountry:SZ')
    expect(q.startdatetime).toBe('20260310081500')
    expect(q.enddatetime).toBe('20260310120000')
    expect(q.timespan).toBeUndefined()
    expect(res.items.map((i) => i.publishedAt)).toEqual(['2026-03-10T09:15:00.000Z'])
  })

  it('treats {} as no results', async () => {
    srv.route(PATH, { body: '{}' })
    const res = await gdelt.collect(makeCtx(), gdelt.schema.parse({ baseUrl: srv.url }), {
      since: '2026-03-10T08:15:00.000Z',
    })
    expect(res).toEqual({ items: [], state: { since: '2026-03-10T08:15:00.000Z' } })
  })

  it('classifies the plain-text 200 answer to a bad query as config', async () => {
    srv.route(PATH, {
      headers: { 'content-type': 'text/html' },
      body: 'Your search contained a keyword that was too short or too common.\n',
    })
    const err = await gdelt
      .collect(makeCtx(), gdelt.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err.code).toBe('config')
    expect(err.message).toContain('keyword that was too short')
  })

  it('turns a 429 into rate_limited with a 5-second wait', async () => {
    srv.route(PATH, { status: 429, body: 'Please limit requests to one every 5 seconds.' })
    expect(
      await gdelt.collect(makeCtx(), gdelt.schema.parse({ baseUrl: srv.url }), {}).catch((e) => e),
    ).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 5000,
    })
  })

  it('classifies broken JSON as malformed', async () => {
    srv.route(PATH, { body: '{"articles": [ {"url": ' })
    expect(
      await gdelt
        .collect(makeCtx(), gdelt.schema.parse({ baseUrl: srv.url }), {})
        .catch((e) => e.code),
    ).toBe('malformed')
  })

  it('leaves out articles without a usable URL and reads wrong-typed fields as text', async () => {
    srv.route(PATH, {
      headers: { 'content-type': 'application/json' },
      body: await fixture('gdelt/wrong-types.json'),
    })
    const res = await gdelt.collect(makeCtx(), gdelt.schema.parse({ baseUrl: srv.url }), {})
    expect(res.items).toEqual([
      {
        externalId: 'https://www.example.fr/acme-1',
        url: 'https://www.example.fr/acme-1',
        title: '2026',
        text: '2026',
        author: 'example.fr',
        publishedAt: undefined,
        lang: undefined,
      },
      {
        externalId: 'https://www.example.fr/acme-4',
        url: 'https://www.example.fr/acme-4',
        title: 'Acme bad date',
        text: 'Acme bad date',
        author: 'example.fr',
        publishedAt: undefined,
        lang: 'fr',
      },
    ])
    expect(res.warning).toBe('gdelt: 3 unreadable items left out')
  })
})
