// Headless Debian Chromium through playwright-core, and a running Vigie on a throw-away database.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { parseConfig } from '../../server/config'
import { openDatabase } from '../../db'
import { seedDemo } from '../../server/demo/seed'
import { silentLogger } from '../../server/log'
import { start, type Running } from '../../server/start'

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname
mkdirSync(ARTIFACTS, { recursive: true })

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

export async function startVigie(
  opts: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<Running & { cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'))
  const path = join(dir, 'vigie.db')
  const config = parseConfig({ TZ: 'Europe/Paris', PORT: '0', DATABASE_URL: path, ...opts.env })
  if (opts.demo) {
    const db = await openDatabase(config.database)
    await seedDemo(db.db, new Date(), 42, 30) // the outage long over: tests add their own bursts
    await db.close()
  }
  const running = await start(config, { log: silentLogger, schedule: false })
  return {
    ...running,
    async cleanup() {
      await running.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
