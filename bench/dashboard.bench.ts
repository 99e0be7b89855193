// Dashboard under load: 1,000,000 mentions over 60 days in a SQLite file (generated once with
// direct batched inserts in transactions, triggers and FTS included, and kept in the temp dir for
// the next run), a Vigie server in a child process, and autocannon with 20 concurrent clients
// against the overview and filtered feed pages. Prints p50/p95/p99 per scenario, plus the cold
// (uncached) cost of building each overview once. Target: p95 < 100 ms.
// BENCH_MENTIONS=… changes the size; BENCH_SECONDS=… the duration of each scenario.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { openDatabase } from '../db'
import { openSqlite } from '../db/sqlite'
import { listBrands } from '../db/brands'
import { createSession } from '../db/sessions'
import { getUserByEmail, insertUser } from '../db/users'
import { SESSION_COOKIE } from '../server/auth'
import { mulberry32 as rng } from '../server/random'
import { buildOverview } from '../server/overview'
import { RANGES } from '../db/stats'

const N = Number(process.env.BENCH_MENTIONS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 20
const NOW = new Date('2026-11-22T12:00:00Z')
const DAYS = 60
const PATH = join(tmpdir(), `vigie-bench-dashboard-${N}-v2.db`)

const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli']
const SOURCES: [string, string][] = [
  ['Mastodon', 'mastodon'],
  ['Bluesky', 'bluesky'],
  ['Reddit', 'reddit'],
  ['Hacker News', 'hacker-news'],
  ['Google News', 'google-news'],
  ['Lemmy', 'lemmy'],
  ['App Store', 'app-store'],
  ['GitHub', 'github'],
  ['YouTube', 'youtube'],
  ['Blog RSS', 'rss'],
]
const WORDS = {
  fr: 'le service était super aujourd’hui mais la livraison a pris une éternité et le support ne répond jamais à ma question sur le nouveau forfait prix appli plantée encore merci pour la réparation rapide nul remboursement panne réseau facture'.split(
    ' ',
  ),
  en: 'the service was great today but delivery took forever and support never answered my question about the new plan price update app crashed again love this team awful experience refund please thanks for the quick fix outage'.split(
    ' ',
  ),
}

async function generate(): Promise<void> {
  if (existsSync(PATH)) return
  const tmp = `${PATH}.part`
  rmSync(tmp, { force: true })
  const t0 = performance.now()
  const opened = await openDatabase({ kind: 'sqlite', path: tmp })
  await opened.close()
  const raw = openSqlite(tmp)
  const ts = NOW.toISOString()
  const insBrand = raw.prepare(
    'insert into brands (name, query, vocabulary, active, created_at, updated_at) values (?, ?, ?, 1, ?, ?)',
  )
  for (const b of BRANDS) insBrand.run(b, `"${b}" OR ${b.toLowerCase()}app`, '{}', ts, ts)
  const insSource = raw.prepare(
    `insert into sources (name, kind, config, interval_seconds, next_check_at, last_ok_at, created_at, updated_at)
     values (?, ?, '{}', 900, ?, ?, ?, ?)`,
  )
  for (const [name, kind] of SOURCES) insSource.run(name, kind, ts, ts, ts, ts)
  const ins =
    raw.prepare(`insert into mentions (brand_id, source_id, external_id, fold_hash, url, title,
    text, author, published_at, collected_at, lang, sentiment_score, sentiment_label, sentiment_scored,
    manual_label, manual_label_by, manual_label_at, metrics, matched_terms, status)
    values (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`)
  const rand = rng(11)
  const span = DAYS * 86400_000
  const BATCH = 20_000
  const insertBatch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // Oldest first, as ingestion would store them; a mild daily rhythm comes from the jitter.
      const at = new Date(NOW.getTime() - span + (i / N) * span + Math.floor(rand() * 60_000))
      const b = Math.min(BRANDS.length - 1, Math.floor(rand() ** 1.6 * BRANDS.length))
      const s = Math.floor(rand() * SOURCES.length)
      const lang = rand() < 0.55 ? 'fr' : 'en'
      const words = WORDS[lang]
      const len = 10 + Math.floor(rand() * 25)
      const out: string[] = []
      for (let w = 0; w < len; w++) out.push(words[Math.floor(rand() * words.length)])
      out.splice(Math.floor(rand() * out.length), 0, BRANDS[b])
      const r = rand()
      const label = r < 0.22 ? 'negative' : r < 0.7 ? 'neutral' : 'positive'
      const score = label === 'negative' ? -0.5 : label === 'positive' ? 0.5 : 0
      const old = i < N * 0.9
      const status = old ? (rand() < 0.5 ? 'answered' : 'ignored') : 'new'
      const corrected = rand() < 0.002
      const host = `site${Math.floor(rand() * 60)}.example`
      ins.run(
        b + 1,
        s + 1,
        `x${i}`,
        `f${i}`,
        `https://${rand() < 0.3 ? 'www.' : ''}${host}/post/${i}`,
        out.join(' '),
        `@user${Math.floor(rand() * 20000)}`,
        at.toISOString(),
        at.toISOString(),
        lang,
        score,
        label,
        corrected ? (rand() < 0.7 ? label : 'neutral') : null,
        corrected ? 'bench' : null,
        corrected ? at.toISOString() : null,
        rand() < 0.6
          ? JSON.stringify({ likes: Math.floor(rand() * 200), replies: Math.floor(rand() * 20) })
          : null,
        JSON.stringify([BRANDS[b]]),
        status,
      )
    }
  })
  for (let i = 0; i < N; i += BATCH) insertBatch(i, Math.min(N, i + BATCH))
  raw.pragma('optimize')
  raw.exec('analyze')
  raw.pragma('wal_checkpoint(TRUNCATE)')
  raw.close()
  renameSync(tmp, PATH)
  rmSync(`${tmp}-wal`, { force: true })
  rmSync(`${tmp}-shm`, { force: true })
  console.log(
    `generated ${N.toLocaleString('en')} mentions in ${((performance.now() - t0) / 1000).toFixed(1)} s (${PATH})`,
  )
}

