// Digest recipients, the exactly-once ledger of sent digests, and the reads the digest builder
// needs (one brand, one window at a time). Plain functions taking `db` first.
import { sql, type ExpressionBuilder } from 'kysely'
import type { Db } from '.'
import type { Database } from './schema'
import type { DigestRecipient, DigestRow } from './schema-digest'
import { effectiveLabel } from './mentions'

// ---- recipients -------------------------------------------------------------------------------

export interface RecipientInput {
  email: string
  lang: 'fr' | 'en'
  sendTime: string
  timezone: string
  brandIds: number[]
  weekly: boolean
  enabled?: boolean
}

export async function listRecipients(db: Db): Promise<DigestRecipient[]> {
  return db.selectFrom('digest_recipients').selectAll().orderBy('email').execute()
}

export async function getRecipient(db: Db, id: number): Promise<DigestRecipient | undefined> {
  return db.selectFrom('digest_recipients').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getRecipientByEmail(
  db: Db,
  email: string,
): Promise<DigestRecipient | undefined> {
  return db
    .selectFrom('digest_recipients')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

function columns(r: RecipientInput) {
  return {
    email: r.email.trim().toLowerCase(),
    lang: r.lang,
    send_time: r.sendTime,
    timezone: r.timezone,
    brand_ids: JSON.stringify([...r.brandIds].sort((a, b) => a - b)),
    weekly: r.weekly ? 1 : 0,
    enabled: r.enabled === false ? 0 : 1,
  }
}

export async function insertRecipient(
  db: Db,
  r: RecipientInput,
  now: Date,
): Promise<DigestRecipient> {
  const at = now.toISOString()
  return db
    .insertInto('digest_recipients')
    .values({ ...columns(r), created_at: at, updated_at: at })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateRecipient(
  db: Db,
  id: number,
  r: RecipientInput,
  now: Date,
): Promise<void> {
  await db
    .updateTable('digest_recipients')
    .set({ ...columns(r), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/**
 * YAML config: create or update by e-mail; never clears an unsubscribe. `enabled` left out: on
 * for a new recipient, and the UI's switch stands for an existing one.
 */
export async function upsertRecipient(
  db: Db,
  given: RecipientInput,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getRecipientByEmail(db, given.email)
  const r = { ...given, enabled: given.enabled ?? (existing ? existing.enabled === 1 : true) }
  if (!existing) {
    await insertRecipient(db, r, now)
    return 'created'
  }
  const next = columns(r)
  const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => existing[k] === next[k])
  if (same) return 'unchanged'
  await updateRecipient(db, existing.id, r, now)
  return 'updated'
}

export async function deleteRecipient(db: Db, id: number): Promise<void> {
  await db.deleteFrom('digest_recipients').where('id', '=', id).execute()
}

/** `at` null resubscribes (an admin's decision in the UI). */
export async function setUnsubscribed(
  db: Db,
  id: number,
  at: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('digest_recipients')
    .set({ unsubscribed_at: at?.toISOString() ?? null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** Recipients a scheduled digest may go to. */
export async function activeRecipients(db: Db): Promise<DigestRecipient[]> {
  return db
    .selectFrom('digest_recipients')
    .selectAll()
    .where('enabled', '=', 1)
    .where('unsubscribed_at', 'is', null)
    .execute()
}

export function recipientBrandIds(r: Pick<DigestRecipient, 'brand_ids'>): number[] {
  try {
    const ids = JSON.parse(r.brand_ids)
    return Array.isArray(ids) ? ids.filter((x) => Number.isInteger(x)) : []
  } catch {
    return []
  }
}

// ---- ledger -----------------------------------------------------------------------------------

/** Records that a digest is owed; returns nothing new if the row already exists. */
export async function ensureDigest(
  db: Db,
  row: { recipientId: number; period: string; dueAt: Date; messageId: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString()
  await db
    .insertInto('digests')
    .values({
      recipient_id: row.recipientId,
      period: row.period,
      due_at: row.dueAt.toISOString(),
      next_attempt_at: at,
      message_id: row.messageId,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.columns(['recipient_id', 'period']).doNothing())
    .execute()
}

export async function getDigest(
  db: Db,
  recipientId: number,
  period: string,
): Promise<DigestRow | undefined> {
  return db
    .selectFrom('digests')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .where('period', '=', period)
    .executeTakeFirst()
}

/** Digests to (re)try now: pending and due, or `sending` past its lease (the process died). */
export async function dueDigests(db: Db, now: Date, leaseMs: number): Promise<DigestRow[]> {
  const at = now.toISOString()
  const stale = new Date(now.getTime() - leaseMs).toISOString()
  return db
    .selectFrom('digests')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', stale)]),
      ]),
    )
    .orderBy('id')
    .execute()
}

/**
 * Atomically takes a digest for one attempt. Only one caller wins (a second tick, a second
 * process, the CLI): the update's WHERE re-checks the state it read.
 */
export async function claimDigest(
  db: Db,
  id: number,
  now: Date,
  leaseMs: number,
): Promise<DigestRow | undefined> {
  const at = now.toISOString()
  const stale = new Date(now.getTime() - leaseMs).toISOString()
  return db
    .updateTable('digests')
    .set((eb) => ({
      status: 'sending',
      claimed_at: at,
      attempts: eb('attempts', '+', 1),
      updated_at: at,
    }))
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', stale)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst()
}

/**
 * The rows a claim still holds: `sending` since `claimedAt`. A sender whose lease ran out (a
 * stalled SMTP server, a paused process) may have lost the row to another tick; what it records
 * afterwards is dropped, so the ledger keeps the outcome of the attempt that owns it.
 */
const heldSince = (eb: ExpressionBuilder<Database, 'digests'>, id: number, claimedAt: string) =>
  eb.and([eb('id', '=', id), eb('status', '=', 'sending'), eb('claimed_at', '=', claimedAt)])

/** Whether the claim taken at `claimedAt` still holds the row (checked before the mail goes out). */
export async function digestStillClaimed(db: Db, id: number, claimedAt: string): Promise<boolean> {
  const row = await db
    .selectFrom('digests')
    .select('id')
    .where((eb) => heldSince(eb, id, claimedAt))
    .executeTakeFirst()
  return !!row
}

/** Records the claimed attempt as sent; false when the claim had been lost. */
export async function markDigestSent(
  db: Db,
  id: number,
  claimedAt: string,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString()
  const r = await db
    .updateTable('digests')
    .set({ status: 'sent', sent_at: at, last_error: null, claimed_at: null, updated_at: at })
    .where((eb) => heldSince(eb, id, claimedAt))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * A failed attempt: back to pending at `retryAt`, or `failed` for good when null. False when the
 * claim had been lost.
 */
export async function markDigestFailed(
  db: Db,
  id: number,
  claimedAt: string,
  error: string,
  retryAt: Date | null,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('digests')
    .set({
      status: retryAt ? 'pending' : 'failed',
      next_attempt_at: (retryAt ?? now).toISOString(),
      last_error: error.slice(0, 500),
      claimed_at: null,
      updated_at: now.toISOString(),
    })
    .where((eb) => heldSince(eb, id, claimedAt))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** A digest given up on, retried by hand from the UI. */
export async function retryDigest(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable('digests')
    .set({ status: 'pending', next_attempt_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .execute()
}

export type DigestLogRow = DigestRow & { email: string }

export async function listDigestLog(db: Db, limit = 30): Promise<DigestLogRow[]> {
  return db
    .selectFrom('digests')
    .innerJoin('digest_recipients', 'digest_recipients.id', 'digests.recipient_id')
    .selectAll('digests')
    .select('digest_recipients.email')
    .orderBy('digests.due_at', 'desc')
    .orderBy('digests.id', 'desc')
    .limit(limit)
    .execute()
}

// ---- reads for the builder --------------------------------------------------------------------

export interface DigestMention {
  id: number
  url: string
  title: string
  text: string
  author: string | null
  published_at: string
  /** detected language ('fr', 'en', … or 'other') */
  lang: string
  label: string
  scored: number
  metrics: string | null
  status: string
  source_name: string
}

function mentionColumns(db: Db) {
  return db
    .selectFrom('mentions')
    .innerJoin('sources', 'sources.id', 'mentions.source_id')
    .select([
      'mentions.id',
      'mentions.url',
      'mentions.title',
      'mentions.text',
      'mentions.author',
      'mentions.published_at',
      'mentions.lang',
      effectiveLabel.as('label'),
      sql<number>`case when mentions.manual_label is not null then 1 else mentions.sentiment_scored end`.as(
        'scored',
      ),
      'mentions.metrics',
      'mentions.status',
      'sources.name as source_name',
    ])
}

/** Every mention of a brand published in [from, to) (a day or a week of one brand). */
export async function mentionsInWindow(
  db: Db,
  brandId: number,
  from: string,
  to: string,
): Promise<DigestMention[]> {
  return mentionColumns(db)
    .where('mentions.brand_id', '=', brandId)
    .where('mentions.published_at', '>=', from)
    .where('mentions.published_at', '<', to)
    .orderBy('mentions.published_at')
    .execute()
}

export interface LabelCounts {
  positive: number
  neutral: number
  negative: number
  unscored: number
}

export async function labelCounts(
  db: Db,
  brandId: number,
  from: string,
  to: string,
): Promise<LabelCounts> {
  const rows = await db
    .selectFrom('mentions')
    .select([
      effectiveLabel.as('label'),
      sql<number>`case when mentions.manual_label is not null then 1 else mentions.sentiment_scored end`.as(
        'scored',
      ),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('brand_id', '=', brandId)
    .where('published_at', '>=', from)
    .where('published_at', '<', to)
    .groupBy(['label', 'scored'])
    .execute()
  const out: LabelCounts = { positive: 0, neutral: 0, negative: 0, unscored: 0 }
  for (const r of rows) {
    const key = !Number(r.scored) ? 'unscored' : (r.label as keyof LabelCounts)
    if (key in out) out[key] += Number(r.n)
  }
  return out
}

/** Negative mentions still waiting for an answer, published in [since, before). */
export async function waitingNegatives(
  db: Db,
  brandId: number,
  since: string,
  before: string,
  limit = 500,
): Promise<DigestMention[]> {
  return mentionColumns(db)
    .where('mentions.brand_id', '=', brandId)
    .where('mentions.status', 'in', ['new', 'in_progress'])
    .where(effectiveLabel, '=', 'negative')
    .where('mentions.published_at', '>=', since)
    .where('mentions.published_at', '<', before)
    .orderBy('mentions.published_at', 'desc')
    .limit(limit)
    .execute()
}
