// Vigie for people the other walkthroughs did not cover, in real headless Chromium: someone on a
// 390 px phone, someone on a keyboard with a screen reader.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendAudit } from '../../db/audit'
import { insertSource } from '../../db/sources'
import { runDetection } from '../../server/alerts'
import { burstTemplates } from '../../server/demo/data'
import { ingest } from '../../server/pipeline'
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

/** How many lines an element's text takes. */
function lines(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size
    })
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

  it('keeps words and addresses whole in table cells (the table scrolls instead)', async () => {
    const other = await vigie.addUser('viewer', 'claire.dubois-martin@communication.acme.example')
    const page = await vigie.newPage(browser, { ...PHONE, locale: 'fr-FR' })
    try {
      await page.goto(`${vigie.url}/users`)
      const row = `tr:has(#role-${other.id})`
      // was 'claire.d / ubois- / martin / @com / munica / …', 'désact / ivée', 'Désa / ctive / r'
      expect(await lines(page, `${row} td:first-child`)).toBe(2) // the address, the name below
      expect(await lines(page, `${row} td:nth-child(3)`)).toBe(1)
      expect(await lines(page, `${row} .btn-danger`)).toBe(1)
      // a menu in a table is as easy to tap as one in a form
      expect(
        (await page.locator(`#role-${other.id}`).boundingBox())!.height,
      ).toBeGreaterThanOrEqual(24)
      await page.goto(`${vigie.url}/account`)
      expect(await lines(page, 'table .btn')).toBe(1) // 'Ré / vo / qu / er'
      // the page itself never scrolls sideways: the table does, inside its box
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      )
    } finally {
      await page.close()
    }
  })

  it('lets a keyboard scroll what scrolls sideways: the chart, a wide table', async () => {
    const page = await vigie.newPage(browser, { ...PHONE, locale: 'fr-FR' })
    try {
      await page.goto(`${vigie.url}/`)
      const chart = page.locator('.chart-scroll')
      // reachable with Tab (it holds no link when no alert is drawn), then the arrows scroll it
      expect(await chart.getAttribute('tabindex')).toBe('0')
      await chart.focus()
      const before = await chart.evaluate((el) => el.scrollLeft)
      expect(before).toBeGreaterThan(0) // it opens on the latest hours (app.js)
      await page.keyboard.press('ArrowLeft')
      await expect.poll(() => chart.evaluate((el) => el.scrollLeft)).toBeLessThan(before)
      await page.goto(`${vigie.url}/users`)
      expect(await page.locator('.table-scroll').getAttribute('tabindex')).toBe('0')
    } finally {
      await page.close()
    }
    // where nothing overflows, no extra tab stop
    const wide = await vigie.newPage(browser, { viewport: { width: 1280, height: 900 } })
    try {
      await wide.goto(`${vigie.url}/`)
      expect(await wide.locator('.chart-scroll').getAttribute('tabindex')).toBeNull()
    } finally {
      await wide.close()
    }
  })

  // WCAG 1.4.10: at 320 CSS px (a desktop zoomed to 400 %) nothing may need sideways scrolling of
  // the page, and nothing may be cut off out of reach
  it('fits a 320 px screen: the form buttons wrap, the chart figures scroll in their box', async () => {
    const page = await vigie.newPage(browser, {
      viewport: { width: 320, height: 700 },
      locale: 'fr-FR',
    })
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth)
    try {
      await page.goto(`${vigie.url}/sources/new?kind=rss`)
      expect(await pageWidth()).toBeLessThanOrEqual(320) // was 345: 'Annuler' past the edge
      await page.goto(`${vigie.url}/?range=7d`)
      await page.locator('.chart-data summary').click()
      // the 'positif' column was cut off at the card's edge, out of reach
      const box = page.locator('.chart-data .table-scroll')
      expect(await box.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto')
      await expect.poll(() => box.getAttribute('tabindex')).toBe('0') // reachable to scroll
      expect(await pageWidth()).toBeLessThanOrEqual(320)
    } finally {
      await page.close()
    }
  })
})

