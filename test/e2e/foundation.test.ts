// The foundation as a new user meets it, in real headless Chromium: first run explains what to do,
// forms show their errors, the feed filters through htmx with the filters in the URL, and the
// language switch sticks. Screenshots land in test/e2e/artifacts/.
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { insertSource } from '../../db/sources'
import { frenchSpacing } from '../../views/i18n'
import { startFixtureServer } from '../helpers/fixture-server'
import { ARTIFACTS, launchBrowser, startVigie } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('first run', () => {
  it('guides through adding a brand and a source', async () => {
    const feed = await startFixtureServer({
      '/feed.xml': {
        status: 200,
        headers: { 'content-type': 'application/rss+xml' },
        // dated today: the browser runs on the real clock, and Vigie keeps nothing older than
        // its retention period (180 days)
        body: readFileSync('test/fixtures/rss/rss2.xml', 'utf8').replace(
          /<pubDate>[^<]*<\/pubDate>/g,
          `<pubDate>${new Date().toUTCString()}</pubDate>`,
        ),
      },
      '/missing.xml': { status: 404, body: 'not here' },
    })
    const vigie = await startVigie()
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    try {
      await page.goto(vigie.url)
      expect(await page.locator('h1').textContent()).toBe('Bienvenue dans Vigie')
      await page.screenshot({ path: `${ARTIFACTS}first-run.png`, fullPage: true })
      await page.click('text=Déclarer une marque')
      await page.fill('#brand-name', 'Acme')
      await page.fill('#brand-query', '"Acme OR')
      await page.click('button[type=submit]')
      expect(await page.locator('#brand-query-error').textContent()).toContain(
        frenchSpacing('Requête invalide : guillemet ouvert en position 1 jamais fermé'),
      )
      await page.fill('#brand-query', '"Acme" OR "Acme Corp" -"Acme Road"')
      await page.click('button[type=submit]')
      await page.waitForURL(`${vigie.url}/brands`)
      expect(await page.locator('table').textContent()).toContain('Acme')
      await page.goto(`${vigie.url}/sources/new`)
      await page.check('input[value=rss]')
      await page.click('button[type=submit]')
      await page.fill('#src-name', 'Newsroom')
      // "Test source" shows what a poll would keep, on the form, before anything is saved
      await page.fill('#cfg-url', `${feed.url}/feed.xml`)
      await page.click('text=Tester la source')
      await page.waitForSelector('#source-test-result .test-items')
      expect(await page.locator('#source-test-result').textContent()).toMatch(
        /\d+ éléments lus, [1-9]\d* gardés\..*Rien n’a été enregistré/,
      )
      // what a screen reader hears: the one line, from the status line that stays in the form
      expect(await page.locator('#source-test-status').textContent()).toMatch(/^\d+ éléments lus/)
      await page.screenshot({ path: `${ARTIFACTS}source-test.png`, fullPage: true })
      await page.fill('#cfg-url', `${feed.url}/missing.xml`)
      await page.click('text=Tester la source')
      await page.waitForSelector('#source-test-result.alert-error')
      // the failure in French words with what to check; the collector's message as a detail
      expect(await page.locator('#source-test-result').textContent()).toMatch(
        /Adresse introuvable \(404\).*Il n’y a rien à cette adresse.*Détail technique\u00a0: HTTP 404/,
      )
      expect(await page.locator('#source-test-status').textContent()).toMatch(
        /^Adresse introuvable/,
      )
      await page.screenshot({ path: `${ARTIFACTS}source-test-error.png`, fullPage: true })
      await page.fill('#cfg-url', 'https://example.com/feed.xml')
      await page.click('button[type=submit]')
      await page.waitForURL(`${vigie.url}/sources`)
      expect(await page.locator('.source h2').textContent()).toBe('Newsroom')
      await page.goto(vigie.url)
      expect(await page.locator('.steps li.done').count()).toBe(2)
    } finally {
      await page.close()
      await vigie.cleanup()
      await feed.close()
    }
  })
})

