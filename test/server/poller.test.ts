// The poller against a real HTTP server on 127.0.0.1: every bad-input case is recorded on its own
// source while the others go on, nothing stored is lost, and a restart duplicates nothing.
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { insertBrand } from '../../db/brands'
import { addExclusion } from '../../db/exclusions'
import { countMentions } from '../../db/mentions'
import { getSource, getSourceByName, insertSource } from '../../db/sources'
import { Poller, pollOne } from '../../server/poller'
import { freshDb, pinnedClock, testContext, type TestDb } from '../helpers/db'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'

let tdb: TestDb
let server: FixtureServer
const clock = pinnedClock('2026-11-22T12:00:00Z')

beforeEach(async () => {
  clock.set('2026-11-22T12:00:00Z')
  tdb = await freshDb()
  const rss = await fixture('poller/acme-rss.xml')
  const atom = await fixture('poller/acme-atom.xml')
  server = await startFixtureServer({
    '/rss.xml': (req, res) => {
      if (req.headers['if-none-match'] === '"rss-v1"') return void res.writeHead(304).end()
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"rss-v1"' }).end(rss)
    },
    '/atom.xml': { body: atom, headers: { 'content-type': 'application/atom+xml' } },
    '/500.xml': { status: 500, body: 'Internal Server Error' },
    '/slow.xml': { delayMs: 3000, body: rss },
    '/malformed.xml': { body: '<rss><channel><item><title>Acme</title></chan' },
    '/html.xml': {
      body: '<!doctype html><html><body>Not a feed, Acme</body></html>',
      headers: { 'content-type': 'text/html' },
    },
    '/huge.xml': async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      const chunk = Buffer.alloc(1024 * 1024, ' ')
      for (let i = 0; i < 50 && !res.destroyed; i++)
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r))
      res.end()
    },
    '/429.xml': { status: 429, headers: { 'retry-after': '3600' } },
  })
  await insertBrand(
    tdb.db,
    { name: 'Acme', query: '"Acme" OR "Acme Corp" -"Acme Road"' },
    clock.now(),
  )
  await addExclusion(tdb.db, { kind: 'author', value: '@Employee_Jo' }, clock.now())
  const add = (name: string, path: string) =>
    insertSource(
      tdb.db,
      { name, kind: 'rss', config: { url: server.url + path }, intervalSeconds: 900 },
      clock.now(),
    )
  await add('good', '/rss.xml')
  await add('atom', '/atom.xml')
  await add('e500', '/500.xml')
  await add('slow', '/slow.xml')
  await add('malformed', '/malformed.xml')
  await add('html', '/html.xml')
  await add('huge', '/huge.xml')
  await add('limited', '/429.xml')
  await insertSource(
    tdb.db,
    {
      name: 'unreachable',
      kind: 'rss',
      config: { url: 'http://127.0.0.1:9/feed' },
      intervalSeconds: 900,
    },
    clock.now(),
  )
  await insertSource(
    tdb.db,
    { name: 'misconfigured', kind: 'rss', config: { url: 'not a url' }, intervalSeconds: 900 },
    clock.now(),
  )
})

afterEach(async () => {
  await server.close()
  await tdb.cleanup()
})

function ctxFor(db = tdb) {
  return testContext(db, {
    now: clock.now,
    timeoutMs: 1000,
    maxBytes: 5 * 1024 * 1024,
    config: { pollConcurrency: 4, pollPerHost: 2 },
  })
}

