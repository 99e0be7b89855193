// The digest e-mail as mail clients draw it, in real headless Chromium at phone and desktop
// widths (screenshots in test/e2e/artifacts/), plus the digest settings page on a phone.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDate, addDays } from '../../server/digest-period'
import { alertRow } from '../helpers/alert-row'
import { ARTIFACTS, launchBrowser, startVigie } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('digest e-mail', () => {
  it('renders at 390 px and 1280 px without overflow, with the chart and every section', async () => {
    const vigie = await startVigie({ demo: true })
    try {
      const { db } = vigie.ctx
      const brand = await db
        .selectFrom('brands')
        .select('id')
        .orderBy('name', 'desc')
        .executeTakeFirstOrThrow()
      const yesterday = addDays(localDate(new Date(), 'Europe/Paris'), -1)
      const at = new Date(Date.now() - 30 * 3600_000).toISOString()
      await db
        .insertInto('alerts')
        .values(alertRow(brand.id, at, { peak_value: 42, baseline: 3.2, window_minutes: 60 }))
        .execute()
      for (const lang of ['fr', 'en'] as const) {
        for (const width of [390, 1280]) {
          const page = await vigie.newPage(browser, {
            viewport: { width, height: 900 },
            isMobile: width < 500,
          })
          try {
            const t0 = performance.now()
            const res = await page.goto(
              `${vigie.url}/settings/digest/preview?date=${yesterday}&lang=${lang}`,
            )
            const ms = performance.now() - t0
            expect(res?.status()).toBe(200)
            const html = await res!.text()
            if (width === 390)
              console.log(`digest preview ${lang}: ${html.length} bytes HTML, ${ms.toFixed(0)} ms`)
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth,
            )
            expect(overflow).toBeLessThanOrEqual(0)
            // Nothing external: no image, stylesheet or script is fetched.
            expect(await page.locator('img, script, link[rel=stylesheet]').count()).toBe(0)
            expect(await page.locator('h2').count()).toBe(2) // the two demo brands
            expect(await page.locator('a[href*="/alerts/"]').count()).toBeGreaterThan(0)
            await page.screenshot({
              path: `${ARTIFACTS}digest-${lang}-${width}.png`,
              fullPage: true,
            })
          } finally {
            await page.close()
          }
        }
      }
    } finally {
      await vigie.cleanup()
    }
  })

  it('the settings page works on a phone', async () => {
    const vigie = await startVigie({ demo: true })
    const page = await vigie.newPage(browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      locale: 'fr-FR',
    })
    try {
      await page.goto(`${vigie.url}/settings/digest/recipients/new`)
      await page.fill('#rc-email', 'direction@example.com')
      await page.fill('#rc-timezone', 'Europe/Zurich')
      await page.check('#rc-weekly')
      // The recipient form's own button (the demo's open-alert banner has buttons too).
      await page.click('form.form button[type=submit]')
      await page.waitForURL(`${vigie.url}/settings/digest`)
      expect(await page.locator('#recipients').textContent()).toContain('direction@example.com')
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      await page.screenshot({ path: `${ARTIFACTS}digest-settings-390.png`, fullPage: true })
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })
})
