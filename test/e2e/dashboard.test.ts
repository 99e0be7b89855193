// The dashboard as a communications team uses it, in real headless Chromium on the demo data:
// the overview (screenshot saved as a CI artifact), filtering and searching the feed, triaging a
// mention, a new mention arriving live behind the "N new mentions" pill, keyboard use, bulk
// triage, the brand editor's live preview, and the language switch.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertMentions } from '../../db/mentions'
import { ARTIFACTS, launchBrowser, startVigie } from './browser'

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

async function withPage(
  opts: Parameters<typeof vigie.newPage>[1],
  fn: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await vigie.newPage(browser, opts)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    // 422 (a form's validation answer) is an expected response, not an error; anything else,
    // a missing asset included, is.
    if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text())
  })
  try {
    await fn(page)
    // No CSP violation or script error on the way.
    expect(errors).toEqual([])
  } finally {
    await page.close()
  }
}

describe('overview', () => {
  it('shows volume by sentiment, key figures and the panels, on desktop and phone', async () => {
    await withPage({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${vigie.url}/?range=7d`)
      expect(await page.locator('h1').first().textContent()).toBe('Tableau de bord')
      expect(await page.locator('svg.volume rect[class^="bar-"]').count()).toBeGreaterThan(20)
      expect(await page.locator('.tile').count()).toBeGreaterThanOrEqual(4)
      expect(await page.locator('#sov-h').textContent()).toBe('Part de voix')
      expect(await page.locator('.chips li').count()).toBeGreaterThan(0)
      await page.screenshot({ path: `${ARTIFACTS}overview.png`, fullPage: true })
      // Per brand: share of voice makes no sense for one brand and is left out.
      await page.click('.brand-tabs a:has-text("Telvia")')
      await page.waitForURL(/brand=\d+/)
      expect(await page.locator('#sov-h').count()).toBe(0)
      await page.click('.segmented a:has-text("24 h")')
      await page.waitForURL(/range=24h/)
      expect(await page.locator('svg.volume').getAttribute('aria-label')).toMatch(/mentions/)
    })
    await withPage({ viewport: { width: 390, height: 844 }, isMobile: true }, async (page) => {
      await page.goto(`${vigie.url}/?range=30d`)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      // the chart, wider than the phone, opens on its latest end
      const chart = await page
        .locator('.chart-scroll')
        .first()
        .evaluate((el) => ({ left: el.scrollLeft, room: el.scrollWidth - el.clientWidth }))
      if (chart.room > 0) expect(chart.left).toBeGreaterThanOrEqual(chart.room - 1)
      await page.screenshot({ path: `${ARTIFACTS}phone-overview.png`, fullPage: true })
    })
  })
})

describe('feed', () => {
  it('filters and searches with highlighted matches, filters in the URL', async () => {
    await withPage({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${vigie.url}/mentions`)
      await page.selectOption('#f-sentiment', 'negative')
      await page.waitForURL(/sentiment=negative/)
      await page.fill('#f-q', 'réseau')
      await page.waitForURL(/q=r%C3%A9seau|q=réseau/)
      // leaving the box (its "change") does not send the same search again: one history entry
      const entries = await page.evaluate(() => history.length)
      await page.keyboard.press('Tab')
      await page.waitForTimeout(600)
      expect(await page.evaluate(() => history.length)).toBe(entries)
      await page.waitForFunction(() => document.querySelectorAll('#mention-list mark').length > 0)
      const marks = await page.locator('#mention-list mark').allTextContents()
      // The words searched for are marked, as are the brand terms that matched.
      expect(marks.some((m) => /r[ée]seau/i.test(m))).toBe(true)
      await page.screenshot({ path: `${ARTIFACTS}feed-search.png` })
      // The bookmarked URL restores the same view.
      await page.goto(page.url())
      expect(await page.locator('#f-q').inputValue()).toBe('réseau')
      expect(await page.locator('#f-sentiment').inputValue()).toBe('negative')
      // the period menu and the dates never disagree: choosing one clears the other
      await page.selectOption('#f-since', '24h')
      await page.waitForURL(/since=24h/)
      await page.locator('details.more-filters summary').click()
      await page.fill('#f-from', '2026-01-15')
      await page.waitForURL(/from=2026-01-15/)
      expect(new URL(page.url()).searchParams.get('since')).toBeFalsy()
      expect(await page.locator('#f-since').inputValue()).toBe('')
      await page.selectOption('#f-since', '7d')
      await page.waitForURL(/since=7d/)
      expect(new URL(page.url()).searchParams.get('from')).toBeFalsy()
    })
  })

  it('moves between mentions with j / k and selects with x', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(`${vigie.url}/mentions`)
      await page.keyboard.press('j')
      await page.keyboard.press('j')
      const focused = await page.evaluate(() => document.activeElement?.id)
      const ids = await page
        .locator('#mention-list > li.mention')
        .evaluateAll((els) => els.map((e) => e.id))
      expect(focused).toBe(ids[1])
      await page.keyboard.press('k')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(ids[0])
      await page.keyboard.press('x')
      expect(await page.locator(`#${ids[0]} input.select`).isChecked()).toBe(true)
    })
  })

  it('shows a new mention behind a pill, inserted only on click', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(`${vigie.url}/mentions`)
      const firstBefore = await page
        .locator('#mention-list > li.mention')
        .first()
        .getAttribute('id')
      const { db } = vigie.ctx
      const brand = await db
        .selectFrom('brands')
        .select('id')
        .where('name', '=', 'Telvia')
        .executeTakeFirstOrThrow()
      const source = await db.selectFrom('sources').select('id').limit(1).executeTakeFirstOrThrow()
      const at = new Date().toISOString()
      await insertMentions(db, [
        {
          brand_id: brand.id,
          source_id: source.id,
          external_id: 'live-1',
          fold_hash: 'live-1',
          url: 'https://forum-conso.example.fr/live-1',
          title: 'Telvia arrive en direct',
          text: 'Une mention toute fraîche pour Telvia',
          author: '@direct',
          published_at: at,
          collected_at: at,
          lang: 'fr',
          sentiment_score: 0,
          sentiment_label: 'neutral',
          sentiment_scored: 1,
          matched_terms: '["Telvia"]',
        },
      ])
      await page.waitForSelector('#live .pill', { timeout: 15_000 })
      expect(await page.locator('#live .pill').textContent()).toBe('1 nouvelle mention')
      // Nothing moved under the reader until they ask.
      expect(await page.locator('#mention-list > li.mention').first().getAttribute('id')).toBe(
        firstBefore,
      )
      await page.click('#live .pill')
      await page.waitForFunction(() =>
        document.querySelector('#mention-list > li.mention')?.textContent?.includes('en direct'),
      )
      expect(await page.locator('#live .pill').count()).toBe(0)
    })
  })

  it('triages a mention: status, assignee, note, corrected sentiment, history', async () => {
    await withPage({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(`${vigie.url}/mentions?sentiment=negative`)
      await page.click('#mention-list > li.mention >> nth=0 >> a.open')
      await page.waitForURL(/\/mentions\/\d+$/)
      await page.check('input[name=status][value=answered]')
      await page.fill('#t-assignee', 'Camille')
      await page.fill('#t-note', 'Répondu en MP')
      await page.selectOption('#t-label', 'neutral')
      await page.click('#triage button[type=submit]')
      await page.waitForSelector('#triage .alert-ok')
      // keyboard focus is on the confirmation, not back at the top of the page
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.classList.contains('alert-ok')))
        .toBe(true)
      const history = await page.locator('#history').textContent()
      expect(history).toContain('Admin') // the signed-in person (test/e2e/browser.ts)
      expect(history).toContain('répondue')
      expect(history).toContain('Camille')
      // the head above the mention says the same without a reload
      expect(await page.locator('#detail-head').textContent()).toMatch(/neutre.*répondue.*Camille/)
      await page.screenshot({ path: `${ARTIFACTS}mention-detail.png`, fullPage: true })
      await page.reload()
      expect(await page.locator('.detail .badge').first().textContent()).toContain('neutre')
      // Mute the author, then undo.
      if (await page.locator('#mute button:has-text("auteur")').count()) {
        await page.click('#mute button:has-text("auteur")')
        await page.waitForSelector('#mute button:has-text("Annuler")')
        await page.click('#mute button:has-text("Annuler")')
        await page.waitForSelector('#mute :text("Masquage annulé.")')
      }
    })
  })

  it('applies a bulk action to a selection', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(`${vigie.url}/mentions?status=new`)
      const ids = await page
        .locator('#mention-list > li.mention')
        .evaluateAll((els) => els.slice(0, 2).map((e) => e.id))
      for (const id of ids) await page.check(`#${id} input.select`)
      await page.selectOption('#bulk-action', 'status:ignored')
      await page.click('#bulk button[type=submit]')
      await page.waitForFunction(() =>
        /2 mention/.test(document.querySelector('#bulk-status')?.textContent ?? ''),
      )
      for (const id of ids)
        expect(await page.locator(`#${id} .status`).textContent()).toBe('ignorée')
      // still ticked: a second action on the same selection needs no re-ticking
      for (const id of ids) expect(await page.isChecked(`#${id} input.select`)).toBe(true)
      await page.selectOption('#bulk-action', 'status:in_progress')
      await page.click('#bulk button[type=submit]')
      await page.waitForFunction(
        (first) => document.querySelector(`#${first} .status`)?.textContent === 'en cours',
        ids[0],
      )
      expect(await page.locator(`#${ids[1]} .status`).textContent()).toBe('en cours')
    })
  })

  it('ticks every mention of the page at once, and follows single unticks', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(`${vigie.url}/mentions?sentiment=negative`)
      const boxes = page.locator('#mention-list input.select')
      const n = await boxes.count()
      expect(n).toBeGreaterThan(2)
      await page.check('#bulk-all')
      expect(await boxes.evaluateAll((b) => b.every((x) => (x as HTMLInputElement).checked))).toBe(
        true,
      )
      await boxes.first().uncheck()
      expect(await page.isChecked('#bulk-all')).toBe(false)
      await boxes.first().check()
      expect(await page.isChecked('#bulk-all')).toBe(true)
      // the x shortcut unticks and ticks like a click, and the page box follows it too
      await page.locator('#mention-list > li.mention').first().focus()
      await page.keyboard.press('x')
      expect(await page.isChecked('#bulk-all')).toBe(false)
      await page.keyboard.press('x')
      expect(await page.isChecked('#bulk-all')).toBe(true)
      await page.selectOption('#bulk-action', 'status:in_progress')
      await page.click('#bulk button[type=submit]')
      await page.waitForFunction(
        (count) =>
          new RegExp(`${count} mentions`).test(
            document.querySelector('#bulk-status')?.textContent ?? '',
          ),
        n,
      )
    })
  })
})

