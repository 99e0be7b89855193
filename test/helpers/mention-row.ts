// A feed row (a mention joined with its brand and source) for rendering tests, without a database.
import type { MentionRow } from '../../db/mentions'

export function mentionRow(over: Partial<MentionRow> = {}): MentionRow {
  return {
    id: 7,
    brand_id: 1,
    source_id: 1,
    external_id: 'x',
    fold_hash: 'h',
    url: 'https://news.example/a',
    title: 'Acme title',
    text: 'Acme text',
    author: 'jdoe',
    published_at: '2026-11-22T10:00:00.000Z',
    collected_at: '2026-11-22T10:01:00.000Z',
    lang: 'fr',
    sentiment_score: -0.5,
    sentiment_label: 'negative',
    sentiment_scored: 1,
    manual_label: null,
    manual_label_by: null,
    manual_label_at: null,
    metrics: null,
    matched_terms: '["Acme"]',
    status: 'new',
    assignee: null,
    note: null,
    answer_url: null,
    brand_name: 'Acme',
    source_name: 'Feed',
    source_kind: 'rss',
    ...over,
  }
}
