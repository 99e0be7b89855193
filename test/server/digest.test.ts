// The digest as data first (pure, table-driven), then loaded from a real database, then rendered
// (HTML escaping and the text part saying the same).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DigestMention, LabelCounts } from '../../db/digest'
import { insertAlert, type NewAlertRow } from '../../db/alerts'
import { listMentions } from '../../db/mentions'
import {
  buildDigest,
  change,
  engagement,
  loadDigestInput,
  safeText,
  safeUrl,
  split,
  type BrandInput,
} from '../../server/digest'
import { digestWindows } from '../../server/digest-period'
import { parseMentionQuery } from '../../server/routes/params'
import { arrow, renderDigestEmail } from '../../views/email/digest'
import { frenchSpacing, translator } from '../../views/i18n'
import { freshDb, type TestDb } from '../helpers/db'
import { addMention, seedBrand } from '../helpers/digest-fixtures'
import { alertRow } from '../helpers/alert-row'

const ZERO: LabelCounts = { positive: 0, neutral: 0, negative: 0, unscored: 0 }
let n = 0
function m(at: string, label: string, over: Partial<DigestMention> = {}): DigestMention {
  n++
  return {
    id: n,
    url: `https://example.com/${n}`,
    title: `Title ${n}`,
    text: `Text ${n}`,
    author: null,
    published_at: at,
    lang: 'fr',
    label,
    scored: 1,
    metrics: null,
    status: 'new',
    source_name: 'Feed',
    ...over,
  }
}
function brand(over: Partial<BrandInput> = {}): BrandInput {
  return {
    brand: { id: 1, name: 'Acme' },
    current: [],
    previous: ZERO,
    lastWeek: ZERO,
    waiting: [],
    alerts: [],
    ...over,
  }
}
const W = digestWindows('daily', '2026-03-28', 'Europe/Paris')
const build = (brands: BrandInput[], w = W) =>
  buildDigest({ windows: w, lang: 'fr', baseUrl: 'https://vigie.example', brands })

