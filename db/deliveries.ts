// The delivery outbox: one row per (alert, channel, event), keyed by an idempotency key so the
// same message is never queued twice. The sender (server/deliver.ts) claims a row by moving it
// pending → sending with a lease, and records sent / retry / failed after the attempt.
import type { ExpressionBuilder } from 'kysely'
import type { Db } from '.'
import type { Database } from './schema'
import type { Delivery, DeliveryEvent } from './schema-alerts'

export async function enqueueDelivery(
  db: Db,
  d: {
    alertId: number | null
    channelId: number
    event: DeliveryEvent
    key: string
    now: Date
    detail?: unknown
  },
): Promise<Delivery | undefined> {
  const ts = d.now.toISOString()
  return db
    .insertInto('deliveries')
    .values({
      alert_id: d.alertId,
      channel_id: d.channelId,
      event: d.event,
      idempotency_key: d.key,
      next_attempt_at: ts,
      created_at: ts,
      detail: d.detail === undefined ? null : JSON.stringify(d.detail),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst()
}

export async function getDelivery(db: Db, id: number): Promise<Delivery | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Pending rows whose time has come, oldest first, for enabled channels. */
export async function dueDeliveries(db: Db, now: Date, limit = 100): Promise<Delivery[]> {
  return db
    .selectFrom('deliveries')
    .innerJoin('channels', 'channels.id', 'deliveries.channel_id')
    .selectAll('deliveries')
    .where('deliveries.status', '=', 'pending')
    .where('deliveries.next_attempt_at', '<=', now.toISOString())
    .where('channels.enabled', '=', 1)
    .orderBy('deliveries.id')
    .limit(limit)
    .execute()
}

/**
 * Rows left `sending` past their lease: the process died between the HTTP call and recording its
 * outcome. They go back to pending (at-least-once: the message may have been delivered).
 */
export async function recoverStale(db: Db, now: Date): Promise<number> {
  const r = await db
    .updateTable('deliveries')
    .set({
      status: 'pending',
      last_error:
        'interrupted while sending (process stopped); sent again — the chat may show it twice',
    })
    .where('status', '=', 'sending')
    .where('next_attempt_at', '<=', now.toISOString())
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/**
 * pending and due → sending, with a lease; false if someone else took it first. Due, too: a
 * sender that read the row before another process tried it and put it back for later (backoff,
 * Retry-After) must not send it again at once.
 */
export async function claimDelivery(
  db: Db,
  id: number,
  now: Date,
  leaseUntil: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set((eb) => ({
      status: 'sending',
      next_attempt_at: leaseUntil.toISOString(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now.toISOString())
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * The attempt a sender claimed a row for (claimDelivery counts attempts). A sender whose lease ran
 * out while it was sending may find the row reclaimed by another (recoverStale, then a new claim
 * with the next attempt number): what it records is then dropped, so it never overwrites the
 * outcome of the attempt that now owns the row.
 */
export interface DeliveryClaim {
  attempts: number
}

/** The row `id`, and with a claim only while that claim still holds it. */
const heldBy = (eb: ExpressionBuilder<Database, 'deliveries'>, id: number, claim?: DeliveryClaim) =>
  eb.and([
    eb('id', '=', id),
    ...(claim ? [eb('status', '=', 'sending'), eb('attempts', '=', claim.attempts)] : []),
  ])

const updated = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows) === 1

/** Whether the row is still held by this claim (checked just before the message goes out). */
export async function stillClaimed(db: Db, id: number, claim: DeliveryClaim): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where((eb) => heldBy(eb, id, claim))
    .executeTakeFirst()
  return !!row
}

export async function markSent(
  db: Db,
  id: number,
  now: Date,
  ref?: Record<string, string>,
  claim?: DeliveryClaim,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({
      status: 'sent',
      sent_at: now.toISOString(),
      remote_ref: ref ? JSON.stringify(ref) : null,
    })
    .where((eb) => heldBy(eb, id, claim))
    .executeTakeFirst()
  return updated(r)
}

export async function markRetry(
  db: Db,
  id: number,
  at: Date,
  error: string,
  claim?: DeliveryClaim,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: at.toISOString(), last_error: error })
    .where((eb) => heldBy(eb, id, claim))
    .executeTakeFirst()
  return updated(r)
}

export async function markFailed(
  db: Db,
  id: number,
  error: string,
  claim?: DeliveryClaim,
): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'failed', last_error: error })
    .where((eb) => heldBy(eb, id, claim))
    .executeTakeFirst()
  return updated(r)
}