/** The server in its own process, so the load generator does not share its event loop. */
async function serve(): Promise<void> {
  const { parseConfig } = await import('../server/config')
  const { start } = await import('../server/start')
  const { silentLogger } = await import('../server/log')
  const config = parseConfig({ TZ: 'Europe/Paris', PORT: '0', DATABASE_URL: PATH })
  const running = await start(config, { log: silentLogger, schedule: false, now: () => NOW })
  process.send!({ url: running.url })
  process.on('message', async () => {
    await running.stop()
    process.exit(0)
  })
}

function percentile(sorted: number[], p: number): number {
  // No response within the scenario's duration: report it as infinitely slow, not a crash.
  if (!sorted.length) return Infinity
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function load(url: string, name: string, paths: string[], cookie: string) {
  const times: number[] = []
  let non2xx = 0
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: paths.map((path) => ({ method: 'GET', path, headers: { cookie } })),
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>
  instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
    times.push(ms)
    if (status >= 300) non2xx++
  })
  const result = await instance
  times.sort((a, b) => a - b)
  const row = {
    scenario: name,
    requests: times.length,
    'req/s': Math.round(result.requests.average),
    'p50 ms': +percentile(times, 50).toFixed(1),
    'p95 ms': +percentile(times, 95).toFixed(1),
    'p99 ms': +percentile(times, 99).toFixed(1),
    errors: non2xx + result.errors,
  }
  console.log(JSON.stringify(row))
  return row
}

async function main(): Promise<void> {
  await generate()
  // Cold cost: each overview built once, straight from the database (no cache).
  const opened = await openDatabase({ kind: 'sqlite', path: PATH })
  const brands = await listBrands(opened.db)
  for (const range of RANGES) {
    for (const brandId of [undefined, brands[0].id]) {
      const t = performance.now()
      await buildOverview(opened.db, { range, brandId, now: NOW, tz: 'UTC', brands })
      console.log(
        `cold overview ${range} ${brandId ? 'one brand' : 'all brands'}: ${(performance.now() - t).toFixed(1)} ms`,
      )
    }
  }
  // Pages need a signed-in person: a viewer with a real server-side session, as a browser has.
  const email = 'bench-viewer@vigie.example'
  const viewer =
    (await getUserByEmail(opened.db, email)) ??
    (await insertUser(opened.db, { email, role: 'viewer' }, NOW))
  const { token } = await createSession(
    opened.db,
    viewer.id,
    { ip: 'bench', userAgent: 'autocannon' },
    NOW,
  )
  const cookie = `${SESSION_COOKIE}=${token}`
  await opened.close()

  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  )
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string }))
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  try {
    const overviews = ['24h', '7d', '30d'].flatMap((r) => [
      `/?range=${r}`,
      ...brands.map((b) => `/?range=${r}&brand=${b.id}`),
    ])
    const rows = [
      await load(url, 'overview (18 brand × range views)', overviews, cookie),
      await load(
        url,
        'feed: brand + negative + 7d',
        [`/mentions?brand=${brands[1].id}&sentiment=negative&since=7d`],
        cookie,
      ),
      await load(
        url,
        'feed: new + lang + 30d, page 1 and 2',
        [
          `/mentions?status=new&lang=fr&since=30d`,
          `/mentions?status=new&lang=fr&since=30d&limit=30`,
        ],
        cookie,
      ),
    ]
    // Informational, outside the target: with a 40-word synthetic vocabulary this word is in 23 %
    // of the mentions (234k hits), the worst case for FTS (a real brand word is far rarer).
    const search = await load(
      url,
      'search (word in 23 % of rows; informational)',
      [`/mentions?q=remboursement&since=7d`],
      cookie,
    )
    console.table([...rows, search])
    const bad = rows.filter((r) => r['p95 ms'] >= 100 || r.errors)
    if (bad.length)
      console.log(
        `target missed (p95 < 100 ms, no errors): ${bad.map((r) => r.scenario).join(', ')}`,
      )
  } finally {
    child.send('stop')
    await new Promise((r) => child.once('exit', r))
  }
}

if (process.argv.includes('--serve')) await serve()
else await main()
