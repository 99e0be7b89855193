// The delivery outbox. Every (alert, channel, event) message is a row before anything is sent, so
// nothing is lost when a chat service is down or Vigie restarts: the scheduler retries due rows
// with exponential backoff (30 s doubling up to 15 min, for 48 h), honours Retry-After on 429 (up
// to an hour), and stops at once on errors retrying cannot fix (revoked webhook, rejected payload)
// with a readable error on the channel page.
//
// Exactly-once is impossible over a webhook; this is at-least-once with the window kept small: a
// row is marked `sending` (with a 2-minute lease) before the HTTP call and `sent` right after. If
// the process dies in between, the row is found `sending` past its lease and sent again — the
// generic webhook carries the idempotency key (receivers drop duplicates) and Google Chat's
// requestId makes the re-send return the message already created; Slack, Teams, Mattermost and
// Discord may show that one message twice. A sender whose lease ran out while it was still sending
// (a stalled request or database) records nothing once another has reclaimed the row: the row
// keeps the outcome of the attempt that holds it (DeliveryClaim).
//
// Quiet hours: an alert message due while its channel is quiet is `held`; when the quiet hours end
// the held rows are bundled into one digest message listing the alerts with their current state.
import type { Db } from '../db'
import { getAlert, listOpenAlerts, parseSummary, type AlertRow } from '../db/alerts'
import { getChannel, listChannels, routes } from '../db/channels'
import {
  channelsToldAbout,
  claimDelivery,
  deferDelivery,
  dueDeliveries,
  failedOpening,
  enqueueDelivery,
  getDelivery,
  heldDeliveries,
  markBundled,
  markFailed,
  markHeld,
  markMerged,
  markRetry,
  markSent,
  openedRef,
  recoverStale,
  stillClaimed,
  toldSince,
  unsentBefore,
} from '../db/deliveries'
import type { Channel, Delivery, QuietHours } from '../db/schema-alerts'
import { formatter, translator } from '../views/i18n'
import { alertLevel } from '../views/pages/alerts'
import { ANONYMOUS, mentionsHref, type AlertNotify } from './alerts'
import type { AppContext } from './context'
import { notifiers } from './notifiers'
import { NotifierError, type MessageTone, type NotifyMessage } from './notifiers/types'
import { localize } from './field-errors'

const LEASE_MS = 2 * 60_000
const GIVE_UP_MS = 48 * 3600_000
const MAX_BACKOFF_MS = 15 * 60_000
// A chat service's Retry-After is honoured up to an hour: its rate limits last seconds or minutes,
// an alert is news for hours, and "Retry-After: 99999999" must not park the message (even the day
// the HTTP client believes at most would leave it a single try within the 48 h give-up).
const MAX_RETRY_AFTER_MS = 3600_000

/** 30 s, 1 min, 2 min … capped at 15 min: an hour-long outage costs about ten tries. */
export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 30_000 * 2 ** Math.max(0, attempts - 1))
}

/** Minutes since midnight of `now` in the time zone. */
function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now)
  const h = Number(parts.find((p) => p.type === 'hour')?.value)
  const m = Number(parts.find((p) => p.type === 'minute')?.value)
  return h * 60 + m
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return h * 60 + m
}

/** Whether `now` falls in the quiet hours [start, end) — which may span midnight. */
export function inQuietHours(q: QuietHours | null, now: Date): boolean {
  if (!q) return false
  const t = localMinutes(now, q.timezone)
  const s = toMinutes(q.start)
  const e = toMinutes(q.end)
  if (s === e) return false
  return s < e ? t >= s && t < e : t >= s || t < e
}

// ---------- enqueueing ----------

/** The AlertNotify the lifecycle calls: queues one row per routed channel (never sends). */
export function alertNotifier(): AlertNotify {
  return async (db, alert, event, now) => {
    let channelIds: number[]
    if (event === 'opened') {
      channelIds = (await listChannels(db)).filter((c) => routes(c, alert)).map((c) => c.id)
    } else {
      // Follow-ups go where the alert was announced, even if routing changed since.
      channelIds = await channelsToldAbout(db, alert.id)
    }
    for (const channelId of channelIds) {
      const suffix = event === 'updated' ? `:${alert.peak_at}` : ''
      await enqueueDelivery(db, {
        alertId: alert.id,
        channelId,
        event,
        key: `${alertKeyPrefix(alert.id, channelId)}${event}${suffix}`,
        now,
      })
    }
  }
}

const alertKeyPrefix = (alertId: number, channelId: number) => `vigie-a${alertId}-c${channelId}-`

/**
 * A channel created or changed while alerts are open hears about the ones it now routes: their
 * 'opened' message is queued like any other (same idempotency key as at opening, so a channel
 * already told is not told twice), and their follow-ups then reach it too. Returns how many.
 */