describe('buildDigest (pure)', () => {
  it('no brand followed: an empty digest, not an error', () => {
    const d = build([])
    expect(d.brands).toEqual([])
    expect(d.totals).toEqual({ mentions: 0, negative: 0, waiting: 0, spikes: 0 })
    expect(d.period).toEqual({ date: '2026-03-28', from: W.current.from, to: W.current.to })
  })

  it('a brand with no mentions: zeros, no net sentiment, flat changes, 24 empty bars', () => {
    const [b] = build([brand()]).brands
    expect(b.current).toMatchObject({ total: 0, net: null })
    expect(b.volume.vsPrevious).toEqual({ diff: 0, pct: null, dir: 'flat' })
    expect(b.netChange.vsPrevious).toBeNull()
    expect(b.chart).toHaveLength(24)
    expect(b.chart.every((x) => x.total === 0)).toBe(true)
    expect(b.waiting.total).toBe(0)
    expect(b.topPositive).toEqual([])
    expect(b.topSources).toEqual([])
  })

  it.each([
    // [name, current labels, previous counts, volume change, net, net change]
    [
      'more and better',
      ['positive', 'positive', 'positive', 'negative'],
      { ...ZERO, positive: 1, negative: 1 },
      { diff: 2, pct: 100, dir: 'up' },
      0.5,
      50,
    ],
    [
      'fewer and worse',
      ['negative'],
      { ...ZERO, positive: 2, negative: 2 },
      { diff: -3, pct: -75, dir: 'down' },
      -1,
      -100,
    ],
    ['from nothing', ['neutral', 'positive'], ZERO, { diff: 2, pct: null, dir: 'up' }, 1, null],
    [
      'neutral only: no net',
      ['neutral', 'neutral'],
      { ...ZERO, neutral: 2 },
      { diff: 0, pct: 0, dir: 'flat' },
      null,
      null,
    ],
  ] as const)('%s', (_name, labels, previous, volume, net, netDiff) => {
    const current = labels.map((l, i) => m(`2026-03-28T0${i}:00:00Z`, l))
    const [b] = build([brand({ current, previous })]).brands
    expect(b.volume.vsPrevious).toEqual(volume)
    expect(b.current.net).toBe(net)
    expect(b.netChange.vsPrevious?.diff ?? null).toBe(netDiff)
  })

  it('unscored mentions count in the volume but not in the net sentiment', () => {
    const current = [
      m('2026-03-28T10:00:00Z', 'positive'),
      m('2026-03-28T10:00:00Z', 'neutral', { scored: 0 }),
      m('2026-03-28T10:00:00Z', 'negative', { scored: 0 }),
    ]
    const [b] = build([brand({ current })]).brands
    expect(b.current).toMatchObject({ total: 3, positive: 1, negative: 0, unscored: 2, net: 1 })
  })

  it('orders waiting and positive mentions by engagement (audience size is not engagement)', () => {
    const waiting = [
      m('2026-03-28T08:00:00Z', 'negative', { metrics: '{"likes":3}' }),
      m('2026-03-28T09:00:00Z', 'negative', { metrics: '{"followers":90000,"likes":1}' }),
      m('2026-03-28T07:00:00Z', 'negative', { metrics: '{"score":10,"comments":5}' }),
      m('2026-03-28T06:00:00Z', 'negative', { metrics: 'not json' }),
    ]
    const [b] = build([brand({ waiting })]).brands
    expect(b.waiting.top.map((x) => x.engagement)).toEqual([15, 3, 1, 0])
    expect(b.waiting.total).toBe(4)
  })

  it('shows a post whose text repeats its title once', () => {
    const waiting = [
      m('2026-03-28T08:00:00Z', 'negative', { title: 'Acme : panne !', text: 'Acme — panne' }),
      m('2026-03-28T09:00:00Z', 'negative', { title: 'Acme en panne', text: 'Depuis ce matin.' }),
    ]
    const [b] = build([brand({ waiting })]).brands
    expect(b.waiting.top.map((x) => [x.title, x.excerpt])).toEqual([
      ['Acme en panne', 'Depuis ce matin.'],
      ['Acme : panne !', ''],
    ])
  })

  it('lists a complaint copied by many accounts once, with its count, leaving room for others', () => {
    const copy = (likes: number, title: string) =>
      m('2026-03-28T08:00:00Z', 'negative', {
        title,
        text: 'Plus de réseau depuis ce matin.',
        metrics: `{"likes":${likes}}`,
      })
    const waiting = [
      copy(50, 'Panne Acme !!!'),
      copy(40, 'panne acme'),
      copy(30, 'PANNE ACMÉ'),
      ...[20, 10, 5, 4, 3].map((likes) =>
        m('2026-03-28T09:00:00Z', 'negative', { metrics: `{"likes":${likes}}` }),
      ),
    ]
    const [b] = build([brand({ waiting })]).brands
    expect(b.waiting.total).toBe(8) // every copy still waits for triage
    expect(b.waiting.top.map((x) => [x.engagement, x.copies])).toEqual([
      [50, 3],
      [20, 1],
      [10, 1],
      [5, 1],
      [4, 1],
    ])
  })

  it('links the waiting count to the same mentions in the feed: new or in progress, 7 days', () => {
    const [b] = build([brand()]).brands
    const u = new URL(b.waiting.url)
    expect(Object.fromEntries(u.searchParams)).toEqual({
      brand: '1',
      sentiment: 'negative',
      status: 'open',
      since: new Date(Date.parse(W.current.to) - 7 * 86400_000).toISOString(),
      until: W.current.to,
    })
  })

  it.each([
    ['{"likes":2,"replies":3}', 5],
    ['{"subscribers":1000,"points":7}', 7],
    ['{"score":-4,"comments":2}', 2],
    [null, 0],
  ])('engagement(%s) = %i', (metrics, expected) => {
    expect(engagement(metrics)).toBe(expected)
  })

  it('top sources by count, then name', () => {
    const current = [
      m('2026-03-28T10:00:00Z', 'neutral', { source_name: 'Reddit' }),
      m('2026-03-28T10:00:00Z', 'neutral', { source_name: 'Mastodon' }),
      m('2026-03-28T10:00:00Z', 'neutral', { source_name: 'Reddit' }),
      m('2026-03-28T10:00:00Z', 'neutral', { source_name: 'Bluesky' }),
    ]
    expect(build([brand({ current })]).brands[0].topSources).toEqual([
      { name: 'Reddit', count: 2 },
      { name: 'Bluesky', count: 1 },
      { name: 'Mastodon', count: 1 },
    ])
  })

  it('charts local hours, folding the repeated hour of the 25-hour day', () => {
    const w = digestWindows('daily', '2026-10-25', 'Europe/Paris')
    const current = [
      m('2026-10-25T00:30:00Z', 'negative'), // 02:30 CEST
      m('2026-10-25T01:30:00Z', 'neutral'), // 02:30 CET, the second time round
      m('2026-10-24T22:00:00Z', 'neutral'), // 00:00 local
      m('2026-10-25T22:59:00Z', 'neutral'), // 23:59 local
    ]
    const [b] = build([brand({ current })], w).brands
    expect(b.chart).toHaveLength(24)
    expect(b.chart.find((x) => x.key === '02')).toEqual({ key: '02', total: 2, negative: 1 })
    expect(b.chart[0].total).toBe(1)
    expect(b.chart[23].total).toBe(1)
  })

  it('weekly: seven daily bars and no same-weekday comparison', () => {
    const w = digestWindows('weekly', '2026-03-23', 'Europe/Paris')
    const current = [m('2026-03-29T21:30:00Z', 'neutral')] // Sunday 23:30 CEST
    const d = build([brand({ current, lastWeek: undefined })], w)
    expect(d.brands[0].chart.map((x) => x.key)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ])
    expect(d.brands[0].chart[6].total).toBe(1)
    expect(d.brands[0].volume.vsLastWeek).toBeUndefined()
  })

  it('spikes link back to Vigie, in start order', () => {
    const alerts = [
      {
        id: 9,
        kind: 'volume_spike' as const,
        status: 'resolved' as const,
        started_at: '2026-03-28T15:00:00Z',
        peak_at: '2026-03-28T15:30:00Z',
        peak_value: 40,
        baseline: 4,
        acknowledged_at: null,
        resolved_at: '2026-03-28T17:00:00Z',
      },
      {
        id: 7,
        kind: 'negative_spike' as const,
        status: 'open' as const,
        started_at: '2026-03-28T09:00:00Z',
        peak_at: '2026-03-28T09:20:00Z',
        peak_value: 25,
        baseline: 2,
        acknowledged_at: null,
        resolved_at: null,
      },
    ]
    const d = build([brand({ alerts })])
    expect(d.brands[0].spikes.map((s) => [s.id, s.url])).toEqual([
      [7, 'https://vigie.example/alerts/7'],
      [9, 'https://vigie.example/alerts/9'],
    ])
    expect(d.totals.spikes).toBe(2)
  })

  it.each([
    ['a\u202Eevil\u202C b', 'aevil b'],
    ['line\r\nbreak\u0007', 'line\nbreak'],
    ['café ✓', 'café ✓'],
  ])('safeText(%j) = %j', (raw, expected) => {
    expect(safeText(raw)).toBe(expected)
  })

  it.each([
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['javascript:alert(1)', ''],
    ['data:text/html,hi', ''],
    ['not a url', ''],
  ])('safeUrl(%j) = %j', (raw, expected) => {
    expect(safeUrl(raw)).toBe(expected)
  })

  it('helpers: split and change', () => {
    expect(split({ positive: 1, neutral: 1, negative: 3, unscored: 1 })).toEqual({
      positive: 1,
      neutral: 1,
      negative: 3,
      unscored: 1,
      total: 6,
      net: -0.5,
    })
    expect(change(5, 4)).toEqual({ diff: 1, pct: 25, dir: 'up' })
  })
})

