// Digest recipients and sent digests (issue 7). One `digests` row per (recipient, period) is the
// exactly-once ledger: it is created before sending and moved to `sent` after the SMTP server
// accepted the message, so a restart neither skips nor repeats a digest.
import type { ColumnType, Generated, Selectable } from 'kysely'

export type DigestStatus = 'pending' | 'sending' | 'sent' | 'failed'

export interface DigestRecipientsTable {
  id: Generated<number>
  /** Lower-cased; YAML config upserts by it. */
  email: string
  lang: 'fr' | 'en'
  /** Local send time 'HH:MM' in `timezone`. */
  send_time: string
  /** IANA time zone: the day reported is the recipient's yesterday. */
  timezone: string
  /** JSON array of brand ids; [] = all brands. */
  brand_ids: ColumnType<string, string | undefined, string>
  /** 1: one digest on Mondays for the previous seven days instead of a daily one. */
  weekly: ColumnType<number, number | undefined, number>
  enabled: ColumnType<number, number | undefined, number>
  /** Set by the one-click unsubscribe link; the YAML upsert never clears it. */
  unsubscribed_at: string | null
  created_at: string
  updated_at: string
}

export interface DigestsTable {
  id: Generated<number>
  recipient_id: number
  /** 'day:YYYY-MM-DD' (the day reported) or 'week:YYYY-MM-DD' (its Monday). Unique per recipient. */
  period: string
  /** When the digest was due (the recipient's send time), UTC. */
  due_at: string
  status: ColumnType<DigestStatus, DigestStatus | undefined, DigestStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: string
  /** When the current attempt started: a `sending` row older than a lease was left by a crash. */
  claimed_at: string | null
  last_error: string | null
  /** Stable Message-ID: a resend after a crash carries the same one, so mail clients fold it. */
  message_id: string
  sent_at: string | null
  created_at: string
  updated_at: string
}

export interface DigestTables {
  digest_recipients: DigestRecipientsTable
  digests: DigestsTable
}

export type DigestRecipient = Selectable<DigestRecipientsTable>
export type DigestRow = Selectable<DigestsTable>