describe('poller', () => {
  it('records every failure on its own source and keeps the others going', async () => {
    const poller = new Poller(ctxFor(), { rand: () => 0.5 })
    const outcomes = await poller.pollDue()
    expect(outcomes).toHaveLength(10)
    const byName = async (n: string) => (await getSourceByName(tdb.db, n))!

    const good = await byName('good')
    expect(good.last_ok_at).toBe('2026-11-22T12:00:00.000Z')
    expect(good.error_count).toBe(0)
    expect(good.last_item_count).toBe(5) // the collector drops the repeated guid
    // 5 items: Acme Road excluded by the query, Globex unmatched, an employee's post
    expect(good.last_new_count).toBe(2)
    expect(JSON.parse(good.state).etag).toBe('"rss-v1"')

    const expected: [string, string, RegExp][] = [
      ['e500', 'server', /rss: HTTP 500/],
      ['slow', 'timeout', /rss: no answer .* within 1000 ms/],
      ['malformed', 'malformed', /not a valid RSS\/Atom feed/],
      ['html', 'malformed', /not a valid RSS\/Atom feed/],
      ['huge', 'too_large', /exceeds the 5242880-byte cap/],
      ['limited', 'rate_limited', /HTTP 429/],
      ['unreachable', 'unreachable', /cannot reach 127\.0\.0\.1:9/],
      ['misconfigured', 'config', /invalid settings: url/],
    ]
    for (const [name, code, message] of expected) {
      const s = await byName(name)
      expect(s.last_error_code, name).toBe(code)
      expect(s.last_error, name).toMatch(message)
      expect(s.error_count, name).toBe(1)
      expect(s.last_ok_at, name).toBeNull()
    }
    // Retry-After is a floor for the next check; other failures retry after the interval.
    expect((await byName('limited')).next_check_at).toBe('2026-11-22T13:00:00.000Z')
    expect((await byName('e500')).next_check_at).toBe('2026-11-22T12:15:00.000Z')
    expect(await countMentions(tdb.db)).toBe(3) // 2 from RSS + 1 new from Atom (the other folds)
  })

  it('a failure storing what the source sent is Vigie’s, not the site’s', async () => {
    // the database refuses new mentions, as a full disk or a lock would
    await sql`create trigger refuse before insert on mentions begin select raise(abort, 'database or disk is full'); end`.execute(
      tdb.db,
    )
    const good = (await getSourceByName(tdb.db, 'good'))!
    const out = await pollOne(ctxFor(), good, { rand: () => 0.5 })
    expect(out).toMatchObject({ ok: false, code: 'internal' })
    const after = (await getSourceByName(tdb.db, 'good'))!
    expect(after.last_error_code).toBe('internal')
    expect(after.last_error).toMatch(/rss: .*database or disk is full/)
    expect(after.error_count).toBe(1)
  })

  it("a tick starts what is due and does not wait for a slow site: the next tick's sources go", async () => {
    const poller = new Poller(ctxFor())
    const t0 = Date.now()
    expect(await poller.startDue()).toBe(10) // every source, the slow one included
    expect(Date.now() - t0).toBeLessThan(500)
    const slow = (await getSourceByName(tdb.db, 'slow'))!
    const good = (await getSourceByName(tdb.db, 'good'))!
    for (let i = 0; i < 40 && poller.isPolling(good.id); i++)
      await new Promise((r) => setTimeout(r, 25))
    expect(poller.isPolling(good.id)).toBe(false)
    expect(poller.isPolling(slow.id)).toBe(true) // still waiting for its site
    // 'good' is due again (say a one-minute source): the next tick starts it, skips 'slow'
    await tdb.db
      .updateTable('sources')
      .set({ next_check_at: clock.now().toISOString() })
      .where('id', '=', good.id)
      .execute()
    expect(await poller.startDue()).toBe(1)
    await poller.drain()
    expect((await getSource(tdb.db, slow.id))!.last_error_code).toBe('timeout')
  })

  it('waits a day at most for a source whose Retry-After says years', async () => {
    server.route('/forever.xml', { status: 429, headers: { 'retry-after': '99999999' } })
    const source = await insertSource(
      tdb.db,
      {
        name: 'forever',
        kind: 'rss',
        config: { url: `${server.url}/forever.xml` },
        intervalSeconds: 900,
      },
      clock.now(),
    )
    await new Poller(ctxFor(), { rand: () => 0.5 }).pollSource(source)
    expect((await getSource(tdb.db, source.id))!.next_check_at).toBe('2026-11-23T12:00:00.000Z')
  })

  it('backs off a failing source exponentially, and never drops it', async () => {
    const poller = new Poller(ctxFor(), { rand: () => 0.5 })
    const expectations = ['12:15', '12:45', '13:45', '15:45'] // 15, 30, 60, 120 min
    let source = (await getSourceByName(tdb.db, 'e500'))!
    let t = new Date('2026-11-22T12:00:00Z').getTime()
    for (const hhmm of expectations) {
      clock.set(new Date(t))
      await poller.pollSource(source)
      source = (await getSource(tdb.db, source.id))!
      t = Date.parse(source.next_check_at)
      expect(source.next_check_at.slice(11, 16)).toBe(hhmm)
    }
    expect(source.error_count).toBe(4)
    expect(source.enabled).toBe(1)
  })

  it('uses the ETag: a second poll gets 304 and stores nothing new', async () => {
    const poller = new Poller(ctxFor(), { rand: () => 0.5 })
    const good = (await getSourceByName(tdb.db, 'good'))!
    await poller.pollSource(good)
    const second = await poller.pollSource((await getSource(tdb.db, good.id))!)
    expect(second.ok).toBe(true)
    expect(second.notModified).toBe(true)
    expect(
      server.requests.filter((r) => r.url === '/rss.xml').at(-1)!.headers['if-none-match'],
    ).toBe('"rss-v1"')
  })

  it('never stores a post by an excluded author', async () => {
    await new Poller(ctxFor()).pollDue()
    const authors = await tdb.db.selectFrom('mentions').select('author').execute()
    expect(authors.map((a) => a.author)).not.toContain('@employee_jo')
    expect(JSON.stringify(await tdb.db.selectFrom('exclusions').selectAll().execute())).not.toMatch(
      /employee/i,
    )
  })

  it('restarting on the same file re-polls without duplicating a single mention', async () => {
    await new Poller(ctxFor()).pollDue()
    const before = await countMentions(tdb.db)
    await tdb.close()
    // "Restart": a new connection to the same file, a feed that no longer honours ETags.
    server.route('/rss.xml', { body: await fixture('poller/acme-rss.xml') })
    const reopened = {
      ...(await openDatabase({ kind: 'sqlite', path: tdb.path })),
      path: tdb.path,
      dir: tdb.dir,
    }
    tdb = { ...tdb, ...reopened }
    clock.advance(24 * 3600_000)
    const outcomes = await new Poller(ctxFor()).pollDue()
    expect(outcomes.find((o) => o.ok && o.stats?.fetched === 5)?.stats?.duplicates).toBe(2)
    expect(await countMentions(tdb.db)).toBe(before)
  })
})