describe('loadDigestInput (real database)', () => {
  let t: TestDb
  beforeEach(async () => {
    t = await freshDb()
  })
  afterEach(async () => {
    await t.cleanup()
  })

  it('reads the window exactly, with the effective label and what still waits for an answer', async () => {
    const { brandId, sourceId } = await seedBrand(t.db, 'Acme')
    const quiet = await seedBrand(t.db, 'Quiet')
    const w = digestWindows('daily', '2026-03-29', 'Europe/Paris') // 23-hour day
    // In the window: its first instant, and its last minute.
    await addMention(t.db, { brandId, sourceId, at: w.current.from, label: 'negative' })
    await addMention(t.db, { brandId, sourceId, at: '2026-03-29T21:59:00Z', label: 'positive' })
    // A teammate relabelled a machine "negative" as positive.
    await addMention(t.db, {
      brandId,
      sourceId,
      at: '2026-03-29T10:00:00Z',
      label: 'negative',
      manual: 'positive',
    })
    // Out of the window: its end (exclusive) and the minute before its start.
    await addMention(t.db, { brandId, sourceId, at: w.current.to, label: 'negative' })
    await addMention(t.db, { brandId, sourceId, at: '2026-03-28T22:59:00Z', label: 'negative' })
    // Waiting: negative and new/in_progress, within seven days; answered/ignored are not.
    await addMention(t.db, {
      brandId,
      sourceId,
      at: '2026-03-25T10:00:00Z',
      label: 'negative',
      status: 'in_progress',
      metrics: { likes: 50 },
    })
    await addMention(t.db, {
      brandId,
      sourceId,
      at: '2026-03-25T10:00:00Z',
      label: 'negative',
      status: 'answered',
    })
    await addMention(t.db, {
      brandId,
      sourceId,
      at: '2026-03-25T10:00:00Z',
      label: 'negative',
      status: 'ignored',
    })
    await addMention(t.db, { brandId, sourceId, at: '2026-03-10T10:00:00Z', label: 'negative' })

    const input = await loadDigestInput(t.db, {
      kind: 'daily',
      date: '2026-03-29',
      timezone: 'Europe/Paris',
      lang: 'en',
      brandIds: [],
      baseUrl: 'https://vigie.example/',
    })
    expect(input.brands.map((b) => b.brand.name)).toEqual(['Acme', 'Quiet'])
    const d = buildDigest(input)
    const acme = d.brands[0]
    expect(acme.current).toMatchObject({ total: 3, positive: 2, negative: 1 })
    expect(acme.previous).toMatchObject({ total: 1, negative: 1 }) // 2026-03-28T22:59Z
    // The window's negative, the day before's (still unanswered) and the in_progress one; not the
    // answered/ignored ones, nor the one older than seven days, nor the one after the period.
    expect(acme.waiting.total).toBe(3)
    expect(acme.waiting.top[0].engagement).toBe(50)
    // the e-mail's "see the N mentions" link, read by the feed's own parser, lists those three
    const link = new URL(acme.waiting.url)
    const { filter } = await parseMentionQuery(
      t.db,
      Object.fromEntries(link.searchParams),
      new Date(w.current.to),
      {
        limit: 50,
        maxLimit: 500,
      },
      'UTC',
    )
    const feed = await listMentions(t.db, 'sqlite', filter, { limit: 50 })
    expect(feed.rows.map((r) => r.id).sort()).toEqual(
      input.brands[0].waiting.map((w) => w.id).sort(),
    )
    expect(d.brands[1]).toMatchObject({ id: quiet.brandId, current: { total: 0, net: null } })
    expect(acme.url).toBe(
      `https://vigie.example/mentions?brand=${brandId}&since=2026-03-28T23%3A00%3A00.000Z` +
        `&until=2026-03-29T22%3A00%3A00.000Z`,
    )
    // the brand's link opens the day's mentions, as many as the digest counts
    const day = await parseMentionQuery(
      t.db,
      Object.fromEntries(new URL(acme.url).searchParams),
      new Date(w.current.to),
      { limit: 500, maxLimit: 500 },
      'UTC',
    )
    const listed = await listMentions(t.db, 'sqlite', day.filter, { limit: 500 })
    expect(listed.rows).toHaveLength(acme.current.total)
  })

  it('follows only the chosen brands', async () => {
    await seedBrand(t.db, 'Acme')
    const b = await seedBrand(t.db, 'Beta')
    const input = await loadDigestInput(t.db, {
      kind: 'weekly',
      date: '2026-03-23',
      timezone: 'Europe/Paris',
      lang: 'fr',
      brandIds: [b.brandId],
      baseUrl: 'https://vigie.example',
    })
    expect(input.brands.map((x) => x.brand.name)).toEqual(['Beta'])
    expect(input.brands[0].lastWeek).toBeUndefined()
  })
})

