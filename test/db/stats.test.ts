// Dashboard aggregates against a real SQLite file (and Postgres when TEST_DATABASE_URL points at a
// throw-away database): the trigger-kept tables follow inserts, corrections, triage and deletes,
// and each stats function answers what the overview shows.
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand, listBrands } from '../../db/brands'
import { insertMentions, triageMentions } from '../../db/mentions'
import type { NewMention } from '../../db/schema'
import { insertSource } from '../../db/sources'
import {
  agreement,
  dataVersion,
  mostEngaged,
  negativeTerms,
  netSentiment,
  periodCounts,
  previousSpec,
  rangeSpec,
  shareOfVoice,
  topDomains,
  topSources,
  volumeSeries,
  type Range,
} from '../../db/stats'
import { setSetting } from '../../db/settings'
import { buildOverview } from '../../server/overview'
import { purgeExpired, RETENTION_SETTING } from '../../server/retention'
import { openDatabase, type OpenDb } from '../../db'
import { freshDb } from '../helpers/db'

const pgUrl = process.env.TEST_DATABASE_URL

// A database of its own, so this file never races test/db/postgres.test.ts on the same one.
async function freshPostgres(): Promise<OpenDb & { cleanup(): Promise<void> }> {
  const base = await openDatabase({ kind: 'postgres', url: pgUrl! })
  await sql`create database vigie_stats_test`.execute(base.db).catch(() => {}) // exists already
  await base.close()
  const u = new URL(pgUrl!)
  u.pathname = '/vigie_stats_test'
  const url = u.toString()
  const first = await openDatabase({ kind: 'postgres', url })
  await sql`drop schema public cascade`.execute(first.db)
  await sql`create schema public`.execute(first.db)
  await first.close()
  const pg = await openDatabase({ kind: 'postgres', url })
  return { ...pg, cleanup: () => pg.close() }
}

const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)

