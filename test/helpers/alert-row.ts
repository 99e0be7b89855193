// An alert row for tests: an open negative spike that started, peaked and was last abnormal at
// `at`, nobody has acknowledged it yet, so a test spells out only the figures it is about.
import type { NewAlertRow } from '../../db/alerts'

export function alertRow(
  brandId: number,
  at: string,
  over: Partial<NewAlertRow> = {},
): NewAlertRow {
  return {
    brand_id: brandId,
    kind: 'negative_spike',
    status: 'open',
    started_at: at,
    last_abnormal_at: at,
    updated_at: at,
    peak_at: at,
    peak_value: 12,
    baseline: 1,
    score: 9,
    window_minutes: 30,
    told_score: null,
    told_excess: null,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    summary: '{}',
    ...over,
  }
}