describe('destructive actions', () => {
  it('deleting a brand asks first, saying its mentions go with it', async () => {
    const vigie = await startVigie({ demo: true })
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    try {
      await page.goto(`${vigie.url}/brands`)
      await page.locator('a', { hasText: 'Modifier' }).first().click()
      await page.waitForURL(/\/brands\/\d+\/edit$/)
      const editUrl = page.url()
      const name = await page.inputValue('#brand-name')
      const questions: string[] = []
      page.once('dialog', (d) => {
        questions.push(d.message())
        void d.dismiss()
      })
      await page.click('.danger-zone button')
      await page.waitForTimeout(300)
      expect(page.url()).toBe(editUrl) // cancelled: nothing sent
      expect(questions[0]).toContain(frenchSpacing(`« ${name} » avec toutes ses mentions`))
      page.once('dialog', (d) => void d.accept())
      await page.click('.danger-zone button')
      await page.waitForURL(`${vigie.url}/brands`)
      expect(await page.locator('table').textContent()).not.toContain(name)
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })
})

describe('long names', () => {
  it('a 100-character name wraps instead of widening the page', async () => {
    const vigie = await startVigie()
    const long = 'Acme'.repeat(25)
    await insertBrand(vigie.ctx.db, { name: long, query: 'Acme' }, new Date())
    await insertSource(
      vigie.ctx.db,
      { name: long, kind: 'rss', config: { url: 'https://example.com/f' }, intervalSeconds: 900 },
      new Date(),
    )
    for (const width of [1280, 390]) {
      const page = await vigie.newPage(browser, { viewport: { width, height: 900 } })
      try {
        for (const path of ['/brands', '/sources', '/mentions']) {
          await page.goto(`${vigie.url}${path}`)
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          )
          expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0)
        }
      } finally {
        await page.close()
      }
    }
    await vigie.cleanup()
  })
})

describe('populated dashboard', () => {
  it('filters the feed with htmx, keeps filters in the URL, and switches language', async () => {
    const vigie = await startVigie({ demo: true })
    const page = await vigie.newPage(browser, {
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    })
    try {
      await page.goto(vigie.url)
      expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(4)
      await page.screenshot({ path: `${ARTIFACTS}overview.png`, fullPage: true })
      await page.goto(`${vigie.url}/mentions`)
      const before = await page.locator('#mention-list .mention').count()
      expect(before).toBeGreaterThan(10)
      await page.selectOption('#f-sentiment', 'negative')
      await page.waitForURL(/sentiment=negative/)
      await page.waitForFunction(() =>
        [...document.querySelectorAll('#mention-list .mention .badge')].every((b) =>
          b.classList.contains('s-negative'),
        ),
      )
      const negatives = await page.locator('#mention-list .mention').count()
      expect(negatives).toBeGreaterThan(0)
      await page.screenshot({ path: `${ARTIFACTS}feed-negative.png`, fullPage: false })
      // A bookmarked URL restores the same view.
      await page.goto(page.url())
      expect(await page.locator('#f-sentiment').inputValue()).toBe('negative')
      // Load more appends without reloading.
      const n = await page.locator('#mention-list .mention').count()
      if (await page.locator('.load-more button').count()) {
        await page.focus('.load-more button')
        await page.keyboard.press('Enter')
        await page.waitForFunction(
          (k) => document.querySelectorAll('#mention-list .mention').length > k,
          n,
        )
        // focus moves to the first mention it brought, so j / k go on from there
        await expect
          .poll(() =>
            page.evaluate(() =>
              [...document.querySelectorAll('#mention-list .mention')].indexOf(
                document.activeElement as Element,
              ),
            ),
          )
          .toBe(n)
      }
      // Language switch, remembered.
      await page.click('#lang-switch')
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      expect(await page.locator('h1').textContent()).toBe('Mentions')
      await page.goto(vigie.url)
      expect(await page.locator('header.top nav').textContent()).toContain('Dashboard')
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })

  it('is usable on a phone', async () => {
    const vigie = await startVigie({ demo: true })
    const page = await vigie.newPage(browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
    })
    try {
      await page.goto(`${vigie.url}/mentions`)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      await page.screenshot({ path: `${ARTIFACTS}phone-feed.png` })
    } finally {
      await page.close()
      await vigie.cleanup()
    }
  })
})