export async function announceOpenAlerts(db: Db, channelId: number, now: Date): Promise<number> {
  const ch = await getChannel(db, channelId)
  if (!ch) return 0
  let queued = 0
  for (const alert of await listOpenAlerts(db))
    if (routes(ch, alert)) {
      const key = `${alertKeyPrefix(alert.id, channelId)}opened`
      if (await enqueueDelivery(db, { alertId: alert.id, channelId, event: 'opened', key, now }))
        queued++
    }
  return queued
}

// ---------- messages ----------

export function alertUrl(baseUrl: string, id: number): string {
  return `${baseUrl.replace(/\/$/, '')}/alerts/${id}`
}

/** The channel-neutral message for one alert event, in the channel's language. */
export function alertMessage(
  alert: AlertRow,
  event: 'opened' | 'updated' | 'acknowledged' | 'resolved',
  channel: Pick<Channel, 'id' | 'lang'>,
  opts: { baseUrl: string; tz: string; key: string },
): NotifyMessage {
  const t = translator(channel.lang)
  const fmt = formatter(channel.lang, opts.tz)
  const kind = t(`alerts.kind.${alert.kind}`)
  const brand = alert.brand_name
  const s = parseSummary(alert)
  const share = alert.kind === 'sentiment_dip'
  const peak = alertLevel(t, fmt, alert, alert.peak_value)
  const baseline = fmt.number(Math.round(alert.baseline * 10) / 10)
  // the expected level on its own line says over which window, like the peak above it
  const expected = alertLevel(t, fmt, alert, alert.baseline)
  const who = (x: string | null) => (!x || x === ANONYMOUS ? t('alerts.someone') : x)
  const title =
    event === 'opened'
      ? t('alerts.msg.opened', { brand, kind })
      : event === 'updated'
        ? t('alerts.msg.updated', { brand, kind })
        : event === 'acknowledged'
          ? t('alerts.msg.acknowledged', { brand, who: who(alert.acknowledged_by) })
          : alert.resolved_by
            ? t('alerts.msg.resolved', { brand, who: who(alert.resolved_by) })
            : t('alerts.msg.resolvedAuto', { brand })
  const body = t(share ? 'alerts.msg.bodyShare' : 'alerts.msg.body', {
    peak,
    baseline,
    // a chat is read away from Vigie's pages (whose footer names the zone), maybe by a team in
    // another zone, and 01:30 happens twice the night the clocks go back: the offset says which
    start: fmt.dateTimeZoned(alert.started_at),
  })
  const terms = s.terms.length ? `\n${t('alerts.msg.terms', { terms: s.terms.join(', ') })}` : ''
  const tone: MessageTone =
    event === 'resolved' ? 'good' : event === 'acknowledged' ? 'warning' : 'danger'
  const link = alertUrl(opts.baseUrl, alert.id)
  const base = opts.baseUrl.replace(/\/$/, '')
  return {
    event,
    title,
    text: `${kind}. ${body}${terms}`,
    link,
    linkLabel: t('alerts.msg.open'),
    fields: [
      { label: t('alerts.peak'), value: peak },
      { label: t('alerts.baseline'), value: expected },
      { label: t('alerts.msg.status'), value: t(`alerts.status.${alert.status}`) },
      ...(s.sources.length
        ? [
            {
              label: t('alerts.sources'),
              value: s.sources.map((x) => `${x.name} (${x.count})`).join(', '),
            },
          ]
        : []),
    ],
    tone,
    lang: channel.lang,
    idempotencyKey: opts.key,
    threadKey: `vigie-alert-${alert.id}`,
    alert: {
      id: alert.id,
      brand,
      kind: alert.kind,
      status: alert.status,
      started_at: alert.started_at,
      peak_at: alert.peak_at,
      peak_value: alert.peak_value,
      baseline: alert.baseline,
      acknowledged_by: alert.acknowledged_by,
      resolved_by: alert.resolved_by,
      resolved_at: alert.resolved_at,
      url: link,
      mentions_url: base + mentionsHref(alert, s.until),
    },
  }
}

function testMessage(channel: Channel, baseUrl: string, key: string): NotifyMessage {
  const t = translator(channel.lang)
  return {
    event: 'test',
    title: t('alerts.msg.test'),
    text: t('alerts.msg.testBody'),
    link: `${baseUrl.replace(/\/$/, '')}/alerts`,
    linkLabel: t('alerts.msg.openAll'),
    fields: [],
    tone: 'info',
    lang: channel.lang,
    idempotencyKey: key,
    threadKey: `vigie-test-${channel.id}`,
    alert: null,
  }
}