describe.each(dialects)('%s', (dialect) => {
  let tdb: OpenDb & { cleanup(): Promise<void> }
  const now = new Date('2026-11-22T12:30:00Z')
  let acme: number
  let globex: number
  let feed: number
  let forum: number

  beforeEach(async () => {
    tdb = dialect === 'postgres' ? await freshPostgres() : await freshDb()
    acme = (await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)).id
    globex = (await insertBrand(tdb.db, { name: 'Globex', query: 'Globex' }, now)).id
    const cfg = { url: 'https://f.example/rss' }
    feed = (
      await insertSource(
        tdb.db,
        { name: 'Feed', kind: 'rss', config: cfg, intervalSeconds: 900 },
        now,
      )
    ).id
    forum = (
      await insertSource(
        tdb.db,
        { name: 'Forum', kind: 'lemmy', config: cfg, intervalSeconds: 900 },
        now,
      )
    ).id
  })
  afterEach(() => tdb.cleanup())

  let seq = 0
  function m(p: Partial<NewMention> & { hoursAgo: number }): NewMention {
    const id = ++seq
    const { hoursAgo, ...rest } = p
    return {
      brand_id: acme,
      source_id: feed,
      external_id: `e${id}`,
      fold_hash: `f${id}`,
      url: `https://www.news.example/${id}`,
      title: '',
      text: `text ${id}`,
      author: null,
      published_at: new Date(now.getTime() - hoursAgo * 3600_000).toISOString(),
      collected_at: now.toISOString(),
      lang: 'fr',
      sentiment_score: 0,
      sentiment_label: 'neutral',
      sentiment_scored: 1,
      matched_terms: '[]',
      ...rest,
    }
  }

  describe('rangeSpec', () => {
    it.each([
      ['24h', 24, 1],
      ['7d', 28, 6],
      ['30d', 30, 24],
    ] as const)('%s has %i buckets of %i h ending after the current hour', (range, n, size) => {
      const s = rangeSpec(range, now, 'UTC')
      expect(s.buckets).toHaveLength(n)
      expect(s.bucketHours).toBe(size)
      expect(s.to.toISOString()).toBe('2026-11-22T13:00:00.000Z')
      expect(previousSpec(s).to).toEqual(s.from)
    })
  })

  // The 30-day chart has one bar per day, labelled with its date in the dashboard's zone: a bar
  // must hold that local day (from midnight to midnight, 23 or 25 hours across a DST change), not
  // the 24 hours from the current hour onwards. In Montréal at 21:48 on Sunday 22 November, the
  // evening's mentions were in a bar labelled "21 nov." and there was no bar for the 22nd.
  describe('30-day range in a time zone', () => {
    it.each([
      // zone, now, first bar, last bar, the bar holding 1 Nov (Toronto) / 25 Oct (Zurich)
      [
        'America/Toronto',
        '2026-11-23T02:48:00Z',
        '2026-10-24T04:00:00.000Z',
        '2026-11-22T05:00:00.000Z',
        ['2026-11-01T04:00:00.000Z', 25],
      ],
      [
        'Europe/Zurich',
        '2026-11-23T02:48:00Z',
        '2026-10-24T22:00:00.000Z',
        '2026-11-22T23:00:00.000Z',
        ['2026-10-24T22:00:00.000Z', 25],
      ],
      [
        'America/Toronto',
        '2026-03-20T16:10:00Z',
        '2026-02-19T05:00:00.000Z',
        '2026-03-20T04:00:00.000Z',
        ['2026-03-08T05:00:00.000Z', 23],
      ],
    ] as const)('%s at %s: local days', (tz, at, first, last, [dst, dstHours]) => {
      const s = rangeSpec('30d', new Date(at), tz)
      expect(s.buckets).toHaveLength(30)
      expect(s.from.toISOString()).toBe(first)
      expect(s.buckets[0].toISOString()).toBe(first)
      expect(s.buckets.at(-1)!.toISOString()).toBe(last)
      // still ends with the current hour
      expect(s.to.getTime()).toBe(Math.ceil(Date.parse(at) / 3600_000) * 3600_000)
      const i = s.buckets.findIndex((b) => b.toISOString() === dst)
      expect((s.buckets[i + 1].getTime() - s.buckets[i].getTime()) / 3600_000).toBe(dstHours)
      expect(previousSpec(s).to).toEqual(s.from)
    })
  })

  // The 7-day chart's bars are labelled with a weekday and an hour: they are the quarters of the
  // local day (00:00, 06:00, 12:00, 18:00), not 6-hour blocks from the current hour.
  describe('7-day range in a time zone', () => {
    it.each([
      // zone, now, first bar, last bar (holds now), the bar across the DST change and its hours
      [
        'America/Toronto',
        '2026-11-23T02:48:00Z', // Sunday 22 Nov, 21:48
        '2026-11-16T05:00:00.000Z', // Monday 16 Nov, 00:00 (27 quarters before 18:00)
        '2026-11-22T23:00:00.000Z', // 22 Nov 18:00
        null,
      ],
      [
        'America/Toronto',
        '2026-11-03T15:10:00Z', // Tuesday 3 Nov, 10:10 EST
        '2026-10-27T16:00:00.000Z', // 27 Oct 12:00 EDT
        '2026-11-03T11:00:00.000Z', // 3 Nov 06:00 EST
        ['2026-11-01T04:00:00.000Z', 7], // 1 Nov 00:00 EDT → 06:00 EST
      ],
      [
        'Europe/Zurich',
        '2026-11-22T12:40:00Z', // 13:40
        '2026-11-15T17:00:00.000Z', // 15 Nov 18:00
        '2026-11-22T11:00:00.000Z', // 22 Nov 12:00
        null,
      ],
    ] as const)('%s at %s: quarters of the local day', (tz, at, first, last, dst) => {
      const s = rangeSpec('7d', new Date(at), tz)
      expect(s.buckets).toHaveLength(28)
      expect(s.bucketHours).toBe(6)
      expect(s.from.toISOString()).toBe(first)
      expect(s.buckets.at(-1)!.toISOString()).toBe(last)
      expect(s.buckets.at(-1)!.getTime()).toBeLessThanOrEqual(Date.parse(at))
      expect(s.to.getTime()).toBe(Math.ceil(Date.parse(at) / 3600_000) * 3600_000)
      const hours = s.buckets
        .slice(1)
        .map((b, i) => (b.getTime() - s.buckets[i].getTime()) / 3600_000)
      if (dst) {
        const i = s.buckets.findIndex((b) => b.toISOString() === dst[0])
        expect(hours[i]).toBe(dst[1])
        expect(hours.filter((h) => h !== 6)).toHaveLength(1)
      } else expect(new Set(hours)).toEqual(new Set([6]))
      expect(previousSpec(s).to).toEqual(s.from)
    })
  })

  // Three months are reported by week: Monday 00:00 to Monday 00:00 on the local clock, the
  // current week last (so far), twelve full weeks before it.
  describe('3-month range in a time zone', () => {
    it.each([
      // zone, now, first bar (a Monday, 12 weeks before this one), last bar, DST week and hours
      [
        'America/Toronto',
        '2026-11-23T02:48:00Z', // Sunday 22 Nov, 21:48: its week began Monday 16 Nov
        '2026-08-24T04:00:00.000Z',
        '2026-11-16T05:00:00.000Z',
        ['2026-10-26T04:00:00.000Z', 169], // the week of 1 Nov lasts an hour more
      ],
      [
        'Europe/Paris',
        '2026-11-23T00:10:00Z', // Monday 23 Nov, 01:10: a new week
        '2026-08-30T22:00:00.000Z', // Monday 31 Aug, 00:00 CEST
        '2026-11-22T23:00:00.000Z',
        ['2026-10-18T22:00:00.000Z', 169], // Monday 19 Oct: its Sunday 25 Oct has 25 h
      ],
    ] as const)('%s at %s: local weeks from Monday', (tz, at, first, last, [dst, dstHours]) => {
      const s = rangeSpec('90d', new Date(at), tz)
      expect(s.buckets).toHaveLength(13)
      expect(s.bucketHours).toBe(168)
      expect(s.from.toISOString()).toBe(first)
      expect(s.buckets.at(-1)!.toISOString()).toBe(last)
      expect(s.to.getTime()).toBe(Math.ceil(Date.parse(at) / 3600_000) * 3600_000)
      const hours = s.buckets
        .slice(1)
        .map((b, i) => (b.getTime() - s.buckets[i].getTime()) / 3600_000)
      const i = s.buckets.findIndex((b) => b.toISOString() === dst)
      expect(hours[i]).toBe(dstHours)
      expect(hours.filter((h) => h !== 168)).toHaveLength(1)
      expect(previousSpec(s).to).toEqual(s.from)
    })
  })

  // Mentions older than the retention period are deleted at night and their counts folded into
  // daily_counts: a chart of whole days must still show them, and the week's totals with them.
  describe('what the retention job deleted', () => {
    it('stays in the 30-day and 3-month charts, totals and shares; not in the shorter ones', async () => {
      await insertMentions(tdb.db, [
        m({ hoursAgo: 40 * 24, sentiment_label: 'negative' }), // purged
        m({ hoursAgo: 40 * 24 + 1, sentiment_label: 'positive' }), // purged
        m({ hoursAgo: 40 * 24, brand_id: globex }), // purged, the only Globex one
        m({ hoursAgo: 20 * 24, sentiment_label: 'negative' }), // purged
        m({ hoursAgo: 2, sentiment_label: 'negative' }), // kept
      ])
      await setSetting(tdb.db, RETENTION_SETTING, '10')
      expect((await purgeExpired(tdb.db, now)).deleted).toBe(4)
      const brands = await listBrands(tdb.db)
      const view = (range: Range, brandId?: number) =>
        buildOverview(tdb.db, { range, brandId, now, tz: 'Europe/Paris', brands })
      const quarter = await view('90d')
      expect(quarter.current).toMatchObject({ n: 5, pos: 1, neu: 1, neg: 3 })
      expect(quarter.series.reduce((a, b) => a + b.n, 0)).toBe(5)
      // the 40-day-old ones in their week (UTC day 2026-10-13: the week of Monday 12 Oct)
      const week = quarter.series.find((b) => b.start.toISOString() === '2026-10-11T22:00:00.000Z')!
      expect(week).toMatchObject({ n: 3, pos: 1, neu: 1, neg: 1 })
      expect(quarter.share.map((s) => [s.name, s.n, s.neg])).toEqual([
        ['Acme', 4, 3],
        ['Globex', 1, 0],
      ])
      expect((await view('90d', acme)).current.n).toBe(4)
      const month = await view('30d')
      expect(month.current).toMatchObject({ n: 2, neg: 2 }) // 20 days ago, and the kept one
      expect(month.series.reduce((a, b) => a + b.n, 0)).toBe(2)
      expect((await view('7d')).current.n).toBe(1)
    })
  })

  describe('30-day range, counting', () => {
    it("counts an evening's mentions in that day's bar, across a 25-hour day", async () => {
      // m() counts back from the suite's `now`: these instants are given in UTC
      const at = (iso: string) => ({ hoursAgo: (now.getTime() - Date.parse(iso)) / 3600_000 })
      await insertMentions(tdb.db, [
        m({ ...at('2026-11-23T01:30:00Z'), sentiment_label: 'negative' }), // 22 Nov 20:30
        m(at('2026-11-22T06:00:00Z')), // 22 Nov 01:00
        m(at('2026-11-22T04:30:00Z')), // 21 Nov 23:30
        m(at('2026-11-01T05:30:00Z')), // 1 Nov 01:30 EDT
        m(at('2026-11-02T04:30:00Z')), // 1 Nov 23:30 EST
      ])
      const local = new Date('2026-11-23T02:48:00Z') // Sunday 22 Nov, 21:48 in Montréal
      const s = rangeSpec('30d', local, 'America/Toronto')
      const series = await volumeSeries(tdb.db, s, acme)
      const day = (iso: string) => series.find((b) => b.start.toISOString() === iso)
      expect(day('2026-11-22T05:00:00.000Z')).toMatchObject({ n: 2, neg: 1 })
      expect(day('2026-11-21T05:00:00.000Z')).toMatchObject({ n: 1 })
      expect(day('2026-11-01T04:00:00.000Z')).toMatchObject({ n: 2 })
      expect(series.reduce((a, b) => a + b.n, 0)).toBe(5)
    })
  })

  describe('netSentiment', () => {
    it.each([
      [{ pos: 3, neg: 1 }, 0.5],
      [{ pos: 0, neg: 2 }, -1],
      [{ pos: 0, neg: 0 }, null],
    ])('%o → %s', (c, want) => expect(netSentiment(c)).toBe(want))
  })

  describe('aggregates', () => {
    it('follow inserts, corrections, triage and deletes', async () => {
      const ids = await insertMentions(tdb.db, [
        m({ hoursAgo: 1, sentiment_label: 'negative' }),
        m({ hoursAgo: 1, sentiment_label: 'positive' }),
        m({ hoursAgo: 3, sentiment_label: 'negative', source_id: forum }),
        m({ hoursAgo: 30, sentiment_label: 'positive' }),
        m({ hoursAgo: 2, brand_id: globex, url: 'https://other.example/x' }),
      ])
      const s = rangeSpec('24h', now, 'UTC')
      expect(await periodCounts(tdb.db, s.from, s.to, acme)).toEqual({
        n: 3,
        pos: 1,
        neu: 0,
        neg: 2,
        open: 3,
        negOpen: 2,
      })
      const prev = previousSpec(s)
      expect((await periodCounts(tdb.db, prev.from, prev.to, acme)).pos).toBe(1)
      const series = await volumeSeries(tdb.db, s, acme)
      expect(series.at(-2)).toMatchObject({ n: 2, pos: 1, neg: 1 }) // 11:00–12:00
      expect(series.reduce((a, b) => a + b.n, 0)).toBe(3)

      // A correction moves the mention between labels; answering closes it.
      await triageMentions(
        tdb.db,
        [ids[0].id],
        { manual_label: 'neutral', status: 'answered' },
        'Zoé',
        now,
      )
      expect(await periodCounts(tdb.db, s.from, s.to, acme)).toMatchObject({
        neg: 1,
        neu: 1,
        open: 2,
      })

      expect(await shareOfVoice(tdb.db, s.from, s.to)).toEqual([
        { brandId: acme, name: 'Acme', n: 3, neg: 1 },
        { brandId: globex, name: 'Globex', n: 1, neg: 0 },
      ])
      expect((await topSources(tdb.db, s.from, s.to, acme)).map((r) => [r.name, r.n])).toEqual([
        ['Feed', 2],
        ['Forum', 1],
      ])
      // Exactly the window: yesterday's 06:30 mention is out, although its day is partly in.
      expect(await topDomains(tdb.db, s.from, s.to)).toEqual([
        { domain: 'news.example', n: 3, neg: 1 },
        { domain: 'other.example', n: 1, neg: 0 },
      ])

      await tdb.db.deleteFrom('mentions').where('id', '=', ids[2].id).execute()
      expect((await periodCounts(tdb.db, s.from, s.to, acme)).n).toBe(2)
    })

    it('counts negative mentions awaiting an answer through triage, relabelling and deletes', async () => {
      const ids = await insertMentions(tdb.db, [
        // (every row names its status and label: one multi-row insert, one column list)
        m({ hoursAgo: 1, sentiment_label: 'negative', status: 'new', manual_label: null }),
        m({ hoursAgo: 2, sentiment_label: 'negative', status: 'in_progress', manual_label: null }),
        m({ hoursAgo: 2, sentiment_label: 'negative', status: 'answered', manual_label: null }),
        m({ hoursAgo: 3, sentiment_label: 'positive', status: 'new', manual_label: null }),
        m({ hoursAgo: 3, sentiment_label: 'neutral', status: 'new', manual_label: 'negative' }),
        m({ hoursAgo: 30, sentiment_label: 'negative', status: 'new', manual_label: null }),
      ])
      const s = rangeSpec('24h', now, 'UTC')
      const counts = () => periodCounts(tdb.db, s.from, s.to, acme)
      expect(await counts()).toMatchObject({ open: 4, negOpen: 3 })
      await triageMentions(tdb.db, [ids[0].id], { status: 'answered' }, 'Zoé', now)
      expect(await counts()).toMatchObject({ open: 3, negOpen: 2 })
      await triageMentions(tdb.db, [ids[3].id], { manual_label: 'negative' }, 'Zoé', now)
      expect(await counts()).toMatchObject({ open: 3, negOpen: 3 })
      await triageMentions(tdb.db, [ids[4].id], { manual_label: 'positive' }, 'Zoé', now)
      expect(await counts()).toMatchObject({ open: 3, negOpen: 2 })
      await tdb.db.deleteFrom('mentions').where('id', '=', ids[1].id).execute()
      expect(await counts()).toMatchObject({ open: 2, negOpen: 1 })
      const series = await volumeSeries(tdb.db, s, acme)
      expect(series.reduce((sum, b) => sum + b.negOpen, 0)).toBe(1)
    })

    it('ranks the most engaged mentions from their metrics, ignoring follower counts', async () => {
      await insertMentions(tdb.db, [
        m({ hoursAgo: 1, text: 'small', metrics: JSON.stringify({ likes: 3, followers: 90000 }) }),
        m({ hoursAgo: 2, text: 'big', metrics: JSON.stringify({ points: 40, comments: 12 }) }),
        m({ hoursAgo: 50, text: 'old', metrics: JSON.stringify({ likes: 999 }) }),
        m({ hoursAgo: 1, text: 'none' }),
      ])
      const s = rangeSpec('24h', now, 'UTC')
      const top = await mostEngaged(tdb.db, s.from, s.to)
      expect(top.map((t) => [t.text, t.engagement])).toEqual([
        ['big', 52],
        ['small', 3],
      ])
    })

    it('finds recurring words in negative mentions, leaving out brand terms and stop words', async () => {
      await insertMentions(tdb.db, [
        m({
          hoursAgo: 1,
          sentiment_label: 'negative',
          text: 'Acme réseau en panne depuis ce matin',
        }),
        m({ hoursAgo: 2, sentiment_label: 'negative', text: 'encore une panne du réseau Acme' }),
        m({ hoursAgo: 2, sentiment_label: 'negative', text: 'facture Acme trop chère' }),
        m({ hoursAgo: 2, sentiment_label: 'positive', text: 'panne réparée, merci Acme' }),
      ])
      const s = rangeSpec('24h', now, 'UTC')
      expect(await negativeTerms(tdb.db, s.from, s.to, { exclude: ['Acme'] })).toEqual([
        { term: 'panne', n: 2 },
        { term: 'réseau', n: 2 },
      ])
    })

    it('shows a recurring word as the mentions write it: "Genève", and "panne" even after a title', async () => {
      const neg = { sentiment_label: 'negative' as const }
      await insertMentions(tdb.db, [
        m({ hoursAgo: 1, ...neg, title: 'Coupure', text: 'Panne à Genève depuis ce matin' }),
        m({ hoursAgo: 1, ...neg, title: 'Acme', text: 'Panne encore, Genève sans réseau' }),
        m({ hoursAgo: 2, ...neg, text: 'toujours en panne à Genève' }),
      ])
      const s = rangeSpec('24h', now, 'UTC')
      expect(await negativeTerms(tdb.db, s.from, s.to, { exclude: ['Acme'] })).toEqual([
        { term: 'Genève', n: 3 },
        { term: 'panne', n: 3 },
      ])
    })

    it('measures agreement with the team over scored mentions, per language', async () => {
      const ids = await insertMentions(tdb.db, [
        m({ hoursAgo: 1, sentiment_label: 'negative' }),
        m({ hoursAgo: 1, sentiment_label: 'positive' }),
        m({ hoursAgo: 1, sentiment_label: 'negative', lang: 'en' }),
        m({ hoursAgo: 1, sentiment_label: 'neutral', sentiment_scored: 0, lang: 'de' }),
      ])
      const v1 = await dataVersion(tdb.db)
      await triageMentions(tdb.db, [ids[0].id, ids[2].id], { manual_label: 'negative' }, 'a', now)
      await triageMentions(tdb.db, [ids[1].id, ids[3].id], { manual_label: 'negative' }, 'a', now)
      expect(await dataVersion(tdb.db)).not.toBe(v1)
      const a = await agreement(tdb.db, new Date(now.getTime() - 30 * 86400_000))
      expect(a).toEqual({
        n: 3,
        agreed: 2,
        byLang: [
          { lang: 'en', n: 1, agreed: 1 },
          { lang: 'fr', n: 2, agreed: 1 },
        ],
      })
    })
  })
})
