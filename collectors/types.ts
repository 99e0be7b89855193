// The Collector contract: what every source kind implements. A collector only fetches and maps;
// it never matches brands, scores sentiment or touches the database (see DESIGN.md §3).
import type { z } from 'zod'
import type { CollectorError, HttpClient } from './http'

/** What a collector returns for one item found at the source. */
export interface CollectedItem {
  /** The source's own stable id (guid, post id…); the pipeline falls back to URL/content hashes. */
  externalId?: string
  url: string
  title: string
  /** Plain text or HTML; the pipeline normalizes it. */
  text: string
  author?: string
  /** ISO-8601; missing dates are set to the collection time. */
  publishedAt?: string
  /** Language the source declares (BCP-47), a hint only. */
  lang?: string
  /** Engagement: score, replies, likes, reposts, views, followers… */
  metrics?: Record<string, number>
  /** 1..5 stars where the source rates (app reviews): a sentiment hint. */
  rating?: number
  /** Key to fold the same story seen under different URLs (e.g. Google News: title + publisher). */
  foldKey?: string
}

/** Opaque per-source memory kept between polls: validators, cursors, watermarks. */
export type SourceState = Record<string, unknown>

export interface BrandTerms {
  name: string
  /** The brand's query in Vigie's query language. */
  query: string
  /** Positive terms and phrases of the query, for building a search API's query string. */
  terms: string[]
}

export interface CollectContext {
  http: HttpClient
  now: () => Date
  /** Brands this source collects for; search collectors build their query from them. */
  brands: BrandTerms[]
  log: (msg: string, extra?: Record<string, unknown>) => void
  signal?: AbortSignal
}

export interface CollectResult {
  items: CollectedItem[]
  state: SourceState
  /** The source said nothing changed (HTTP 304 or equivalent). */
  notModified?: boolean
  /** The source asked us to wait at least this long before the next call (Retry-After, backoff). */
  retryAfterMs?: number
  /** Something the user should know even though the poll succeeded (quota nearly spent…). */
  warning?: string
}

export type Localized = { en: string; fr: string }

export interface FieldSpec {
  name: string
  label: Localized
  type: 'text' | 'url' | 'secret' | 'number' | 'select' | 'checkbox' | 'textarea'
  required?: boolean
  placeholder?: string
  help?: Localized
  options?: { value: string; label: Localized }[]
}

export interface Collector<C = any> {
  id: string
  label: string
  description: Localized
  /** zod schema validating the source's config JSON. */
  schema: z.ZodType<C>
  /** Settings form, generated from these (no view work per collector). */
  fields: FieldSpec[]
  /** Default poll interval in seconds. */
  defaultInterval: number
  /** True when the collector searches with the brands' terms (vs. reading a fixed feed). */
  usesBrandQuery: boolean
  /**
   * Every item is about the source's brand (an app's reviews rarely name the app): when the source
   * is bound to a brand, items are attributed to it without text matching.
   */
  attributesToBrand?: boolean
  /** Items arrive through POST /api/ingest; the poller never calls `collect`. */
  pushOnly?: boolean
  collect(ctx: CollectContext, config: C, state: SourceState): Promise<CollectResult>
  /**
   * Long-lived sources (a firehose): run until `ctx.signal` aborts, handing each batch to `emit`,
   * which stores it and persists the returned state (cursor) before resolving. Reconnects are the
   * collector's job. Sources with `listen` are started once instead of polled.
   */
  listen?(
    ctx: CollectContext & {
      signal: AbortSignal
      /** a connection that failed, or ended before any event: shown on the source, as a failed
       * poll would be (the listener keeps retrying on its own) */
      trouble?: (error: CollectorError) => void
    },
    config: C,
    state: SourceState,
    emit: (batch: CollectResult) => Promise<void>,
  ): Promise<void>
  /**
   * For collectors offering both ways (Bluesky: polled search or the Jetstream firehose): whether
   * this source's config runs through `listen` (true) or is polled through `collect` (false).
   * Absent: a collector with `listen` always streams.
   */
  streams?(config: C): boolean
}

export function defineCollector<C>(c: Collector<C>): Collector<C> {
  return c
}