function heldMessage(
  channel: Channel,
  alerts: AlertRow[],
  baseUrl: string,
  key: string,
): NotifyMessage {
  const t = translator(channel.lang)
  const base = baseUrl.replace(/\/$/, '')
  return {
    event: 'held',
    title: t('alerts.msg.held', { count: alerts.length }),
    text: t('alerts.msg.heldBody'),
    link: `${base}/alerts`,
    linkLabel: t('alerts.msg.openAll'),
    fields: [],
    tone: alerts.some((a) => a.status === 'open') ? 'danger' : 'info',
    lang: channel.lang,
    idempotencyKey: key,
    threadKey: `vigie-held-${channel.id}`,
    alert: null,
    held: alerts.map((a) => ({
      title: `${a.brand_name} — ${t(`alerts.kind.${a.kind}`)}`,
      status: t(`alerts.status.${a.status}`),
      link: alertUrl(base, a.id),
    })),
  }
}

// ---------- sending ----------

type Ctx = Pick<AppContext, 'db' | 'now' | 'http' | 'log' | 'config'>

async function buildMessage(
  ctx: Ctx,
  d: Delivery,
  channel: Channel,
): Promise<NotifyMessage | null> {
  // times on the channel's clock (its team's), else Vigie's
  const tz = channel.timezone ?? ctx.config.tz
  const opts = { baseUrl: ctx.config.baseUrl, tz, key: d.idempotency_key }
  if (d.event === 'test') return testMessage(channel, ctx.config.baseUrl, d.idempotency_key)
  if (d.event === 'held') {
    const ids = (JSON.parse(d.detail ?? '{}') as { alertIds?: number[] }).alertIds ?? []
    const alerts = (await Promise.all(ids.map((id) => getAlert(ctx.db, id)))).filter(
      (a): a is AlertRow => !!a,
    )
    return alerts.length
      ? heldMessage(channel, alerts, ctx.config.baseUrl, d.idempotency_key)
      : null
  }
  if (!d.alert_id) return null
  const alert = await getAlert(ctx.db, d.alert_id)
  return alert ? alertMessage(alert, d.event, channel, opts) : null
}

/**
 * Sends one claimed-or-claimable delivery and records the outcome. Never throws: the outcome is on
 * the row (status, attempts, last_error, next_attempt_at).
 */
export async function deliverOne(ctx: Ctx, d: Delivery): Promise<Delivery> {
  const now = ctx.now()
  const channel = await getChannel(ctx.db, d.channel_id)
  if (!channel) return d
  const alertEvent = d.event !== 'test' && d.event !== 'held'
  const quiet = channel.quiet_hours ? (JSON.parse(channel.quiet_hours) as QuietHours) : null
  if (alertEvent && inQuietHours(quiet, now)) {
    await markHeld(ctx.db, d.id)
    return (await getDelivery(ctx.db, d.id))!
  }
  // Messages about one alert reach a channel in the order they were queued: after an outage the
  // chat must not say "prise en charge" before it has said what was taken in charge.
  if (alertEvent && d.alert_id) {
    const first = await unsentBefore(ctx.db, d)
    if (first) {
      const after = Math.max(now.getTime(), Date.parse(first.next_attempt_at)) + 1000
      await deferDelivery(ctx.db, d.id, new Date(after))
      return (await getDelivery(ctx.db, d.id))!
    }
    const lost =
      d.event === 'opened' ? undefined : await failedOpening(ctx.db, d.alert_id, d.channel_id)
    if (lost) {
      await markFailed(
        ctx.db,
        d.id,
        `not sent: the alert's first message could not be delivered (${lost.last_error ?? 'failed'})`,
      )
      return (await getDelivery(ctx.db, d.id))!
    }
  }
  if (!(await claimDelivery(ctx.db, d.id, now, new Date(now.getTime() + LEASE_MS)))) return d
  const attempts = d.attempts + 1
  const claim = { attempts }
  // What this attempt records only lands while it still holds the row: past its lease another
  // sender may have reclaimed it, and that attempt's outcome is the one to keep.
  const recorded = (ok: boolean) => {
    if (!ok)
      ctx.log.warn('delivery lease lost: another sender took the row over', {
        channel: channel.name,
        delivery: d.id,
      })
  }
  try {
    const notifier = notifiers.get(channel.kind)
    if (!notifier)
      throw new NotifierError(`no notifier named "${channel.kind}"`, { permanent: true })
    const parsed = notifier.schema.safeParse(JSON.parse(channel.config))
    if (!parsed.success) {
      const i = parsed.error.issues[0]
      throw new NotifierError(
        `${channel.kind}: invalid settings: ${i.path.join('.')}: ${localize(i.message, 'en')}`,
        {
          permanent: true,
        },
      )
    }
    // An incident that grows while its first message waits in the outbox (a burst ingested in two
    // batches, a chat service down for a while) would post the same figures twice: the update is
    // folded into the message that already carried them.
    if (
      d.event === 'updated' &&
      d.alert_id &&
      (await toldSince(ctx.db, d.alert_id, channel.id, d.created_at))
    ) {
      recorded(await markMerged(ctx.db, d.id, claim))
      return (await getDelivery(ctx.db, d.id))!
    }
    const message = await buildMessage(ctx, d, channel)
    if (!message) {
      recorded(await markFailed(ctx.db, d.id, 'nothing to send (the alert was deleted)', claim))
    } else if (!(await stillClaimed(ctx.db, d.id, claim))) {
      // building the message outlasted the lease (a stalled database): the new owner sends it
      recorded(false)
    } else {
      const opened =
        d.alert_id && d.event !== 'opened'
          ? await openedRef(ctx.db, d.alert_id, channel.id)
          : undefined
      const out = await notifier.send(
        { http: ctx.http, now: ctx.now },
        parsed.data,
        message,
        opened,
      )
      recorded(await markSent(ctx.db, d.id, ctx.now(), out.ref, claim))
      ctx.log.info('alert delivered', { channel: channel.name, event: d.event, delivery: d.id })
    }
  } catch (err) {
    const e =
      err instanceof NotifierError
        ? err
        : new NotifierError(`${channel.kind}: ${(err as Error).message}`)
    const at = ctx.now()
    if (e.opts.permanent || d.event === 'test') {
      // A test is answered on the spot; retrying it in the background would only confuse.
      recorded(await markFailed(ctx.db, d.id, e.message, claim))
    } else if (at.getTime() - Date.parse(d.created_at) >= GIVE_UP_MS) {
      recorded(await markFailed(ctx.db, d.id, `gave up after 48 h: ${e.message}`, claim))
    } else {
      const wait =
        e.opts.retryAfterMs !== undefined
          ? Math.min(e.opts.retryAfterMs, MAX_RETRY_AFTER_MS)
          : backoffMs(attempts)
      recorded(await markRetry(ctx.db, d.id, new Date(at.getTime() + wait), e.message, claim))
    }
    ctx.log.warn('alert delivery failed', { channel: channel.name, delivery: d.id, err: e.message })
  }
  return (await getDelivery(ctx.db, d.id))!
}

