// Vigie for people the other walkthroughs did not cover, in real headless Chromium: someone on a
// 390 px phone, someone on a keyboard with a screen reader.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendAudit } from '../../db/audit'
import { launchBrowser, startVigie } from './browser'

let browser: Browser
let vigie: Awaited<ReturnType<typeof startVigie>>
beforeAll(async () => {
  browser = await launchBrowser()
  vigie = await startVigie({ demo: true })
})
afterAll(async () => {
  await vigie?.cleanup()
  await browser?.close()
})

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

/** The text of a table's header cells that are actually shown. */
function shownHeaders(page: Page, table: string): Promise<string[]> {
  return page
    .locator(`${table} thead th`)
    .evaluateAll((ths) =>
      ths.filter((th) => (th as HTMLElement).offsetParent !== null).map((th) => th.textContent!),
    )
}

describe('on a phone', () => {
  it('shows every column of the tables where each one matters', async () => {
    const { db } = vigie.ctx
    const other = await vigie.addUser('responder', 'claire@acme.example')
    await appendAudit(
      db,
      { userId: other.id, actor: other.email, action: 'users.role', outcome: 'ok', ip: '10.0.0.7' },
      new Date(),
    )
    const page = await vigie.newPage(browser, { ...PHONE, locale: 'fr-FR' })
    try {
      // the team: each person's role, and the control that changes it
      await page.goto(`${vigie.url}/users`)
      expect(await shownHeaders(page, 'table')).toContain('Rôle')
      expect(await page.locator(`#role-${other.id}`).isVisible()).toBe(true)
      // the audit log: who did it
      await page.goto(`${vigie.url}/audit`)
      expect(await shownHeaders(page, '#audit')).toContain('Qui')
      expect(await page.locator('#audit tbody td', { hasText: other.email }).isVisible()).toBe(true)
      // the chart's figures: the negative column first of all
      await page.goto(`${vigie.url}/`)
      await page.locator('.chart-data summary').click()
      expect(await shownHeaders(page, '.chart-data table')).toContain('négatif')
      // the query help: what each example means
      await page.goto(`${vigie.url}/brands/new`)
      await page.locator('.qhelp summary').click()
      expect(await page.locator('.qhelp td').first().isVisible()).toBe(true)
      // the brands list leaves its long queries out on a phone (on purpose: the name links on)
      await page.goto(`${vigie.url}/brands`)
      expect(await shownHeaders(page, 'table')).not.toContain('Requête')
    } finally {
      await page.close()
    }
  })
})