describe('answers, four eyes', () => {
  it('approves the text the approver read, not one changed under them', async () => {
    const ana = await vigie.newPage(browser, { as: 'responder', locale: 'fr-FR' })
    const bob = await vigie.newPage(browser, { as: 'responder', locale: 'fr-FR' })
    try {
      await ana.goto(`${vigie.url}/mentions?sentiment=negative`)
      const href = (await ana
        .locator('#mention-list .mention a.open')
        .first()
        .getAttribute('href'))!
      await ana.goto(`${vigie.url}${href}`)
      await ana.fill('#answer-body', 'Version 1')
      await ana.click('text=Enregistrer le brouillon')
      await ana.waitForSelector('#answer-awaiting')
      expect(await ana.getByRole('button', { name: 'Approuver' }).count()).toBe(0)
      await bob.goto(`${vigie.url}${href}`)
      expect(await bob.inputValue('#answer-body')).toBe('Version 1')
      // Ana changes the text while Bob's page is open; Bob's click must not approve it unread
      await ana.fill('#answer-body', 'Version 2 : remboursement intégral promis')
      await ana.click('text=Enregistrer le brouillon')
      await ana.waitForLoadState('networkidle')
      await bob.click('button:has-text("Approuver")')
      await bob.waitForSelector('#answer-error')
      expect(await bob.locator('#answer-error').textContent()).toContain('Le texte a changé')
      expect(await bob.inputValue('#answer-body')).toBe('Version 2 : remboursement intégral promis')
      expect(await bob.locator('#answer-status').textContent()).toBe('Brouillon')
      // now he has read it: approved, and he stays on the mention
      await bob.click('button:has-text("Approuver")')
      await bob.waitForFunction(
        () => document.querySelector('#answer-status')?.textContent === 'Prête à publier',
      )
      expect(new URL(bob.url()).pathname).toBe(href)
    } finally {
      await ana.close()
      await bob.close()
    }
  })
})

