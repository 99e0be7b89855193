// Digest settings through app.request(): the recipient form validates and re-renders with field
// errors, saves, pauses; the preview renders any day and escapes mention text; the YAML `digest:`
// key validates strictly and upserts by e-mail without undoing an unsubscribe; env validation.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureDigest, getRecipientByEmail, listRecipients, setUnsubscribed } from '../../db/digest'
import { createApp } from '../../server/app'
import { ConfigError, parseConfig } from '../../server/config'
import { applyConfigFile, ConfigFileError, parseConfigFile } from '../../server/config-file'
import { Poller } from '../../server/poller'
import { signIn, withSession, type SignedIn, type SignedInApp } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { addMention, seedBrand } from '../helpers/digest-fixtures'

let tdb: TestDb
let app: SignedInApp<ReturnType<typeof createApp>>
let me: SignedIn
const now = new Date('2026-03-29T12:00:00Z')
const ORIGIN = 'http://localhost'

beforeEach(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  // Signed in as an admin: the access rules have their own tests (access-*.test.ts).
  me = await signIn(tdb.db, 'admin', now)
  app = withSession(createApp(ctx, new Poller(ctx)), me.cookie)
})
afterEach(() => tdb.cleanup())

const post = (path: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x)
  return app.request(path, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
}

