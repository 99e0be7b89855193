// The delivery outbox end to end on a real SQLite file and a real HTTP receiver: routing, a chat
// service down for an hour then back, 429 with Retry-After, 410 that stops, a process restart
// (new context on the same file), a crash between send and record (stale `sending` row recovered),
// quiet hours held then sent as one digest, edits on Discord, and the "Send test" button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { getAlert, insertAlert } from '../../db/alerts'
import { insertBrand } from '../../db/brands'
import { insertChannel, type ChannelInput } from '../../db/channels'
import { claimDelivery } from '../../db/deliveries'
import type { Alert } from '../../db/schema-alerts'
import { acknowledge, resolve } from '../../server/alerts'
import type { AppContext } from '../../server/context'
import {
  alertMessage,
  alertNotifier,
  announceOpenAlerts,
  backoffMs,
  deliverDue,
  deliverOne,
  inQuietHours,
  sendTest,
} from '../../server/deliver'
import { notifiers } from '../../server/notifiers'
import { freshDb, pinnedClock, testContext, type TestDb } from '../helpers/db'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { channelInput } from '../helpers/channel'
import { frenchSpacing } from '../../views/i18n'

const T0 = '2026-03-10T10:00:00.000Z'

let db: TestDb
let srv: FixtureServer
let clock: ReturnType<typeof pinnedClock>
let ctx: AppContext
let brandId: number

beforeEach(async () => {
  db = await freshDb()
  srv = await startFixtureServer()
  clock = pinnedClock(T0)
  ctx = testContext(db, { now: clock.now, config: { baseUrl: 'https://vigie.example.com' } })
  brandId = (await insertBrand(db.db, { name: 'Telvia', query: 'Telvia' }, clock.now())).id
})
afterEach(async () => {
  await srv.close()
  await db.cleanup()
})

async function channel(over: Partial<ChannelInput> = {}) {
  return insertChannel(db.db, channelInput(`${srv.url}/hook`, over), clock.now())
}

async function openAlert(over: Partial<Alert> = {}): Promise<Alert> {
  return insertAlert(db.db, {
    brand_id: brandId,
    kind: 'negative_spike',
    status: 'open',
    started_at: '2026-03-10T09:00:00.000Z',
    last_abnormal_at: '2026-03-10T09:50:00.000Z',
    updated_at: T0,
    peak_at: '2026-03-10T09:30:00.000Z',
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
      sources: [{ name: 'Forum Conso', count: 30 }],
      terms: ['panne', 'réseau'],
      sample_ids: [],
      until: '2026-03-10T10:00:00.000Z',
    }),
    ...over,
  })
}

const rows = () => db.db.selectFrom('deliveries').selectAll().orderBy('id').execute()
const notify = alertNotifier()

describe('pure parts', () => {
  it('backoff doubles from 30 s and caps at 15 min', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000,
    ])
  })
  it.each([
    ['22:00', '07:00', '2026-03-10T22:30:00Z', true], // 23:30 Paris
    ['22:00', '07:00', '2026-03-10T05:59:00Z', true], // 06:59 Paris
    ['22:00', '07:00', '2026-03-10T06:00:00Z', false], // 07:00 Paris: over
    ['22:00', '07:00', '2026-03-10T12:00:00Z', false],
    ['12:00', '14:00', '2026-03-10T11:30:00Z', true], // 12:30 Paris
    ['12:00', '12:00', '2026-03-10T11:00:00Z', false], // empty window
  ])('quiet %s→%s at %s: %s', (start, end, at, quiet) => {
    expect(inQuietHours({ start, end, timezone: 'Europe/Paris' }, new Date(at))).toBe(quiet)
  })
})

describe('routing', () => {
  it('queues one row per routed channel, never twice for the same event', async () => {
    const all = await channel({ name: 'all' })
    await channel({ name: 'other-brand', brandIds: [brandId + 1] })
    await channel({ name: 'volume-only', alertKinds: ['volume_spike'] })
    await channel({ name: 'paused', enabled: false })
    const mine = await channel({
      name: 'telvia-neg',
      brandIds: [brandId],
      alertKinds: ['negative_spike'],
    })
    const a = await openAlert()
    await notify(db.db, a, 'opened', clock.now())
    await notify(db.db, a, 'opened', clock.now())
    expect((await rows()).map((r) => [r.channel_id, r.event, r.status])).toEqual([
      [all.id, 'opened', 'pending'],
      [mine.id, 'opened', 'pending'],
    ])
  })
})

