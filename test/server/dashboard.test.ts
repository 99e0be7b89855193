// Dashboard, feed, triage and brand editor routes through app.request(), on a real SQLite file:
// the overview (ranges, brands, open alerts on the chart), feed filters in the URL, live arrivals,
// triage with history, bulk actions, mute with undo, the brand query preview and vocabulary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { insertSource } from '../../db/sources'
import { createApp } from '../../server/app'
import { formatVocabulary, parseVocabulary } from '../../server/brand-vocabulary'
import { ingest } from '../../server/pipeline'
import { Poller } from '../../server/poller'
import { parseTriage, sinceForm } from '../../server/routes/mentions'
import { highlightSpans } from '../../views/highlight'
import { signIn, withSession, type SignedInApp } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { frenchSpacing } from '../../views/i18n'

let tdb: TestDb
let app: SignedInApp<ReturnType<typeof createApp>>
/** The signed-in admin's display name (test/helpers/auth.ts names users after their e-mail). */
let me: string
const now = new Date('2026-11-22T12:00:00Z')
const ORIGIN = 'http://localhost'

beforeEach(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  // Signed in as an admin: the access rules have their own tests (access-*.test.ts).
  const admin = await signIn(tdb.db, 'admin', now)
  me = admin.user.email.split('@')[0]
  app = withSession(createApp(ctx, new Poller(ctx)), admin.cookie)
})
afterEach(() => tdb.cleanup())

async function seed() {
  const acme = await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
  const globex = await insertBrand(tdb.db, { name: 'Globex', query: 'Globex' }, now)
  const src = await insertSource(
    tdb.db,
    { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
    now,
  )
  const texts = [
    'Acme network outage again, this is awful',
    'Acme support was great, thanks',
    'Acme store opens in Lyon',
    'Acme billing is terrible and the outage continues',
    'Globex launches a new plan',
  ]
  await ingest(
    tdb.db,
    src,
    texts.map((t, i) => ({
      externalId: `i${i}`,
      url: `https://www.news.example/${i}`,
      title: t,
      text: '',
      author: `@user${i}`,
      publishedAt: new Date(now.getTime() - (i + 1) * 3600_000).toISOString(),
      metrics: { likes: 10 * (i + 1) },
    })),
    now,
  )
  const ids = (
    await tdb.db.selectFrom('mentions').select(['id', 'title']).orderBy('id').execute()
  ).map((r) => r.id)
  return { acme, globex, src, ids }
}

const form = (body: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(body))
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one)
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
    body: params.toString(),
  }
}
const htmx = { 'HX-Request': 'true' }

