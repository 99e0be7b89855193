// Access in real headless Chromium: the first administrator from the setup link, turning on TOTP
// (the code computed here from the secret the page shows), signing in with a code, a disabled
// user's open session refused at its next click, and no CSP violation on the access pages.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCode } from '../../server/auth/totp'
import { ARTIFACTS, E2E_PASSWORD, launchBrowser, startVigie } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

function watchCsp(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text())
  })
  page.on('pageerror', (e) => violations.push(String(e)))
  return violations
}

describe('first administrator and two-factor', () => {
  it('sets up the admin from the link, enrols TOTP, signs out and back in with a code', async () => {
    const vigie = await startVigie({ users: false })
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    const csp = watchCsp(page)
    try {
      // Signed out: any page leads to sign-in, which explains how to get the first account.
      await page.goto(`${vigie.url}/mentions`)
      expect(new URL(page.url()).pathname).toBe('/signin')
      expect(await page.locator('main').textContent()).toContain('npm run user')
      await page.screenshot({ path: `${ARTIFACTS}access-signin-first-run.png`, fullPage: true })

      expect(vigie.setupUrl).toMatch(/\/setup\/[\w-]+$/)
      await page.goto(vigie.setupUrl!)
      await page.fill('#setup-email', 'claire@agence.example')
      await page.fill('#setup-name', 'Claire')
      await page.fill('#setup-password', 'une phrase de passe')
      await page.fill('#setup-confirm', 'une phrase de passe')
      await page.screenshot({ path: `${ARTIFACTS}access-setup.png`, fullPage: true })
      await page.click('main button[type=submit]')
      // the dashboard's first steps, two-step verification first
      await page.waitForURL(`${vigie.url}/`)
      expect(await page.locator('.who a').textContent()).toBe('Claire')

      await page.click('text=Activer les deux étapes')
      await page.waitForURL(`${vigie.url}/account/2fa`)
      expect(
        await page.locator('img.qr').evaluate((i: HTMLImageElement) => i.naturalWidth),
      ).toBeGreaterThan(0)
      await page.screenshot({ path: `${ARTIFACTS}access-2fa-enrol.png`, fullPage: true })
      const secret = (await page.locator('#totp-secret').textContent())!.trim()
      await page.fill('#enrol-code', totpCode(secret, new Date()))
      await page.click('main button[type=submit]')
      expect(await page.locator('#recovery-codes li').count()).toBe(10)
      await page.screenshot({ path: `${ARTIFACTS}access-recovery-codes.png`, fullPage: true })

      await page.goto(`${vigie.url}/account`)
      await page.screenshot({ path: `${ARTIFACTS}access-account.png`, fullPage: true })
      await page.click('.who input[type=submit]')
      await page.waitForURL(`${vigie.url}/signin`)
      expect((await context.cookies()).find((c) => c.name === 'vigie_session')).toBeUndefined()

      await page.fill('#signin-email', 'claire@agence.example')
      await page.fill('#signin-password', 'une phrase de passe')
      await page.click('main button[type=submit]')
      await page.waitForURL(`${vigie.url}/signin/2fa`)
      await page.fill('#signin-code', '000000')
      await page.click('main button[type=submit]')
      expect(await page.locator('#code-error').textContent()).toContain('Code incorrect')
      // The enrolment code's time step is spent (no replay): use the next one (one step of drift).
      await page.fill('#signin-code', totpCode(secret, new Date(Date.now() + 30_000)))
      await page.click('main button[type=submit]')
      await page.waitForURL(`${vigie.url}/`)
      const cookie = (await context.cookies()).find((c) => c.name === 'vigie_session')!
      expect(cookie.httpOnly).toBe(true)
      expect(cookie.sameSite).toBe('Lax')

      for (const path of [
        '/users',
        '/audit',
        '/settings/privacy',
        '/settings/exclusions',
        '/settings',
      ]) {
        await page.goto(`${vigie.url}${path}`)
        await page.screenshot({
          path: `${ARTIFACTS}access${path.replaceAll('/', '-')}.png`,
          fullPage: true,
        })
      }
      const audit = await page
        .goto(`${vigie.url}/audit`)
        .then(() => page.locator('#audit').textContent())
      expect(audit).toContain('auth.signin')
      expect(audit).toContain('auth.2fa')
      expect(csp).toEqual([])
    } finally {
      await context.close()
      await vigie.cleanup()
    }
  })
})

describe('disabling a user', () => {
  it(
    "refuses the disabled user's open session at their next click",
    { timeout: 60_000 },
    async () => {
      const vigie = await startVigie({ demo: true })
      const admin = await vigie.newPage(browser, { locale: 'fr-FR' })
      const context = await browser.newContext({
        locale: 'fr-FR',
        viewport: { width: 390, height: 844 },
        isMobile: true,
      })
      const page = await context.newPage()
      try {
        const viewer = await vigie.addUser('viewer', 'victor@agence.example')
        await page.goto(`${vigie.url}/signin`)
        await page.fill('#signin-email', viewer.email)
        await page.fill('#signin-password', E2E_PASSWORD)
        await page.click('main button[type=submit]')
        await page.waitForURL(`${vigie.url}/`)
        await page.screenshot({ path: `${ARTIFACTS}access-viewer-phone.png`, fullPage: true })
        // The account page fits a phone.
        await page.goto(`${vigie.url}/account`)
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        ).toBeLessThanOrEqual(0)
        await page.screenshot({ path: `${ARTIFACTS}access-account-phone.png`, fullPage: true })
        // A viewer does not see the admin cards, and cannot open the admin pages.
        await page.goto(`${vigie.url}/settings`)
        expect(await page.locator('main').textContent()).not.toContain('Équipe et accès')
        expect((await page.goto(`${vigie.url}/users`))!.status()).toBe(403)
        // htmx 4 works under the CSP (script-src 'self'): a filter swaps the list, no violation.
        const csp = watchCsp(page)
        await page.goto(`${vigie.url}/mentions`)
        await page.selectOption('#f-sentiment', 'negative')
        await page.waitForURL(/sentiment=negative/)
        await page.waitForFunction(() =>
          [...document.querySelectorAll('#mention-list .mention .badge')].every((b) =>
            b.classList.contains('s-negative'),
          ),
        )
        expect(csp).toEqual([])

        await admin.goto(`${vigie.url}/users`)
        const row = admin.locator('tr', { hasText: viewer.email })
        await row.locator('button', { hasText: 'Désactiver' }).click()
        await admin.waitForLoadState()
        expect(await admin.locator('tr', { hasText: viewer.email }).textContent()).toContain(
          'désactivé',
        )
        await admin.screenshot({ path: `${ARTIFACTS}access-users-disabled.png`, fullPage: true })

        // Their next click, in the page they still have open.
        await page.click('nav a[href="/brands"]')
        await page.waitForURL(/\/signin/)
        expect(new URL(page.url()).pathname).toBe('/signin')
      } finally {
        await admin.close()
        await context.close()
        await vigie.cleanup()
      }
    },
  )
})