describe('brand editor', () => {
  it('previews what a query keeps and drops while typing, and shows parse errors inline', async () => {
    await withPage({ locale: 'fr-FR', viewport: { width: 1280, height: 1000 } }, async (page) => {
      await page.goto(`${vigie.url}/brands`)
      await page.click('a:has-text("Modifier") >> nth=0')
      await page.waitForSelector('#preview strong')
      await page.fill('#brand-query', '"Telvia')
      await page.waitForSelector('#brand-query-live-error')
      await page.fill('#brand-query', 'Telvia -panne')
      await page.waitForFunction(() =>
        /écarterait/.test(document.querySelector('#preview')?.textContent ?? ''),
      )
      await page.screenshot({ path: `${ARTIFACTS}brand-preview.png`, fullPage: true })
      await page.fill('#brand-vocabulary', 'réseau = -2\nfibre = +9')
      await page.click('button[type=submit]:has-text("Enregistrer")')
      expect(await page.locator('#brand-vocabulary-error').textContent()).toContain('Ligne 2')
    })
  })
})

describe('language', () => {
  it('switches the overview to English and remembers it', async () => {
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(vigie.url)
      await page.click('#lang-switch')
      await page.waitForFunction(() => document.documentElement.lang === 'en')
      expect(await page.locator('h1').first().textContent()).toBe('Dashboard')
      expect(await page.locator('#sov-h').textContent()).toBe('Share of voice')
      await page.goto(`${vigie.url}/mentions`)
      expect(await page.locator('label[for=f-status]').textContent()).toBe('Status')
    })
  })
})

