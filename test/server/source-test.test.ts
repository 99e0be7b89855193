// "Test source" dry run and the collectors listing, through app.request() against a loopback feed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { addExclusion } from '../../db/exclusions'
import { countMentions } from '../../db/mentions'
import { createApp } from '../../server/app'
import { Poller } from '../../server/poller'
import { signIn, withSession, type SignedInApp } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { frenchSpacing } from '../../views/i18n'

let tdb: TestDb
let server: FixtureServer
let app: SignedInApp<ReturnType<typeof createApp>>
const now = new Date('2026-11-22T12:00:00Z')

beforeEach(async () => {
  tdb = await freshDb()
  server = await startFixtureServer({
    '/feed.xml': { body: await fixture('poller/acme-rss.xml') },
    '/broken': { status: 500 },
  })
  const ctx = testContext(tdb, { now: () => now })
  const { cookie } = await signIn(tdb.db, 'admin', now)
  app = withSession(createApp(ctx, new Poller(ctx)), cookie)
  await insertBrand(tdb.db, { name: 'Acme', query: '"Acme" -"Acme Road"' }, now)
  await addExclusion(tdb.db, { kind: 'author', value: 'employee_jo' }, now)
})
afterEach(async () => {
  await server.close()
  await tdb.cleanup()
})

const post = (body: Record<string, string>) =>
  app.request('/sources/test', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    body: new URLSearchParams(body).toString(),
  })

describe('Test source', () => {
  it('shows what would be kept, excluded and left out, and stores nothing', async () => {
    const res = await post({ kind: 'rss', name: 'x', 'config.url': `${server.url}/feed.xml` })
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('5 éléments lus, 2 gardés.')
    expect(html.match(/o-kept/g)).toHaveLength(2)
    expect(html.match(/o-excluded/g)).toHaveLength(1)
    expect(html.match(/o-unmatched/g)).toHaveLength(2)
    expect(await countMentions(tdb.db)).toBe(0)
    expect(await tdb.db.selectFrom('sources').selectAll().execute()).toHaveLength(0)
  })

  it('counts every item read, not only the ones it lists', async () => {
    // a long feed whose first 60 items are about something else
    const item = (i: number, title: string) =>
      `<item><title>${title}</title><link>https://f.example/${i}</link><guid>g${i}</guid><pubDate>Sun, 22 Nov 2026 11:00:00 GMT</pubDate></item>`
    const items = Array.from({ length: 70 }, (_, i) => item(i, i < 60 ? `Météo ${i}` : `Acme ${i}`))
    server.route('/long.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>L</title>${items.join('')}</channel></rss>`,
    })
    const html = await (await post({ kind: 'rss', 'config.url': `${server.url}/long.xml` })).text()
    expect(html).toContain('70 éléments lus, 10 gardés.')
    expect(html).toContain('Les 50 premiers éléments lus')
    expect(html.match(/<li class="test-/g)).toHaveLength(50)
  })

  it('explains a failure in plain words', async () => {
    const html = await (await post({ kind: 'rss', 'config.url': `${server.url}/broken` })).text()
    expect(html).toContain('Erreur du serveur de la source')
    expect(html).toContain('HTTP 500')
  })

  it('reports invalid settings', async () => {
    const html = await (await post({ kind: 'rss', 'config.url': 'nope' })).text()
    expect(html).toContain('Réglages invalides')
    // in the reader's language, with nothing fetched
    expect(html).toContain(
      frenchSpacing('url : une adresse de flux commençant par http:// ou https://'),
    )
  })
})

describe('GET /api/collectors', () => {
  it('lists every registered collector with its fields', async () => {
    const body = await (await app.request('/api/collectors')).json()
    const ids = body.collectors.map((c: { id: string }) => c.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'rss',
        'google-news',
        'hacker-news',
        'mastodon',
        'bluesky',
        'youtube',
        'stack-exchange',
        'github',
        'lemmy',
        'reddit',
        'app-store',
        'gdelt',
        'lobsters',
        'google-alerts',
      ]),
    )
    const rss = body.collectors.find((c: { id: string }) => c.id === 'rss')
    expect(rss.fields[0]).toMatchObject({ name: 'url', type: 'url', required: true })
    expect(rss.description.fr).toBeTruthy()
  })
})
