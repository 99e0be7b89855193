// Delivering digests exactly once per (recipient, period). A minute tick (rather than one cron
// task per recipient) decides who is due: recipients, send times and time zones change in the UI
// at any moment, a tick needs nothing re-created when they do, and the same code does the
// catch-up after a restart and the retries. The `digests` row is the ledger:
//   1. due → insert (recipient, period) on conflict do nothing   (a second tick/process adds none)
//   2. claim: UPDATE … SET status='sending' WHERE status='pending' AND due   (only one winner)
//   3. SMTP accepted → status='sent'; refused/unreachable → back to pending with backoff, or
//      'failed' after MAX_ATTEMPTS (shown in the UI, retried by hand).
// A crash between 2 and 3 leaves 'sending'; after LEASE_MS it is retried with the same
// Message-ID, so in the rare case the SMTP server had already accepted it, mail clients fold it.
// A sender that outlived its lease without crashing records nothing once another tick has taken
// the row over (the claim is its claimed_at).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  activeRecipients,
  claimDigest,
  digestStillClaimed,
  dueDigests,
  ensureDigest,
  getDigest,
  getRecipient,
  markDigestFailed,
  markDigestSent,
  recipientBrandIds,
} from '../db/digest'
import type { DigestRecipient } from '../db/schema-digest'
import { instanceSecret } from '../db/settings'
import { getUserByEmail } from '../db/users'
import { renderDigestEmail, type RenderedEmail } from '../views/email/digest'
import type { AppContext } from './context'
import { buildDigest, loadDigestInput } from './digest'
import { addDays, dueSlot, localDate, mondayOf, periodKey, type DigestKind } from './digest-period'
import type { Mailer } from './mailer'

export const LEASE_MS = 10 * 60_000
export const MAX_ATTEMPTS = 6

/** 1, 2, 4, 8, 16 minutes… capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3600_000, 60_000 * 2 ** Math.max(0, attempts - 1))
}

// ---- unsubscribe tokens -------------------------------------------------------------------------

function sign(secret: string, id: number, email: string): string {
  return createHmac('sha256', secret)
    .update(`digest-unsubscribe:${id}:${email.toLowerCase()}`)
    .digest('base64url')
    .slice(0, 32)
}

/** `<id>.<hmac>`: no expiry (RFC 8058 links must keep working), void once the address changes. */
export function unsubscribeToken(secret: string, r: Pick<DigestRecipient, 'id' | 'email'>): string {
  return `${r.id}.${sign(secret, r.id, r.email)}`
}

export function tokenRecipientId(token: string): number | null {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(token)
  return m ? Number(m[1]) : null
}

