// Fills a database with the demo data set by running every item through the real pipeline
// (matching, language, sentiment), then marks the demo sources as healthy.
import type { Db } from '../../db'
import { insertBrand } from '../../db/brands'
import { insertSource, recordPollSuccess } from '../../db/sources'
import { runDetection } from '../alerts'
import { silentLogger } from '../log'
import { ingest, prepareBrands } from '../pipeline'
import { listBrands } from '../../db/brands'
import { loadExclusionMatcher } from '../../db/exclusions'
import { demoBrands, demoSources, generateDemoItems } from './data'

export async function seedDemo(
  db: Db,
  now: Date,
  seed = 42,
): Promise<{ items: number; mentions: number }> {
  const brandIds = new Map<string, number>()
  for (const b of demoBrands)
    brandIds.set(b.name, (await insertBrand(db, b, new Date(now.getTime() - 15 * 86400_000))).id)
  const sources = new Map<string, { id: number; kind: string; brand_id: number | null }>()
  for (const s of demoSources) {
    const row = await insertSource(
      db,
      {
        name: s.name,
        kind: s.kind,
        config: s.config,
        intervalSeconds: 900,
        brandId: s.brand ? brandIds.get(s.brand) : null,
      },
      new Date(now.getTime() - 15 * 86400_000),
    )
    sources.set(s.name, row)
  }
  const brands = prepareBrands(await listBrands(db, { activeOnly: true }))
  const exclusions = await loadExclusionMatcher(db)
  const items = generateDemoItems(now, seed)
  let mentions = 0
  // Ingest hour by hour so collected_at follows publication as it would live.
  let i = 0
  while (i < items.length) {
    const hour = Math.floor(items[i].at.getTime() / 3600_000)
    const batch: typeof items = []
    while (i < items.length && Math.floor(items[i].at.getTime() / 3600_000) === hour)
      batch.push(items[i++])
    const bySource = new Map<string, typeof batch>()
    for (const it of batch) bySource.set(it.source, [...(bySource.get(it.source) ?? []), it])
    for (const [name, list] of bySource) {
      const src = sources.get(name)!
      const collectedAt = new Date(Math.min(now.getTime(), (hour + 1) * 3600_000))
      const r = await ingest(
        db,
        src,
        list.map((it) => ({ ...it, publishedAt: it.at.toISOString() })),
        collectedAt,
        { brands, exclusions },
      )
      mentions += r.newMentions.length
    }
  }
  for (const s of sources.values())
    await recordPollSuccess(db, s.id, {
      now: new Date(now.getTime() - 5 * 60_000),
      nextCheckAt: new Date(now.getTime() + 365 * 86400_000),
      state: {},
      newCount: 0,
      itemCount: 0,
    })
  // Replay detection over the seeded history so the demo shows the Telvia outage as an alert.
  await runDetection({ db, now: () => now, log: silentLogger })
  return { items: items.length, mentions }
}
