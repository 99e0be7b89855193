// Headless Debian Chromium through playwright-core, and a running Vigie on a throw-away database.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { parseConfig } from '../../server/config'
import { openDatabase } from '../../db'
import { seedDemo } from '../../server/demo/seed'
import { silentLogger } from '../../server/log'
import { start, type Running } from '../../server/start'
import { createSession } from '../../db/sessions'
import { insertUser } from '../../db/users'
import { hashPassword } from '../../server/auth/passwords'
import { SESSION_COOKIE } from '../../server/auth'
import type { Role } from '../../server/context'

export const E2E_PASSWORD = 'correct horse battery'

export interface E2eVigie extends Running {
  cleanup(): Promise<void>
  /** A page whose browser context is signed in as `as` (default: the admin created at start). */
  newPage(browser: Browser, opts?: BrowserContextOptions & { as?: Role }): Promise<Page>
  /** Creates a user with E2E_PASSWORD and returns its e-mail. */
  addUser(role: Role, email?: string): Promise<{ id: number; email: string }>
}

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

/**
 * A running Vigie on a throw-away database. By default an admin exists and `newPage` gives a
 * signed-in page; `{ users: false }` starts like a real first run (setup link, no account).
 */
export async function startVigie(
  opts: { demo?: boolean; env?: Record<string, string>; users?: boolean } = {},
): Promise<E2eVigie> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-e2e-'))
  const path = join(dir, 'vigie.db')
  const config = parseConfig({
    TZ: 'Europe/Paris',
    PORT: '0',
    DATABASE_URL: path,
    ALLOW_PRIVATE_URLS: '1', // fixtures live on 127.0.0.1
    ...opts.env,
  })
  const db = await openDatabase(config.database)
  if (opts.demo) await seedDemo(db.db, new Date(), 42, 30) // the outage long over: tests add their own bursts
  if (opts.users !== false)
    await insertUser(
      db.db,
      {
        email: 'admin@e2e.example',
        name: 'Admin',
        role: 'admin',
        passwordHash: await hashPassword(E2E_PASSWORD),
      },
      new Date(),
    )
  await db.close()
  const running = await start(config, { log: silentLogger, schedule: false })
  const addUser = async (role: Role, email = `${role}-${Date.now()}@e2e.example`) => {
    const u = await insertUser(
      running.ctx.db,
      { email, role, passwordHash: await hashPassword(E2E_PASSWORD) },
      new Date(),
    )
    return { id: u.id, email }
  }
  return {
    ...running,
    addUser,
    async newPage(browser, o = {}) {
      const { as, ...contextOpts } = o
      const context = await browser.newContext(contextOpts)
      const email = as && as !== 'admin' ? (await addUser(as)).email : 'admin@e2e.example'
      const user = await running.ctx.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst()
      if (user) {
        const { token } = await createSession(
          running.ctx.db,
          user.id,
          { ip: 'e2e', userAgent: 'playwright' },
          new Date(),
        )
        await context.addCookies([
          { name: SESSION_COOKIE, value: token, url: running.url, httpOnly: true, sameSite: 'Lax' },
        ])
      }
      const page = await context.newPage()
      page.on('close', () => {
        context.close().catch(() => {}) // the browser may already be closing
      })
      return page
    },
    async cleanup() {
      await running.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