describe('outbox', () => {
  it('survives the chat service being down for an hour, then sends exactly once', async () => {
    srv.route('/hook', { status: 503, body: 'maintenance' })
    const ch = await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    let tries = 0
    const end = clock.now().getTime() + 3600_000
    while (clock.now().getTime() < end) {
      const r = await deliverDue(ctx)
      tries += r.attempted
      const [row] = await rows()
      expect(row.status).toBe('pending')
      clock.set(row.next_attempt_at)
    }
    const [row] = await rows()
    expect(row.last_error).toMatch(/^webhook: HTTP 503 from 127\.0\.0\.1:\d+: maintenance$/)
    expect(tries).toBe(row.attempts)
    expect(tries).toBeGreaterThanOrEqual(8)
    expect(tries).toBeLessThanOrEqual(12)
    srv.route('/hook', { status: 204 })
    const before = srv.requests.length
    await deliverDue(ctx)
    await deliverDue(ctx)
    expect(srv.requests.length - before).toBe(1)
    expect((await rows())[0]).toMatchObject({ status: 'sent', channel_id: ch.id })
    const sent = JSON.parse(srv.requests.at(-1)!.body)
    expect(sent.title).toBe(frenchSpacing('Telvia : Pic de mentions négatives'))
    expect(sent.alert).toMatchObject({
      id: 1,
      status: 'open',
      url: 'https://vigie.example.com/alerts/1',
      mentions_url:
        'https://vigie.example.com/mentions?brand=1&sentiment=negative&since=2026-03-10T09%3A00%3A00.000Z&until=2026-03-10T10%3A00%3A00.000Z',
    })
  })

  it('429 waits for Retry-After', async () => {
    srv.route('/hook', { status: 429, headers: { 'retry-after': '300' } })
    await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    const [row] = await rows()
    expect(row.status).toBe('pending')
    expect(row.next_attempt_at).toBe('2026-03-10T10:05:00.000Z')
    expect(row.last_error).toContain('HTTP 429')
    clock.advance(299_000)
    expect((await deliverDue(ctx)).attempted).toBe(0)
  })

  it('a Retry-After of years waits an hour, then tries again', async () => {
    srv.route('/hook', { status: 429, headers: { 'retry-after': '99999999' } })
    await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    expect((await rows())[0]).toMatchObject({
      status: 'pending',
      next_attempt_at: '2026-03-10T11:00:00.000Z',
    })
    srv.route('/hook', { status: 204 })
    clock.set('2026-03-10T11:00:00.000Z')
    await deliverDue(ctx)
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 })
  })

  it('410 stops at once with a readable error, and other channels still get theirs', async () => {
    srv.route('/gone', { status: 410, body: 'channel_is_archived' })
    srv.route('/hook', { status: 204 })
    await channel({ name: 'archived', kind: 'slack', config: { url: `${srv.url}/gone` } })
    await channel({ name: 'ok' })
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    clock.advance(3600_000)
    await deliverDue(ctx)
    const [gone, ok] = await rows()
    expect(gone).toMatchObject({ status: 'failed', attempts: 1 })
    expect(gone.last_error).toMatch(
      /^slack: HTTP 410 from 127\.0\.0\.1:\d+ \(the webhook was deleted or revoked.*\): channel_is_archived$/,
    )
    expect(ok.status).toBe('sent')
    expect(srv.requests.filter((r) => r.url === '/gone')).toHaveLength(1)
  })

  it('after an outage, "prise en charge" waits for the opening; none follow a lost opening', async () => {
    srv.route('/hook', { status: 503, body: 'maintenance' })
    srv.route('/gone', { status: 410, body: 'channel_is_archived' })
    await channel()
    await channel({ name: 'archived', kind: 'slack', config: { url: `${srv.url}/gone` } })
    const a = await openAlert()
    await notify(db.db, a, 'opened', clock.now())
    await deliverDue(ctx) // the receiver is down: the opening waits for its retry
    clock.advance(60_000)
    await acknowledge(ctx, a.id, 'Julien', notify)
    await deliverDue(ctx)
    const hook = () =>
      srv.requests.filter((r) => r.url === '/hook').map((r) => JSON.parse(r.body).event)
    expect(hook()).not.toContain('acknowledged')
    const failedTries = hook().length
    srv.route('/hook', { status: 204 })
    for (let i = 0; i < 4; i++) {
      clock.advance(60_000)
      await deliverDue(ctx)
    }
    // the acknowledgement was held back, not tried, until the opening was out
    expect(hook().slice(failedTries)).toEqual(['opened', 'acknowledged'])
    const byChannel = (await rows()).map((r) => [r.channel_id, r.event, r.status, r.attempts])
    expect(byChannel).toEqual([
      [1, 'opened', 'sent', failedTries + 1],
      [2, 'opened', 'failed', 1],
      [1, 'acknowledged', 'sent', 1],
      [2, 'acknowledged', 'failed', 0],
    ])
    expect((await rows())[3].last_error).toMatch(
      /^not sent: the alert's first message could not be delivered \(slack: HTTP 410/,
    )
    expect(srv.requests.filter((r) => r.url === '/gone')).toHaveLength(1)
  })

  it('picks up pending rows after a restart (new context on the same file)', async () => {
    srv.route('/hook', { status: 503 })
    await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    await db.close()
    srv.route('/hook', { status: 204 })
    const reopened = await openDatabase({ kind: 'sqlite', path: db.path })
    try {
      clock.advance(60_000)
      const ctx2 = testContext(reopened, {
        now: clock.now,
        config: { baseUrl: 'https://vigie.example.com' },
      })
      expect(await deliverDue(ctx2)).toMatchObject({ attempted: 1, sent: 1 })
      const row = await reopened.db.selectFrom('deliveries').selectAll().executeTakeFirstOrThrow()
      expect(row).toMatchObject({ status: 'sent', attempts: 2 })
    } finally {
      await reopened.close()
      db = { ...db, close: async () => {} }
    }
  })

  it('recovers a row left `sending` by a crash between send and record (at-least-once)', async () => {
    srv.route('/hook', { status: 204 })
    const ch = await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    const [row] = await rows()
    // The crashed process: claimed the row, posted the message, died before recording it.
    expect(
      await claimDelivery(db.db, row.id, clock.now(), new Date(clock.now().getTime() + 120_000)),
    ).toBe(true)
    const message = alertMessage((await getAlert(db.db, row.alert_id!))!, 'opened', ch, {
      baseUrl: 'https://vigie.example.com',
      tz: 'Europe/Paris',
      key: row.idempotency_key,
    })
    await notifiers
      .get('webhook')!
      .send({ http: ctx.http, now: ctx.now }, JSON.parse(ch.config), message)
    // Within the lease nobody else sends it (it may still be in flight).
    expect((await deliverDue(ctx)).attempted).toBe(0)
    clock.advance(121_000)
    expect(await deliverDue(ctx)).toMatchObject({ recovered: 1, sent: 1 })
    const [after] = await rows()
    expect(after.status).toBe('sent')
    expect(after.last_error).toMatch(/interrupted while sending/)
    // Sent twice, with the same idempotency key so the receiver can drop the duplicate.
    expect(srv.requests).toHaveLength(2)
    expect(srv.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      row.idempotency_key,
      row.idempotency_key,
    ])
  })

  it('a sender whose lease ran out mid-send records nothing over the one that took the row over', async () => {
    await channel()
    await notify(db.db, await openAlert(), 'opened', clock.now())
    const [row] = await rows()
    let calls = 0
    srv.route('/hook', async (_req, res) => {
      if (++calls > 1) return void res.writeHead(204).end()
      // The first sender's request hangs past its 2-minute lease; meanwhile the next pass (another
      // process) recovers the row and delivers it. Then the first request fails.
      clock.advance(121_000)
      const other = testContext(db, {
        now: clock.now,
        config: { baseUrl: 'https://vigie.example.com' },
      })
      expect(await deliverDue(other)).toMatchObject({ recovered: 1, sent: 1 })
      res.writeHead(503).end()
    })
    const first = await deliverOne(ctx, row)
    expect(srv.requests).toHaveLength(2)
    // the 503 would have put the row back to pending for a third send; it is not recorded
    expect(first).toMatchObject({ status: 'sent', attempts: 2 })
    expect((await deliverDue(ctx)).attempted).toBe(0)
    expect(srv.requests).toHaveLength(2)
  })

  it('says over which window the peak and the expected level are counted, in the channel language', async () => {
    const a = (await getAlert(db.db, (await openAlert()).id))!
    const opts = { baseUrl: 'https://vigie.example.com', tz: 'Europe/Paris', key: 'k' }
    const cases = [
      { lang: 'fr', peak: ['Pic', '42 en 30 min'], expected: ['Attendu', '3,2 en 30 min'] },
      { lang: 'en', peak: ['Peak', '42 in 30 min'], expected: ['Expected', '3.2 in 30 min'] },
    ] as const
    for (const c of cases) {
      const m = alertMessage(a, 'opened', { id: 1, lang: c.lang }, opts)
      expect(m.fields.slice(0, 2)).toEqual([
        { label: c.peak[0], value: c.peak[1] },
        { label: c.expected[0], value: c.expected[1] },
      ])
    }
  })

  // A chat message is read away from Vigie's pages, whose footer names the zone: a team in Geneva
  // reading an alert from a Vigie set to Montréal time, or anyone reading two alerts that began
  // at "01:30" on the night the clocks go back, needs the offset beside the time.
  it.each([
    ['fr', 'America/Toronto', '2026-11-01T05:30:00.000Z', 'depuis le 1 nov. 2026, 01:30 UTC−4.'],
    ['fr', 'America/Toronto', '2026-11-01T06:30:00.000Z', 'depuis le 1 nov. 2026, 01:30 UTC−5.'],
    ['fr', 'Europe/Zurich', '2026-03-29T00:30:00.000Z', 'depuis le 29 mars 2026, 01:30 UTC+1.'],
    ['fr', 'Europe/Zurich', '2026-03-29T01:30:00.000Z', 'depuis le 29 mars 2026, 03:30 UTC+2.'],
    ['en', 'America/Toronto', '2026-03-08T07:30:00.000Z', 'since 8 Mar 2026, 03:30 GMT-4.'],
  ] as const)('%s, TZ %s: an alert started at %s reads "%s"', async (lang, tz, start, text) => {
    const a = (await getAlert(db.db, (await openAlert({ started_at: start })).id))!
    const m = alertMessage(
      a,
      'opened',
      { id: 1, lang },
      { baseUrl: 'https://v.example', tz, key: 'k' },
    )
    expect(m.text.split('\n')[0]).toContain(text)
  })

  it("gives the times on the channel's clock: a Montréal team's channel on a Vigie set to Paris", async () => {
    srv.route('/hook', { status: 204 })
    srv.route('/mtl', { status: 204 })
    await channel({ name: 'Paris' }) // no zone of its own: Vigie's TZ (Europe/Paris)
    await insertChannel(
      db.db,
      channelInput(`${srv.url}/mtl`, { name: 'Montréal', timezone: 'America/Toronto' }),
      clock.now(),
    )
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    const first = (path: string) =>
      (JSON.parse(srv.requests.find((r) => r.url === path)!.body).text as string).split('\n')[0]
    expect(first('/hook')).toContain('depuis le 10 mars 2026, 10:00 UTC+1.')
    expect(first('/mtl')).toContain('depuis le 10 mars 2026, 05:00 UTC−4.')
  })

  it('a channel added during an incident hears about it, once, and then about its follow-ups', async () => {
    srv.route('/hook', { status: 204 })
    const a = await openAlert()
    await openAlert({ status: 'resolved', resolved_at: T0 }) // over: not announced
    const otherBrand = (await insertBrand(db.db, { name: 'Acme', query: 'Acme' }, clock.now())).id
    await openAlert({ brand_id: otherBrand }) // not routed to this channel
    await notify(db.db, a, 'opened', clock.now()) // no channel yet: nobody told
    expect(await rows()).toEqual([])

    const ch = await channel({ brandIds: [brandId] })
    expect(await announceOpenAlerts(db.db, ch.id, clock.now())).toBe(1)
    expect(await announceOpenAlerts(db.db, ch.id, clock.now())).toBe(0) // saving again: no repeat
    expect((await rows()).map((r) => [r.alert_id, r.event])).toEqual([[a.id, 'opened']])
    expect(await deliverDue(ctx)).toMatchObject({ sent: 1 })
    expect(JSON.parse(srv.requests[0].body)).toMatchObject({ event: 'opened' })
    // the follow-up goes where the alert was announced, the new channel included
    await acknowledge(ctx, a.id, 'Léa', notify)
    expect(await deliverDue(ctx)).toMatchObject({ sent: 1 })
    expect(JSON.parse(srv.requests[1].body)).toMatchObject({ event: 'acknowledged' })
  })

  it('an incident that grows before its first message is sent posts once, with the new figures', async () => {
    srv.route('/hook', { status: 204 })
    await channel()
    const a = await openAlert()
    await notify(db.db, a, 'opened', clock.now())
    const grow = async (at: string, peak_value: number, score: number, peak_at: string) => {
      clock.set(at)
      await db.db
        .updateTable('alerts')
        .set({ peak_value, score, peak_at })
        .where('id', '=', a.id)
        .execute()
      await notify(db.db, (await getAlert(db.db, a.id))!, 'updated', clock.now())
    }
    // the rest of the burst arrives in the next batch: the alert grows before the outbox runs
    await grow('2026-03-10T10:00:10Z', 62, 30, '2026-03-10T09:55:00.000Z')
    clock.set('2026-03-10T10:00:15Z')
    expect(await deliverDue(ctx)).toMatchObject({ attempted: 2, sent: 1 })
    expect(srv.requests).toHaveLength(1)
    expect(JSON.parse(srv.requests[0].body)).toMatchObject({ event: 'opened' })
    expect(srv.requests[0].body).toContain('62 en 30 min')
    expect((await rows()).map((r) => `${r.event}:${r.status}`)).toEqual([
      'opened:sent',
      'updated:merged',
    ])
    // a later growth is news: it is sent
    await grow('2026-03-10T11:00:00Z', 90, 40, '2026-03-10T10:55:00.000Z')
    expect(await deliverDue(ctx)).toMatchObject({ sent: 1 })
    expect(JSON.parse(srv.requests[1].body)).toMatchObject({ event: 'updated' })
  })

  it('holds messages during quiet hours and sends one digest when they end', async () => {
    srv.route('/hook', { status: 204 })
    await channel({ quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' } })
    clock.set('2026-03-10T22:00:00Z') // 23:00 in Paris
    const a = await openAlert()
    const b = await openAlert({ kind: 'volume_spike' })
    await notify(db.db, a, 'opened', clock.now())
    await notify(db.db, b, 'opened', clock.now())
    await deliverDue(ctx)
    await acknowledge(ctx, a.id, 'Léa', notify)
    await deliverDue(ctx)
    expect(srv.requests).toHaveLength(0)
    expect((await rows()).map((r) => r.status)).toEqual(['held', 'held', 'held'])
    clock.set('2026-03-11T06:05:00Z') // 07:05 in Paris
    await deliverDue(ctx)
    await deliverDue(ctx)
    expect(srv.requests).toHaveLength(1)
    const digest = JSON.parse(srv.requests[0].body)
    expect(digest).toMatchObject({
      event: 'held',
      title: '2 alertes pendant les heures calmes',
      held: [
        {
          title: 'Telvia — Pic de mentions négatives',
          status: 'Prise en charge',
          link: `https://vigie.example.com/alerts/${a.id}`,
        },
        {
          title: 'Telvia — Pic de volume',
          status: 'Ouverte',
          link: `https://vigie.example.com/alerts/${b.id}`,
        },
      ],
    })
    expect((await rows()).map((r) => `${r.event}:${r.status}`)).toEqual([
      'opened:bundled',
      'opened:bundled',
      'acknowledged:bundled',
      'held:sent',
    ])
  })

  it('edits the Discord message on acknowledgement and resolution', async () => {
    srv.route('/api/webhooks/1/t', { status: 200, body: JSON.stringify({ id: '42' }) })
    srv.route('/api/webhooks/1/t/messages/42', { status: 200, body: JSON.stringify({ id: '42' }) })
    await channel({ kind: 'discord', config: { url: `${srv.url}/api/webhooks/1/t` }, lang: 'en' })
    const a = await openAlert()
    await notify(db.db, a, 'opened', clock.now())
    await deliverDue(ctx)
    await acknowledge(ctx, a.id, 'Léa', notify)
    await deliverDue(ctx)
    await resolve(ctx, a.id, 'Marc', notify)
    await deliverDue(ctx)
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/webhooks/1/t?wait=true',
      'PATCH /api/webhooks/1/t/messages/42',
      'PATCH /api/webhooks/1/t/messages/42',
    ])
    expect(JSON.parse(srv.requests[1].body).embeds[0].title).toBe(
      'Telvia: alert acknowledged by Léa',
    )
    expect(JSON.parse(srv.requests[2].body).embeds[0].title).toBe('Telvia: alert resolved by Marc')
  })

  it('a webhook answering 302 is not followed: the test and the alert are failed, not sent', async () => {
    srv.route('/hook', { status: 302, headers: { location: `${srv.url}/elsewhere` } })
    srv.route('/elsewhere', { status: 200, body: 'ok' })
    const ch = await channel()
    const test = (await sendTest(ctx, ch.id))!
    await notify(db.db, await openAlert(), 'opened', clock.now())
    await deliverDue(ctx)
    clock.advance(3600_000)
    await deliverDue(ctx)
    const [, opened] = await rows()
    for (const d of [test, opened]) {
      expect(d).toMatchObject({ status: 'failed', attempts: 1 })
      expect(d.last_error).toBe(
        `webhook: the webhook answered 302 (redirect to ${srv.url}/…); use the final address`,
      )
    }
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /hook', 'POST /hook'])
  })

  it('a 200 with a huge answer is sent once; Discord then posts follow-ups instead of editing', async () => {
    const huge = JSON.stringify({ padding: 'x'.repeat(300 * 1024), id: '42' })
    srv.route('/hook', { status: 200, body: huge })
    srv.route('/api/webhooks/1/t', { status: 200, body: huge })
    await channel()
    await channel({ name: 'd', kind: 'discord', config: { url: `${srv.url}/api/webhooks/1/t` } })
    const a = await openAlert()
    await notify(db.db, a, 'opened', clock.now())
    await deliverDue(ctx)
    clock.advance(3600_000)
    await deliverDue(ctx)
    await acknowledge(ctx, a.id, 'Léa', notify)
    await deliverDue(ctx)
    expect((await rows()).map((r) => `${r.event}:${r.status}:${r.attempts}`)).toEqual([
      'opened:sent:1',
      'opened:sent:1',
      'acknowledged:sent:1',
      'acknowledged:sent:1',
    ])
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /hook',
      'POST /api/webhooks/1/t?wait=true',
      'POST /hook',
      'POST /api/webhooks/1/t?wait=true',
    ])
  })

  it('"Send test" answers on the spot, success or readable failure', async () => {
    srv.route('/hook', { status: 204 })
    const ok = await channel()
    expect((await sendTest(ctx, ok.id))!.status).toBe('sent')
    expect(JSON.parse(srv.requests[0].body)).toMatchObject({
      event: 'test',
      title: frenchSpacing('Vigie : message de test'),
      link: 'https://vigie.example.com/alerts',
      alert: null,
    })
    const bad = await channel({ name: 'bad', kind: 'slack', config: { url: `${srv.url}/nope` } })
    clock.advance(1000)
    const d = (await sendTest(ctx, bad.id))!
    expect(d.status).toBe('failed')
    expect(d.last_error).toMatch(/^slack: HTTP 404 from 127\.0\.0\.1:\d+ \(the webhook was deleted/)
  })
})
