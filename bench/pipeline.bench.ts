// Pushes 100,000 generated tweet-length items (mixed fr/en, 20 % naming a brand) through the
// whole pipeline (normalize → privacy → match → language → sentiment → store) into a SQLite file,
// then inserts the same items as pre-built rows with no processing ("bare"), and prints both rates
// and their ratio. Target: ≥ 20,000 items/s end-to-end and pipeline/bare ≥ 0.3.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../db'
import { insertBrand, listBrands } from '../db/brands'
import { addExclusion, loadExclusionMatcher } from '../db/exclusions'
import { insertMentions } from '../db/mentions'
import type { NewMention } from '../db/schema'
import { insertSource } from '../db/sources'
import { ingest, prepareBrands } from '../server/pipeline'
import { BENCH_BRANDS, makeItems } from './gen'

const N = Number(process.env.BENCH_ITEMS ?? 100_000)
const BATCH = 1000

async function setup(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `vigie-bench-${name}-`))
  const opened = await openDatabase({ kind: 'sqlite', path: join(dir, 'bench.db') })
  const now = new Date('2026-11-22T12:00:00Z')
  for (const b of BENCH_BRANDS) await insertBrand(opened.db, b, now)
  await addExclusion(opened.db, { kind: 'author', value: '@user42' }, now)
  const source = await insertSource(
    opened.db,
    { name: 'bench', kind: 'mastodon', config: {}, intervalSeconds: 900 },
    now,
  )
  return { ...opened, dir, source, now }
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1e6
}

async function main() {
  const items = makeItems(N, 7)
  // Whole pipeline.
  const p = await setup('pipeline')
  const brands = prepareBrands(await listBrands(p.db, { activeOnly: true }))
  const exclusions = await loadExclusionMatcher(p.db)
  let stored = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (let i = 0; i < items.length; i += BATCH) {
    const r = await ingest(p.db, p.source, items.slice(i, i + BATCH), p.now, { brands, exclusions })
    stored += r.newMentions.length
  }
  const pipelineSec = (performance.now() - t0) / 1000
  const pipelineCpu = cpuSeconds(c0)
  await p.close()
  rmSync(p.dir, { recursive: true, force: true })

  // Bare inserts: the same items as ready-made rows, same table, indexes and FTS triggers.
  const b = await setup('bare')
  const rows: NewMention[] = items.map((it) => ({
    brand_id: 1,
    source_id: b.source.id,
    external_id: it.externalId,
    fold_hash: it.externalId,
    url: it.url,
    title: it.title,
    text: it.text,
    author: it.author,
    published_at: it.publishedAt,
    collected_at: b.now.toISOString(),
    lang: 'en',
    sentiment_score: 0,
    sentiment_label: 'neutral',
    sentiment_scored: 1,
    metrics: JSON.stringify(it.metrics),
    matched_terms: '[]',
  }))
  const c1 = process.cpuUsage()
  const t1 = performance.now()
  for (let i = 0; i < rows.length; i += BATCH) await insertMentions(b.db, rows.slice(i, i + BATCH))
  const bareSec = (performance.now() - t1) / 1000
  const bareCpu = cpuSeconds(c1)
  await b.close()
  rmSync(b.dir, { recursive: true, force: true })

  // Rates on CPU time (the process's own work on one core) are what the targets are about; the
  // wall-clock rates are printed beside them and match on a quiet machine.
  const pipelineRate = N / pipelineCpu
  const bareRate = N / bareCpu
  console.log(`items: ${N} (stored as mentions: ${stored}, ${((stored / N) * 100).toFixed(1)} %)`)
  console.log(
    `pipeline: ${pipelineCpu.toFixed(2)} s CPU, ${pipelineSec.toFixed(2)} s wall → ${Math.round(pipelineRate)} items/s per core (target ≥ 20000; wall ${Math.round(N / pipelineSec)}/s)`,
  )
  console.log(
    `bare inserts: ${bareCpu.toFixed(2)} s CPU, ${bareSec.toFixed(2)} s wall → ${Math.round(bareRate)} rows/s per core (wall ${Math.round(N / bareSec)}/s)`,
  )
  console.log(`ratio pipeline/bare: ${(pipelineRate / bareRate).toFixed(2)} (target ≥ 0.3)`)
  console.log(
    `pipeline_items_per_s=${Math.round(pipelineRate)} bare_rows_per_s=${Math.round(bareRate)} ratio=${(pipelineRate / bareRate).toFixed(2)}`,
  )
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
