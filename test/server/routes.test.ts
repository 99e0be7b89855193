// Routes through app.request(): full page vs htmx partial, the JSON API, forms and CSRF.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { getSource, insertSource, recordPollFailure } from '../../db/sources'
import { createApp } from '../../server/app'
import { ingest } from '../../server/pipeline'
import { Poller } from '../../server/poller'
import { signIn, withSession, type SignedInApp } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { frenchSpacing } from '../../views/i18n'

let tdb: TestDb
let app: SignedInApp<ReturnType<typeof createApp>>
const now = new Date('2026-11-22T12:00:00Z')
const ORIGIN = 'http://localhost'

beforeEach(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  // Every request below is an admin's: the access rules have their own tests (access-*.test.ts).
  const { cookie } = await signIn(tdb.db, 'admin', now)
  app = withSession(createApp(ctx, new Poller(ctx)), cookie)
})
afterEach(() => tdb.cleanup())

async function seed(n = 75) {
  const brand = await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
  await insertBrand(tdb.db, { name: 'Globex', query: 'Globex' }, now)
  const src = await insertSource(
    tdb.db,
    { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
    now,
  )
  const items = Array.from({ length: n }, (_, i) => ({
    externalId: `id-${i}`,
    url: `https://f.example/${i}`,
    title: i % 3 === 0 ? `Acme is awful ${i}` : `Acme is great ${i}`,
    text: i % 5 === 0 ? 'Globex too' : 'details',
    // Several items share a timestamp so pagination must break ties on id.
    publishedAt: new Date(now.getTime() - Math.floor(i / 3) * 60_000).toISOString(),
  }))
  await ingest(tdb.db, src, items, now)
  return { brand, src }
}

const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  body: new URLSearchParams(body).toString(),
})

