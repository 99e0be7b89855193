// `npm run demo`: a throw-away database filled with the bundled demo data set, served without
// polling (no internet needed). The database is deleted when the process stops.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, parseConfig } from '../config'
import { openDatabase } from '../../db'
import { seedDemo } from '../demo/seed'
import { start } from '../start'

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-demo-'))
  const path = join(dir, 'demo.db')
  let config
  try {
    config = parseConfig({ ...process.env, DATABASE_URL: path, VIGIE_CONFIG: '' })
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`vigie demo: ${err.message}`)
      process.exit(2)
    }
    throw err
  }
  const now = new Date()
  const db = await openDatabase(config.database)
  const seeded = await seedDemo(db.db, now)
  await db.close()
  // no polling (demo data only), but alerts are detected and delivered like in production
  const running = await start(config, { schedule: 'offline' })
  console.log(
    `Vigie demo: ${seeded.mentions} mentions from ${seeded.items} items, two brands, six sources.`,
  )
  console.log(`Open ${running.url} (demo data only, no polling; Ctrl+C stops and deletes ${dir}).`)
  if (running.setupUrl) console.log(`Create your demo administrator first: ${running.setupUrl}`)
  const stop = async () => {
    await running.stop()
    rmSync(dir, { recursive: true, force: true })
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err) => {
  console.error(`vigie demo: ${(err as Error).stack ?? err}`)
  process.exit(1)
})
