// Alert detection and lifecycle: series building, incident grouping on synthetic series, the
// reconciliation table (pure), and full runs on a real SQLite file with a pinned clock —
// idempotent, one alert per incident, automatic resolution, acknowledgement by whom.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getAlert, listAlerts, listOpenAlerts } from '../../db/alerts'
import { insertBrand } from '../../db/brands'
import type { Alert } from '../../db/schema-alerts'
import { insertSource } from '../../db/sources'
import {
  acknowledge,
  buildSeries,
  engagement,
  findIncidents,
  learningBrands,
  mentionsHref,
  planReconcile,
  resolve,
  runDetection,
  summarize,
  type AlertNotify,
  type Incident,
} from '../../server/alerts'
import { silentLogger } from '../../server/log'
import { freshDb, pinnedClock, type TestDb } from '../helpers/db'
import { rng, syntheticSeries } from '../helpers/series'

const START = Date.parse('2026-03-01T00:00:00Z')
const H = 3600_000

describe('buildSeries', () => {
  it('buckets mention times into 5-minute slots, zeros included, outside ones dropped', () => {
    const s = buildSeries(
      [
        { at: START + 1000, negative: true },
        { at: START + 299_000, negative: false },
        { at: START + 300_000, negative: true },
        { at: START + 1_200_000, negative: false },
        { at: START - 1, negative: true },
        { at: START + 10 * H, negative: true },
      ],
      START,
      START + 900_000,
    )
    expect(s).toEqual([
      { t: START, neg: 1, total: 2 },
      { t: START + 300_000, neg: 1, total: 1 },
      { t: START + 600_000, neg: 0, total: 0 },
      { t: START + 900_000, neg: 0, total: 0 },
    ])
  })
})

describe('findIncidents on synthetic series', () => {
  const base = { start: START, days: 5, perHour: 24, negShare: 0.15, seed: 7 }
  const cases: {
    name: string
    series: () => ReturnType<typeof syntheticSeries>
    expect: { kind: string; startHours: [number, number]; ended: boolean }[]
  }[] = [
    { name: 'a quiet brand raises nothing', series: () => syntheticSeries(base), expect: [] },
    {
      name: 'a three-hour negative burst is one incident, not one per bucket',
      series: () =>
        syntheticSeries({
          ...base,
          bursts: [{ atHours: 100, hours: 3, perBucket: 3, negShare: 0.9 }],
        }),
      expect: [{ kind: 'negative_spike', startHours: [99, 102], ended: true }],
    },
    {
      name: 'a neutral volume spike is a volume spike',
      series: () =>
        syntheticSeries({
          ...base,
          bursts: [{ atHours: 100, hours: 3, perBucket: 4, negShare: 0.1 }],
        }),
      expect: [{ kind: 'volume_spike', startHours: [99, 102], ended: true }],
    },
    {
      name: 'the negative share jumping at flat volume is a sentiment dip',
      series: () => {
        const r = rng(3)
        return syntheticSeries({ ...base, perHour: 200, negShare: 0.1 }).map((b) => {
          const h = (b.t - START) / H
          if (h < 100 || h >= 108) return b
          let neg = 0
          for (let j = 0; j < b.total; j++) if (r() < 0.18) neg++
          return { ...b, neg }
        })
      },
      expect: [{ kind: 'sentiment_dip', startHours: [100, 106], ended: true }],
    },
    {
      name: 'two bursts a day apart are two incidents',
      series: () =>
        syntheticSeries({
          ...base,
          bursts: [
            { atHours: 70, hours: 2, perBucket: 3, negShare: 0.9 },
            { atHours: 100, hours: 2, perBucket: 3, negShare: 0.9 },
          ],
        }),
      expect: [
        { kind: 'negative_spike', startHours: [69, 72], ended: true },
        { kind: 'negative_spike', startHours: [99, 102], ended: true },
      ],
    },
  ]
  it.each(cases)('$name', (c) => {
    const series = c.series()
    const now = series[series.length - 1].t
    const got = findIncidents(series, 'balanced', now)
    expect(got.map((i) => i.kind)).toEqual(c.expect.map((e) => e.kind))
    got.forEach((inc, i) => {
      const h = (inc.startT - START) / H
      expect(h).toBeGreaterThanOrEqual(c.expect[i].startHours[0])
      expect(h).toBeLessThanOrEqual(c.expect[i].startHours[1])
      expect(inc.endT !== null).toBe(c.expect[i].ended)
      expect(inc.peakValue).toBeGreaterThan(inc.baseline)
    })
  })

  it('reports a dip as negative shares in percent', () => {
    const r = rng(3)
    const series = syntheticSeries({ ...base, perHour: 200, negShare: 0.1 }).map((b) => {
      const h = (b.t - START) / H
      if (h < 100 || h >= 108) return b
      let neg = 0
      for (let j = 0; j < b.total; j++) if (r() < 0.18) neg++
      return { ...b, neg }
    })
    const [dip] = findIncidents(series, 'balanced', series[series.length - 1].t)
    expect(dip.peakValue).toBeGreaterThan(12)
    expect(dip.peakValue).toBeLessThan(25)
    expect(dip.baseline).toBeGreaterThan(6)
    expect(dip.baseline).toBeLessThan(13)
  })

  it('more alerts flags a small burst, fewer alerts never flags more', () => {
    const series = syntheticSeries({
      ...base,
      bursts: [{ atHours: 100, hours: 1, perBucket: 1.2, negShare: 0.9 }], // ~13 negative in an hour vs ~3.6 usual
    })
    const now = series[series.length - 1].t
    const more = findIncidents(series, 'more', now).filter((i) => i.kind === 'negative_spike')
    const fewer = findIncidents(series, 'fewer', now).filter((i) => i.kind === 'negative_spike')
    // (loose on purpose: the detector's accuracy is tuned elsewhere; the order of presets holds)
    expect(more.length).toBe(1)
    expect(fewer.length).toBeLessThanOrEqual(more.length)
  })
})

