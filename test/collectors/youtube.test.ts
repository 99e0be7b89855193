import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import youtube, { pacificDay } from '../../collectors/youtube'
import { MAX_FEED_ITEMS } from '../../collectors/rss'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, NOW, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const CHANNEL = 'UCaCmEcLoUdAcMeClOuDfR01'
const JSON_H = { 'content-type': 'application/json; charset=UTF-8' }
const api = (over = {}) =>
  youtube.schema.parse({ mode: 'api', apiKey: 'AIzaTest', apiUrl: srv.url, ...over })
const TO_RESET = 19 * 3600 * 1000 // NOW is 05:00 in Los Angeles (PDT)

async function routeApi() {
  srv.route('/youtube/v3/search', { headers: JSON_H, body: await fixture('youtube/search.json') })
  srv.route('/youtube/v3/videos', { headers: JSON_H, body: await fixture('youtube/videos.json') })
  srv.route('/youtube/v3/commentThreads', {
    headers: JSON_H,
    body: await fixture('youtube/comment-threads.json'),
  })
}

describe('youtube collector (feed)', () => {
  it('maps a channel feed with views and likes, with a conditional GET', async () => {
    srv.route('/feeds/videos.xml', {
      headers: { 'content-type': 'application/atom+xml', etag: '"yt1"' },
      body: await fixture('youtube/channel.xml'),
    })
    const cfg = youtube.schema.parse({ channelId: CHANNEL, baseUrl: srv.url })
    const res = await youtube.collect(makeCtx(), cfg, {})
    expect(query(srv.requests[0].url)).toEqual({ channel_id: CHANNEL })
    expect(res.items).toEqual([
      {
        externalId: 'dQ4w9WgXcQa',
        url: 'https://www.youtube.com/watch?v=dQ4w9WgXcQa',
        title: 'Acme Cloud : notre nouvelle région à Paris',
        text: 'Visite de la nouvelle région eu-paris-1 d’Acme Cloud.',
        author: 'Acme Cloud',
        publishedAt: '2026-03-09T16:00:06.000Z',
        metrics: { views: 10452, likes: 311 },
      },
    ])
    srv.route(
      '/feeds/videos.xml',
      (req, res) => void res.writeHead(req.headers['if-none-match'] === '"yt1"' ? 304 : 500).end(),
    )
    expect((await youtube.collect(makeCtx(), cfg, res.state)).notModified).toBe(true)
  })

  it('keeps the first MAX_FEED_ITEMS entries of a huge feed and says so', async () => {
    const entries = Array.from(
      { length: MAX_FEED_ITEMS + 5 },
      (_, i) =>
        `<entry><id>yt:video:v${i}</id><yt:videoId>v${i}</yt:videoId><title>Acme ${i}</title></entry>`,
    )
    srv.route('/feeds/videos.xml', {
      headers: { 'content-type': 'application/atom+xml' },
      body: `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015">${entries.join('')}</feed>`,
    })
    const cfg = youtube.schema.parse({ channelId: CHANNEL, baseUrl: srv.url })
    const res = await youtube.collect(makeCtx(), cfg, {})
    expect(res.items).toHaveLength(MAX_FEED_ITEMS)
    expect(res.items[0]).toMatchObject({ externalId: 'v0', title: 'Acme 0' })
    expect(res.warning).toBe(
      `youtube: kept the first ${MAX_FEED_ITEMS} of ${MAX_FEED_ITEMS + 5} items`,
    )
  })

  it('uses playlist_id for a playlist and needs one of the two ids', async () => {
    srv.route('/feeds/videos.xml', {
      body: '<feed xmlns="http://www.w3.org/2005/Atom"><title>p</title></feed>',
    })
    const res = await youtube.collect(
      makeCtx(),
      youtube.schema.parse({ playlistId: 'PLacme0123456789', baseUrl: srv.url }),
      {},
    )
    expect(query(srv.requests[0].url)).toEqual({ playlist_id: 'PLacme0123456789' })
    expect(res.items).toEqual([])
    expect(youtube.schema.safeParse({ mode: 'feed' }).success).toBe(false)
    expect(youtube.schema.safeParse({ mode: 'api' }).success).toBe(false)
  })
})

