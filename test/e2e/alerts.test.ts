// Alerts as a team meets them, in real headless Chromium: the demo's Telvia outage is in the
// alerts history; a fresh burst of negative comments raises an alert whose banner shows on every
// page and can be acknowledged in one click, on a phone-sized screen too.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listOpenAlerts } from '../../db/alerts'
import { runDetection } from '../../server/alerts'
import { burstTemplates } from '../../server/demo/data'
import { ingest } from '../../server/pipeline'
import { frenchSpacing } from '../../views/i18n'
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
      // The seeded outage (30 h ago) is over: it is in the history, resolved automatically.
      const history = await db.selectFrom('alerts').selectAll().execute()
      expect(history.map((a) => [a.kind, a.status, a.resolved_by])).toEqual([
        ['negative_spike', 'resolved', null],
      ])
      // A new burst of negative comments right now, through the real pipeline.
      const src = await db
        .selectFrom('sources')
        .selectAll()
        .where('name', '=', 'Forum Conso')
        .executeTakeFirstOrThrow()
      const now = Date.now()
      const fr = burstTemplates.filter((t) => t.brand === 'Telvia' && t.lang === 'fr')
      await ingest(
        db,
        src,
        Array.from({ length: 45 }, (_, i) => ({
          externalId: `e2e-${i}`,
          url: `https://forum.example.com/e2e/${i}`,
          title: fr[i % fr.length].title,
          text: fr[i % fr.length].text,
          publishedAt: new Date(now - (45 - i) * 60_000).toISOString(),
        })),
        new Date(now),
      )
      const r = await runDetection(vigie.ctx)
      expect(r.created).toBe(1)
      const [open] = await listOpenAlerts(db)
      expect(open).toMatchObject({ brand_name: 'Telvia', kind: 'negative_spike', status: 'open' })

      await page.goto(`${vigie.url}/mentions`)
      const banner = page.locator('.alert-banner')
      await expect.poll(() => banner.isVisible()).toBe(true)
      expect(await banner.textContent()).toContain(
        frenchSpacing('Telvia : Pic de mentions négatives'),
      )
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
      // The incident's window shows in the filters and survives the next filter change (htmx
      // sends the form, pushes the URL): a search within the incident stays within it.
      const window = new URL(`${vigie.url}${href}`).searchParams
      expect(await page.locator('#f-since option:checked').textContent()).toMatch(/^depuis le /)
      expect(await page.locator('#f-until').inputValue()).toBe(window.get('until'))
      await page.locator('#f-q').fill('panne')
      await page.waitForURL(/q=panne/)
      const after = new URL(page.url()).searchParams
      expect([after.get('since'), after.get('until')]).toEqual([
        window.get('since'),
        window.get('until'),
      ])
      await expect.poll(() => page.locator('#mention-list .mention').count()).toBeGreaterThan(0)
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })
})
