import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import reddit from '../../collectors/reddit'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, NOW, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const oauth = () =>
  reddit.schema.parse({
    mode: 'oauth',
    clientId: 'cid',
    clientSecret: 'sec',
    baseUrl: srv.url,
    apiUrl: srv.url,
  })
const JSON_H = { 'content-type': 'application/json; charset=UTF-8' }
const rate = (remaining: string) => ({
  ...JSON_H,
  'x-ratelimit-remaining': remaining,
  'x-ratelimit-used': '3',
  'x-ratelimit-reset': '420',
})

describe('reddit collector (OAuth)', () => {
  it('gets an app-only token, searches newest posts and maps them', async () => {
    srv.route('/api/v1/access_token', { headers: JSON_H, body: await fixture('reddit/token.json') })
    srv.route('/search', { headers: rate('97.0'), body: await fixture('reddit/search.json') })
    const res = await reddit.collect(makeCtx(), oauth(), {})
    const [tok, search] = srv.requests
    expect(tok.method).toBe('POST')
    expect(tok.headers.authorization).toBe(`Basic ${Buffer.from('cid:sec').toString('base64')}`)
    expect(tok.body).toBe('grant_type=client_credentials')
    expect(search.headers.authorization).toMatch(/^Bearer eyJ/)
    expect(query(search.url)).toEqual({
      q: 'Acme OR "Acme Cloud"',
      sort: 'new',
      type: 'link',
      limit: '100',
      raw_json: '1',
    })
    expect(res.items).toEqual([
      {
        externalId: 't3_1jbr2aa',
        url: 'https://www.reddit.com/r/france/comments/1jbr2aa/hébergement_hds_acme_cloud_ça_vaut_le_coup/',
        title: 'Hébergement HDS : Acme Cloud, ça vaut le coup ?',
        text: "Quelqu'un a des retours sur Acme Cloud pour héberger une appli de santé ? Le prix a l'air correct.",
        author: 'Gaulois_du_Web',
        publishedAt: '2026-03-10T11:00:00.000Z',
        metrics: { score: 41, comments: 23, upvoteRatio: 0.94 },
      },
      {
        externalId: 't3_1jbq7xk',
        url: 'https://www.reddit.com/r/sysadmin/comments/1jbq7xk/acme_cloud_outage_postmortem_is_out/',
        title: 'Acme Cloud outage post-mortem is out',
        text: 'https://acme.example/blog/postmortem-2026-03-09',
        author: 'pager_duty_survivor',
        publishedAt: '2026-03-10T09:00:00.000Z',
        metrics: { score: 312, comments: 87, upvoteRatio: 0.98 },
      },
    ])
    expect(res.state).toMatchObject({
      since: 1773140400,
      tokenExpiresAt: NOW.getTime() + 86_400_000 - 60_000,
    })
    expect(res.retryAfterMs).toBeUndefined()
  })

  it('reuses the token, pages until the watermark and returns only new posts', async () => {
    const page1 = await fixture('reddit/search.json')
    srv.route('/r/france/search', (req, res) => {
      const after = query(req.url!).after
      res
        .writeHead(200, rate('90'))
        .end(
          after ? JSON.stringify({ kind: 'Listing', data: { after: null, children: [] } }) : page1,
        )
    })
    const state = { token: 'tok', tokenExpiresAt: NOW.getTime() + 3600_000, since: 1773130000 }
    const res = await reddit.collect(
      makeCtx(),
      reddit.schema.parse({ ...oauth(), subreddit: 'france' }),
      state,
    )
    expect(srv.requests.map((r) => query(r.url).after ?? null)).toEqual([null, 't3_1jbq7xk'])
    expect(query(srv.requests[0].url).restrict_sr).toBe('on')
    expect(srv.requests[0].headers.authorization).toBe('Bearer tok')
    expect(res.items).toHaveLength(2)
    const again = await reddit.collect(
      makeCtx(),
      reddit.schema.parse({ ...oauth(), subreddit: 'france' }),
      res.state,
    )
    expect(again.items).toEqual([])
  })

  it('refreshes a refused token once', async () => {
    srv.route('/api/v1/access_token', { headers: JSON_H, body: await fixture('reddit/token.json') })
    let calls = 0
    const empty = await fixture('reddit/search-empty.json')
    srv.route('/search', (req, res) => {
      calls++
      if (req.headers.authorization === 'Bearer stale')
        return void res.writeHead(401, JSON_H).end('{"message":"Unauthorized","error":401}')
      res.writeHead(200, rate('99')).end(empty)
    })
    const res = await reddit.collect(makeCtx(), oauth(), {
      token: 'stale',
      tokenExpiresAt: NOW.getTime() + 1000_000,
    })
    expect(calls).toBe(2)
    expect(res.items).toEqual([])
    expect(res.state.token).toMatch(/^eyJ/)
  })

  it('reports refused credentials as auth and a spent budget as retryAfterMs', async () => {
    srv.route('/api/v1/access_token', {
      status: 401,
      headers: JSON_H,
      body: '{"message":"Unauthorized","error":401}',
    })
    expect(await reddit.collect(makeCtx(), oauth(), {}).catch((e) => e)).toMatchObject({
      code: 'auth',
    })
    srv.route('/api/v1/access_token', { headers: JSON_H, body: await fixture('reddit/token.json') })
    srv.route('/search', { headers: rate('0.0'), body: await fixture('reddit/search-empty.json') })
    const res = await reddit.collect(makeCtx(), oauth(), {})
    expect(res.retryAfterMs).toBe(420_000)
  })

  it('requires credentials in OAuth mode; a non-Listing body is malformed', async () => {
    expect(reddit.schema.safeParse({ mode: 'oauth' }).success).toBe(false)
    srv.route('/search', { headers: JSON_H, body: '{"kind":"t3"}' })
    const err = await reddit
      .collect(makeCtx(), oauth(), { token: 't', tokenExpiresAt: NOW.getTime() + 60_000_0 })
      .catch((e) => e)
    expect(err.code).toBe('malformed')
  })
})

describe('reddit collector (RSS)', () => {
  it('reads the search feed and strips /u/ from authors', async () => {
    srv.route('/search.rss', {
      headers: { 'content-type': 'application/atom+xml', etag: '"x"' },
      body: await fixture('reddit/search.rss'),
    })
    const res = await reddit.collect(makeCtx(), reddit.schema.parse({ baseUrl: srv.url }), {})
    expect(query(srv.requests[0].url)).toEqual({ q: 'Acme OR "Acme Cloud"', sort: 'new' })
    expect(res.items).toHaveLength(1)
    expect(res.items[0]).toMatchObject({
      externalId: 't3_1jbr2aa',
      author: 'Gaulois_du_Web',
      title: 'Hébergement HDS : Acme Cloud, ça vaut le coup ?',
      publishedAt: '2026-03-10T11:00:00.000Z',
    })
    expect(res.state.etag).toBe('"x"')
  })

  it('explains a 403 as a blocked datacenter IP', async () => {
    srv.route('/search.rss', { status: 403, body: '<html>blocked</html>' })
    const err = await reddit
      .collect(makeCtx(), reddit.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'blocked', status: 403 })
    expect(err.message).toContain('datacenter')
  })
})
