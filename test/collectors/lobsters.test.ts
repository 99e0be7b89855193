import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import lobsters from '../../collectors/lobsters'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const JSON_H = { 'content-type': 'application/json' }

describe('lobsters collector', () => {
  it('maps the newest stories and records the watermark', async () => {
    srv.route('/newest.json', { headers: JSON_H, body: await fixture('lobsters/newest.json') })
    const res = await lobsters.collect(makeCtx(), { baseUrl: srv.url }, {})
    expect(srv.requests.map((r) => r.url)).toEqual(['/newest.json'])
    expect(res.items).toEqual([
      {
        externalId: 'x7kq2p',
        url: 'https://lobste.rs/s/x7kq2p/how_acme_cloud_rebuilt_its_scheduler',
        title: 'How Acme Cloud rebuilt its scheduler in Rust',
        text: 'https://acme.example/blog/scheduler-rust\n\ntags: rust, distributed',
        author: 'ferris_fan',
        publishedAt: '2026-03-10T11:40:11.000Z',
        metrics: { score: 18, comments: 7 },
      },
      {
        externalId: 'b2m9ra',
        url: 'https://lobste.rs/s/b2m9ra/souverainete_numerique_le_cas_acme',
        title: 'Souveraineté numérique : le cas Acme',
        text: 'Un retour d’expérience sur l’hébergement chez Acme.\n\ntags: practices',
        author: 'camille',
        publishedAt: '2026-03-10T10:12:00.000Z',
        metrics: { score: 4, comments: 2 },
      },
    ])
    expect(res.state).toEqual({ since: '2026-03-10T11:40:11.000Z', seen: ['x7kq2p'] })
  })

  it('returns only stories newer than the watermark on the next poll', async () => {
    srv.route('/newest.json', {
      headers: JSON_H,
      body: await fixture('lobsters/newest-later.json'),
    })
    const res = await lobsters.collect(
      makeCtx(),
      { baseUrl: srv.url },
      { since: '2026-03-10T11:40:11.000Z', seen: ['x7kq2p'] },
    )
    expect(res.items.map((i) => i.externalId)).toEqual(['q1w2e3'])
    expect(res.state).toEqual({ since: '2026-03-10T12:01:00.000Z', seen: ['q1w2e3'] })
    expect(srv.requests).toHaveLength(1)
  })

  it('pages back (bounded) while every story is new', async () => {
    const page = await fixture('lobsters/newest-later.json')
    srv.route('*', { headers: JSON_H, body: page })
    const res = await lobsters.collect(
      makeCtx(),
      { baseUrl: srv.url },
      { since: '2026-01-01T00:00:00.000Z', seen: [] },
    )
    expect(srv.requests.map((r) => r.url)).toEqual([
      '/newest.json',
      '/newest/page/2.json',
      '/newest/page/3.json',
    ])
    expect(res.items).toHaveLength(6)
  })

  it('handles an empty list and a malformed body', async () => {
    srv.route('/newest.json', { headers: JSON_H, body: '[]' })
    expect(await lobsters.collect(makeCtx(), { baseUrl: srv.url }, {})).toEqual({
      items: [],
      state: { since: undefined, seen: [] },
    })
    srv.route('/newest.json', { headers: JSON_H, body: '{"error":"rate limited"}' })
    expect(await lobsters.collect(makeCtx(), { baseUrl: srv.url }, {}).catch((e) => e.code)).toBe(
      'malformed',
    )
  })

  it('passes a 429 on with Retry-After', async () => {
    srv.route('/newest.json', { status: 429, headers: { 'retry-after': '30' } })
    expect(
      await lobsters.collect(makeCtx(), { baseUrl: srv.url }, {}).catch((e) => e),
    ).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 30_000,
    })
  })
})
