// Every polled source kind end to end: the real poller calls the collector against its recorded
// fixtures on 127.0.0.1, the pipeline matches, scores and stores, and the source's health says ok.
// (Collector-level behaviour — paging, watermarks, errors — is tested in test/collectors/.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { getSource, insertSource } from '../../db/sources'
import { pollOne } from '../../server/poller'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import {
  fixture,
  startFixtureServer,
  type FixtureServer,
  type Handler,
} from '../helpers/fixture-server'

let tdb: TestDb
let srv: FixtureServer
const now = new Date('2026-03-10T12:00:00Z')

/** Serves `first` on the first call to a path and `then` afterwards (the end of paging). */
function once(first: string, then: string, type = 'application/json'): Handler {
  let calls = 0
  return (_req, res) =>
    void res.writeHead(200, { 'content-type': type }).end(calls++ === 0 ? first : then)
}

beforeAll(async () => {
  tdb = await freshDb()
  srv = await startFixtureServer()
  const f = fixture
  srv.route('/alerts/feeds/1/2', {
    body: await f('google-alerts/feed.xml'),
    headers: { 'content-type': 'application/atom+xml' },
  })
  srv.route('/rss/search', {
    body: await f('google-news/search.xml'),
    headers: { 'content-type': 'application/rss+xml' },
  })
  srv.route(
    '/api/v1/search_by_date',
    once(await f('hacker-news/search-page0.json'), await f('hacker-news/empty.json')),
  )
  srv.route('/api/v1/timelines/tag/acme', {
    body: await f('mastodon/tag-acme.json'),
    headers: { 'content-type': 'application/json' },
  })
  srv.route('/feeds/videos.xml', {
    body: await f('youtube/channel.xml'),
    headers: { 'content-type': 'application/atom+xml' },
  })
  srv.route(
    '/2.3/search/excerpts',
    once(await f('stack-exchange/excerpts.json'), await f('stack-exchange/empty.json')),
  )
  srv.route('/search/issues', once(await f('github/issues.json'), await f('github/empty.json')))
  srv.route('/api/v4/site', { status: 404, body: 'not found' })
  srv.route(
    '/api/v3/search',
    once(
      await f('lemmy/search-v3.json'),
      '{"type_":"All","comments":[],"posts":[],"communities":[],"users":[]}',
    ),
  )
  srv.route('/search.rss', {
    body: await f('reddit/search.rss'),
    headers: { 'content-type': 'application/atom+xml' },
  })
  srv.route('/fr/rss/customerreviews/page=1/id=1234567890/sortby=mostrecent/json', {
    body: await f('app-store/reviews.json'),
  })
  srv.route('/fr/rss/customerreviews/page=2/id=1234567890/sortby=mostrecent/json', {
    body: await f('app-store/empty.json'),
  })
  srv.route('/api/v2/doc/doc', {
    body: await f('gdelt/artlist.json'),
    headers: { 'content-type': 'application/json' },
  })
  srv.route('/newest.json', {
    body: await f('lobsters/newest.json'),
    headers: { 'content-type': 'application/json' },
  })
  srv.route('/feed.xml', {
    body: await f('rss/rss2.xml'),
    headers: { 'content-type': 'application/rss+xml' },
  })
  await insertBrand(tdb.db, { name: 'Acme', query: '"Acme" OR "Acme Cloud"' }, now)
})
afterAll(async () => {
  await srv.close()
  await tdb.cleanup()
})

const sources: [
  kind: string,
  config: (base: string) => Record<string, unknown>,
  bindToBrand?: boolean,
][] = [
  ['rss', (b) => ({ url: `${b}/feed.xml` })],
  ['google-alerts', (b) => ({ url: `${b}/alerts/feeds/1/2` })],
  ['google-news', (b) => ({ baseUrl: b, edition: 'fr-CH' })],
  ['hacker-news', (b) => ({ baseUrl: b })],
  ['mastodon', (b) => ({ instance: b, hashtags: 'acme' })],
  ['youtube', (b) => ({ channelId: 'UC1234567890abcdefghijkl', baseUrl: b })],
  ['stack-exchange', (b) => ({ baseUrl: b })],
  ['github', (b) => ({ baseUrl: b })],
  ['lemmy', (b) => ({ instance: b })],
  ['reddit', (b) => ({ mode: 'rss', baseUrl: b })],
  ['app-store', (b) => ({ appId: '1234567890', country: 'fr', baseUrl: b }), true],
  ['gdelt', (b) => ({ baseUrl: b })],
  ['lobsters', (b) => ({ baseUrl: b })],
]

describe('every source kind, end to end through the poller', () => {
  it.each(sources)('%s: polled, matched, scored and stored', async (kind, config, bind) => {
    const src = await insertSource(
      tdb.db,
      {
        name: `e2e ${kind}`,
        kind,
        config: config(srv.url),
        intervalSeconds: 3600,
        brandId: bind ? 1 : null,
      },
      now,
    )
    const ctx = testContext(tdb, { now: () => now })
    const outcome = await pollOne(ctx, src)
    const after = (await getSource(tdb.db, src.id))!
    expect(outcome.error ?? '').toBe('')
    expect(after.last_error).toBeNull()
    expect(after.last_ok_at).toBe(now.toISOString())
    expect(outcome.stats!.newMentions.length).toBeGreaterThan(0)
    const stored = await tdb.db
      .selectFrom('mentions')
      .selectAll()
      .where('source_id', '=', src.id)
      .execute()
    expect(stored.length).toBe(outcome.stats!.newMentions.length)
    for (const m of stored) {
      expect(m.lang).toMatch(/^(fr|en|other)$/)
      expect(['positive', 'neutral', 'negative']).toContain(m.sentiment_label)
      expect(m.external_id).not.toBe('')
    }
    // A second poll stores nothing new: watermarks, validators or dedupe.
    const again = await pollOne(ctx, after)
    expect(again.ok).toBe(true)
    expect(again.stats?.newMentions.length ?? 0).toBe(0)
  })
})