describe('with a screen reader and a keyboard', () => {
  it('hears how many mentions the filters leave, from a live region that stays put', async () => {
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    try {
      await page.goto(`${vigie.url}/mentions`)
      const status = page.locator('#feed-status')
      expect(await status.getAttribute('role')).toBe('status')
      expect(await status.textContent()).toBe(
        '30 mentions les plus récentes affichées, d’autres suivent.',
      )
      // a region announces a change of its content; one swapped in whole is often not read
      await status.evaluate((el) => el.setAttribute('data-marker', '1'))
      await page.locator('#f-q').fill('remboursement')
      await page.waitForURL(/q=remboursement/)
      await expect.poll(() => status.textContent()).toMatch(/^\d+ mentions?\.$/)
      expect(await page.locator('#feed-status[data-marker]').count()).toBe(1)
      const shown = await page.locator('#mention-list > li.mention').count()
      expect(await status.textContent()).toBe(`${shown} mention${shown > 1 ? 's' : ''}.`)
      await page.locator('#f-q').fill('zzqqxx')
      await page.waitForURL(/q=zzqqxx/)
      await expect
        .poll(() => status.textContent())
        .toBe('Aucune mention ne correspond à ces filtres.')
      // focus stays where the person was typing
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-q')
    } finally {
      await page.close()
    }
  })

  it('keeps keyboard focus on the mute box when muting an author and undoing it', async () => {
    const m = await vigie.ctx.db
      .selectFrom('mentions')
      .select('id')
      .where('author', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement!
        return `${el.tagName.toLowerCase()}: ${el.textContent!.trim()}`
      })
    try {
      await page.goto(`${vigie.url}/mentions/${m.id}`)
      await page.locator('#mute button', { hasText: 'Masquer l’auteur' }).focus()
      await page.keyboard.press('Enter')
      // was: the pressed button gone with the swap, focus fell back to <body> (top of the page)
      await expect.poll(focused).toBe('p: Auteur masqué.')
      await page.keyboard.press('Tab')
      expect(await focused()).toBe('button: Annuler')
      await page.keyboard.press('Enter')
      await expect.poll(focused).toBe('p: Masquage annulé.')
    } finally {
      await page.close()
    }
  })

  it('lands on what went wrong when a form is refused', async () => {
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    const focused = () => page.evaluate(() => document.activeElement!.textContent!.trim())
    try {
      await page.goto(`${vigie.url}/brands/new`)
      await page.locator('#brand-name').fill('Initech')
      await page.locator('#brand-query').fill('"Initech')
      await page.locator('main form button[type=submit]').first().press('Enter')
      await page.waitForLoadState()
      expect(await focused()).toBe('Corrigez les champs signalés.')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement!.id)).toBe('brand-name')
    } finally {
      await page.close()
    }
  })

  // WCAG 2.1.4: one-letter shortcuts active on the whole page must be possible to turn off (speech
  // input says words that are letters; some screen readers pass letters through)
  it("lets a person turn the feed's one-letter shortcuts off, and remembers it", async () => {
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    const current = () => page.evaluate(() => document.activeElement?.closest('li.mention')?.id)
    try {
      await page.goto(`${vigie.url}/mentions`)
      await page.keyboard.press('j')
      expect(await current()).toMatch(/^m-\d+$/)
      const toggle = page.getByRole('checkbox', { name: 'Raccourcis clavier' })
      expect(await toggle.isChecked()).toBe(true)
      await toggle.uncheck()
      await page.goto(`${vigie.url}/mentions`)
      expect(await toggle.isChecked()).toBe(false)
      await page.keyboard.press('j')
      await page.keyboard.press('/')
      expect(await current()).toBeUndefined()
      expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('f-q')
      // still off after the list is swapped by a filter
      await page.locator('#f-sentiment').selectOption('negative')
      await page.waitForURL(/sentiment=negative/)
      await expect.poll(() => toggle.isChecked()).toBe(false)
      await toggle.check()
      await page.locator('body').click({ position: { x: 5, y: 5 } })
      await page.keyboard.press('j')
      expect(await current()).toMatch(/^m-\d+$/)
    } finally {
      await page.close()
    }
  })

  it('switches the language from the keyboard only when asked, and keeps focus on the switch', async () => {
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    try {
      await page.goto(`${vigie.url}/mentions?q=panne`)
      const sw = page.locator('#lang-switch')
      expect(await sw.inputValue()).toBe('English')
      expect(await sw.getAttribute('lang')).toBe('en')
      await sw.focus()
      // was a menu that reloaded the page on its first arrow key (WCAG 3.2.2)
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr')
      await sw.focus()
      await page.keyboard.press('Enter')
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      // the same page, query included
      expect(new URL(page.url()).search).toBe('?q=panne')
      // was: focus back at the top of the page, the person lost among the links
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lang-switch')
      expect(await sw.inputValue()).toBe('Français')
      // only after a switch: an ordinary page load leaves focus alone
      await page.goto(`${vigie.url}/mentions`)
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY')
      await page.locator('#lang-switch').click() // leave the browser as it was
      await page.waitForFunction(() => document.documentElement.lang === 'fr')
    } finally {
      await page.close()
    }
  })

  it('lands on what a form did: a saved setting, a token or an invitation link shown once', async () => {
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(5000)
    const focused = () => page.evaluate(() => document.activeElement!.textContent!.trim())
    try {
      // the notice is in the page it comes back to, far from where the button was: without focus
      // a screen reader user heard the page title and nothing of the outcome
      await page.goto(`${vigie.url}/alerts`)
      await page.locator('.sens-form button').first().press('Enter')
      await page.waitForURL(/\/alerts/)
      await expect.poll(focused).toBe('Sensibilité enregistrée.')
      await page.goto(`${vigie.url}/account`)
      await page.locator('form[action="/account/tokens"] input[name=name]').fill('export')
      await page.locator('form[action="/account/tokens"] button').press('Enter')
      await expect.poll(focused).toMatch(/^Copiez ce jeton maintenant/)
      await page.goto(`${vigie.url}/users`)
      await page.locator('form[action="/users"] input[name=email]').fill('nouveau@acme.example')
      await page.locator('form[action="/users"] button[type=submit]').press('Enter')
      await expect.poll(focused).toContain('nouveau@acme.example')
    } finally {
      await page.close()
    }
  })

  it('keeps focus on "Poll now" while the source is polled and after', async () => {
    const src = await insertSource(
      vigie.ctx.db,
      {
        name: 'Unreachable feed',
        kind: 'rss',
        config: { url: 'http://127.0.0.1:1/feed.xml' },
        intervalSeconds: 900,
      },
      new Date(),
    )
    const page = await vigie.newPage(browser, { locale: 'fr-FR' })
    page.setDefaultTimeout(8000)
    try {
      await page.goto(`${vigie.url}/sources`)
      const box = page.locator(`#source-status-${src.id}`)
      await box.locator('button').focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => box.textContent(), { timeout: 8000 }).toContain('Source injoignable')
      // was: the status box replaced with its (then disabled) button, focus fell to <body>
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Interroger maintenant',
      )
    } finally {
      await page.close()
    }
  })
})

