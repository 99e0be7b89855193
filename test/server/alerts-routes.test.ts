// Alerts and channels pages through app.request(): the banner on every page, acknowledging from
// the banner and through htmx, the sensitivity control, the mentions link's `until`, channel forms
// (field errors, secrets never rendered back, kept when left empty), and channels in the YAML file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getAlert, insertAlert } from '../../db/alerts'
import { insertBrand } from '../../db/brands'
import { getChannelByName, listChannels } from '../../db/channels'
import { insertSource } from '../../db/sources'
import { createApp } from '../../server/app'
import { applyConfigPlan, parseConfigFile } from '../../server/config-file'
import { ingest } from '../../server/pipeline'
import { Poller } from '../../server/poller'
import { signIn, withSession, type SignedIn, type SignedInApp } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { frenchSpacing } from '../../views/i18n'

let tdb: TestDb
let app: SignedInApp<ReturnType<typeof createApp>>
let me: SignedIn
const now = new Date('2026-11-22T12:00:00Z')
const ORIGIN = 'http://localhost'
const SECRET_URL = 'https://hooks.slack.com/services/T000/B000/XXXXsecretTOKEN1234'

beforeEach(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  // Signed in as an admin: the access rules have their own tests (access-*.test.ts).
  me = await signIn(tdb.db, 'admin', now)
  app = withSession(createApp(ctx, new Poller(ctx)), me.cookie)
})
afterEach(() => tdb.cleanup())

const form = (
  body: Record<string, string> | URLSearchParams,
  headers: Record<string, string> = {},
) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
  body: new URLSearchParams(body).toString(),
})

async function seedAlert() {
  const brand = await insertBrand(tdb.db, { name: 'Telvia', query: 'Telvia' }, now)
  return insertAlert(tdb.db, {
    brand_id: brand.id,
    kind: 'negative_spike',
    status: 'open',
    started_at: '2026-11-22T10:00:00.000Z',
    last_abnormal_at: '2026-11-22T11:30:00.000Z',
    updated_at: now.toISOString(),
    peak_at: '2026-11-22T11:00:00.000Z',
    peak_value: 42,
    baseline: 3.2,
    score: 18,
    window_minutes: 30,
    told_score: null,
    told_excess: null,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    summary: JSON.stringify({
      count: 42,
      sources: [{ name: 'Forum <Conso>', count: 30 }],
      terms: ['panne', '<script>x</script>'],
      sample_ids: [],
      until: '2026-11-22T12:00:00.000Z',
    }),
  })
}