describe('overview', () => {
  // A team in Montréal using a Vigie that runs in Paris: the foot offers the device's zone (app.js
  // fills it in), the pages then show that zone, and the foot offers Vigie's back.
  it('shows the pages in the zone this browser chose, and back in Vigie’s', async () => {
    await seed()
    const plain = await (await app.request('/?range=24h')).text()
    const vigieTz = plain.match(/Heures affichées en ([\w/]+)\./)![1]
    expect(plain).toContain(`data-tz="${vigieTz}"`)
    expect(plain).not.toContain('Revenir à l’heure de Vigie')
    const set = await app.request('/tz', form({ tz: 'America/Toronto', back: '/?range=24h' }))
    expect(set.status).toBe(303)
    expect(set.headers.get('location')).toBe('/?range=24h')
    expect(decodeURIComponent(set.headers.get('set-cookie')!)).toMatch(/^tz=America\/Toronto;/)
    const toronto = await (
      await app.request('/?range=24h', { headers: { cookie: 'tz=America/Toronto' } })
    ).text()
    expect(toronto).toContain('Heures affichées en America/Toronto.')
    expect(toronto).toContain(`Revenir à l’heure de Vigie (${vigieTz})`)
    // the 24-hour chart starts at 08:00 in Montréal (13:00 UTC the day before)
    expect(toronto).toMatch(/<text class="tick"[^>]*>08:00<\/text>/)
    // back to Vigie's zone; an unknown zone is refused the same way (the cookie goes)
    for (const tz of ['', 'Mars/Olympus']) {
      const res = await app.request('/tz', form({ tz, back: '/' }))
      expect(res.status).toBe(303)
      expect(res.headers.get('set-cookie')).toMatch(/^tz=;.*Max-Age=0/)
    }
    const ignored = await (
      await app.request('/', { headers: { cookie: 'tz=Mars/Olympus' } })
    ).text()
    expect(ignored).toContain(`Heures affichées en ${vigieTz}.`)
  })

  it('answers each range, per brand and for all, with figures and the chart', async () => {
    const { acme } = await seed()
    const names = { '24h': '24 h', '7d': '7 jours', '30d': '30 jours', '90d': '3 mois' }
    for (const [range, name] of Object.entries(names)) {
      const res = await app.request(`/?range=${range}`)
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('<svg')
      expect(html).toContain(`aria-current="true">${name}`)
    }
    // three months: a bar a week, each named by its Monday in its tooltip and the table
    const quarter = await (await app.request('/?range=90d')).text()
    expect(quarter.match(/<title>sem\. du \d+ [^<]* — négatif/g)).toHaveLength(13)
    expect(quarter).toMatch(/<th scope="row">sem\. du \d+ \S+<\/th>/)
    expect(quarter).toMatch(/Mentions \(3 mois\)<\/span><span class="tile-n">5</)
    const all = await (await app.request('/?range=24h')).text()
    expect(all).toContain('Part de voix')
    expect(all).toMatch(
      /<footer class="page-foot[^"]*">Heures affichées en [\w/]+\. <form id="tz-device"/,
    )
    expect(all).toMatch(/Mentions \(24 h\)<\/span><span class="tile-n">5</)
    const one = await (await app.request(`/?range=24h&brand=${acme.id}`)).text()
    expect(one).not.toContain('Part de voix')
    expect(one).toMatch(/tile-n">4</)
    // a typographic minus, as in the digest (Intl writes a hyphen)
    expect(one).toMatch(/Sentiment net<\/span><span class="tile-n">\u2212\d+</)
    // Recurring words in negative mentions, brand names left out.
    expect(one).toContain('outage')
    expect(one).not.toMatch(/chips[^]*>Acme </)
  })

  it('writes a change in per cent as each language does: 150% in English, 150 % in French', async () => {
    const { src } = await seed()
    const before = ['Acme outage yesterday', 'Acme store in Lyon'].map((t, i) => ({
      externalId: `prev${i}`,
      url: `https://www.news.example/prev/${i}`,
      title: t,
      text: '',
      publishedAt: new Date(now.getTime() - (30 + i) * 3600_000).toISOString(),
    }))
    await ingest(tdb.db, src, before, now)
    // 5 mentions against 2 the day before
    const en = await (await app.request('/?range=24h', { headers: { cookie: 'lang=en' } })).text()
    expect(en).toContain('▲ 150%</span>')
    const fr = await (await app.request('/?range=24h')).text()
    // a no-break space (ICU's choice of which one varies with its version): never a line break
    expect(fr).toMatch(/▲ 150[\u00a0\u202f]%<\/span>/)
  })

  it('draws open alerts on the chart and lists them', async () => {
    const { acme } = await seed()
    const started = new Date(now.getTime() - 3 * 3600_000).toISOString()
    await tdb.db
      .insertInto('alerts')
      .values({
        brand_id: acme.id,
        kind: 'negative_spike',
        started_at: started,
        last_abnormal_at: started,
        updated_at: started,
        peak_at: started,
        peak_value: 9,
        baseline: 1,
        score: 5,
        window_minutes: 60,
        acknowledged_by: null,
        acknowledged_at: null,
        resolved_by: null,
        resolved_at: null,
      })
      .execute()
    const html = await (await app.request('/?range=24h')).text()
    // drawn on the chart (a click opens it), and listed as a link under it
    expect(html).toMatch(/<g class="alert-band" data-href="\/alerts\/\d+">/)
    expect(html).toMatch(/class="chart-alerts"><li><a href="\/alerts\/\d+">/)
  })

  it('the "negatives awaiting an answer" tile counts what the digest does, and links to them', async () => {
    const { ids } = await seed()
    await app.request(`/mentions/${ids[0]}/triage`, form({ status: 'in_progress' }))
    await app.request(`/mentions/${ids[1]}/triage`, form({ status: 'answered' }))
    const labels = await tdb.db
      .selectFrom('mentions')
      .select(['id', 'sentiment_label', 'status'])
      .orderBy('id')
      .execute()
    // outage (negative, in progress), support (positive, answered), store (neutral, new),
    // billing (negative, new), Globex (neutral, new): four open, two of them negative
    expect(labels.map((r) => [r.sentiment_label, r.status])).toEqual([
      ['negative', 'in_progress'],
      ['positive', 'answered'],
      ['neutral', 'new'],
      ['negative', 'new'],
      ['neutral', 'new'],
    ])
    const html = await (await app.request('/?range=24h')).text()
    const tile = html.match(
      /<a class="tile[^"]*" href="([^"]+)"><span class="tile-l">Négatives en attente de réponse<\/span><span class="tile-n">(\d+)<\/span><span class="delta flat">nouvelles ou en cours \(24 h\)</,
    )
    expect(tile).not.toBeNull()
    const [, href, count] = tile!
    expect(Number(count)).toBe(2)
    expect(href).toContain('sentiment=negative')
    const feed = await (await app.request(href.replace(/&amp;/g, '&'), { headers: htmx })).text()
    expect(feed.match(/class="mention /g)?.length).toBe(2)
    const en = await (await app.request('/?range=7d', { headers: { cookie: 'lang=en' } })).text()
    expect(en).toContain(
      '<span class="tile-l">Negatives awaiting an answer</span><span class="tile-n">2</span><span class="delta flat">new or in progress (7 days)</span>',
    )
    // every figure's link uses the figure's own window (whole hours), not a rolling look-back
    const total = html.match(
      /<a class="tile" href="([^"]+)"><span class="tile-l">Mentions \(24 h\)<\/span><span class="tile-n">(\d+)</,
    )!
    const listed = await (
      await app.request(total[1].replace(/&amp;/g, '&'), { headers: htmx })
    ).text()
    expect(listed.match(/class="mention /g)?.length).toBe(Number(total[2]))
    expect(total[1]).toMatch(/since=2026-11-2\dT\d\d%3A00%3A00\.000Z&amp;until=/)
  })

  it('a card triaged from the dashboard comes back as a dashboard card, a feed card as a feed card', async () => {
    const { ids } = await seed()
    const triage = (extra: Record<string, string>) =>
      app
        .request(
          `/mentions/${ids[0]}/triage`,
          form({ status: 'in_progress', view: 'item', ...extra }, htmx),
        )
        .then((r) => r.text())
    const dash = await triage({ engagement: '478' })
    expect(dash).toContain(frenchSpacing('Engagement : 478'))
    expect(dash).not.toContain('type="checkbox"')
    const feed = await triage({ selectable: '1' })
    expect(feed).toContain('type="checkbox"')
    expect(feed).not.toContain('Engagement')
  })

  it('shows agreement with the team once mentions are corrected', async () => {
    const { ids } = await seed()
    await app.request(`/mentions/${ids[0]}/triage`, form({ manual_label: 'negative' }))
    await app.request(`/mentions/${ids[1]}/triage`, form({ manual_label: 'negative' }))
    const html = await (await app.request('/?range=7d')).text()
    expect(html).toMatch(
      /Juste dans <strong>50(&nbsp;|\u00a0| )%<\/strong> des cas \(2 sentiments revus par l’équipe\)/,
    )
  })
})

describe('feed', () => {
  it('filters by author, domain, status and dates, and highlights search words', async () => {
    await seed()
    const get = async (qs: string) =>
      (await (await app.request(`/mentions?${qs}`, { headers: htmx })).text()).match(
        /class="mention /g,
      )?.length ?? 0
    expect(await get('author=@user1')).toBe(1)
    expect(await get('author=user1')).toBe(1) // the @ is optional
    expect(await get('domain=news.example')).toBe(5)
    expect(await get('domain=other.example')).toBe(0)
    expect(await get('status=open')).toBe(5)
    // assigned to someone (case aside), or to nobody; the team's names are suggested
    const ids = (await tdb.db.selectFrom('mentions').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    )
    await app.request(`/mentions/${ids[0]}/triage`, form({ assignee: 'Léa' }))
    await app.request(`/mentions/${ids[1]}/triage`, form({ assignee: 'léa' }))
    expect(await get('assignee=L%C3%A9a')).toBe(2)
    expect(await get('assignee=-')).toBe(3)
    const page = await (await app.request('/mentions')).text()
    expect(page).toMatch(/<datalist id="team-names">[^]*<option value="Léa"/)
    expect(page).toContain('id="f-assignee"')
    expect(await get('from=2026-11-22&until=2026-11-22')).toBe(5)
    expect(await get('until=2026-11-20')).toBe(0)
    const html = await (await app.request('/mentions?q=outage', { headers: htmx })).text()
    expect(html).toContain('<mark>outage</mark>')
    expect((await app.request('/mentions?from=notadate')).status).toBe(400)
  })

  // A day picked in the feed, or for an export, is the day as the page shows it: in Montréal,
  // 22 November starts at 05:00 UTC; Vigie's own zone (Paris here) for an API client.
  it('reads a calendar day in the zone the person reads dates in', async () => {
    const { src } = await seed() // five mentions between 07:00 and 11:00 UTC on the 22nd
    await ingest(
      tdb.db,
      src,
      [
        ['2026-11-21T23:30:00Z', 'late'], // 22 Nov 00:30 in Paris, 21 Nov 18:30 in Montréal
        ['2026-11-22T03:30:00Z', 'night'], // 22 Nov 04:30 in Paris, 21 Nov 22:30 in Montréal
      ].map(([at, id]) => ({
        externalId: id,
        url: `https://f.example/${id}`,
        title: `Acme ${id}`,
        text: '',
        publishedAt: at,
      })),
      now,
    )
    const count = async (qs: string, tz?: string) =>
      (
        await (
          await app.request(`/mentions?${qs}`, {
            headers: { ...htmx, ...(tz ? { cookie: `tz=${tz}` } : {}) },
          })
        ).text()
      ).match(/class="mention /g)?.length ?? 0
    expect(await count('from=2026-11-22&until=2026-11-22')).toBe(7)
    expect(await count('from=2026-11-22&until=2026-11-22', 'America/Toronto')).toBe(5)
    expect(await count('from=2026-11-21&until=2026-11-21', 'America/Toronto')).toBe(2)
    expect(await count('since=2026-11-22', 'America/Toronto')).toBe(5)
    const api = await app.request('/api/mentions?from=2026-11-22&until=2026-11-22', {
      headers: { cookie: 'tz=America/Toronto' },
    })
    expect(((await api.json()) as { mentions: unknown[] }).mentions).toHaveLength(7)
    const csv = await (
      await app.request('/api/export?from=2026-11-22&to=2026-11-22&format=csv', {
        headers: { cookie: 'tz=America/Toronto' },
      })
    ).text()
    expect(csv.trim().split('\n')).toHaveLength(1 + 5)
    const entry = await tdb.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'privacy.export')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(entry.detail!)).toMatchObject({
      from: '2026-11-22T05:00:00.000Z',
      to: '2026-11-23T05:00:00.000Z',
    })
  })

  it('counts new mentions behind the pill and inserts them with a fresh watermark', async () => {
    const { src, ids } = await seed()
    const after = Math.max(...ids)
    const pill0 = await (await app.request(`/mentions/live?after=${after}`)).text()
    expect(pill0).not.toContain('class="btn btn-primary pill"')
    await ingest(
      tdb.db,
      src,
      [{ externalId: 'new', url: 'https://f.example/new', title: 'Acme fresh news', text: '' }],
      now,
    )
    const pill = await (await app.request(`/mentions/live?after=${after}&brand=1`)).text()
    expect(pill).toContain('1 nouvelle mention')
    expect(await (await app.request(`/mentions/live?after=${after}&brand=2`)).text()).not.toContain(
      'pill',
    )
    const arrivals = await (await app.request(`/mentions/arrivals?after=${after}`)).text()
    expect(arrivals).toContain('<mark>Acme</mark> fresh news')
    expect(arrivals).toContain('<hx-partial hx-target="#live" hx-swap="outerHTML">')
    expect(arrivals).toContain(`after=${after + 1}`)
  })
})

describe('triage', () => {
  it('records each change with who and when, and never loses the form on bad input', async () => {
    const { ids } = await seed()
    const id = ids[0]
    const bad = await app.request(
      `/mentions/${id}/triage`,
      form({ status: 'done', note: 'keep me' }, htmx),
    )
    expect(bad.status).toBe(422)
    const badHtml = await bad.text()
    expect(badHtml).toContain('keep me')
    const ok = await app.request(
      `/mentions/${id}/triage`,
      form(
        {
          status: 'answered',
          assignee: 'Camille',
          note: 'Called back',
          answer_url: 'https://news.example/reply',
          manual_label: 'neutral',
        },
        htmx,
      ),
    )
    expect(ok.status).toBe(200)
    const okHtml = await ok.text()
    expect(okHtml).toContain('Enregistré.')
    expect(okHtml).toContain('<hx-partial hx-target="#history"')
    // the page's Sentiment line says the correction at once, not after a reload
    expect(okHtml).toMatch(/<dd id="sentiment-fact">[^<]* — corrigé en neutre par /)
    const m = await tdb.db
      .selectFrom('mentions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(m).toMatchObject({
      status: 'answered',
      assignee: 'Camille',
      manual_label: 'neutral',
      manual_label_by: me,
      manual_label_at: now.toISOString(),
    })
    const events = await tdb.db
      .selectFrom('mention_events')
      .selectAll()
      .where('mention_id', '=', id)
      .execute()
    // answer_url is ignored here: only an approved, published answer attaches the public link.
    expect(m.answer_url).toBeNull()
    expect(events.map((e) => e.field).sort()).toEqual([
      'assignee',
      'manual_label',
      'note',
      'status',
    ])
    expect(events.find((e) => e.field === 'status')).toMatchObject({
      old_value: 'new',
      new_value: 'answered',
      actor: me,
    })
    // Saving the same values again records nothing new.
    await app.request(`/mentions/${id}/triage`, form({ status: 'answered' }))
    expect(
      (
        await tdb.db
          .selectFrom('mention_events')
          .select('id')
          .where('mention_id', '=', id)
          .execute()
      ).length,
    ).toBe(4)
    const detail = await (await app.request(`/mentions/${id}`)).text()
    expect(detail).toContain(`corrigé en neutre par ${me}`)
    expect(detail).not.toContain('https://news.example/reply')
  })

  it('quick status change from the feed returns the updated item', async () => {
    const { ids } = await seed()
    const res = await app.request(
      `/mentions/${ids[1]}/triage`,
      form({ status: 'in_progress', view: 'item' }, htmx),
    )
    const html = await res.text()
    expect(html.startsWith(`<li class="mention`)).toBe(true)
    expect(html).toContain('class="status st-in_progress"')
  })

  it('applies a bulk action to a selection and refuses an empty one', async () => {
    const { ids } = await seed()
    const res = await app.request(
      '/mentions/bulk',
      form({ ids: [String(ids[0]), String(ids[2])], action: 'assign', assignee: 'Sam' }, htmx),
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('2 mentions mises à jour.')
    expect(html.match(/<hx-partial/g)).toHaveLength(2)
    // the cards come back still ticked, ready for the next action on the same selection
    expect(
      html.match(/name="ids" value="\d+" form="bulk" class="select" aria-label="[^"]*" checked/g),
    ).toHaveLength(2)
    const rows = await tdb.db
      .selectFrom('mentions')
      .select(['id', 'assignee'])
      .where('assignee', '=', 'Sam')
      .execute()
    expect(rows.map((r) => r.id).sort()).toEqual([ids[0], ids[2]])
    // the audit says what was done to which mentions
    const audit = await tdb.db.selectFrom('audit_log').selectAll().execute()
    expect(audit.map((a) => [a.action, JSON.parse(a.detail!)])).toEqual([
      ['mentions.bulk', { assignee: 'Sam', changed: 2, ids: [ids[0], ids[2]] }],
    ])
    expect(
      (await app.request('/mentions/bulk', form({ action: 'status:answered' }, htmx))).status,
    ).toBe(422)
    expect(
      (
        await app.request(
          '/mentions/bulk',
          form({ ids: String(ids[0]), action: 'status:gone' }, htmx),
        )
      ).status,
    ).toBe(422)
  })

  it('mutes an author for the brand, then undoes it', async () => {
    const { ids, acme } = await seed()
    const res = await app.request(`/mentions/${ids[0]}/mute`, form({ kind: 'author' }, htmx))
    const html = await res.text()
    expect(html).toContain('Auteur masqué.')
    const ex = await tdb.db.selectFrom('exclusions').selectAll().executeTakeFirstOrThrow()
    expect(ex).toMatchObject({ kind: 'author', brand_id: acme.id, platform: 'rss' })
    expect(html).toContain(`value="${ex.id}"`)
    const undo = await app.request(
      `/mentions/${ids[0]}/unmute`,
      form({ exclusion: String(ex.id) }, htmx),
    )
    expect(await undo.text()).toContain('Masquage annulé.')
    expect(await tdb.db.selectFrom('exclusions').selectAll().execute()).toEqual([])
    const events = await tdb.db
      .selectFrom('mention_events')
      .select('field')
      .where('mention_id', '=', ids[0])
      .execute()
    expect(events.map((e) => e.field)).toEqual(['muted', 'unmuted'])
  })
})

describe('brand editor', () => {
  it('previews what a query keeps and drops, and shows parse errors', async () => {
    const { acme } = await seed()
    const keep = await (
      await app.request(
        '/brands/preview',
        form({ query: 'Acme -outage', id: String(acme.id) }, htmx),
      )
    ).text()
    expect(keep).toContain('Garderait 2 des 5 dernières mentions')
    expect(keep).toContain('écarterait 2 des 4 mentions actuelles')
    expect(keep).toContain('<mark>Acme</mark>')
    const err = await (await app.request('/brands/preview', form({ query: '"Acme' }, htmx))).text()
    expect(err).toContain('brand-query-live-error')
    expect(err).toContain('guillemet ouvert en position 1 jamais fermé')
  })

  it('validates and stores the per-brand vocabulary', async () => {
    const { acme } = await seed()
    const bad = await app.request(
      `/brands/${acme.id}`,
      form({ name: 'Acme', query: 'Acme', vocabulary: 'outage = -3\nfibre = +9\nnonsense' }),
    )
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain(
      frenchSpacing('Ligne 2 : la valeur doit être un nombre entier de -4 à +4.'),
    )
    expect(html).toContain('Ligne 3')
    expect(html).toContain('nonsense') // what was typed is kept
    const ok = await app.request(
      `/brands/${acme.id}`,
      form({ name: 'Acme', query: 'Acme', vocabulary: 'Outage = -3\nfibre: +2' }),
    )
    expect(ok.status).toBe(303)
    const row = await tdb.db
      .selectFrom('brands')
      .select('vocabulary')
      .where('id', '=', acme.id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.vocabulary)).toEqual({ outage: -3, fibre: 2 })
    expect(await (await app.request(`/brands/${acme.id}/edit`)).text()).toContain(
      'outage = -3\nfibre = +2',
    )
  })

  it('pauses and resumes a brand from its form, and says so in the list', async () => {
    const { acme } = await seed()
    const active = async () =>
      (
        await tdb.db
          .selectFrom('brands')
          .select('active')
          .where('id', '=', acme.id)
          .executeTakeFirstOrThrow()
      ).active
    const edit = await (await app.request(`/brands/${acme.id}/edit`)).text()
    expect(edit).toMatch(
      /<input id="brand-active" type="checkbox" name="active" value="true" checked=""/,
    )
    // the form sent with the box unticked pauses it
    await app.request(`/brands/${acme.id}`, form({ name: 'Acme', query: 'Acme', has_active: '1' }))
    expect(await active()).toBe(0)
    // the audit log keeps that monitoring stopped
    const entry = await tdb.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'brands.update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(entry.detail)).toMatchObject({ id: acme.id, name: 'Acme', active: false })
    expect(await (await app.request('/brands')).text()).toMatch(
      />Acme<\/a>\s*<span class="badge">en pause<\/span>/,
    )
    expect(await (await app.request(`/brands/${acme.id}/edit`)).text()).not.toMatch(
      /name="active" value="true" checked/,
    )
    // a post that never showed the box leaves it as it is
    await app.request(`/brands/${acme.id}`, form({ name: 'Acme', query: 'Acme' }))
    expect(await active()).toBe(0)
    await app.request(
      `/brands/${acme.id}`,
      form({ name: 'Acme', query: 'Acme', has_active: '1', active: 'true' }),
    )
    expect(await active()).toBe(1)
    expect(await (await app.request('/brands')).text()).not.toContain('en pause')
  })
})

describe('parseVocabulary', () => {
  it.each([
    ['panne = -3', { panne: -3 }, []],
    ['  Fibre Optique : +4 \n\n# comment', { 'fibre optique': 4 }, []],
    ['x = 5', {}, [{ line: 1, message: 'range' }]],
    ['x = 1.5', {}, [{ line: 1, message: 'range' }]],
    ['x = 1\nx = 2', { x: 1 }, [{ line: 2, message: 'duplicate' }]],
    ['just words', {}, [{ line: 1, message: 'format' }]],
  ])('%j', (text, vocabulary, errors) => {
    expect(parseVocabulary(text)).toEqual({ vocabulary, errors })
  })
  it('round-trips through the form format', () => {
    expect(parseVocabulary(formatVocabulary({ a: 1, 'b c': -2 })).vocabulary).toEqual({
      a: 1,
      'b c': -2,
    })
  })
})

describe('triage from two pages at once', () => {
  it("a page left open saves only what its person changed, and says when a colleague's change is in the way", async () => {
    const { ids } = await seed()
    const id = ids[0]
    const page = async () => (await app.request(`/mentions/${id}`)).text()
    const wasFields = (html: string) =>
      Object.fromEntries(
        [...html.matchAll(/<input type="hidden" name="(was_\w+)" value="([^"]*)"/g)].map((m) => [
          m[1],
          m[2],
        ]),
      )
    const stale = wasFields(await page()) // B opens the mention…
    expect(stale).toEqual({
      was_status: 'new',
      was_assignee: '',
      was_manual_label: '',
      was_note: '',
    })
    // …A answers it and assigns it…
    await app.request(
      `/mentions/${id}/triage`,
      form(
        {
          ...wasFields(await page()),
          status: 'answered',
          assignee: 'Amélie',
          note: '',
          manual_label: '',
        },
        htmx,
      ),
    )
    // …then B, on the old page, only types a note: A's status and assignee stay
    const noted = await app.request(
      `/mentions/${id}/triage`,
      form(
        { ...stale, status: 'new', assignee: '', note: 'Rappeler demain', manual_label: '' },
        htmx,
      ),
    )
    expect(noted.status).toBe(200)
    const row = () =>
      tdb.db
        .selectFrom('mentions')
        .select(['status', 'assignee', 'note'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    expect(await row()).toEqual({ status: 'answered', assignee: 'Amélie', note: 'Rappeler demain' })
    // B changes the status on the old page too: nothing saved, the form says why and keeps B's choice
    const clash = await app.request(
      `/mentions/${id}/triage`,
      form(
        { ...stale, status: 'ignored', assignee: '', note: 'Rappeler demain', manual_label: '' },
        htmx,
      ),
    )
    expect(clash.status).toBe(409)
    const html = await clash.text()
    expect(html).toContain(
      frenchSpacing('Modifié entre-temps par quelqu’un d’autre (voir l’historique) : Statut.'),
    )
    expect(html).toMatch(/value="ignored" checked=""/)
    expect(html).toContain('name="was_status" value="answered"') // the new starting point
    // what B left alone shows what A did, so saving again does not undo it
    expect(html).toContain('id="t-assignee" name="assignee" value="Amélie"')
    expect(html).toContain('<hx-partial hx-target="#history"')
    expect((await row()).status).toBe('answered')
    // saving again from that form keeps B's choice, knowingly
    const again = await app.request(
      `/mentions/${id}/triage`,
      form(
        {
          ...wasFields(html),
          status: 'ignored',
          assignee: 'Amélie',
          note: 'Rappeler demain',
          manual_label: '',
        },
        htmx,
      ),
    )
    expect(again.status).toBe(200)
    expect((await row()).status).toBe('ignored')
  })
})

describe('parseTriage', () => {
  it.each([
    [{ status: 'answered' }, { status: 'answered' }, []],
    [{ status: 'done' }, {}, ['status']],
    [{ assignee: '  ' }, { assignee: null }, []],
    [{ assignee: 'Léa\u0000\n Martin\u202e' }, { assignee: 'Léa Martin' }, []], // one clean line
    [{ answer_url: 'https://x.example/a' }, {}, []], // four eyes: triage cannot attach it
    [{ manual_label: '' }, { manual_label: null }, []],
    [{ manual_label: 'angry' }, {}, ['manual_label']],
    [{ note: 'x'.repeat(2001) }, {}, ['note']],
  ])('%j', (body, change, errors) => {
    const r = parseTriage(body)
    expect(r.change).toEqual(change)
    expect(Object.keys(r.errors)).toEqual(errors)
  })
})

describe('sinceForm', () => {
  const stored = {
    status: 'answered',
    assignee: 'Amélie',
    note: '',
    answer_url: '',
    manual_label: '',
  }
  const was = { was_status: 'new', was_assignee: '', was_note: '', was_manual_label: '' }
  it.each([
    // what the form sent, what the change holds, which fields conflict (then nothing is saved)
    ['no was_* fields: all it sends', { status: 'new', note: 'x' }, ['status', 'note'], []],
    [
      'only the note typed on a stale page',
      { ...was, status: 'new', assignee: '', note: 'x' },
      ['note'],
      [],
    ],
    [
      'the status changed here and there',
      { ...was, status: 'ignored', note: '' },
      ['status'],
      ['status'],
    ],
    ['both chose the same', { ...was, status: 'answered', note: '' }, ['status'], []],
    ['unchanged here, changed there', { ...was, status: 'new', assignee: '' }, [], []],
    [
      'a fresh page',
      {
        ...was,
        was_status: 'answered',
        was_assignee: 'Amélie',
        status: 'ignored',
        assignee: 'Amélie',
      },
      ['status'],
      [],
    ],
  ] as const)('%s', (_name, body, saved, conflicts) => {
    const r = sinceForm(body, stored, parseTriage(body).change)
    expect(Object.keys(r.change).sort()).toEqual([...saved].sort())
    expect(r.conflicts).toEqual(conflicts)
  })
})

describe('highlightSpans', () => {
  const marked = (text: string, words: string[]) =>
    highlightSpans(text, words)
      .filter((s) => s.mark)
      .map((s) => s.text)
  it.each([
    ['La Société Générale ouvre', ['societe generale'], ['Société Générale']],
    ['Réseau en panne, RÉSEAU lent', ['reseau'], ['Réseau', 'RÉSEAU']],
    ['acmeapp is not acme', ['acme'], ['acmeapp', 'acme']],
    ['macme is not a match', ['acme'], []],
    ['<script>alert(1)</script> Acme', ['acme'], ['Acme']],
    ['Œuvre de Telvia', ['oeuvre'], ['Œuvre']],
  ])('%s / %j', (text, words, want) => {
    expect(marked(text, words)).toEqual(want)
    expect(
      highlightSpans(text, words)
        .map((s) => s.text)
        .join(''),
    ).toBe(text)
  })
})