describe('rendering', () => {
  const hostile = brand({
    current: [
      m('2026-03-28T10:00:00Z', 'positive', {
        title: '<script>alert(1)</script><img src=x onerror=alert(2)>',
        text: 'Fine & <b>bold</b>\u202E',
        url: 'javascript:alert(3)',
        author: '"><svg onload=alert(4)>',
      }),
    ],
    waiting: [
      m('2026-03-28T09:00:00Z', 'negative', { title: 'Slow support', metrics: '{"likes":12}' }),
    ],
  })

  it('escapes mention text in HTML and keeps it readable in text', async () => {
    const d = build([hostile])
    const mail = await renderDigestEmail(d, {
      manage: 'https://vigie.example/settings/digest',
      unsubscribe: 'https://vigie.example/digest/unsubscribe/1.x',
    })
    expect(mail.html).not.toContain('<script>alert(1)')
    expect(mail.html).not.toContain('<img src=x')
    expect(mail.html).not.toContain('<svg')
    expect(mail.html).not.toContain('javascript:')
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(mail.html).not.toMatch(/<script|<img|<link|src="http/i) // no scripts, no external images
    expect(mail.text).toContain('<script>alert(1)</script>') // plain text: shown, not run
    expect(mail.text).not.toContain('\u202E')
    expect(mail.text).not.toContain('javascript:')
  })

  it('marks each mention with the language it is written in, not the language of the e-mail', async () => {
    const d = build([
      brand({
        waiting: [
          m('2026-03-28T10:00:00Z', 'negative', { title: 'Outage again', lang: 'en' }),
          m('2026-03-28T11:00:00Z', 'negative', { title: 'Panne encore', text: 'Rien ne va' }),
          m('2026-03-28T12:00:00Z', 'negative', { title: 'Storing', lang: 'other' }),
          m('2026-03-28T12:30:00Z', 'negative', { title: 'Bad tag', lang: '"><b>' }),
        ],
      }),
    ])
    const { html } = await renderDigestEmail(d, { manage: 'https://vigie.example/settings/digest' })
    const langOf = (title: string) =>
      html.match(new RegExp(`<a ([^>]*)>${title}</a>`))?.[1].match(/ ?lang="([^"]*)"/)?.[1]
    expect(langOf('Outage again')).toBe('en')
    expect(langOf('Panne encore')).toBe('fr')
    expect(html).toMatch(/<div[^>]* lang="fr"[^>]*>Rien ne va<\/div>/)
    // not identified, or not a language tag: no claim
    expect(langOf('Storing')).toBeUndefined()
    expect(langOf('Bad tag')).toBeUndefined()
    expect(html).not.toContain('"><b>')
  })

  it('says the same in both parts, in the recipient language', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const d = buildDigest({
        windows: W,
        lang,
        baseUrl: 'https://vigie.example',
        brands: [hostile],
      })
      const mail = await renderDigestEmail(d, { manage: 'https://vigie.example/settings/digest' })
      for (const s of [
        'Acme',
        'Slow support',
        '12',
        'https://vigie.example/mentions?brand=1&amp;sentiment=negative',
      ])
        expect(mail.html).toContain(s)
      for (const s of [
        'Acme',
        'Slow support',
        '12',
        'https://vigie.example/mentions?brand=1&sentiment=negative',
      ])
        expect(mail.text).toContain(s)
      expect(mail.subject).toContain(
        lang === 'fr' ? 'samedi 28 mars 2026' : 'Saturday, 28 March 2026',
      )
      expect(mail.html).toContain(`lang="${lang}"`)
      // the zone its times are in, in both parts
      const zone = `${lang === 'fr' ? 'Heures affichées en' : 'Times shown in'} ${d.timezone}.`
      expect(d.timezone).toMatch(/\//)
      expect(mail.html).toContain(zone)
      expect(mail.text).toContain(zone)
    }
  })
})

