// Mentions as Vigie collected them over time: each item is ingested a minute after its own
// publication, so an item older than today's retention period is stored as it was back then
// (ingesting it today would drop it: server/pipeline.ts never stores what retention purges).
import type { CollectedItem } from '../../collectors/types'
import type { Db } from '../../db'
import type { Source } from '../../db/schema'
import { ingest } from '../../server/pipeline'

export async function ingestOverTime(
  db: Db,
  source: Pick<Source, 'id' | 'kind' | 'brand_id'>,
  items: CollectedItem[],
  now: Date,
): Promise<number> {
  let stored = 0
  for (const item of items) {
    const at = item.publishedAt ? Date.parse(item.publishedAt) + 60_000 : now.getTime()
    const r = await ingest(db, source, [item], new Date(Math.min(at, now.getTime())))
    stored += r.newMentions.length
  }
  return stored
}