// ---- reconciliation table ----

const NOW = START + 100 * H
const iso = (t: number) => new Date(t).toISOString()

function inc(over: Partial<Incident> = {}): Incident {
  return {
    kind: 'negative_spike',
    startT: NOW - 3 * H,
    peakT: NOW - 2 * H,
    peakValue: 40,
    baseline: 4,
    score: 20,
    windowMinutes: 60,
    lastAbnormalT: NOW - H,
    endT: null,
    ...over,
  }
}

function alert(over: Partial<Alert> = {}): Alert {
  const i = inc()
  return {
    id: 1,
    brand_id: 1,
    kind: 'negative_spike',
    status: 'open',
    started_at: iso(i.startT),
    last_abnormal_at: iso(i.lastAbnormalT),
    updated_at: iso(NOW - H),
    peak_at: iso(i.peakT),
    peak_value: 40,
    baseline: 4,
    score: 20,
    window_minutes: 60,
    told_score: null,
    told_excess: null,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    summary: '{}',
    ...over,
  }
}

describe('planReconcile', () => {
  const table: {
    name: string
    incidents: Incident[]
    existing: Alert[]
    expect: { type: string; alertId?: number; status?: string; notify?: boolean }[]
  }[] = [
    {
      name: 'a new incident opens an alert and notifies',
      incidents: [inc()],
      existing: [],
      expect: [{ type: 'create', status: 'open', notify: true }],
    },
    {
      name: 'an incident over long ago is recorded resolved, silently',
      incidents: [inc({ endT: NOW - 3 * H, lastAbnormalT: NOW - 4 * H })],
      existing: [],
      expect: [{ type: 'create', status: 'resolved', notify: false }],
    },
    {
      name: 'the same incident seen again changes nothing',
      incidents: [inc()],
      existing: [alert()],
      expect: [],
    },
    {
      name: 'the same incident with its start shifted by a bucket is still the same alert',
      incidents: [inc({ startT: NOW - 3 * H + 300_000 })],
      existing: [alert()],
      expect: [],
    },
    {
      name: 'a much worse peak with twice the extra mentions updates the alert and notifies',
      incidents: [
        inc({
          score: 24,
          peakValue: 76,
          peakT: NOW - 30 * 60_000,
          lastAbnormalT: NOW - 10 * 60_000,
        }),
      ],
      existing: [alert()],
      expect: [{ type: 'update', alertId: 1, notify: true }],
    },
    {
      name: 'a much smaller p from the same extra mentions held longer updates quietly',
      incidents: [inc({ score: 30, peakValue: 60, peakT: NOW - 30 * 60_000 })],
      existing: [alert()],
      expect: [{ type: 'update', alertId: 1, notify: false }],
    },
    {
      name: 'twice the mentions without a much smaller p updates quietly',
      incidents: [inc({ score: 22, peakValue: 90, peakT: NOW - 30 * 60_000 })],
      existing: [alert()],
      expect: [{ type: 'update', alertId: 1, notify: false }],
    },
    {
      name: 'growth is measured from what the channels were told, not from the last stored peak',
      incidents: [inc({ score: 24, peakValue: 76, peakT: NOW - 30 * 60_000 })],
      existing: [alert({ score: 23, peak_value: 70, told_score: 20, told_excess: 36 })],
      expect: [{ type: 'update', alertId: 1, notify: true }],
    },
    {
      name: 'an incident told about at its latest figures is not announced again',
      incidents: [inc({ score: 27, peakValue: 100, peakT: NOW - 30 * 60_000 })],
      existing: [alert({ told_score: 26, told_excess: 80 })],
      expect: [{ type: 'update', alertId: 1, notify: false }],
    },
    {
      name: 'a slightly higher peak updates quietly',
      incidents: [inc({ score: 21, peakT: NOW - 30 * 60_000 })],
      existing: [alert()],
      expect: [{ type: 'update', alertId: 1, notify: false }],
    },
    {
      name: 'an acknowledged alert whose incident ended long enough ago resolves automatically',
      incidents: [inc({ endT: NOW - 61 * 60_000 })],
      existing: [alert({ status: 'acknowledged', acknowledged_by: 'Léa' })],
      expect: [{ type: 'resolve', alertId: 1 }],
    },
    {
      name: 'an incident that ended minutes ago keeps its alert open',
      incidents: [inc({ endT: NOW - 10 * 60_000 })],
      existing: [alert()],
      expect: [],
    },
    {
      name: 'a human resolution is never undone; growth is recorded silently',
      incidents: [inc({ score: 30, peakT: NOW - 20 * 60_000, lastAbnormalT: NOW - 5 * 60_000 })],
      existing: [alert({ status: 'resolved', resolved_by: 'Léa', resolved_at: iso(NOW - H) })],
      expect: [{ type: 'update', alertId: 1, notify: false }],
    },
    {
      name: 'an open alert no incident explains any more resolves once long quiet',
      incidents: [],
      existing: [alert({ last_abnormal_at: iso(NOW - 3 * H) })],
      expect: [{ type: 'resolve', alertId: 1 }],
    },
    {
      name: 'an open alert no incident explains but recently abnormal waits',
      incidents: [],
      existing: [alert({ last_abnormal_at: iso(NOW - 30 * 60_000) })],
      expect: [],
    },
    {
      name: 'a volume spike does not match a negative-spike alert',
      incidents: [inc({ kind: 'volume_spike' })],
      existing: [alert()],
      expect: [{ type: 'create', status: 'open', notify: true }],
    },
    {
      name: 'a second incident a day later opens a second alert',
      incidents: [
        inc({
          startT: NOW - 30 * H,
          peakT: NOW - 29 * H,
          lastAbnormalT: NOW - 28 * H,
          endT: NOW - 27 * H,
        }),
        inc(),
      ],
      existing: [
        alert({
          started_at: iso(NOW - 30 * H),
          last_abnormal_at: iso(NOW - 28 * H),
          peak_at: iso(NOW - 29 * H),
          status: 'resolved',
          resolved_at: iso(NOW - 26 * H),
        }),
      ],
      expect: [{ type: 'create', status: 'open', notify: true }],
    },
  ]
  it.each(table)('$name', (c) => {
    const plan = planReconcile(c.incidents, c.existing, NOW)
    expect(
      plan.map((a) => ({
        type: a.type,
        ...('alertId' in a && { alertId: a.alertId }),
        ...('status' in a && { status: a.status }),
        ...('notify' in a && { notify: a.notify }),
      })),
    ).toEqual(c.expect)
  })
})