// Vigie runs in Paris (TZ=Europe/Paris); a colleague in Montréal sees the offer of her own zone at
// the foot of the page, takes it, and can go back.
describe('time zone', () => {
  it("offers the device's zone, shows the pages in it, and offers Vigie's back", async () => {
    await withPage({ locale: 'fr-FR', timezoneId: 'America/Toronto' }, async (page) => {
      await page.goto(`${vigie.url}/?range=24h`)
      const foot = page.locator('footer.page-foot')
      expect(await foot.textContent()).toContain('Heures affichées en Europe/Paris.')
      const offer = page.locator('#tz-device button')
      await offer.waitFor()
      expect(await offer.textContent()).toBe('Afficher l’heure de cet appareil (America/Toronto)')
      const parisTicks = await page.locator('svg.volume text.tick').allTextContents()
      await offer.click()
      await page.waitForURL(/range=24h/)
      await page.waitForFunction(() =>
        document.querySelector('footer.page-foot')?.textContent?.includes('America/Toronto.'),
      )
      // the same instants, six hours earlier on the clock
      const torontoTicks = await page.locator('svg.volume text.tick').allTextContents()
      const h = (s: string) => Number(s.slice(0, 2))
      expect((h(parisTicks[0]) - h(torontoTicks[0]) + 24) % 24).toBe(6)
      // the device's zone is the page's now: no second offer, and Vigie's is offered back
      expect(await page.locator('#tz-device').isHidden()).toBe(true)
      await page.click(
        'footer.page-foot button:has-text("Revenir à l’heure de Vigie (Europe/Paris)")',
      )
      await page.waitForFunction(() =>
        document.querySelector('footer.page-foot')?.textContent?.includes('Europe/Paris.'),
      )
      expect(await page.locator('#tz-device button').textContent()).toContain('America/Toronto')
    })
  })
})
