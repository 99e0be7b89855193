import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import se, { siteHost } from '../../collectors/stack-exchange'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const ctx1 = () => makeCtx({ brands: [{ name: 'Acme', query: 'Acme', terms: ['Acme'] }] })
const JSON_H = { 'content-type': 'application/json; charset=utf-8' }

describe('stack-exchange collector', () => {
  it('maps questions and answers with per-site links and a per-term watermark', async () => {
    srv.route('/2.3/search/excerpts', {
      headers: JSON_H,
      body: await fixture('stack-exchange/excerpts.json'),
    })
    const res = await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url, key: 'k3y' }), {})
    expect(query(srv.requests[0].url)).toEqual({
      q: 'Acme',
      site: 'stackoverflow',
      sort: 'creation',
      order: 'desc',
      fromdate: String(1773144000 - 7 * 86400 + 1),
      pagesize: '50',
      page: '1',
      key: 'k3y',
    })
    expect(res.items).toEqual([
      {
        externalId: 'stackoverflow:a79012399',
        url: 'https://stackoverflow.com/a/79012399',
        title: 'Acme SDK "InvalidRegion" error after upgrading to v2',
        text: 'You need to pass the region explicitly: <code>acme.Client(region=&quot;eu-west-3&quot;)</code>. Acme Cloud changed the default in v2.',
        publishedAt: '2026-03-10T10:36:40.000Z',
        metrics: { score: 5, answers: 2 },
      },
      {
        externalId: 'stackoverflow:q79012345',
        url: 'https://stackoverflow.com/q/79012345',
        title: 'Acme SDK "InvalidRegion" error after upgrading to v2',
        text: 'After <code>pip install acme-sdk==2.0</code> every call fails with InvalidRegion. What changed?',
        publishedAt: '2026-03-10T08:06:40.000Z',
        metrics: { score: 3, answers: 2 },
      },
    ])
    expect(res.state).toEqual({ since: { Acme: 1773139000 } })
    expect(res.retryAfterMs).toBeUndefined()
    expect(res.warning).toBeUndefined()
  })

  it('sends fromdate after the watermark on the next poll; empty result', async () => {
    srv.route('/2.3/search/excerpts', {
      headers: JSON_H,
      body: await fixture('stack-exchange/empty.json'),
    })
    const res = await se.collect(
      ctx1(),
      se.schema.parse({ baseUrl: srv.url, customSite: 'unix' }),
      { since: { Acme: 1773139000 } },
    )
    expect(query(srv.requests[0].url).fromdate).toBe('1773139001')
    expect(query(srv.requests[0].url).site).toBe('unix')
    expect(res.items).toEqual([])
    expect(res.state).toEqual({ since: { Acme: 1773139000 } })
  })

  it('honours backoff: stops paging and the other terms, returns retryAfterMs and a low-quota warning', async () => {
    srv.route('/2.3/search/excerpts', {
      headers: JSON_H,
      body: await fixture('stack-exchange/backoff.json'),
    })
    const res = await se.collect(
      makeCtx(),
      se.schema.parse({ baseUrl: srv.url, site: 'serverfault' }),
      {},
    )
    expect(srv.requests).toHaveLength(1)
    expect(res.retryAfterMs).toBe(10_000)
    expect(res.items[0]).toMatchObject({
      url: 'https://serverfault.com/q/79012500',
      title: "Délai d'attente du load balancer Acme Cloud",
    })
    expect(res.warning).toBe(
      'stack-exchange: only 12 of 300 daily requests left (an app key raises the limit to 10,000)',
    )
    expect(res.state).toEqual({ since: { Acme: 1773141000 } })
  })

  it('turns a throttle violation into rate_limited with the announced delay', async () => {
    srv.route('/2.3/search/excerpts', {
      status: 400,
      headers: JSON_H,
      body: await fixture('stack-exchange/throttle.json'),
    })
    const err = await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url }), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 41_723_000 })
    expect(err.message).toMatch(/^stack-exchange: throttle_violation/)
  })

  it('reports quota spent as quota until midnight UTC', async () => {
    srv.route('/2.3/search/excerpts', {
      headers: JSON_H,
      body: JSON.stringify({ items: [], has_more: false, quota_max: 300, quota_remaining: 0 }),
    })
    const err = await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url }), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'quota', retryAfterMs: 12 * 3600 * 1000 })
  })

  it('reports a bad key as config and a malformed body as malformed', async () => {
    srv.route('/2.3/search/excerpts', {
      status: 400,
      headers: JSON_H,
      body: await fixture('stack-exchange/bad-key.json'),
    })
    expect(
      await se
        .collect(ctx1(), se.schema.parse({ baseUrl: srv.url, key: 'x' }), {})
        .catch((e) => e.code),
    ).toBe('config')
    srv.route('/2.3/search/excerpts', { headers: JSON_H, body: '{"quota_remaining":3}' })
    expect(
      await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url }), {}).catch((e) => e.code),
    ).toBe('malformed')
  })

  it('knows the public host of a site', () => {
    expect(siteHost('stackoverflow')).toBe('stackoverflow.com')
    expect(siteHost('unix')).toBe('unix.stackexchange.com')
    expect(siteHost('fr.stackoverflow')).toBe('fr.stackoverflow.com')
  })

  it('follows has_more to a second page, bounded', async () => {
    const body = JSON.parse(await fixture('stack-exchange/excerpts.json'))
    srv.route('/2.3/search/excerpts', (req, res) => {
      const page = Number(query(req.url!).page)
      const items = body.items.map((it: { question_id: number; answer_id?: number }) => ({
        ...it,
        question_id: it.question_id + page * 10,
        answer_id: it.answer_id && it.answer_id + page * 10,
      }))
      res.writeHead(200, JSON_H).end(JSON.stringify({ ...body, items, has_more: true }))
    })
    const res = await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url }), {})
    expect(srv.requests.map((r) => query(r.url).page)).toEqual(['1', '2'])
    expect(res.items).toHaveLength(4)
  })

  it('leaves out items with wrong-typed fields and keeps the others', async () => {
    srv.route('/2.3/search/excerpts', {
      headers: JSON_H,
      body: await fixture('stack-exchange/wrong-types.json'),
    })
    const res = await se.collect(ctx1(), se.schema.parse({ baseUrl: srv.url }), {})
    expect(res.items.map((i) => [i.externalId, i.title, i.text, i.publishedAt])).toEqual([
      ['stackoverflow:q79010001', '404', 'Acme', '2026-03-10T10:45:00.000Z'],
      [
        'stackoverflow:q79010004',
        'Acme & friends',
        'Does Acme work with Postgres?',
        '2026-03-10T10:48:20.000Z',
      ],
    ])
    expect(res.warning).toBe('stack-exchange: 3 unreadable items left out')
    expect(res.state.since).toEqual({ Acme: 1773139700 })
  })
})
