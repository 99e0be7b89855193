// Spike alerts, chat channels and the delivery outbox (issue 5).
import type { ColumnType, Generated, Selectable } from 'kysely'

export type AlertKind = 'negative_spike' | 'volume_spike' | 'sentiment_dip'
export type AlertStatus = 'open' | 'acknowledged' | 'resolved'
export type DeliveryEvent = 'opened' | 'updated' | 'acknowledged' | 'resolved' | 'test' | 'held'
export type DeliveryStatus =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'held'
  | 'bundled'
  /** an update the channel already saw: a message sent after it was queued showed its figures */
  | 'merged'
export const ALERT_KINDS: AlertKind[] = ['negative_spike', 'volume_spike', 'sentiment_dip']

export interface AlertsTable {
  id: Generated<number>
  brand_id: number
  kind: AlertKind
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>
  /** Start of the bucket where the incident was raised. */
  started_at: string
  /** Last bucket that was still abnormal; an incident grows while this moves. */
  last_abnormal_at: string
  updated_at: string
  peak_at: string
  /** Observed count (or negative share × 100 for dips) at the peak, and the expected one. */
  peak_value: number
  baseline: number
  /** -log10 p of the peak; higher is more unusual. */
  score: number
  window_minutes: number
  /** Score and extra mentions at the peak the channels were last told about (0011); null: none. */
  told_score: number | null
  told_excess: number | null
  acknowledged_by: string | null
  acknowledged_at: string | null
  /** null with resolved_at set: resolved automatically after the level was back to normal. */
  resolved_by: string | null
  resolved_at: string | null
  /**
   * JSON AlertSummary: { sources: {name,count}[], terms: string[], sample_ids: number[],
   * sample_copies: number[], count, until } computed when raised/updated.
   */
  summary: ColumnType<string, string | undefined, string>
}

export interface ChannelsTable {
  id: Generated<number>
  name: string
  /** Notifier id (server/notifiers/index.ts). */
  kind: string
  /** JSON config validated by the notifier's schema (webhook URLs are secrets). */
  config: string
  lang: 'fr' | 'en'
  /** JSON array of brand ids; [] = all brands. */
  brand_ids: ColumnType<string, string | undefined, string>
  /** JSON array of AlertKind; [] = all kinds. */
  alert_kinds: ColumnType<string, string | undefined, string>
  /** JSON { start: 'HH:MM', end: 'HH:MM', timezone } or null. */
  quiet_hours: string | null
  /** IANA zone of the times in its messages and of its quiet hours; null = Vigie's TZ. */
  timezone: ColumnType<string | null, string | null | undefined, string | null>
  enabled: ColumnType<number, number | undefined, number>
  created_at: string
  updated_at: string
}

export interface DeliveriesTable {
  id: Generated<number>
  alert_id: number | null
  channel_id: number
  /** What the message says: opened, updated, acknowledged, resolved, test, held (quiet-hours digest). */
  event: DeliveryEvent
  /**
   * pending → sending → sent | failed; during quiet hours pending → held → bundled (into one
   * 'held' digest delivery sent when they end).
   */
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: string
  last_error: string | null
  /** Stable per (alert, channel, event): sent as an idempotency key where the platform allows. */
  idempotency_key: string
  /** JSON: the platform's message reference (for updates), when it returns one. */
  remote_ref: string | null
  /** JSON: for a 'held' digest, { alertIds }; for a bundled row, { digest: deliveryId }. */
  detail: string | null
  sent_at: string | null
  created_at: string
}

export interface AlertSummary {
  /** mentions behind the alert (negative ones, or all for a volume spike) */
  count: number
  sources: { name: string; count: number }[]
  terms: string[]
  sample_ids: number[]
  /** per sample: how many of the mentions behind the alert have its wording (a copied complaint,
   * a quoted headline); absent in summaries stored before it existed */
  sample_copies?: number[]
  /** end of the incident window the summary covers */
  until: string
}

export interface QuietHours {
  start: string
  end: string
  timezone: string
}

export interface AlertTables {
  alerts: AlertsTable
  channels: ChannelsTable
  deliveries: DeliveriesTable
}

export type Alert = Selectable<AlertsTable>
export type Channel = Selectable<ChannelsTable>
export type Delivery = Selectable<DeliveriesTable>
