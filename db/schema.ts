// The database schema as Kysely types. Timestamps are ISO-8601 UTC strings written by the app;
// JSON columns are TEXT holding JSON; booleans are 0/1 integers (portable to Postgres as int).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { AccessTables } from './schema-access'
import type { AlertTables } from './schema-alerts'
import type { DigestTables } from './schema-digest'
import type { TriageTables } from './schema-triage'

export interface BrandsTable {
  id: Generated<number>
  /** Unique display name; YAML config upserts by it. */
  name: string
  /** Query in Vigie's query language (server/query.ts). */
  query: string
  /** JSON object term → valence (-4..4): per-brand sentiment vocabulary. */
  vocabulary: ColumnType<string, string | undefined, string>
  active: ColumnType<number, number | undefined, number>
  /** Alert sensitivity preset: fewer | balanced | more (migration 0003-alerts). */
  sensitivity: ColumnType<string, string | undefined, string>
  created_at: string
  updated_at: string
}

export interface SourcesTable {
  id: Generated<number>
  name: string
  /** Collector id (collectors/index.ts). */
  kind: string
  /** JSON config validated by the collector's schema. */
  config: string
  /** When set, the source only collects for this brand (and attributes its items to it). */
  brand_id: number | null
  interval_seconds: number
  enabled: ColumnType<number, number | undefined, number>
  /** JSON collector state: etag, last-modified, cursors, watermarks. */
  state: ColumnType<string, string | undefined, string>
  next_check_at: string
  last_polled_at: string | null
  /** Health: the last successful poll, the last failure and how many in a row. */
  last_ok_at: string | null
  last_error: string | null
  last_error_code: string | null
  last_error_at: string | null
  error_count: ColumnType<number, number | undefined, number>
  /** New mentions stored by the last successful poll, and items fetched. */
  last_new_count: number | null
  last_item_count: number | null
  warning: string | null
  created_at: string
  updated_at: string
}

export interface MentionsTable {
  id: Generated<number>
  brand_id: number
  source_id: number
  /** Source-stable id: the source's own id, else a hash of the canonical URL, else of the content. */
  external_id: string
  /** Hash of the canonical URL (or a collector's fold key) folding one story seen by two sources. */
  fold_hash: string
  url: string
  title: string
  text: string
  author: string | null
  published_at: string
  collected_at: string
  lang: string
  sentiment_score: number
  sentiment_label: string
  /** 0 when the language has no scorer: the label is a placeholder, shown as "not scored". */
  sentiment_scored: number
  /** A teammate's label; never overwritten by re-scoring. */
  manual_label: string | null
  manual_label_by: string | null
  manual_label_at: string | null
  /** JSON engagement metrics (score, replies, likes, followers…). */
  metrics: string | null
  /** JSON array of the query terms that matched, for highlighting. */
  matched_terms: string
  /** Triage: new → in_progress → answered | ignored. */
  status: ColumnType<string, string | undefined, string>
  assignee: string | null
  note: string | null
  answer_url: string | null
}

export interface ExclusionsTable {
  id: Generated<number>
  /** null: applies to every brand. */
  brand_id: number | null
  kind: 'author' | 'domain' | 'url'
  /** Platform of the handle ('' for any) — a handle is only unique per platform. */
  platform: string
  /** Keyed hash (HMAC-SHA256 with the instance secret) of the normalized handle or domain. */
  value_hash: string
  /** Short, non-identifying hint for the list view ("jo…"). */
  hint: string
  created_at: string
}

export interface SettingsTable {
  key: string
  value: string
}

export interface CoreTables {
  brands: BrandsTable
  sources: SourcesTable
  mentions: MentionsTable
  exclusions: ExclusionsTable
  settings: SettingsTable
}

// Each capability declares its tables in its own file; the Database is their union.
export interface Database
  extends CoreTables, TriageTables, AlertTables, DigestTables, AccessTables {}

export type Brand = Selectable<BrandsTable>
export type NewBrand = Insertable<BrandsTable>
export type Source = Selectable<SourcesTable>
export type NewSource = Insertable<SourcesTable>
export type SourceUpdate = Updateable<SourcesTable>
export type Mention = Selectable<MentionsTable>
export type NewMention = Insertable<MentionsTable>
export type Exclusion = Selectable<ExclusionsTable>
