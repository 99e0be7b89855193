// Alerts as a team meets them, in real headless Chromium: the demo's Telvia outage is under way;
// its banner shows on every page and can be acknowledged in one click, on a phone-sized screen
// too, and the alert page resolves it through htmx.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listOpenAlerts } from '../../db/alerts'
import { ARTIFACTS, launchBrowser, startVigie } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('alerts', () => {
  it('shows an open alert in the banner and acknowledges it', async () => {
    const vigie = await startVigie({ demo: true })
    const page = await vigie.newPage(browser, {
      locale: 'fr-FR',
      viewport: { width: 390, height: 844 },
    })
    try {
      const { db } = vigie.ctx
      // The demo's outage is under way: one open negative spike (server/demo/seed.ts).
      const history = await db.selectFrom('alerts').selectAll().execute()
      expect(history.map((a) => [a.kind, a.status, a.resolved_by])).toEqual([
        ['negative_spike', 'open', null],
      ])
      const [open] = await listOpenAlerts(db)
      expect(open).toMatchObject({ brand_name: 'Telvia', kind: 'negative_spike', status: 'open' })

      await page.goto(`${vigie.url}/mentions`)
      const banner = page.locator('.alert-banner')
      await expect.poll(() => banner.isVisible()).toBe(true)
      expect(await banner.textContent()).toContain('Telvia : Pic de mentions négatives')
      await page.screenshot({ path: `${ARTIFACTS}alert-banner-phone.png`, fullPage: true })
      await banner.getByRole('button', { name: 'Je prends en charge' }).click()
      await page.waitForURL(`${vigie.url}/mentions`)
      expect(await page.locator('.alert-banner .badge').first().textContent()).toBe(
        'Prise en charge',
      )
      expect(await page.locator('.alert-banner button').count()).toBe(0)

      // The alert page: details, the link to its mentions, and resolving it through htmx.
      await page.goto(`${vigie.url}/alerts/${open.id}`)
      expect(await page.locator('.alert-card .terms').textContent()).toContain('panne')
      const href = await page.getByRole('link', { name: /Voir les mentions/ }).getAttribute('href')
      expect(href).toMatch(/^\/mentions\?brand=\d+&sentiment=negative&since=.+&until=.+/)
      // A marker on window survives an in-place swap, not a page load.
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))
      await page.getByRole('button', { name: 'Marquer résolue' }).click()
      await expect
        .poll(() => page.locator('.alert-card .badge').first().textContent())
        .toBe('Résolue')
      // htmx swapped the card in place: no page load, one card
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
      expect(await page.locator('.alert-card').count()).toBe(1)
      await page.screenshot({ path: `${ARTIFACTS}alert-detail-phone.png`, fullPage: true })
      await page.goto(`${vigie.url}/mentions`)
      expect(await page.locator('.alert-banner').count()).toBe(0)
      await page.goto(`${vigie.url}${href}`)
      // The link opens the negative mentions of the incident (a page of them).
      const shown = await page.locator('#mention-list .mention').count()
      expect(shown).toBeGreaterThanOrEqual(20)
      expect(await page.locator('#mention-list .mention .s-negative').count()).toBe(shown)
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })
})