/** When a channel's quiet hours are over, its held messages become one digest delivery. */
async function releaseHeld(ctx: Ctx, now: Date): Promise<number> {
  let released = 0
  for (const channel of await listChannels(ctx.db)) {
    const quiet = channel.quiet_hours ? (JSON.parse(channel.quiet_hours) as QuietHours) : null
    if (inQuietHours(quiet, now)) continue
    const held = await heldDeliveries(ctx.db, channel.id)
    if (!held.length) continue
    const alertIds = [...new Set(held.map((h) => h.alert_id).filter((x): x is number => !!x))]
    await ctx.db.transaction().execute(async (trx) => {
      // Keyed by the last held row: re-running after a crash finds the same digest.
      const digest = await enqueueDelivery(trx, {
        alertId: null,
        channelId: channel.id,
        event: 'held',
        key: `vigie-c${channel.id}-held-${held[held.length - 1].id}`,
        now,
        detail: { alertIds },
      })
      if (digest)
        await markBundled(
          trx,
          held.map((h) => h.id),
          digest.id,
        )
    })
    released++
  }
  return released
}

export interface DeliverReport {
  recovered: number
  attempted: number
  sent: number
}

const running = new WeakMap<object, Promise<DeliverReport>>()

/** One pass of the outbox (the scheduler's job, every 15 s). */
export function deliverDue(ctx: Ctx): Promise<DeliverReport> {
  // One pass at a time per database; a caller arriving during a pass shares it.
  const current = running.get(ctx.db)
  if (current) return current
  const pass = (async () => {
    try {
      const now = ctx.now()
      const recovered = await recoverStale(ctx.db, now)
      await releaseHeld(ctx, now)
      const due = await dueDeliveries(ctx.db, now)
      let sent = 0
      // One failing channel never stops the others: each row records its own outcome.
      for (const d of due) if ((await deliverOne(ctx, d)).status === 'sent') sent++
      return { recovered, attempted: due.length, sent }
    } finally {
      running.delete(ctx.db)
    }
  })()
  running.set(ctx.db, pass)
  return pass
}

/** The "Send test" button: queue a test row and send it now, returning its recorded outcome. */
export async function sendTest(ctx: Ctx, channelId: number): Promise<Delivery | undefined> {
  const now = ctx.now()
  const d = await enqueueDelivery(ctx.db, {
    alertId: null,
    channelId,
    event: 'test',
    key: `vigie-c${channelId}-test-${now.getTime()}`,
    now,
  })
  return d ? deliverOne(ctx, d) : undefined
}