/** The RSS source the alert's mentions come from. */
function forumSource() {
  return insertSource(
    tdb.db,
    { name: 'Forum', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
    now,
  )
}

describe('alerts pages', () => {
  it('counts the mentions behind an alert as its link lists them now, corrections included', async () => {
    const a = await seedAlert() // its summary said 42 at detection
    const src = await forumSource()
    const words = ['panne réseau nulle', 'service horrible, panne', 'encore une panne terrible']
    await ingest(
      tdb.db,
      src,
      words.map((w, i) => ({
        externalId: `n${i}`,
        url: `https://f.example/${i}`,
        title: `Telvia ${w}`,
        text: '',
        publishedAt: `2026-11-22T1${i}:30:00.000Z`, // 10:30, 11:30 in the window; 12:30 after it
      })),
      now,
    )
    const button = async () =>
      /Voir les mentions \((\d+)\)/.exec(await (await app.request(`/alerts/${a.id}`)).text())?.[1]
    expect(await button()).toBe('2')
    const first = await tdb.db
      .selectFrom('mentions')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await tdb.db
      .updateTable('mentions')
      .set({ manual_label: 'neutral' })
      .where('id', '=', first.id)
      .execute()
    expect(await button()).toBe('1') // as /mentions?sentiment=negative lists them
    const list = await (await app.request('/alerts')).text()
    expect(list).toMatch(/Voir les mentions \(1\)/)
  })

  it('says which brands no alert can open for yet, and until when', async () => {
    const src = await insertSource(
      tdb.db,
      { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
      now,
    )
    const at = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString()
    // [brand, published hours ago, collected hours ago]
    for (const [name, hoursAgo, collectedAgo] of [
      ['Zetacorp', 2, 2],
      ['Vieille', 30, 30],
      // added a minute ago: its first import read a day-old item, and it is still learning
      ['Importee', 30, 0],
    ] as const) {
      const b = await insertBrand(tdb.db, { name, query: name }, now)
      await ingest(
        tdb.db,
        { ...src, brand_id: b.id },
        [
          {
            externalId: name,
            url: `https://f.example/${name}`,
            title: `${name} en panne`,
            text: '',
            publishedAt: at(hoursAgo),
          },
        ],
        new Date(at(collectedAgo)),
      )
    }
    await insertBrand(tdb.db, { name: 'Neuve', query: 'Neuve' }, now)
    const html = await (await app.request('/alerts')).text()
    const section = /<section[^>]*id="learning"[^]*?<\/section>/.exec(html)![0]
    expect(section).toContain('Marques en apprentissage')
    // first mention at 10:00 UTC + 12 h = 23:00 in Paris
    expect(section).toContain(frenchSpacing('Zetacorp : premières alertes possibles à partir du'))
    expect(section).toMatch(/22 nov\. 2026, 23:00/)
    expect(section).toContain(frenchSpacing('Neuve : aucune mention pour l’instant'))
    // collected at 12:00 UTC + 12 h = 01:00 in Paris
    expect(section).toMatch(
      /Importee[^<]*premières alertes possibles à partir du[^<]*23 nov\. 2026, 01:00/,
    )
    expect(section).not.toContain('Vieille')
  })

  it('shows the open-alert banner on other pages, not on /alerts', async () => {
    const a = await seedAlert()
    const html = await (await app.request('/mentions')).text()
    expect(html).toContain('class="alert-banner"')
    expect(html).toContain(`href="/alerts/${a.id}"`)
    expect(html).toContain(frenchSpacing('Telvia : Pic de mentions négatives, commencé il y a'))
    expect(html).toContain(`action="/alerts/${a.id}/ack"`)
    // the banner comes first but the page's outline still starts with its own h1
    for (const path of ['/mentions', '/', '/sources', '/settings'])
      expect((await (await app.request(path)).text()).match(/<h([1-6])[ >]/)?.[1], path).toBe('1')
    // Signed out, the sign-in page says nothing about the brands' alerts.
    const signin = await (await app.anonymous.request('/signin')).text()
    expect(signin).not.toContain('alert-banner')
    const list = await (await app.request('/alerts')).text()
    expect(list).not.toContain('class="alert-banner"')
    expect(list).toContain('id="alert-1"')
    // Untrusted text (terms, source names) is escaped.
    expect(list).toContain('&lt;script&gt;x&lt;/script&gt;')
    expect(list).toContain('Forum &lt;Conso&gt; (30)')
    expect(list).toContain(
      'href="/mentions?brand=1&amp;sentiment=negative&amp;since=2026-11-22T10%3A00%3A00.000Z&amp;until=2026-11-22T12%3A00%3A00.000Z"',
    )
  })

  it('acknowledges from the banner and goes back; the banner no longer offers it', async () => {
    const a = await seedAlert()
    const res = await app.request(`/alerts/${a.id}/ack`, form({ back: '/mentions' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/mentions')
    expect(await getAlert(tdb.db, a.id)).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: me.user.email.split('@')[0], // the signed-in person's name
      acknowledged_at: now.toISOString(),
    })
    const html = await (await app.request('/mentions')).text()
    expect(html).toContain('class="alert-banner"')
    expect(html).not.toContain(`action="/alerts/${a.id}/ack"`)
  })

  it('resolves through htmx and gets the card back', async () => {
    const a = await seedAlert()
    const res = await app.request(`/alerts/${a.id}/resolve`, form({}, { 'HX-Request': 'true' }))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<article class="card alert-card a-edge-resolved" id="alert-1">/)
    expect(html).toContain(`Résolue par ${me.user.email.split('@')[0]}`)
    expect(res.headers.get('vary')).toContain('HX-Request')
    // and the banner is gone
    expect(await (await app.request('/mentions')).text()).not.toContain('class="alert-banner"')
  })

  it('refuses a cross-site acknowledgement (CSRF)', async () => {
    const a = await seedAlert()
    const res = await app.request(
      `/alerts/${a.id}/ack`,
      form({}, { origin: 'https://evil.example' }),
    )
    expect(res.status).toBe(403)
    expect((await getAlert(tdb.db, a.id))!.status).toBe('open')
  })

  it('shows the detail with sample mentions, most engaged first', async () => {
    const a = await seedAlert()
    const src = await forumSource()
    await ingest(
      tdb.db,
      src,
      [
        {
          externalId: '1',
          url: 'https://f.example/1',
          title: 'Telvia panne',
          text: 'Telvia en panne, nul',
          publishedAt: '2026-11-22T10:30:00Z',
          metrics: { likes: 3 },
        },
        {
          externalId: '2',
          url: 'https://f.example/2',
          title: 'Telvia <b>panne</b> énorme',
          text: 'Telvia réseau en panne, horrible',
          publishedAt: '2026-11-22T10:40:00Z',
          metrics: { likes: 90 },
        },
      ],
      now,
    )
    const ids = (await tdb.db.selectFrom('mentions').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    )
    await tdb.db
      .updateTable('alerts')
      .set({
        summary: JSON.stringify({
          count: 2,
          sources: [],
          terms: [],
          sample_ids: [ids[1], ids[0]],
          sample_copies: [12, 1],
          until: now.toISOString(),
        }),
      })
      .where('id', '=', a.id)
      .execute()
    const html = await (await app.request(`/alerts/${a.id}`)).text()
    expect(html).toContain('Mentions représentatives')
    expect(html.indexOf('>Telvia panne énorme<')).toBeGreaterThan(0)
    expect(html.indexOf('>Telvia panne énorme<')).toBeLessThan(html.indexOf('>Telvia panne<'))
    // the first sample stands for twelve mentions with its wording; the second for itself only
    // each sample leads to its own page, where the team triages and answers it
    expect(html).toContain(`href="/mentions/${ids[1]}#answer-panel"`)
    expect(html).toMatch(/#answer-panel">Répondre/)
    // a viewer, who cannot answer, is offered the mention's details instead
    const viewer = await signIn(tdb.db, 'viewer', now)
    const seen = await (
      await app.request(`/alerts/${a.id}`, { headers: { cookie: viewer.cookie } })
    ).text()
    expect(seen).toMatch(/#answer-panel">Détails/)
    expect(seen).not.toContain('Répondre')
    // once answered, a sample says so and is no longer offered an answer
    await tdb.db
      .updateTable('mentions')
      .set({ status: 'answered' })
      .where('id', '=', ids[1])
      .execute()
    const after = await (await app.request(`/alerts/${a.id}`)).text()
    expect(after.match(/#answer-panel">Répondre/g)).toHaveLength(1)
    expect(after).toMatch(
      new RegExp(`répondue</span> <a href="/mentions/${ids[1]}#answer-panel">Détails`),
    )
    expect(html.match(/texte identique publié \d+ fois/g)).toEqual([
      'texte identique publié 12 fois',
    ])
    expect(html).toContain('Aucun canal n’a reçu cette alerte.')
    // peak and expected level, both over the alerting window
    expect(html).toMatch(/<dt>Pic<\/dt><dd><strong>42 en 30 min<\/strong>/)
    expect(html).toContain('<dt>Attendu</dt><dd>3,2 en 30 min</dd>')
  })

  it('a channel form sent back with an error keeps the webhook address just pasted', async () => {
    const res = await app.request(
      '/settings/channels',
      form({ kind: 'slack', name: '', 'config.url': 'https://hooks.slack.com/services/T0/B0/xyz' }),
    )
    expect(res.status).toBe(422)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.text()).toContain('value="https://hooks.slack.com/services/T0/B0/xyz"')
    // once valid: saved, and the list says so
    const ok = await app.request(
      '/settings/channels',
      form({
        kind: 'slack',
        name: 'Astreinte',
        'config.url': 'https://hooks.slack.com/services/T0/B0/xyz',
      }),
    )
    expect(ok.headers.get('location')).toBe('/settings/channels?done=added')
    const list = await (await app.request('/settings/channels?done=added')).text()
    expect(list).toContain(frenchSpacing('Canal ajouté. « Envoyer un test » vérifie'))
  })

  it('a page answered to a form post (its errors) still shows the open alerts banner', async () => {
    await seedAlert()
    const res = await app.request('/settings/channels', form({ kind: 'webhook', name: '' }))
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('class="alert-banner"')
  })

  it('saves a brand’s sensitivity and rejects unknown presets', async () => {
    await seedAlert()
    const res = await app.request('/alerts/sensitivity', form({ brand: '1', sensitivity: 'more' }))
    expect(res.status).toBe(303)
    expect(
      (await tdb.db.selectFrom('brands').select('sensitivity').executeTakeFirstOrThrow())
        .sensitivity,
    ).toBe('more')
    expect(
      (await app.request('/alerts/sensitivity', form({ brand: '1', sensitivity: 'max' }))).status,
    ).toBe(400)
    const html = await (await app.request('/alerts?saved=1')).text()
    expect(html).toContain('<option value="more" selected="">Plus d’alertes</option>')
    // saved from the list of all alerts: back to that list, not to the active ones
    const all = await (await app.request('/alerts?status=all')).text()
    expect(all).toContain('<input type="hidden" name="status" value="all"/>')
    const back = await app.request(
      '/alerts/sensitivity',
      form({ brand: '1', sensitivity: 'fewer', status: 'all' }),
    )
    expect(back.headers.get('location')).toBe('/alerts?status=all&saved=1')
  })

  it('the feed understands until=', async () => {
    const brand = await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
    const src = await insertSource(
      tdb.db,
      { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
      now,
    )
    await ingest(
      tdb.db,
      src,
      [
        {
          externalId: 'a',
          url: 'https://f.example/a',
          title: 'Acme early',
          text: 'x',
          publishedAt: '2026-11-22T09:00:00Z',
        },
        {
          externalId: 'b',
          url: 'https://f.example/b',
          title: 'Acme late',
          text: 'x',
          publishedAt: '2026-11-22T11:00:00Z',
        },
      ],
      now,
    )
    const res = await app.request(
      `/api/mentions?brand=${brand.id}&since=2026-11-22T08:00:00Z&until=2026-11-22T10:00:00Z`,
    )
    const data = (await res.json()) as { mentions: { title: string }[] }
    expect(data.mentions.map((m) => m.title)).toEqual(['Acme early'])

    // The page shows the window in its own filter fields, selected, so the next change of filter
    // sends it again; a date or a look-back keeps the usual fields.
    const since = '2026-11-22T08:00:00.000Z'
    const until = '2026-11-22T10:00:00.000Z'
    const page = await (
      await app.request(`/mentions?brand=${brand.id}&since=${since}&until=${until}`)
    ).text()
    expect(page).toContain('Acme</mark> early<')
    expect(page).not.toContain('Acme</mark> late<')
    const selected = [...page.matchAll(/<option value="([^"]*)" selected="">([^<]*)</g)].map(
      (m) => [m[1], m[2]],
    )
    expect(selected).toContainEqual([since, 'depuis le 22 nov. 2026, 09:00']) // Paris time
    expect(selected).toContainEqual([until, '22 nov. 2026, 11:00'])
    const plain = await (await app.request('/mentions?since=7d&until=2026-11-22')).text()
    expect(plain).toContain('<option value="7d" selected="">7 jours</option>')
    expect(plain).toContain('<input id="f-until" type="date" name="until" value="2026-11-22"/>')
  })
})

describe('channels pages', () => {
  it('lists the kinds, validates, and never renders a stored secret', async () => {
    expect(await (await app.request('/settings')).text()).toContain('href="/settings/channels"')
    const pick = await (await app.request('/settings/channels/new')).text()
    for (const k of ['slack', 'teams', 'mattermost', 'discord', 'google-chat', 'webhook'])
      expect(pick).toContain(`value="${k}"`)
    const bad = await app.request(
      '/settings/channels',
      form({
        kind: 'slack',
        name: '',
        'config.url': 'not a url',
        quiet_start: '25:00',
        quiet_end: '07:00',
        timezone: 'Mars/Olympus',
      }),
    )
    expect(bad.status).toBe(422)
    const badHtml = await bad.text()
    expect(badHtml).toMatch(/id="ch-tz-error"[^>]*>Fuseau horaire inconnu\./)
    expect(badHtml).toContain('id="ch-name-error"')
    expect(badHtml).toContain('une adresse de webhook en http(s)')
    expect(badHtml).toContain('Format HH:MM attendu.')
    // a start without an end: the missing end is named, not a format
    const half = await app.request(
      '/settings/channels',
      form({ kind: 'slack', name: 'S', 'config.url': 'https://h.example/x', quiet_start: '22:00' }),
    )
    expect(half.status).toBe(422)
    expect(await half.text()).toMatch(
      /id="ch-quiet-end-error"[^>]*>Indiquez le début et la fin des heures calmes\./,
    )

    const ok = await app.request(
      '/settings/channels',
      form(
        new URLSearchParams([
          ['kind', 'slack'],
          ['name', 'Veille'],
          ['config.url', SECRET_URL],
          ['lang', 'en'],
          ['alert_kind', 'negative_spike'],
          ['alert_kind', 'sentiment_dip'],
          ['quiet_start', '22:00'],
          ['quiet_end', '07:00'],
          ['timezone', 'America/Toronto'],
          ['enabled', 'true'],
        ]),
      ),
    )
    expect(ok.status).toBe(303)
    const ch = (await getChannelByName(tdb.db, 'Veille'))!
    expect(JSON.parse(ch.config)).toEqual({ url: SECRET_URL })
    expect(JSON.parse(ch.alert_kinds)).toEqual(['negative_spike', 'sentiment_dip'])
    // one clock for the channel: its messages' and its quiet hours'
    expect(ch.timezone).toBe('America/Toronto')
    expect(JSON.parse(ch.quiet_hours!)).toEqual({
      start: '22:00',
      end: '07:00',
      timezone: 'America/Toronto',
    })
    expect(await (await app.request('/settings/channels')).text()).toMatch(
      /<dt>Fuseau horaire<\/dt><dd>America\/Toronto<\/dd><dt>Heures calmes<\/dt><dd>22:00 → 07:00<\/dd>/,
    )

    for (const path of ['/settings/channels', `/settings/channels/${ch.id}/edit`]) {
      const html = await (await app.request(path)).text()
      expect(html).not.toContain('XXXXsecretTOKEN')
      expect(html).not.toContain('/services/T000')
    }
    const edit = await (await app.request(`/settings/channels/${ch.id}/edit`)).text()
    expect(edit).toContain('hooks.slack.com/…1234')

    // Saving with the secret left empty keeps it.
    const saved = await app.request(
      `/settings/channels/${ch.id}`,
      form({ name: 'Veille FR', 'config.url': '', lang: 'fr', enabled: 'true' }),
    )
    expect(saved.status).toBe(303)
    const after = (await listChannels(tdb.db))[0]
    expect(after).toMatchObject({
      name: 'Veille FR',
      lang: 'fr',
      quiet_hours: null,
      timezone: null, // left empty: Vigie's
      alert_kinds: '[]',
    })
    expect(JSON.parse(after.config)).toEqual({ url: SECRET_URL })
  })

  it('a channel saved during an incident queues the open alert for it, once', async () => {
    const a = await seedAlert() // open, negative spike
    const deliveries = () => tdb.db.selectFrom('deliveries').select(['alert_id', 'event']).execute()
    const make = (kinds: string[]) =>
      app.request(
        '/settings/channels',
        form(
          new URLSearchParams([
            ['kind', 'slack'],
            ['name', `Veille ${kinds.join(' ')}`],
            ['config.url', SECRET_URL],
            ...kinds.map((k) => ['alert_kind', k]),
            ['enabled', 'true'],
          ]),
        ),
      )
    expect((await make(['volume_spike'])).status).toBe(303) // does not take this kind
    expect(await deliveries()).toEqual([])
    expect((await make(['negative_spike'])).status).toBe(303)
    expect(await deliveries()).toEqual([{ alert_id: a.id, event: 'opened' }])
    // saving it again does not queue it twice
    const ch = (await getChannelByName(tdb.db, 'Veille negative_spike'))!
    await app.request(
      `/settings/channels/${ch.id}`,
      form({ name: ch.name, 'config.url': '', alert_kind: 'negative_spike', enabled: 'true' }),
    )
    expect(await deliveries()).toHaveLength(1)
    // the other one, changed to take it, is told now
    const other = (await getChannelByName(tdb.db, 'Veille volume_spike'))!
    await app.request(`/settings/channels/${other.id}`, form({ name: other.name, enabled: 'true' }))
    expect(await deliveries()).toHaveLength(2)
  })

  it('Send test answers in place through htmx with the readable error', async () => {
    await app.request(
      '/settings/channels',
      form({
        kind: 'webhook',
        name: 'W',
        'config.url': 'http://127.0.0.1:9/x',
        'config.secret': 'a-very-long-shared-secret',
        enabled: 'true',
        lang: 'fr',
      }),
    )
    const res = await app.request('/settings/channels/1/test', form({}, { 'HX-Request': 'true' }))
    const html = await res.text()
    expect(html).toContain('role="alert"')
    // what it means in French, then the notifier's message as the technical detail
    expect(html).toContain(frenchSpacing('Échec du test : Vigie n’arrive pas à joindre le service'))
    // a test is not retried: no "Vigie réessaie" promise for it
    expect(html).toContain('Un test n’est envoyé qu’une fois')
    expect(html).not.toContain('Vigie réessaie')
    expect(html).toMatch(
      /Détail technique\u00a0: <code class="error-detail">webhook: cannot reach 127\.0\.0\.1:9/,
    )
    // the channel page then says so, with the same words
    const page = await (await app.request('/settings/channels')).text()
    expect(page).toContain('Le dernier envoi sur ce canal a échoué pour de bon')
  })
})

describe('channels in the YAML config', () => {
  const YAML = `brands:
  - name: Telvia
    query: Telvia
channels:
  - name: Veille
    kind: slack
    url: ${SECRET_URL}
    lang: en
    brands: [Telvia]
    kinds: [negative_spike]
    quiet_hours: { start: "22:00", end: "07:00" }
`
  it('upserts by name idempotently, quiet hours default to the instance time zone', async () => {
    const plan = parseConfigFile(YAML, 'cfg.yaml', 'Europe/Zurich')
    expect((await applyConfigPlan(tdb.db, plan, now)).channels).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
    })
    expect((await applyConfigPlan(tdb.db, plan, now)).channels).toEqual({
      created: 0,
      updated: 0,
      unchanged: 1,
    })
    const ch = (await getChannelByName(tdb.db, 'Veille'))!
    expect(ch).toMatchObject({
      kind: 'slack',
      lang: 'en',
      brand_ids: '[1]',
      alert_kinds: '["negative_spike"]',
    })
    expect(JSON.parse(ch.quiet_hours!)).toEqual({
      start: '22:00',
      end: '07:00',
      timezone: 'Europe/Zurich',
    })
    const changed = parseConfigFile(YAML.replace('lang: en', 'lang: fr'), 'cfg.yaml')
    expect((await applyConfigPlan(tdb.db, changed, now)).channels.updated).toBe(1)
  })

  it('a channel declared during an incident is told about it, once across restarts', async () => {
    const a = await seedAlert() // Telvia, open negative spike
    const plan = parseConfigFile(YAML, 'cfg.yaml', 'Europe/Zurich')
    await applyConfigPlan(tdb.db, plan, now)
    await applyConfigPlan(tdb.db, plan, now)
    const changed = parseConfigFile(YAML.replace('lang: en', 'lang: fr'), 'cfg.yaml')
    await applyConfigPlan(tdb.db, changed, now)
    expect(await tdb.db.selectFrom('deliveries').select(['alert_id', 'event']).execute()).toEqual([
      { alert_id: a.id, event: 'opened' },
    ])
  })

  it.each([
    [
      'an unknown notifier key',
      YAML.replace('    lang: en\n', '    lang: en\n    colour: red\n'),
      /^cfg\.yaml:9: unknown key "colour"/,
    ],
    [
      'an unknown kind',
      YAML.replace('kind: slack', 'kind: telegram'),
      /^cfg\.yaml:6: unknown channel kind "telegram" \(known: slack, teams/,
    ],
    ['a bad time', YAML.replace('"22:00"', '"22h"'), /^cfg\.yaml:11: .*start must be HH:MM/],
    ['a missing url', YAML.replace(`    url: ${SECRET_URL}\n`, ''), /^cfg\.yaml:5: url: /],
  ])('rejects %s with file:line: reason', (_n, text, message) => {
    expect(() => parseConfigFile(text, 'cfg.yaml')).toThrow(message)
  })

  it('an undeclared brand must exist in Vigie: checked when applied, with its line', async () => {
    const plan = parseConfigFile(YAML.replace('brands: [Telvia]', 'brands: [Acme]'), 'cfg.yaml')
    expect(plan.brandRefs).toEqual([{ name: 'Acme', at: 'cfg.yaml:9' }])
    await expect(applyConfigPlan(tdb.db, plan, now)).rejects.toThrow(
      /^cfg\.yaml:9: brand "Acme" is declared neither in brands nor in Vigie$/,
    )
  })
})

describe('channel form: one message per field', () => {
  it('an invalid signing secret shows its error, not the hint saying the same thing', async () => {
    for (const [lang, hint, error] of [
      ['fr', '16 caractères au moins.', 'au moins 16 caractères'],
      ['en', 'At least 16 characters.', 'at least 16 characters'],
    ]) {
      const res = await app.request(
        '/settings/channels',
        form(
          {
            kind: 'webhook',
            name: 'Hook',
            'config.url': 'https://hooks.example.net/vigie',
            'config.secret': 'short',
          },
          { cookie: `lang=${lang}`, 'accept-language': lang },
        ),
      )
      expect(res.status).toBe(422)
      const html = await res.text()
      const field = html.slice(
        html.indexOf('for="cfg-secret"'),
        html.indexOf('</div>', html.indexOf('id="cfg-secret"')),
      )
      expect(field).toContain(error)
      expect(field).not.toContain(hint)
      expect(field).toContain('aria-describedby="cfg-secret-error"')
    }
    // with no error the hint is there
    const blank = await (await app.request('/settings/channels/new?kind=webhook')).text()
    expect(blank).toContain('16 caractères au moins.')
  })
})

describe('channel cards', () => {
  it('say where each channel sends: the host of its webhook, never the address', async () => {
    for (const [kind, name, url] of [
      ['slack', 'Astreinte', SECRET_URL],
      ['webhook', 'Outil interne', 'https://user:pw@alerts.acme.example:8443/in/abcdef?k=zz'],
    ]) {
      const res = await app.request(
        '/settings/channels',
        form({ kind, name, 'config.url': url, 'config.secret': 's'.repeat(20) }),
      )
      expect(res.status).toBe(303)
    }
    for (const [lang, label] of [
      ['fr', 'Destination'],
      ['en', 'Sends to'],
    ]) {
      const html = await (
        await app.request('/settings/channels', { headers: { cookie: `lang=${lang}` } })
      ).text()
      expect(html).toContain(`<dt>${label}</dt><dd><code>hooks.slack.com</code></dd>`)
      expect(html).toContain(`<dt>${label}</dt><dd><code>alerts.acme.example:8443</code></dd>`)
      for (const secret of ['XXXXsecretTOKEN1234', '/services/', 'user:pw', 'abcdef', 'k=zz'])
        expect(html).not.toContain(secret)
    }
  })
})