describe('recipients UI', () => {
  it('re-renders the form with field errors, then saves a valid recipient', async () => {
    const bad = await post('/settings/digest/recipients', {
      email: 'not-an-address',
      lang: 'en',
      time: '25:00',
      timezone: 'Mars/Olympus',
    })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('id="rc-email-error"')
    expect(html).toContain('id="rc-time-error"')
    expect(html).toContain('id="rc-timezone-error"')
    expect(html).toContain('value="not-an-address"') // nothing typed is lost
    expect(await listRecipients(tdb.db)).toEqual([])

    const { brandId } = await seedBrand(tdb.db, 'Acme')
    const ok = await post('/settings/digest/recipients', {
      email: 'Ana@Example.com',
      lang: 'en',
      time: '07:30',
      timezone: 'America/Toronto',
      brands: [String(brandId)],
      weekly: '1',
      enabled: '1',
    })
    expect(ok.status).toBe(303)
    expect(await getRecipientByEmail(tdb.db, 'ana@example.com')).toMatchObject({
      lang: 'en',
      send_time: '07:30',
      timezone: 'America/Toronto',
      brand_ids: `[${brandId}]`,
      weekly: 1,
      enabled: 1,
    })
    const dup = await post('/settings/digest/recipients', {
      email: 'ana@example.com',
      time: '08:00',
      timezone: 'Europe/Paris',
    })
    expect(dup.status).toBe(422)

    const page = await (await app.request('/settings/digest')).text()
    expect(page).toContain('ana@example.com')
    expect(page).toContain('07:30 America/Toronto')
    expect(page).toContain('SMTP_URL') // not configured in this context: said plainly
    // the send log names the period in words, not by its internal key
    const ana = (await getRecipientByEmail(tdb.db, 'ana@example.com'))!
    await ensureDigest(
      tdb.db,
      { recipientId: ana.id, period: 'week:2026-03-23', dueAt: now, messageId: '<m@x>' },
      now,
    )
    const log = await (await app.request('/settings/digest')).text()
    expect(log).toContain('semaine du 23 mars 2026')
    expect(log).not.toContain('week:2026-03-23')
  })

  it('the settings hub links to the digest page', async () => {
    expect(await (await app.request('/settings')).text()).toContain('href="/settings/digest"')
  })

  it('previews any day, escaping mention text', async () => {
    const { brandId, sourceId } = await seedBrand(tdb.db, 'Acme')
    await addMention(tdb.db, {
      brandId,
      sourceId,
      at: '2026-03-28T10:00:00Z',
      label: 'negative',
      title: '<img src=x onerror=alert(1)>',
    })
    const res = await app.request(
      `/settings/digest/preview?date=2026-03-28&lang=en&brand=${brandId}`,
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Your digest for Saturday, 28 March 2026')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).not.toContain('<img')
    expect((await app.request('/settings/digest/preview?date=2026-02-30')).status).toBe(400)
  })

  it('unsubscribe with a bad token is a 404 page, not an error', async () => {
    const res = await app.request('/digest/unsubscribe/12.nope', { method: 'POST' })
    expect(res.status).toBe(404)
  })
})

describe('VIGIE_CONFIG digest key', () => {
  const yaml = `brands:
  - name: Acme
    query: '"Acme"'
digest:
  - email: Ana@Example.com
    lang: en
    time: '07:30'
    timezone: Europe/Zurich
    brands: [Acme]
  - email: bob@example.com
    timezone: Europe/Paris
    weekly: true
`
  it('upserts by e-mail, idempotently, and never undoes an unsubscribe', async () => {
    const file = join(tdb.dir, 'vigie.yaml')
    writeFileSync(file, yaml)
    const first = await applyConfigFile(tdb.db, file, now)
    expect(first.digest).toEqual({ created: 2, updated: 0, unchanged: 0 })
    const ana = await getRecipientByEmail(tdb.db, 'ana@example.com')
    expect(ana).toMatchObject({ lang: 'en', send_time: '07:30', timezone: 'Europe/Zurich' })
    await setUnsubscribed(tdb.db, ana!.id, now, now)
    const second = await applyConfigFile(tdb.db, file, now)
    expect(second.digest).toEqual({ created: 0, updated: 0, unchanged: 2 })
    writeFileSync(file, yaml.replace("'07:30'", "'06:45'"))
    expect((await applyConfigFile(tdb.db, file, now)).digest).toMatchObject({ updated: 1 })
    const after = await getRecipientByEmail(tdb.db, 'ana@example.com')
    expect(after).toMatchObject({ send_time: '06:45', unsubscribed_at: now.toISOString() })
    expect(await getRecipientByEmail(tdb.db, 'bob@example.com')).toMatchObject({
      lang: 'fr',
      send_time: '08:00',
      weekly: 1,
    })
  })

  it.each([
    ['digest:\n  - email: nope\n    timezone: UTC\n', 'f.yaml:2: email: Invalid email address'],
    [
      'digest:\n  - email: a@b.co\n    timezone: Mars/Olympus\n',
      'f.yaml:3: timezone: is not a known IANA time zone (e.g. Europe/Paris)',
    ],
    [
      'digest:\n  - email: a@b.co\n    timezone: UTC\n    time: "8h"\n',
      'f.yaml:4: time: must be a time HH:MM such as 08:00 (quote it in YAML)',
    ],
    [
      'digest:\n  - email: a@b.co\n    timezone: UTC\n    lang: de\n',
      'f.yaml:4: lang: Invalid option: expected one of "fr"|"en"',
    ],
    [
      'digest:\n  - email: a@b.co\n    timezone: UTC\n    colour: red\n',
      'f.yaml:4: unknown key "colour"',
    ],
    [
      'digest:\n  - email: a@b.co\n    timezone: UTC\n  - email: A@b.co\n    timezone: UTC\n',
      'f.yaml:4: recipient "a@b.co" is declared twice',
    ],
  ])('rejects %j', (text, message) => {
    expect(() => parseConfigFile(text, 'f.yaml')).toThrow(ConfigFileError)
    expect(() => parseConfigFile(text, 'f.yaml')).toThrow(message)
  })

  it('a brand the file does not declare is left for Vigie to have, with its line', () => {
    const text = 'digest:\n  - email: a@b.co\n    timezone: UTC\n    brands: [Ghost]\n'
    expect(parseConfigFile(text, 'f.yaml').brandRefs).toEqual([{ name: 'Ghost', at: 'f.yaml:4' }])
  })
})

describe('SMTP_URL and MAIL_FROM', () => {
  it('accepts smtp(s) URLs and addresses, with a default sender', () => {
    expect(parseConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).smtpUrl).toBe(
      'smtps://u:p@mail.example.com:465',
    )
    expect(parseConfig({}).smtpUrl).toBeUndefined()
    expect(parseConfig({ BASE_URL: 'https://vigie.example.com' }).mailFrom).toBe(
      'Vigie <vigie@vigie.example.com>',
    )
    expect(parseConfig({}).mailFrom).toBe('Vigie <vigie@localhost>')
    expect(parseConfig({ MAIL_FROM: 'Veille <veille@acme.fr>' }).mailFrom).toBe(
      'Veille <veille@acme.fr>',
    )
  })

  it.each([
    [
      { SMTP_URL: 'http://mail.example.com' },
      'SMTP_URL must start with smtp:// or smtps:// (got http://)',
    ],
    [{ SMTP_URL: 'mail.example.com:25' }, 'SMTP_URL must start with smtp:// or smtps://'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL is not a URL'],
    [{ MAIL_FROM: 'vigie' }, 'MAIL_FROM="vigie" must be an address'],
    [{ MAIL_FROM: 'Vigie <>' }, 'MAIL_FROM="Vigie <>" must be an address'],
  ])('one clear line for %j', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError)
    expect(() => parseConfig(env)).toThrow(message)
  })

  it('never echoes the SMTP password in an error', () => {
    expect(() => parseConfig({ SMTP_URL: 'ftp://user:s3cret@host' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    )
  })
})
