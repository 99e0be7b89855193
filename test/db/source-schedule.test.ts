// Editing a source's interval reschedules it from its last poll (db/sources.ts updateSource): a
// day shortened to 90 s polls now, not tomorrow; a source backing off after failures keeps its
// wait. On a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getSource, insertSource, updateSource } from '../../db/sources'
import { freshDb, type TestDb } from '../helpers/db'

const T0 = new Date('2026-11-23T09:44:00Z')
const min = (n: number) => new Date(T0.getTime() + n * 60_000)

describe('updateSource and the next poll', () => {
  let tdb: TestDb
  beforeEach(async () => {
    tdb = await freshDb()
  })
  afterEach(() => tdb.cleanup())

  const cases: [string, number, number, number, string][] = [
    // [case, error_count, new interval (s), edited at (min after the poll), next poll expected]
    ['a day shortened to 90 s, edited 5 min after the poll: now', 0, 90, 5, min(5).toISOString()],
    ['a day shortened to an hour, 5 min after: 55 min later', 0, 3600, 5, min(60).toISOString()],
    ['a day lengthened to two: from the last poll', 0, 172_800, 5, min(2880).toISOString()],
    ['backing off after failures: its wait stays', 2, 90, 5, min(1440).toISOString()],
  ]
  it.each(cases)('%s', async (_name, errors, interval, editedAfter, want) => {
    const src = await insertSource(
      tdb.db,
      { name: 'F', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 86_400 },
      T0,
    )
    await tdb.db
      .updateTable('sources')
      .set({
        last_polled_at: T0.toISOString(),
        next_check_at: min(1440).toISOString(),
        error_count: errors,
      })
      .where('id', '=', src.id)
      .execute()
    await updateSource(tdb.db, src.id, { intervalSeconds: interval }, min(editedAfter))
    const after = await getSource(tdb.db, src.id)
    expect(after?.next_check_at).toBe(want)
    expect(after?.interval_seconds).toBe(interval)
  })

  it('the same interval saved again changes nothing', async () => {
    const src = await insertSource(
      tdb.db,
      { name: 'F', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
      T0,
    )
    const before = (await getSource(tdb.db, src.id))!.next_check_at
    await updateSource(tdb.db, src.id, { intervalSeconds: 900, name: 'G' }, min(5))
    expect((await getSource(tdb.db, src.id))!.next_check_at).toBe(before)
  })
})
