// The ingestion pipeline: normalize → privacy → match → language → sentiment → store.
// Only rows that are really new come back (insert … on conflict do nothing returning), and those
// feed spike detection. Pure stages are separate functions; this file only sequences them.
import type { CollectedItem } from '../collectors/types'
import { loadExclusionMatcher, type ExclusionMatcher } from '../db/exclusions'
import { insertMentions } from '../db/mentions'
import type { Brand, NewMention, Source } from '../db/schema'
import { listBrands } from '../db/brands'
import type { Db } from '../db'
import { detectLanguage } from './language'
import { htmlToText, identify, normalizeDate, safeUrl, truncate } from './normalize'
import { matchQuery, parseQuery, prepareText, type QueryNode } from './query'
import { retentionCutoff } from './retention'
import { scoreSentiment } from './sentiment'

export interface PreparedBrand {
  brand: Brand
  query: QueryNode | null
  vocabulary: Record<string, number>
}

const queryCache = new Map<string, QueryNode | null>()

function compile(query: string): QueryNode | null {
  let node = queryCache.get(query)
  if (node === undefined) {
    try {
      node = parseQuery(query)
    } catch {
      node = null // an invalid stored query matches nothing rather than everything
    }
    if (queryCache.size > 1000) queryCache.clear()
    queryCache.set(query, node)
  }
  return node
}

export function prepareBrands(brands: Brand[]): PreparedBrand[] {
  return brands.map((brand) => {
    let vocabulary: Record<string, number> = {}
    try {
      vocabulary = JSON.parse(brand.vocabulary || '{}')
    } catch {}
    return { brand, query: compile(brand.query), vocabulary }
  })
}

export interface IngestStats {
  fetched: number
  invalid: number
  excluded: number
  unmatched: number
  /** published before the retention window: the nightly purge would delete them, so never stored */
  expired: number
  duplicates: number
  newMentions: { id: number; brand_id: number }[]
}

export interface IngestDeps {
  brands?: PreparedBrand[]
  exclusions?: ExclusionMatcher
  /** ISO instant: items published before it are dropped (default: the retention setting's cutoff) */
  notBefore?: string
}

const MAX_TEXT = 20_000
const MAX_TITLE = 1_000

/** Maps collected items to the mention rows to store (pure except for the given matchers). */
export function buildMentionRows(
  source: Pick<Source, 'id' | 'kind' | 'brand_id'>,
  items: CollectedItem[],
  brands: PreparedBrand[],
  exclusions: ExclusionMatcher,
  now: Date,
  opts: { attributeToSourceBrand?: boolean; notBefore?: string } = {},
): { rows: NewMention[]; invalid: number; excluded: number; unmatched: number; expired: number } {
  const collectedAt = now.toISOString()
  const rows: NewMention[] = []
  let invalid = 0
  let excluded = 0
  let unmatched = 0
  let expired = 0
  const candidates = source.brand_id ? brands.filter((b) => b.brand.id === source.brand_id) : brands
  for (const item of items) {
    const title = truncate(htmlToText(item.title ?? ''), MAX_TITLE)
    const text = truncate(htmlToText(item.text ?? ''), MAX_TEXT)
    const url = safeUrl(item.url ?? '')
    if (!title && !text) {
      invalid++
      continue
    }
    const publishedAt = normalizeDate(item.publishedAt, now)
    // A feed that still lists what retention purged would store it again at every poll (and
    // count it again in daily_counts at every purge).
    if (opts.notBefore && publishedAt < opts.notBefore) {
      expired++
      continue
    }
    const author = item.author?.trim() ? truncate(item.author.trim(), 200) : null
    const mt = prepareText(title + '\n' + text)
    let lang: string | undefined
    let sentiment: ReturnType<typeof scoreSentiment> | undefined
    let anyMatch = false
    let anyExcluded = false
    for (const pb of candidates) {
      let matched: string[] | null = null
      if (opts.attributeToSourceBrand && source.brand_id === pb.brand.id) matched = []
      else if (pb.query) matched = matchQuery(pb.query, mt)
      if (!matched) continue
      // Privacy before anything is stored: excluded authors and domains never reach the table.
      if (exclusions.excludes({ author, url }, source.kind, pb.brand.id)) {
        anyExcluded = true
        continue
      }
      anyMatch = true
      const id = identify({ ...item, url, title, text })
      lang ??= detectLanguage(title + '. ' + text)
      const hasVocabulary = Object.keys(pb.vocabulary).length > 0
      const s =
        hasVocabulary || item.rating
          ? scoreSentiment(title + '. ' + text, lang as never, {
              vocabulary: pb.vocabulary,
              ratingHint: item.rating,
            })
          : (sentiment ??= scoreSentiment(title + '. ' + text, lang as never))
      rows.push({
        brand_id: pb.brand.id,
        source_id: source.id,
        external_id: id.externalId,
        fold_hash: id.foldHash,
        url,
        title,
        text,
        author,
        published_at: publishedAt,
        collected_at: collectedAt,
        lang,
        sentiment_score: s.score,
        sentiment_label: s.label,
        sentiment_scored: s.scored ? 1 : 0,
        metrics:
          item.metrics && Object.keys(item.metrics).length ? JSON.stringify(item.metrics) : null,
        matched_terms: JSON.stringify(matched),
      })
    }
    if (!anyMatch) {
      if (anyExcluded) excluded++
      else unmatched++
    }
  }
  return { rows, invalid, excluded, unmatched, expired }
}

/** Runs one batch of collected items through the pipeline into the database. */
export async function ingest(
  db: Db,
  source: Pick<Source, 'id' | 'kind' | 'brand_id'>,
  items: CollectedItem[],
  now: Date,
  deps: IngestDeps = {},
  opts: { attributeToSourceBrand?: boolean } = {},
): Promise<IngestStats> {
  const brands = deps.brands ?? prepareBrands(await listBrands(db, { activeOnly: true }))
  const exclusions = deps.exclusions ?? (await loadExclusionMatcher(db))
  const notBefore = deps.notBefore ?? (await retentionCutoff(db, now))
  const built = buildMentionRows(source, items, brands, exclusions, now, { ...opts, notBefore })
  // The same story twice in one batch (duplicate guids) is folded before the insert.
  const newMentions = await insertMentions(db, built.rows)
  return {
    fetched: items.length,
    invalid: built.invalid,
    excluded: built.excluded,
    unmatched: built.unmatched,
    expired: built.expired,
    duplicates: built.rows.length - newMentions.length,
    newMentions,
  }
}