describe('summaries', () => {
  it('engagement sums numeric metrics except followers', () => {
    expect(engagement('{"likes":10,"replies":2,"followers":5000,"lang":"fr"}')).toBe(12)
    expect(engagement(null)).toBe(0)
    expect(engagement('not json')).toBe(0)
  })
  it('links negative alerts to the negative mentions of the incident window', () => {
    expect(
      mentionsHref(
        { brand_id: 3, kind: 'negative_spike', started_at: '2026-03-01T10:00:00.000Z' },
        '2026-03-01T13:00:00.000Z',
      ),
    ).toBe(
      '/mentions?brand=3&sentiment=negative&since=2026-03-01T10%3A00%3A00.000Z&until=2026-03-01T13%3A00%3A00.000Z',
    )
  })
})

describe('summarize on stored mentions', () => {
  let db: TestDb
  beforeEach(async () => {
    db = await freshDb()
  })
  afterEach(async () => {
    await db.cleanup()
  })

  /** Acme, a forum, and these mentions of Acme in it, published a minute apart. */
  async function store(
    rows: { title?: string; text: string; likes?: number; label?: 'negative' | 'positive' }[],
  ) {
    const at = new Date(START)
    const brand = await insertBrand(db.db, { name: 'Acme', query: 'Acme' }, at)
    const src = await insertSource(
      db.db,
      { name: 'Forum', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      at,
    )
    await db.db
      .insertInto('mentions')
      .values(
        rows.map(({ title = '', text, likes, label = 'negative' }, i) => ({
          brand_id: brand.id,
          source_id: src.id,
          external_id: `m${i}`,
          fold_hash: `f${i}`,
          url: `https://f.example/${i}`,
          title,
          text,
          published_at: new Date(START + i * 60_000).toISOString(),
          collected_at: new Date(START + H).toISOString(),
          lang: 'fr',
          sentiment_score: label === 'negative' ? -0.5 : 0.5,
          sentiment_label: label,
          sentiment_scored: 1,
          metrics: likes === undefined ? null : JSON.stringify({ likes }),
          matched_terms: '["Acme"]',
        })),
      )
      .execute()
    const ids = (await db.db.selectFrom('mentions').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    )
    return { brand, ids, at }
  }

  it('shows each wording once, most engaged first, with how many mentions share it', async () => {
    // [text, likes, label]: one complaint copied four times (case, accents and punctuation
    // differ), two others, a positive mention that ranks after every negative one
    const rows: [string, number, 'negative' | 'positive'][] = [
      ['Remboursez-nous, ACME !', 5, 'negative'],
      ['Panne Acme depuis ce matin', 40, 'negative'],
      ['remboursez nous acme', 90, 'negative'],
      ['Remboursez nous, Acmé...', 1, 'negative'],
      ['Service client Acme injoignable', 20, 'negative'],
      ['REMBOURSEZ NOUS ACME', 0, 'negative'],
      ['Bravo Acme', 500, 'positive'],
    ]
    const { brand, ids, at } = await store(
      rows.map(([text, likes, label]) => ({ text, likes, label })),
    )
    const until = new Date(START + H).toISOString()
    const neg = await summarize(db.db, brand, 'negative_spike', at.toISOString(), until)
    expect(neg.count).toBe(6)
    expect(neg.sample_ids).toEqual([ids[2], ids[1], ids[4]])
    expect(neg.sample_copies).toEqual([4, 1, 1])
    // a volume spike shows every mention, negative ones first
    const all = await summarize(db.db, brand, 'volume_spike', at.toISOString(), until)
    expect(all.sample_ids).toEqual([ids[2], ids[1], ids[4], ids[6]])
    expect(all.sample_copies).toEqual([4, 1, 1, 1])
  })

  it('lists frequent terms as the mentions write them ("Genève"), whatever opens a sentence', async () => {
    const { brand, at } = await store([
      { title: 'Coupure Acme', text: 'Panne à Genève, réseau coupé' },
      { title: 'Acme', text: 'Panne totale à Genève' },
      { text: 'Genève : encore une panne Acme' },
    ])
    const until = new Date(START + H).toISOString()
    const s = await summarize(db.db, brand, 'negative_spike', at.toISOString(), until)
    expect(s.terms).toEqual(['Genève', 'panne'])
  })
})

// ---- full runs on a real database ----

describe('runDetection on stored mentions', () => {
  let db: TestDb
  beforeEach(async () => {
    db = await freshDb()
  })
  afterEach(async () => {
    await db.cleanup()
  })

  /** Five days of a brand at 24 mentions an hour (15 % negative), negative bursts on top. */
  const burstDays = (bursts = [{ atHours: 100, hours: 3, perBucket: 3, negShare: 0.9 }]) =>
    syntheticSeries({ start: START, days: 5, perHour: 24, negShare: 0.15, seed: 7, bursts })

  /** Stores the synthetic series as mentions (published in the bucket, collected 10 min later). */
  /** `importedAt`: every mention collected at that moment (a first import), else 10 min after
   * it was published */
  async function seed(series: ReturnType<typeof syntheticSeries>, importedAt?: number) {
    const brand = await insertBrand(db.db, { name: 'Acme', query: 'Acme' }, new Date(START))
    const src = await insertSource(
      db.db,
      {
        name: 'Forum',
        kind: 'rss',
        config: { url: 'https://example.com/f' },
        intervalSeconds: 900,
      },
      new Date(START),
    )
    const rows = []
    let n = 0
    for (const b of series)
      for (let j = 0; j < b.total; j++) {
        const at = new Date(b.t + 10_000 * j)
        const negative = j < b.neg
        rows.push({
          brand_id: brand.id,
          source_id: src.id,
          external_id: `m${n}`,
          fold_hash: `f${n++}`,
          url: `https://example.com/m${n}`,
          title: negative ? 'Acme panne réseau' : 'Acme nouvelle offre',
          text: negative
            ? 'encore une panne du réseau, service client injoignable'
            : 'rien à signaler',
          published_at: at.toISOString(),
          collected_at: new Date(importedAt ?? at.getTime() + 600_000).toISOString(),
          lang: 'fr',
          sentiment_score: negative ? -0.6 : 0.1,
          sentiment_label: negative ? 'negative' : 'neutral',
          sentiment_scored: 1,
          metrics: JSON.stringify({ likes: j }),
          matched_terms: '["Acme"]',
        })
      }
    for (let i = 0; i < rows.length; i += 500)
      await db.db
        .insertInto('mentions')
        .values(rows.slice(i, i + 500))
        .execute()
    return brand
  }

  it('opens one alert per incident, is idempotent, and resolves it once calm returns', async () => {
    const series = burstDays()
    const brand = await seed(series)
    const clock = pinnedClock(new Date(START + 101.5 * H))
    const notified: string[] = []
    const notify: AlertNotify = async (_db, a, event) => {
      notified.push(`${a.id}:${event}`)
    }
    const ctx = { db: db.db, now: clock.now, log: silentLogger }

    const first = await runDetection(ctx, { notify })
    expect(first.created).toBe(1)
    const second = await runDetection(ctx, { notify })
    expect(second).toMatchObject({ created: 0, updated: 0, resolved: 0 })
    const [a] = await listOpenAlerts(db.db)
    expect(a).toMatchObject({ brand_id: brand.id, kind: 'negative_spike', status: 'open' })
    expect(a.peak_value).toBeGreaterThan(a.baseline)
    const summary = JSON.parse(a.summary)
    expect(summary.sources).toEqual([{ name: 'Forum', count: summary.count }])
    expect(summary.terms).toContain('panne')
    // every negative mention of this burst has the same wording: one sample, standing for all
    expect(summary.sample_ids).toHaveLength(1)
    expect(summary.sample_copies).toEqual([summary.count])

    // The burst grows then fades: the same alert, never a second one.
    for (let h = 102; h <= 112; h += 0.5) {
      clock.set(new Date(START + h * H))
      await runDetection(ctx, { notify })
    }
    const all = await listAlerts(db.db)
    expect(all).toHaveLength(1)
    expect(all[0].status).toBe('resolved')
    expect(all[0].resolved_by).toBeNull()
    expect(notified[0]).toBe(`${a.id}:opened`)
    expect(notified.at(-1)).toBe(`${a.id}:resolved`)
    expect(notified.filter((n) => n.endsWith('opened'))).toHaveLength(1)
  })

  it("raises nothing on a brand's first import, whatever it reads back-dated", async () => {
    // the same burst as above, but all read at once by a source added a moment ago: a feed's
    // last items make the hour before look busier than the day before, which was never watched
    const at = START + 101.5 * H
    await seed(burstDays(), at)
    const clock = pinnedClock(new Date(at))
    const ctx = { db: db.db, now: clock.now, log: silentLogger }
    expect((await runDetection(ctx, {})).created).toBe(0)
    expect(await learningBrands(db.db, clock.now())).toEqual([
      expect.objectContaining({ name: 'Acme', until: new Date(at + 12 * H).toISOString() }),
    ])
  })

  it('tells the channels an incident is growing against what they were told last', async () => {
    const series = burstDays([
      { atHours: 100, hours: 3, perBucket: 2, negShare: 0.9 },
      { atHours: 101.5, hours: 2, perBucket: 15, negShare: 0.9 },
    ])
    await seed(series)
    const clock = pinnedClock(new Date(START + 101 * H))
    const notified: string[] = []
    const notify: AlertNotify = async (_db, _a, event) => {
      notified.push(event)
    }
    const ctx = { db: db.db, now: clock.now, log: silentLogger }
    await runDetection(ctx, { notify })
    const [opened] = await listOpenAlerts(db.db)
    expect(opened.told_score).toBeCloseTo(opened.score, 3)
    // the stored baseline is rounded to 0.01
    expect(opened.told_excess).toBeCloseTo(opened.peak_value - opened.baseline, 1)

    for (let h = 101.25; h <= 102.5; h += 0.25) {
      clock.set(new Date(START + h * H))
      await runDetection(ctx, { notify })
    }
    const [grown] = await listOpenAlerts(db.db)
    expect(notified.filter((e) => e === 'updated').length).toBeGreaterThanOrEqual(1)
    // what was told is the last announced peak: at least twice the first excess, p 1000× smaller
    expect(grown.told_excess!).toBeGreaterThanOrEqual(2 * opened.told_excess!)
    expect(grown.told_score!).toBeGreaterThanOrEqual(opened.told_score! + 3)
    expect(grown.told_score!).toBeLessThanOrEqual(grown.score + 1e-3)
    const before = notified.length
    clock.set(new Date(START + 102.75 * H))
    await runDetection(ctx, { notify })
    expect(notified.slice(before)).not.toContain('updated')
  })

  it('records acknowledgement and resolution by whom, once', async () => {
    const series = burstDays()
    await seed(series)
    const clock = pinnedClock(new Date(START + 101.5 * H))
    const ctx = { db: db.db, now: clock.now, log: silentLogger }
    await runDetection(ctx)
    const [a] = await listOpenAlerts(db.db)
    const events: string[] = []
    const notify: AlertNotify = async (_db, _a, e) => {
      events.push(e)
    }
    expect(await acknowledge(ctx, a.id, 'Léa', notify)).toBe(true)
    expect(await acknowledge(ctx, a.id, 'Marc', notify)).toBe(false)
    clock.advance(600_000)
    expect(await resolve(ctx, a.id, 'Marc', notify)).toBe(true)
    expect(await resolve(ctx, a.id, 'Léa', notify)).toBe(false)
    expect(await getAlert(db.db, a.id)).toMatchObject({
      status: 'resolved',
      acknowledged_by: 'Léa',
      resolved_by: 'Marc',
      acknowledged_at: new Date(START + 101.5 * H).toISOString(),
      resolved_at: new Date(START + 101.5 * H + 600_000).toISOString(),
    })
    expect(events).toEqual(['acknowledged', 'resolved'])
    // A later run does not reopen what a person resolved.
    await runDetection(ctx)
    expect((await getAlert(db.db, a.id))!.status).toBe('resolved')
    expect(await listAlerts(db.db)).toHaveLength(1)
  })

  it('a manual relabel counts: the effective label is the manual one', async () => {
    const series = burstDays()
    await seed(series)
    // A teammate says the burst was not negative after all (e.g. sarcasm misread).
    await db.db
      .updateTable('mentions')
      .set({ manual_label: 'neutral' })
      .where('published_at', '>=', new Date(START + 100 * H).toISOString())
      .where('published_at', '<', new Date(START + 103 * H).toISOString())
      .execute()
    const ctx = { db: db.db, now: () => new Date(START + 101.5 * H), log: silentLogger }
    await runDetection(ctx)
    const kinds = (await listAlerts(db.db)).map((a) => a.kind)
    expect(kinds).not.toContain('negative_spike')
    expect(kinds).toEqual(['volume_spike'])
  })
})
