// The demo data set (`npm run demo`) through the real pipeline on a real SQLite file: nothing is
// published after it was collected or after "now", and the outage under way shows as one open
// alert whose figures agree with the mentions it links to.
import { afterEach, beforeEach, expect, it } from 'vitest'
import { listOpenAlerts, parseSummary } from '../../db/alerts'
import { seedDemo } from '../../server/demo/seed'
import { freshDb, type TestDb } from '../helpers/db'

let db: TestDb
beforeEach(async () => {
  db = await freshDb()
})
afterEach(async () => {
  await db.cleanup()
})

it('seeds two weeks up to now, with the outage as one open alert', async () => {
  const now = new Date('2026-11-22T19:43:00.000Z')
  const { mentions } = await seedDemo(db.db, now)
  expect(mentions).toBeGreaterThan(500)
  const rows = await db.db
    .selectFrom('mentions')
    .select(['published_at', 'collected_at', 'brand_id', 'sentiment_label'])
    .execute()
  expect(rows).toHaveLength(mentions)
  for (const r of rows) {
    expect(r.published_at <= r.collected_at).toBe(true)
    expect(r.collected_at <= now.toISOString()).toBe(true)
  }

  const [alert, ...others] = await listOpenAlerts(db.db)
  expect(others).toEqual([])
  expect(alert).toMatchObject({ brand_name: 'Telvia', kind: 'negative_spike', status: 'open' })
  const s = parseSummary(alert)
  const behind = rows.filter(
    (r) =>
      r.brand_id === alert.brand_id &&
      r.sentiment_label === 'negative' &&
      r.published_at >= alert.started_at &&
      r.published_at < s.until,
  )
  // "See the mentions (N)" counts exactly what the link lists, and the peak window holds no more
  expect(s.count).toBe(behind.length)
  expect(alert.peak_value).toBeLessThanOrEqual(s.count)
})