// markHeld and deferDelivery act on a row before it is claimed: pending only, so that a sender
// holding an old copy never touches a row another process is sending (a lease cut short would
// let recoverStale hand it out a second time).
export async function markHeld(db: Db, id: number): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ status: 'held' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

/**
 * Whether a message about the alert went to this channel at or after `since`: every message is
 * built from the alert as it is when sent, so it already carried anything queued before it.
 */
export async function toldSince(
  db: Db,
  alertId: number,
  channelId: number,
  since: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('deliveries')
    .select('id')
    .where('alert_id', '=', alertId)
    .where('channel_id', '=', channelId)
    .where('event', 'in', ['opened', 'updated'])
    .where('status', '=', 'sent')
    .where('sent_at', '>=', since)
    .executeTakeFirst()
  return !!row
}

/**
 * The earliest message about this alert to this channel queued before this one and not out yet
 * (pending, being sent, or held for quiet hours): a follow-up waits for it.
 */
export async function unsentBefore(db: Db, d: Delivery): Promise<Delivery | undefined> {
  if (!d.alert_id) return undefined
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('alert_id', '=', d.alert_id)
    .where('channel_id', '=', d.channel_id)
    .where('id', '<', d.id)
    .where('status', 'in', ['pending', 'sending', 'held'])
    .orderBy('id')
    .executeTakeFirst()
}

/** The failed first message of this alert on this channel, if it failed for good. */
export async function failedOpening(
  db: Db,
  alertId: number,
  channelId: number,
): Promise<Delivery | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('alert_id', '=', alertId)
    .where('channel_id', '=', channelId)
    .where('event', '=', 'opened')
    .where('status', '=', 'failed')
    .executeTakeFirst()
}

/** Try again at `at`, without counting an attempt (the row waited for another one). */
export async function deferDelivery(db: Db, id: number, at: Date): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({ next_attempt_at: at.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute()
}

export async function markMerged(db: Db, id: number, claim?: DeliveryClaim): Promise<boolean> {
  const r = await db
    .updateTable('deliveries')
    .set({ status: 'merged' })
    .where((eb) => heldBy(eb, id, claim))
    .executeTakeFirst()
  return updated(r)
}

/** The reference of the alert's first message on this channel (for edits and threads). */
export async function openedRef(
  db: Db,
  alertId: number,
  channelId: number,
): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .select('remote_ref')
    .where('alert_id', '=', alertId)
    .where('channel_id', '=', channelId)
    .where('event', '=', 'opened')
    .where('status', '=', 'sent')
    .executeTakeFirst()
  return row?.remote_ref ? (JSON.parse(row.remote_ref) as Record<string, string>) : undefined
}

/** Channels that were told about the alert (follow-ups go to them only). */
export async function channelsToldAbout(db: Db, alertId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select('channel_id')
    .distinct()
    .where('alert_id', '=', alertId)
    .where('event', '=', 'opened')
    .execute()
  return rows.map((r) => r.channel_id)
}

export async function heldDeliveries(db: Db, channelId: number): Promise<Delivery[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('status', '=', 'held')
    .orderBy('id')
    .execute()
}

export async function markBundled(db: Db, ids: number[], digestId: number): Promise<void> {
  if (!ids.length) return
  await db
    .updateTable('deliveries')
    .set({ status: 'bundled', detail: JSON.stringify({ digest: digestId }) })
    .where('id', 'in', ids)
    .execute()
}

export type DeliveryRow = Delivery & { channel_name: string }

export async function listDeliveries(
  db: Db,
  f: { alertId?: number; channelId?: number; limit?: number },
): Promise<DeliveryRow[]> {
  let q = db
    .selectFrom('deliveries')
    .innerJoin('channels', 'channels.id', 'deliveries.channel_id')
    .selectAll('deliveries')
    .select('channels.name as channel_name')
  if (f.alertId) q = q.where('deliveries.alert_id', '=', f.alertId)
  if (f.channelId) q = q.where('deliveries.channel_id', '=', f.channelId)
  return q
    .orderBy('deliveries.id', 'desc')
    .limit(f.limit ?? 50)
    .execute()
}