describe('spikes in the digest: open during the period, described as of its end', () => {
  let t: TestDb
  beforeEach(async () => {
    t = await freshDb()
  })
  afterEach(async () => {
    await t.cleanup()
  })

  // Sunday 22 November 2026 in Paris: 2026-11-21T23:00Z → 2026-11-22T23:00Z
  async function alert(over: Partial<NewAlertRow> & { brand_id: number; started_at: string }) {
    return insertAlert(
      t.db,
      alertRow(over.brand_id, over.started_at, { peak_value: 40, baseline: 3, score: 12, ...over }),
    )
  }

  it('a spike resolved after the period reads open (since resolved), its later peak said so', async () => {
    const { brandId } = await seedBrand(t.db, 'Telvia')
    // started Sunday 23:40, peaked Monday 00:20, resolved Monday 03:00 (local)
    const late = await alert({
      brand_id: brandId,
      started_at: '2026-11-22T22:40:00.000Z',
      peak_at: '2026-11-22T23:20:00.000Z',
      status: 'resolved',
      resolved_at: '2026-11-23T02:00:00.000Z',
    })
    // acknowledged Sunday 18:00, resolved Monday: acknowledged at the end of Sunday
    const acked = await alert({
      brand_id: brandId,
      kind: 'volume_spike',
      started_at: '2026-11-22T15:00:00.000Z',
      peak_at: '2026-11-22T16:00:00.000Z',
      status: 'resolved',
      acknowledged_by: 'claire@acme.example',
      acknowledged_at: '2026-11-22T17:00:00.000Z',
      resolved_at: '2026-11-23T06:00:00.000Z',
    })
    // resolved within the day
    const done = await alert({
      brand_id: brandId,
      kind: 'sentiment_dip',
      started_at: '2026-11-22T08:00:00.000Z',
      peak_at: '2026-11-22T09:00:00.000Z',
      status: 'resolved',
      resolved_at: '2026-11-22T12:00:00.000Z',
    })
    // not open during Sunday: over on Saturday, and begun on Monday
    await alert({
      brand_id: brandId,
      started_at: '2026-11-21T10:00:00.000Z',
      status: 'resolved',
      resolved_at: '2026-11-21T15:00:00.000Z',
    })
    await alert({ brand_id: brandId, started_at: '2026-11-23T00:10:00.000Z' })

    for (const lang of ['fr', 'en'] as const) {
      const input = await loadDigestInput(t.db, {
        kind: 'daily',
        date: '2026-11-22',
        timezone: 'Europe/Paris',
        lang,
        brandIds: [],
        baseUrl: 'https://vigie.example',
      })
      const d = buildDigest(input)
      expect(d.brands[0].spikes.map((s) => [s.id, s.status, s.since ?? null, s.peakAfter])).toEqual(
        [
          [done.id, 'resolved', null, false],
          [acked.id, 'acknowledged', 'resolved', false],
          [late.id, 'open', 'resolved', true],
        ],
      )
      const mail = await renderDigestEmail(d, { manage: 'https://vigie.example/settings/digest' })
      const want =
        lang === 'fr'
          ? [
              'Chute du sentiment (résolu)',
              frenchSpacing('Pic de volume (pris en compte ; résolu depuis)'),
              frenchSpacing('Pic de mentions négatives (ouvert ; résolu depuis)'),
              frenchSpacing(
                'commencé à 23:40 ; pic de 40 lun. 00:20, après la période (attendu ~3)',
              ),
            ]
          : [
              'Sentiment dip (resolved)',
              'Volume spike (acknowledged; since resolved)',
              'Negative mentions spike (open; since resolved)',
              'started at 23:40; peak of 40 Mon 00:20, after this period (expected ~3)',
            ]
      const html = mail.html.replace(/<[^>]+>/g, '').replace(/[ \t\r\n]+/g, ' ')
      for (const s of want) {
        expect(mail.text).toContain(s)
        expect(html).toContain(s)
      }
      expect(mail.text).not.toMatch(
        /Pic de mentions négatives \(résolu\)|Negative mentions spike \(resolved\)/,
      )
    }
  })
})

describe('arrow', () => {
  // the digest's changes, in the recipient's language: 'per cent' is written differently
  it.each([
    ['en', '▲ +9%'],
    ['fr', '▲ +9\u202f%'],
  ] as const)('%s: %s', (lang, want) => {
    const n = (x: number) => String(x)
    expect(arrow({ diff: 1, pct: 9, dir: 'up' }, translator(lang), 'pct', n)).toBe(want)
  })
})