describe('dashboard', () => {
  it('explains what to do next on an empty database', async () => {
    const res = await app.request('/')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('Bienvenue dans Vigie')
    expect(html).toContain('href="/brands/new"')
    expect(html).toContain('href="/sources/new"')
    expect(html).not.toContain('<table')
  })

  it('speaks English to an English browser, and the cookie wins', async () => {
    expect(
      await (await app.request('/', { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text(),
    ).toContain('Welcome to Vigie')
    expect(
      await (
        await app.request('/', { headers: { 'accept-language': 'en', cookie: 'lang=fr' } })
      ).text(),
    ).toContain('Bienvenue')
    const res = await app.request('/lang', form({ lang: 'en', back: '/sources' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/sources')
    expect(res.headers.get('set-cookie')).toMatch(/lang=en/)
  })

  it('shows the overview once data arrives', async () => {
    await seed()
    const html = await (await app.request('/')).text()
    expect(html).toContain('Mentions (24 h)')
    expect(html).toContain('<svg')
    expect(html).toContain('Part de voix')
  })
})

describe('mentions feed', () => {
  it('returns the full page normally and only the list to htmx, with Vary', async () => {
    await seed()
    const page = await app.request('/mentions?sentiment=negative')
    const pageHtml = await page.text()
    expect(pageHtml).toContain('<html')
    expect(pageHtml).toContain('class="filters"')
    expect(page.headers.get('vary')).toMatch(/HX-Request/)
    const partial = await app.request('/mentions?sentiment=negative', {
      headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
    })
    const html = await partial.text()
    expect(html).not.toContain('<html')
    expect(html.startsWith('<ul class="mentions" id="mention-list"')).toBe(true)
    expect(html).toContain('Acme is awful')
    expect(html).not.toContain('Acme is great')
    expect(partial.headers.get('vary')).toMatch(/HX-Request/)
  })

  it('"load more" appends the next page and its own button', async () => {
    await seed()
    const first = await (
      await app.request('/mentions', { headers: { 'HX-Request': 'true' } })
    ).text()
    const next = /hx-get="([^"]+cursor=[^"]+)"/.exec(first)![1].replaceAll('&amp;', '&')
    const more = await (await app.request(next, { headers: { 'HX-Request': 'true' } })).text()
    expect(more.startsWith('<li')).toBe(true)
    expect(more).toContain('cursor=')
  })

  it('full-text search finds words, accent-insensitively', async () => {
    const { src } = await seed(10)
    // items 0, 3, 6, 9 say "awful"; item 0 also names Globex: one mention per brand
    const html = await (
      await app.request('/mentions?q=awful', { headers: { 'HX-Request': 'true' } })
    ).text()
    expect(html.match(/class="mention /g)).toHaveLength(5)
    await ingest(
      tdb.db,
      src,
      [
        {
          externalId: 'fr',
          url: 'https://f.example/fr',
          title: "L'appli Acme est géniale",
          text: '',
        },
      ],
      now,
    )
    const fr = await (
      await app.request('/mentions?q=geniale', { headers: { 'HX-Request': 'true' } })
    ).text()
    // The match is highlighted as a JSX <mark>, the text around it escaped as usual.
    expect(fr).toContain('est <mark>géniale</mark>')
  })

  it('escapes hostile mention text everywhere it is shown', async () => {
    await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
    const src = await insertSource(
      tdb.db,
      { name: 'F', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      now,
    )
    await ingest(
      tdb.db,
      src,
      [
        {
          externalId: 'x',
          url: 'https://f.example/x',
          title: 'Acme &lt;script&gt;alert(1)&lt;/script&gt;',
          text: 'Acme <img src=x onerror=alert(1)> &lt;img src=x onerror=alert(2)&gt;',
          author: '<svg onload=alert(3)>',
        },
      ],
      now,
    )
    const { id } = await tdb.db.selectFrom('mentions').select('id').executeTakeFirstOrThrow()
    for (const path of ['/', '/mentions', `/mentions/${id}`]) {
      const html = await (await app.request(path)).text()
      expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload/)
      if (path === '/') continue // the overview shows figures, not this mention
      expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload/)
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})

describe('GET /api/mentions', () => {
  it('returns the documented shape, newest first', async () => {
    await seed(5)
    const body = await (await app.request('/api/mentions?limit=2')).json()
    expect(Object.keys(body)).toEqual(['mentions', 'next_cursor'])
    expect(body.mentions).toHaveLength(2)
    const m = body.mentions[0]
    for (const k of [
      'id',
      'brand',
      'source',
      'url',
      'title',
      'text',
      'author',
      'published_at',
      'collected_at',
      'lang',
      'sentiment',
    ])
      expect(m).toHaveProperty(k)
    expect(m.sentiment).toMatchObject({
      score: expect.any(Number),
      label: expect.stringMatching(/positive|neutral|negative/),
    })
    expect(body.mentions[0].published_at >= body.mentions[1].published_at).toBe(true)
  })

  it('keyset-paginates through everything exactly once', async () => {
    await seed(75)
    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res: Response = await app.request(
        `/api/mentions?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      )
      const body: { mentions: { id: number }[]; next_cursor: string | null } = await res.json()
      seen.push(...body.mentions.map((m) => m.id))
      cursor = body.next_cursor
      pages++
    } while (cursor)
    const total = (await tdb.db.selectFrom('mentions').select('id').execute()).length
    expect(seen).toHaveLength(total)
    expect(new Set(seen).size).toBe(total)
    expect(pages).toBe(Math.ceil(total / 10))
  })

  const filters: [string, (m: any) => boolean][] = [
    ['brand=Globex', (m) => m.brand === 'Globex'],
    ['brand=1', (m) => m.brand === 'Acme'],
    ['brand=globex', (m) => m.brand === 'Globex'],
    ['sentiment=negative', (m) => m.sentiment.label === 'negative'],
    ['source=Feed', (m) => m.source === 'Feed'],
    ['q=awful', (m) => /awful/.test(m.title)],
    ['since=2026-11-22T11:55:00Z', (m) => m.published_at >= '2026-11-22T11:55:00.000Z'],
    ['since=5m', (m) => m.published_at >= '2026-11-22T11:55:00.000Z'],
  ]
  it.each(filters)('filters by %s', async (query, check) => {
    await seed(30)
    const body = await (await app.request(`/api/mentions?limit=500&${query}`)).json()
    expect(body.mentions.length).toBeGreaterThan(0)
    expect(body.mentions.every(check)).toBe(true)
  })

  const bad: [string, RegExp][] = [
    ['limit=0', /limit must be between 1 and 500/],
    ['limit=abc', /^limit: must be a whole number$/],
    ['sentiment=angry', /sentiment/],
    ['brand=Nope', /brand "Nope" does not exist/],
    ['since=yesterday-ish', /since="yesterday-ish"/],
    ['cursor=garbage', /cursor is not one Vigie returned/],
  ]
  it.each(bad)('answers 400 to %s', async (query, message) => {
    await seed(3)
    const res = await app.request(`/api/mentions?${query}`)
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(message)
  })
})

describe("the README's HTTP API table", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  /** The field names in the first code span of the row documenting `route`, in order. */
  const documented = (route: string) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${route}`))!
    const answer = /\| [^`]*`(\{[^`]+)`/.exec(row.slice(row.indexOf('|', 2)))![1]
    return [...answer.matchAll(/"?([a-z_]+)"?(?=[,:} \]])/g)].map((m) => m[1])
  }
  // Every key of a JSON value, nested ones as "parent.key" (first element of arrays).
  const keys = (v: unknown, at = ''): string[] =>
    Array.isArray(v)
      ? keys(v[0], at)
      : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [at + k, ...keys(x, `${at}${k}.`)])
        : []
  const names = (v: unknown) => [...new Set(keys(v).map((k) => k.split('.').pop()!))].sort()

  it('names every field GET /api/mentions, GET /api/collectors and GET /healthz answer', async () => {
    await seed(3)
    const mentions = await (await app.request('/api/mentions?limit=1')).json()
    expect(names(mentions)).toEqual([...new Set(documented('GET /api/mentions'))].sort())
    const kinds = await (await app.request('/api/collectors')).json()
    // the fields' and descriptions' own keys are the collectors' business, not the table's
    const kind = {
      collectors: kinds.collectors.map((k: object) => ({ ...k, description: '', fields: [] })),
    }
    expect(names(kind)).toEqual([...documented('GET /api/collectors')].sort())
    const health = await (await app.request('/healthz')).json()
    expect(names(health)).toEqual([...documented('GET /healthz')].sort())
  })
})

describe('GET /mentions with a bad filter in the address', () => {
  it('shows the feed, unfiltered, saying what was ignored (not a bare English text)', async () => {
    await seed(3)
    const res = await app.request('/mentions?brand=Nope')
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toContain(
      frenchSpacing('Un filtre de l’adresse n’a pas pu s’appliquer (brand=Nope) : voici toutes'),
    )
    expect(html).not.toContain('does not exist') // the API's English explanation
    const bad = await (await app.request('/mentions?status=maybe')).text()
    expect(bad).toContain('(status=maybe)')
    expect(bad).not.toContain('Invalid option')
    const stored = await tdb.db.selectFrom('mentions').select('id').execute()
    expect(html.match(/class="mention /g)?.length).toBe(stored.length)
  })
})

describe('GET /healthz', () => {
  it('reports the database and the age of the last good poll', async () => {
    const res = await app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      status: 'ok',
      db: 'ok',
      last_good_poll_at: null,
      last_good_poll_age_seconds: null,
    })
    await tdb.db
      .insertInto('sources')
      .values({
        name: 's',
        kind: 'rss',
        config: '{}',
        interval_seconds: 900,
        next_check_at: now.toISOString(),
        last_ok_at: '2026-11-22T11:58:00.000Z',
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        brand_id: null,
        last_polled_at: null,
        last_error: null,
        last_error_code: null,
        last_error_at: null,
        last_new_count: null,
        last_item_count: null,
        warning: null,
      })
      .execute()
    expect((await (await app.request('/healthz')).json()).last_good_poll_age_seconds).toBe(120)
  })
})

describe('brand and source forms', () => {
  it.each([
    ['/brands', { name: 'A'.repeat(101), query: 'Acme' }, 'name', 100],
    ['/brands', { name: 'Acme', query: 'Acme '.repeat(401) }, 'query', 2000],
    [
      '/sources',
      { kind: 'rss', name: 'N'.repeat(101), 'config.url': 'https://e.example/f', enabled: 'true' },
      'name',
      100,
    ],
  ])('%s refuses an over-long %s on the server too', async (path, body, _field, max) => {
    const res = await app.request(path, form(body))
    expect(res.status).toBe(422)
    expect(await res.text()).toContain(frenchSpacing(`Trop long : ${max} caractères au plus`))
  })

  it('refuses a brand name that differs from another only by case', async () => {
    expect((await app.request('/brands', form({ name: 'Acme', query: 'Acme' }))).status).toBe(303)
    const twin = await app.request('/brands', form({ name: 'acme', query: 'Acme' }))
    expect(twin.status).toBe(422)
    // control characters and bidi overrides never reach a name; nor does a disguised twin
    const odd = await app.request(
      '/brands',
      form({ name: 'Glo\u0007bex\n\u202e ', query: 'Globex' }),
    )
    expect(odd.status).toBe(303)
    const names = await tdb.db.selectFrom('brands').select('name').orderBy('name').execute()
    expect(names.map((b) => b.name)).toEqual(['Acme', 'Glo bex'])
    expect(
      (await app.request('/brands', form({ name: '\tAcme\u0000', query: 'Acme' }))).status,
    ).toBe(422)
  })

  it('re-renders the brand form with the query error, then accepts a valid one', async () => {
    const bad = await app.request('/brands', form({ name: 'Acme', query: '"Acme OR' }))
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain(frenchSpacing('Requête invalide : guillemet ouvert en position'))
    expect(html).toContain('value="Acme"') // what was typed is kept
    const good = await app.request(
      '/brands',
      form({ name: 'Acme', query: '"Acme" OR "Acme Corp"' }),
    )
    expect(good.status).toBe(303)
    const dup = await app.request('/brands', form({ name: 'Acme', query: 'Acme' }))
    expect(dup.status).toBe(422)
    expect(await dup.text()).toContain('Une marque porte déjà ce nom.')
  })

  it('tells htmx where to go after a successful post', async () => {
    const res = await app.request(
      '/brands',
      form({ name: 'Acme', query: 'Acme' }, { 'HX-Request': 'true' }),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('HX-Redirect')).toBe('/brands')
  })

  it('generates the source form from the collector fields and validates it', async () => {
    const page = await (await app.request('/sources/new?kind=rss')).text()
    expect(page).toContain('name="config.url"')
    // optional menus start on the value that applies when left alone, not on an empty "—"
    const news = await (await app.request('/sources/new?kind=google-news')).text()
    expect(news).toContain('<option value="fr-FR" selected="">')
    expect(news).toContain('<option value="1d" selected="">')
    const bad = await app.request(
      '/sources',
      form({
        kind: 'rss',
        name: 'News',
        'config.url': 'not a url',
        interval: '5s',
        enabled: 'true',
      }),
    )
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toMatch(/cfg-url-error/)
    // in the reader's language, a schema's own message and zod's generic ones alike
    expect(html).toContain('Une durée entre 1 minute et 7 jours')
    expect(html).toContain('une adresse de flux commençant par http:// ou https://')
    expect(html).not.toContain('\u0001')
    const good = await app.request(
      '/sources',
      form({
        kind: 'rss',
        name: 'News',
        'config.url': 'https://news.example/feed',
        interval: '30m',
        enabled: 'true',
      }),
    )
    expect(good.status).toBe(303)
    const row = await tdb.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: 'News', interval_seconds: 1800, enabled: 1 })
    const list = await (await app.request('/sources')).text()
    expect(list).toContain('News')
    expect(list).toContain('en attente')
    // a failure: its kind and what to do in French, the collector's message kept as a detail
    await recordPollFailure(tdb.db, row.id, {
      now: new Date(),
      nextCheckAt: new Date(Date.now() + 60_000),
      message: 'intranet.example resolves to 10.0.0.2, a private, loopback or link-local address',
      code: 'forbidden_address',
    })
    const failing = await (await app.request('/sources')).text()
    expect(failing).toContain('<strong>Adresse privée refusée</strong>')
    expect(failing).toContain('démarrez Vigie avec ALLOW_PRIVATE_URLS=1')
    expect(failing).toMatch(
      /Détail technique\u00a0: <code class="error-detail">intranet\.example resolves/,
    )
  })

  it("never renders a source's stored secret, says in French that it is kept, keeps it when empty", async () => {
    const token = 'github_pat_11ABCDEFG_secretvalue9876'
    const created = await app.request(
      '/sources',
      form({
        kind: 'github',
        name: 'GH',
        'config.query': 'acme',
        'config.token': token,
        interval: '30m',
        enabled: 'true',
      }),
    )
    expect(created.status).toBe(303)
    const row = await tdb.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow()
    const edit = await (await app.request(`/sources/${row.id}/edit`)).text()
    expect(edit).not.toContain('secretvalue')
    expect(edit).toContain('Enregistré (••••…9876). Laisser vide pour le conserver.')
    const saved = await app.request(
      `/sources/${row.id}`,
      form({
        name: 'GH 2',
        'config.query': 'acme',
        'config.token': '',
        interval: '30m',
        enabled: 'true',
      }),
    )
    expect(saved.status).toBe(303)
    const after = await getSource(tdb.db, row.id)
    expect(JSON.parse(after!.config).token).toBe(token)
  })

  it('asks before deleting a source with how many mentions go with it, and offers turning it off; the interval reads back in French', async () => {
    const created = await app.request(
      '/sources',
      form({
        kind: 'rss',
        name: 'Flux',
        'config.url': 'https://f.example/rss',
        interval: '1j',
        enabled: 'true',
      }),
    )
    expect(created.status).toBe(303)
    const row = await tdb.db.selectFrom('sources').selectAll().executeTakeFirstOrThrow()
    const confirmOf = async () =>
      /class="danger-zone" data-confirm="([^"]*)"/.exec(
        await (await app.request(`/sources/${row.id}/edit`)).text(),
      )?.[1]
    expect(await confirmOf()).toBe(
      frenchSpacing('Supprimer la source « Flux » ? Aucune mention n’en vient pour l’instant.'),
    )
    const brand = await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, new Date())
    await ingest(
      tdb.db,
      { ...row, brand_id: brand.id },
      Array.from({ length: 1200 }, (_, i) => ({
        externalId: `m${i}`,
        url: `https://f.example/${i}`,
        title: `Acme ${i}`,
        text: '',
      })),
      new Date(),
    )
    expect(await confirmOf()).toMatch(
      /^Supprimer la source «\sFlux\s» avec ses 1\s200 mentions, .*désactivez-la plutôt\.$/,
    )
    const edit = await (await app.request(`/sources/${row.id}/edit`)).text()
    expect(edit).toMatch(/name="interval"[^>]*value="1j"/)
    // and on the sources page, beside the next poll
    expect(await (await app.request('/sources')).text()).toContain(frenchSpacing('intervalle : 1j'))
  })

  it('refuses a cross-site post (CSRF)', async () => {
    const res = await app.request(
      '/brands',
      form({ name: 'Evil', query: 'x' }, { origin: 'https://evil.example' }),
    )
    expect(res.status).toBe(403)
    expect(await tdb.db.selectFrom('brands').selectAll().execute()).toHaveLength(0)
  })
})