describe('youtube collector (Data API)', () => {
  it('searches with OR (|), adds statistics and channel comments, and counts quota units', async () => {
    await routeApi()
    const res = await youtube.collect(makeCtx(), api({ channelId: CHANNEL, regionCode: 'fr' }), {})
    const [search, videos, threads] = srv.requests.map((r) => query(r.url))
    expect(search).toEqual({
      part: 'snippet',
      q: 'Acme|"Acme Cloud"',
      type: 'video',
      order: 'date',
      publishedAfter: '2026-03-09T12:00:00.000Z',
      maxResults: '50',
      regionCode: 'FR',
      key: 'AIzaTest',
    })
    expect(videos).toEqual({ part: 'statistics', id: 'Zx81uTq0a1B,Kp2vWq9Lm3C', key: 'AIzaTest' })
    expect(threads).toEqual({
      part: 'snippet',
      allThreadsRelatedToChannelId: CHANNEL,
      order: 'time',
      maxResults: '100',
      textFormat: 'plainText',
      key: 'AIzaTest',
    })
    expect(res.items[0]).toEqual({
      externalId: 'Zx81uTq0a1B',
      url: 'https://www.youtube.com/watch?v=Zx81uTq0a1B',
      title: "J'ai testé Acme Cloud pendant 30 jours",
      text: 'Prix, performances, support : mon avis honnête sur Acme Cloud & ses concurrents.',
      author: 'TechAvecLéa',
      publishedAt: '2026-03-10T10:30:01.000Z',
      metrics: { views: 48211, likes: 2103, comments: 388 },
    })
    expect(res.items[2]).toEqual({
      externalId: 'UgzQ1w2E3r4T5y6U7i8O9p',
      url: 'https://www.youtube.com/watch?v=dQ4w9WgXcQa&lc=UgzQ1w2E3r4T5y6U7i8O9p',
      title: '',
      text: 'Enfin une région à Paris !',
      author: '@marc_dev',
      publishedAt: '2026-03-10T09:00:00.000Z',
      metrics: { likes: 12, replies: 1 },
    })
    expect(res.items).toHaveLength(3) // the old comment is below the watermark
    expect(res.state).toEqual({
      since: '2026-03-10T10:30:01Z',
      commentsSince: '2026-03-10T09:00:00Z',
      quota: { day: '2026-03-10', used: 102 },
    })
    expect(res.warning).toBeUndefined()
  })

  it('sends the watermark next time and keeps counting the same Pacific day', async () => {
    srv.route('/youtube/v3/search', {
      headers: JSON_H,
      body: '{"kind":"youtube#searchListResponse","items":[]}',
    })
    const state = { since: '2026-03-10T10:30:01Z', quota: { day: '2026-03-10', used: 7950 } }
    const res = await youtube.collect(makeCtx(), api(), state)
    expect(query(srv.requests[0].url).publishedAfter).toBe('2026-03-10T10:30:01Z')
    expect(srv.requests).toHaveLength(1) // no videos: no statistics call
    expect(res.items).toEqual([])
    expect(res.state.quota).toEqual({ day: '2026-03-10', used: 8050 })
    expect(res.warning).toBe('youtube: 8050 of 10000 daily API units spent')
  })

  it('stops with quota before calling when the day’s budget is spent, and resets on a new day', async () => {
    srv.route('/youtube/v3/search', { headers: JSON_H, body: '{"items":[]}' })
    const err = await youtube
      .collect(makeCtx(), api(), { quota: { day: '2026-03-10', used: 9950 } })
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'quota', retryAfterMs: TO_RESET })
    expect(err.message).toContain('daily API quota (10000 units) is spent')
    expect(srv.requests).toHaveLength(0)
    const res = await youtube.collect(makeCtx(), api(), {
      quota: { day: '2026-03-09', used: 9950 },
    })
    expect(res.state.quota).toEqual({ day: '2026-03-10', used: 100 })
  })

  it('warns and asks to wait until reset when this poll spends the last units', async () => {
    await routeApi()
    const res = await youtube.collect(makeCtx(), api({ dailyQuota: 300 }), {
      quota: { day: '2026-03-10', used: 150 },
    })
    expect(res.retryAfterMs).toBe(TO_RESET)
    expect(res.warning).toContain('is spent')
  })

  it('maps quotaExceeded to quota and an invalid key to auth', async () => {
    srv.route('/youtube/v3/search', {
      status: 403,
      headers: JSON_H,
      body: await fixture('youtube/quota-exceeded.json'),
    })
    expect(await youtube.collect(makeCtx(), api(), {}).catch((e) => e)).toMatchObject({
      code: 'quota',
      status: 403,
      retryAfterMs: TO_RESET,
    })
    srv.route('/youtube/v3/search', {
      status: 400,
      headers: JSON_H,
      body: await fixture('youtube/key-invalid.json'),
    })
    const err = await youtube.collect(makeCtx(), api(), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'auth', status: 400 })
    expect(err.message).toContain('API key not valid')
  })

  it('classifies a body without items as malformed', async () => {
    srv.route('/youtube/v3/search', {
      headers: JSON_H,
      body: '{"kind":"youtube#searchListResponse"}',
    })
    expect(await youtube.collect(makeCtx(), api(), {}).catch((e) => e.code)).toBe('malformed')
  })

  it('computes the Pacific day and time to its midnight', () => {
    expect(pacificDay(NOW)).toEqual({ day: '2026-03-10', msToReset: TO_RESET })
    expect(pacificDay(new Date('2026-01-15T07:30:00Z'))).toEqual({
      day: '2026-01-14',
      msToReset: 30 * 60 * 1000,
    })
  })
})