export function checkUnsubscribeToken(
  secret: string,
  token: string,
  r: Pick<DigestRecipient, 'id' | 'email'>,
): boolean {
  const expected = Buffer.from(unsubscribeToken(secret, r))
  const given = Buffer.from(token)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/digest/unsubscribe/${token}`
}

// ---- composing ----------------------------------------------------------------------------------

function mailDomain(from: string): string {
  return /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost'
}

export interface ComposeOptions {
  kind: DigestKind
  date: string
  /** A test: no ledger, a banner, no unsubscribe header (the address may be no recipient). */
  test?: boolean
}

export async function composeDigest(
  ctx: AppContext,
  r: DigestRecipient,
  opts: ComposeOptions,
): Promise<RenderedEmail & { headers: Record<string, string> }> {
  const input = await loadDigestInput(ctx.db, {
    kind: opts.kind,
    date: opts.date,
    timezone: r.timezone,
    lang: r.lang,
    brandIds: recipientBrandIds(r),
    baseUrl: ctx.config.baseUrl,
  })
  const digest = buildDigest(input)
  const unsub =
    r.id > 0
      ? unsubscribeUrl(ctx.config.baseUrl, unsubscribeToken(await instanceSecret(ctx.db), r))
      : undefined
  // the recipients page is for Vigie's administrators: a manager who reads the digest without an
  // account would land on a sign-in page they cannot pass
  const user = await getUserByEmail(ctx.db, r.email)
  const admin = user?.role === 'admin' && !user.disabled
  const mail = await renderDigestEmail(
    digest,
    { unsubscribe: unsub, manage: admin ? `${ctx.config.baseUrl}/settings/digest` : undefined },
    opts.test,
  )
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' }
  if (unsub) {
    // RFC 2369 + RFC 8058: mail providers POST "List-Unsubscribe=One-Click" to this URL.
    headers['List-Unsubscribe'] = `<${unsub}>`
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  }
  return { ...mail, headers }
}

/** The default reported period for a recipient at `now`: yesterday, or last week. */
export function defaultDate(r: Pick<DigestRecipient, 'timezone' | 'weekly'>, now: Date): string {
  const today = localDate(now, r.timezone)
  return r.weekly ? addDays(mondayOf(today), -7) : addDays(today, -1)
}

function messageId(ctx: AppContext, recipientId: number, period: string): string {
  const salt = createHmac('sha256', 'vigie-digest')
    .update(ctx.config.baseUrl)
    .digest('hex')
    .slice(0, 8)
  return `<digest.${recipientId}.${period.replace(':', '-')}.${salt}@${mailDomain(ctx.config.mailFrom)}>`
}

// ---- the tick -----------------------------------------------------------------------------------

export interface TickReport {
  queued: number
  sent: number
  failed: number
}

/** Records the digests that are due (idempotent). */
export async function queueDueDigests(ctx: AppContext, now: Date): Promise<number> {
  let queued = 0
  for (const r of await activeRecipients(ctx.db)) {
    try {
      const slot = dueSlot(
        {
          sendTime: r.send_time,
          timezone: r.timezone,
          weekly: !!r.weekly,
          createdAt: r.created_at,
        },
        now,
      )
      if (!slot) continue
      if (await getDigest(ctx.db, r.id, slot.period)) continue
      await ensureDigest(
        ctx.db,
        {
          recipientId: r.id,
          period: slot.period,
          dueAt: slot.dueAt,
          messageId: messageId(ctx, r.id, slot.period),
        },
        now,
      )
      queued++
    } catch (err) {
      // One bad row (a zone edited by hand in the DB) never stops the other recipients.
      ctx.log.error('digest: cannot schedule recipient', { recipient: r.id, err: String(err) })
    }
  }
  return queued
}

/** One attempt at one ledger row; never throws (the failure is recorded on the row). */
async function attempt(
  ctx: AppContext,
  mailer: Mailer,
  id: number,
): Promise<'sent' | 'failed' | 'skipped'> {
  const now = ctx.now()
  const row = await claimDigest(ctx.db, id, now, LEASE_MS)
  if (!row) return 'skipped' // someone else has it, or it is not due any more
  const claimedAt = row.claimed_at!
  // Past its lease another tick may have taken the row over: this attempt then records nothing
  // (the ledger keeps the owner's outcome) and, if it has not sent yet, sends nothing.
  const lost = () => {
    ctx.log.warn('digest lease lost: another sender took it over', {
      recipient: row.recipient_id,
      period: row.period,
    })
    return 'skipped' as const
  }
  try {
    const r = await getRecipient(ctx.db, row.recipient_id)
    if (!r || r.unsubscribed_at || !r.enabled) {
      const msg = 'not sent: the recipient unsubscribed or is paused'
      if (!(await markDigestFailed(ctx.db, row.id, claimedAt, msg, null, ctx.now()))) return lost()
      return 'skipped'
    }
    const [kind, date] = row.period.split(':') as ['day' | 'week', string]
    const mail = await composeDigest(ctx, r, { kind: kind === 'week' ? 'weekly' : 'daily', date })
    if (!(await digestStillClaimed(ctx.db, row.id, claimedAt))) return lost()
    await mailer.send({ to: r.email, ...mail, messageId: row.message_id })
    if (!(await markDigestSent(ctx.db, row.id, claimedAt, ctx.now()))) return lost()
    ctx.log.info('digest sent', { to: r.email, period: row.period, attempt: row.attempts })
    return 'sent'
  } catch (err) {
    const msg = (err as Error).message ?? String(err)
    const retryAt =
      row.attempts < MAX_ATTEMPTS
        ? new Date(ctx.now().getTime() + retryDelayMs(row.attempts))
        : null
    if (!(await markDigestFailed(ctx.db, row.id, claimedAt, msg, retryAt, ctx.now()))) return lost()
    ctx.log.warn('digest not sent', {
      recipient: row.recipient_id,
      period: row.period,
      err: msg,
      retryAt,
    })
    return 'failed'
  }
}

/** The minute job: queue what is due, then send what is due (new, retries, stale claims). */
export async function runDigestTick(ctx: AppContext, mailer: Mailer): Promise<TickReport> {
  const now = ctx.now()
  const report: TickReport = { queued: await queueDueDigests(ctx, now), sent: 0, failed: 0 }
  for (const row of await dueDigests(ctx.db, now, LEASE_MS)) {
    const outcome = await attempt(ctx, mailer, row.id)
    if (outcome === 'sent') report.sent++
    if (outcome === 'failed') report.failed++
  }
  return report
}

/**
 * `npm run digest -- send`: the digest of `date` for every active recipient (or one), through the
 * same ledger as the scheduler — running it twice sends nothing twice.
 */
export async function sendPeriodNow(
  ctx: AppContext,
  mailer: Mailer,
  opts: { date?: string; recipientId?: number },
): Promise<{ email: string; period: string; outcome: string; error?: string }[]> {
  const now = ctx.now()
  const out: { email: string; period: string; outcome: string; error?: string }[] = []
  const recipients = (await activeRecipients(ctx.db)).filter(
    (r) => opts.recipientId === undefined || r.id === opts.recipientId,
  )
  for (const r of recipients) {
    const kind: DigestKind = r.weekly ? 'weekly' : 'daily'
    const period = periodKey(kind, opts.date ?? defaultDate(r, now))
    await ensureDigest(
      ctx.db,
      { recipientId: r.id, period, dueAt: now, messageId: messageId(ctx, r.id, period) },
      now,
    )
    const before = await getDigest(ctx.db, r.id, period)
    if (before?.status === 'sent') {
      out.push({ email: r.email, period, outcome: 'already sent' })
      continue
    }
    const outcome = await attempt(ctx, mailer, before!.id)
    const after = await getDigest(ctx.db, r.id, period)
    out.push({
      email: r.email,
      period,
      outcome: outcome === 'skipped' ? `not due (${after?.status})` : outcome,
      error: after?.last_error ?? undefined,
    })
  }
  return out
}

/** A test send to any address, outside the ledger. */
export async function sendTestDigest(
  ctx: AppContext,
  mailer: Mailer,
  opts: {
    to: string
    lang: 'fr' | 'en'
    timezone?: string
    brandIds?: number[]
    kind?: DigestKind
    date?: string
  },
): Promise<void> {
  const tz = opts.timezone ?? ctx.config.tz
  const r: DigestRecipient = {
    id: 0,
    email: opts.to,
    lang: opts.lang,
    send_time: '08:00',
    timezone: tz,
    brand_ids: JSON.stringify(opts.brandIds ?? []),
    weekly: opts.kind === 'weekly' ? 1 : 0,
    enabled: 1,
    unsubscribed_at: null,
    created_at: ctx.now().toISOString(),
    updated_at: ctx.now().toISOString(),
  }
  const kind = opts.kind ?? 'daily'
  const mail = await composeDigest(ctx, r, {
    kind,
    date: opts.date ?? defaultDate(r, ctx.now()),
    test: true,
  })
  await mailer.send({
    to: opts.to,
    ...mail,
    messageId: `<digest-test.${randomBytes(8).toString('hex')}@${mailDomain(ctx.config.mailFrom)}>`,
  })
}
