// Triage history and the dashboard's precomputed aggregates (issue 6). The aggregates are kept in
// step with `mentions` by SQLite triggers (migration 0002), so the overview reads a few thousand
// small rows instead of scanning a million mentions.
import type { Generated, Selectable } from 'kysely'

export interface MentionEventsTable {
  id: Generated<number>
  mention_id: number
  at: string
  /** Who changed it: the signed-in user's name or e-mail, else 'anonymous'. */
  actor: string
  /** status | assignee | note | answer_url | manual_label | muted */
  field: string
  old_value: string | null
  new_value: string | null
}

/** Counts per UTC hour ('2026-11-22T14'), brand and source, by effective sentiment label. */
export interface MentionHourlyTable {
  hour: string
  brand_id: number
  source_id: number
  n: number
  pos: number
  neu: number
  neg: number
  /** Mentions still new or in progress. */
  open: number
  /** Negative ones among them: "awaiting an answer" on the dashboard and in the digest (0008). */
  neg_open: number
}

/** Counts per UTC day ('2026-11-22'), brand and host name of the mention's URL. */
export interface MentionDomainsDailyTable {
  day: string
  brand_id: number
  domain: string
  n: number
  neg: number
}

/** Sum of the numeric engagement metrics of a mention (likes, points, comments…). */
export interface MentionEngagementTable {
  mention_id: number
  brand_id: number
  published_at: string
  engagement: number
}

export interface TriageTables {
  mention_events: MentionEventsTable
  mention_hourly: MentionHourlyTable
  mention_domains_daily: MentionDomainsDailyTable
  mention_engagement: MentionEngagementTable
}

export type MentionEvent = Selectable<MentionEventsTable>