// axe-core (a devDependency) run in the page on every screen, in French on a desktop and in
// English on a phone: what it can check mechanically (names, labels, contrast, headings, ARIA,
// scrollable regions) stays clean as pages change.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE) // through the debugging protocol: the page's CSP does not apply
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe
    interface AxeResults {
      violations: { id: string; nodes: { target: string[] }[] }[]
    }
    const r = await axe.run()
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  })
}

describe('every page, checked by axe', () => {
  it('has no violation, signed in as an admin, in French on a desktop and English on a phone', async () => {
    const { db } = vigie.ctx
    // an open alert, so that its banner, its band on the chart and its buttons are checked too
    const src = await db
      .selectFrom('sources')
      .selectAll()
      .where('name', '=', 'Forum Conso')
      .executeTakeFirstOrThrow()
    const at = Date.now()
    const burst = burstTemplates.filter((t) => t.brand === 'Telvia' && t.lang === 'fr')
    await ingest(
      db,
      src,
      Array.from({ length: 45 }, (_, i) => ({
        externalId: `axe-${i}`,
        url: `https://forum.example.com/axe/${i}`,
        title: burst[i % burst.length].title,
        text: burst[i % burst.length].text,
        publishedAt: new Date(at - (45 - i) * 60_000).toISOString(),
      })),
      new Date(at),
    )
    expect((await runDetection(vigie.ctx)).created).toBe(1)
    const first = async (table: 'mentions' | 'sources' | 'brands' | 'alerts') =>
      (await db.selectFrom(table).select('id').orderBy('id').executeTakeFirstOrThrow()).id
    const m = await first('mentions')
    const paths = [
      '/',
      '/?range=7d',
      '/mentions',
      '/mentions?q=zzqqxx',
      `/mentions/${m}`,
      `/mentions/${m}/answer`,
      '/alerts',
      `/alerts/${await first('alerts')}`,
      `/alerts/${(await db.selectFrom('alerts').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id}`,
      '/brands',
      '/brands/new',
      `/brands/${await first('brands')}/edit`,
      '/sources',
      '/sources/new',
      '/sources/new?kind=youtube',
      `/sources/${await first('sources')}/edit`,
      '/settings',
      '/settings/channels',
      '/settings/channels/new?kind=slack',
      '/settings/digest',
      '/settings/digest/recipients/new',
      '/settings/exclusions',
      '/settings/privacy',
      '/users',
      '/audit',
      '/account',
      '/account/2fa',
    ]
    const found: string[] = []
    for (const [locale, opts] of [
      ['fr', { viewport: { width: 1280, height: 900 } }],
      ['en', PHONE],
    ] as const) {
      const page = await vigie.newPage(browser, opts)
      await page.context().addCookies([{ name: 'lang', value: locale, url: vigie.url }])
      try {
        for (const path of paths) {
          await page.goto(`${vigie.url}${path}`)
          for (const v of await axeViolations(page)) found.push(`${locale} ${path} ${v}`)
        }
      } finally {
        await page.close()
      }
    }
    // signed out
    const anon = await browser.newPage()
    try {
      for (const path of ['/signin', '/setup/not-a-token']) {
        await anon.goto(`${vigie.url}${path}`)
        for (const v of await axeViolations(anon)) found.push(`anonymous ${path} ${v}`)
      }
    } finally {
      await anon.close()
    }
    expect(found).toEqual([])
  }, 180_000)
})
