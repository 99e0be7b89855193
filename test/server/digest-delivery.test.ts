// The digest delivered end to end: a running Vigie, a real SMTP server on 127.0.0.1, a pinned
// clock moved by hand. The message is parsed back (headers, both parts, links), the one-click
// unsubscribe is POSTed to the app, and the exactly-once ledger is put through SMTP outages,
// a crash mid-send, concurrent ticks and restarts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claimDigest, getDigest, getRecipientByEmail, insertRecipient } from '../../db/digest'
import { parseConfig } from '../../server/config'
import { composeDigest, LEASE_MS, runDigestTick } from '../../server/digest-send'
import { silentLogger } from '../../server/log'
import { mailerFor, type Mailer } from '../../server/mailer'
import { start, type Running } from '../../server/start'
import { runCli } from '../../server/cli/digest'
import { signIn } from '../helpers/auth'
import { insertUser } from '../../db/users'
import { freshDb, pinnedClock, type TestDb } from '../helpers/db'
import { addMention, seedBrand } from '../helpers/digest-fixtures'
import { freePort, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink'
import { frenchSpacing } from '../../views/i18n'

let t: TestDb
let sink: SmtpSink | undefined
let running: Running[] = []
let httpPort: number
const clock = pinnedClock('2026-03-29T05:59:00Z') // 07:59 in Paris, the day clocks go forward

async function boot(smtpUrl: string, opts: { schedule?: boolean } = {}) {
  const config = parseConfig({
    TZ: 'Europe/Paris',
    PORT: String(httpPort),
    DATABASE_URL: t.path,
    BASE_URL: `http://127.0.0.1:${httpPort}`,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Vigie <digest@vigie.test>',
  })
  const r = await start(config, {
    log: silentLogger,
    now: clock.now,
    schedule: opts.schedule ?? false,
  })
  running.push(r)
  return r
}
async function stop(r: Running) {
  await r.stop()
  running = running.filter((x) => x !== r)
}
const tick = (r: Running) => runDigestTick(r.ctx, mailerFor(r.ctx.config))

beforeEach(async () => {
  t = await freshDb()
  httpPort = await freePort()
  clock.set('2026-03-29T05:59:00Z')
  const { brandId, sourceId } = await seedBrand(t.db, 'Acme')
  await addMention(t.db, {
    brandId,
    sourceId,
    at: '2026-03-28T09:00:00Z',
    label: 'negative',
    title: 'Refund <now>',
    metrics: { likes: 9 },
  })
  await addMention(t.db, {
    brandId,
    sourceId,
    at: '2026-03-28T10:00:00Z',
    label: 'positive',
    title: 'Great service',
  })
  await addMention(t.db, { brandId, sourceId, at: '2026-03-27T10:00:00Z', label: 'neutral' })
  await insertRecipient(
    t.db,
    {
      email: 'ana@example.com',
      lang: 'fr',
      sendTime: '08:00',
      timezone: 'Europe/Paris',
      brandIds: [],
      weekly: false,
    },
    new Date('2026-03-28T12:00:00Z'),
  )
})
afterEach(async () => {
  for (const r of running) await r.stop()
  running = []
  await sink?.close()
  sink = undefined
  await t.cleanup()
})

describe('scheduled digest over SMTP', () => {
  it('goes out once at the send time, with both parts, links and a working one-click unsubscribe', async () => {
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    expect(await tick(vigie)).toEqual({ queued: 0, sent: 0, failed: 0 }) // 07:59: not yet
    clock.set('2026-03-29T06:00:00Z') // 08:00 CEST
    const t0 = performance.now()
    expect(await tick(vigie)).toEqual({ queued: 1, sent: 1, failed: 0 })
    const ms = performance.now() - t0
    await tick(vigie)
    clock.advance(3600_000)
    await tick(vigie)
    expect(sink.messages).toHaveLength(1)

    const msg = sink.messages[0]
    console.log(`digest: build+render+SMTP ${ms.toFixed(0)} ms, message ${msg.raw.length} bytes`)
    expect(msg.envelopeTo).toEqual(['ana@example.com'])
    expect(msg.from?.value[0]).toMatchObject({ name: 'Vigie', address: 'digest@vigie.test' })
    expect(msg.subject).toBe(
      frenchSpacing(
        'Vigie · samedi 28 mars 2026 : 2 mentions, 1 en attente de réponse sur 7 jours',
      ),
    )
    expect(msg.messageId).toMatch(/^<digest\.1\.day-2026-03-28\.[0-9a-f]{8}@vigie\.test>$/)
    expect(msg.headers.get('auto-submitted')).toBe('auto-generated')
    const header = (k: string) =>
      msg.headerLines.find((l) => l.key === k)?.line.replace(/^[^:]+:\s*/, '')
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    const unsubUrl = /^<(http[^>]+)>$/.exec(header('list-unsubscribe') ?? '')?.[1] ?? ''
    expect(unsubUrl).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${httpPort}/digest/unsubscribe/1\\.`),
    )
    // Both parts, saying the same, with links back to the dashboard and the unsubscribe link.
    expect(msg.html).toContain('Refund &lt;now&gt;')
    expect(msg.text).toContain('Refund <now>')
    for (const part of [String(msg.html), String(msg.text)]) {
      expect(part).toContain(`http://127.0.0.1:${httpPort}/mentions?brand=1`)
      expect(part).toContain(unsubUrl)
      expect(part).toContain('Acme')
    }
    expect(msg.attachments).toEqual([]) // no images, nothing external
    // ana has no account: the recipients page would only show her a sign-in form
    for (const part of [String(msg.html), String(msg.text)])
      expect(part).not.toContain('/settings/digest')
    // an administrator reading it gets the link
    await insertUser(vigie.ctx.db, { email: 'Ana@example.com', role: 'admin' }, clock.now())
    const ana = (await getRecipientByEmail(vigie.ctx.db, 'ana@example.com'))!
    const asAdmin = await composeDigest(vigie.ctx, ana, { kind: 'daily', date: '2026-03-28' })
    expect(asAdmin.text).toContain(`Gérer les destinataires`)
    expect(asAdmin.text).toContain(`http://127.0.0.1:${httpPort}/settings/digest`)

    // A link scanner's GET only shows the confirm button.
    const get = await fetch(unsubUrl)
    expect(get.status).toBe(200)
    expect(await get.text()).toContain('Ne plus envoyer le résumé à ana@example.com')
    expect((await getRecipientByEmail(t.db, 'ana@example.com'))?.unsubscribed_at).toBeNull()
    // A forged token does nothing.
    const forged = await fetch(unsubUrl.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), {
      method: 'POST',
    })
    expect(forged.status).toBe(404)
    // RFC 8058: the mail provider POSTs, without any Origin header.
    const post = await fetch(unsubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(post.status).toBe(200)
    expect((await getRecipientByEmail(t.db, 'ana@example.com'))?.unsubscribed_at).toBe(
      clock.now().toISOString(),
    )
    // nobody is signed in on that page: the audit names the recipient, never the link's token
    const audit = await t.db.selectFrom('audit_log').selectAll().execute()
    expect(audit.map((a) => [a.actor, a.action, a.path])).toEqual([
      ['ana@example.com', 'digest.unsubscribe', '/digest/unsubscribe/…'],
    ])

    clock.set('2026-03-30T06:00:00Z') // the next morning
    expect(await tick(vigie)).toEqual({ queued: 0, sent: 0, failed: 0 })
    expect(sink.messages).toHaveLength(1)
  })

  // A quiet day for a small brand: one mention, which is the negative one waiting for an answer.
  // The subject and the summary line said "1 mentions, dont 1 négatives".
  it.each([
    [
      'fr',
      frenchSpacing('Vigie · samedi 28 mars 2026 : 1 mention, 1 en attente de réponse sur 7 jours'),
      frenchSpacing(
        '1 mention, dont 1 négative ; 1 négative des 7 derniers jours en attente de réponse.',
      ),
    ],
    [
      'en',
      'Vigie · Saturday, 28 March 2026: 1 mention, 1 awaiting an answer over 7 days',
      '1 mention, 1 of them negative; 1 negative of the last 7 days waiting for an answer.',
    ],
  ] as const)('%s: one mention is said in the singular', async (lang, subject, summary) => {
    await t.db.deleteFrom('mentions').where('title', '=', 'Great service').execute()
    await t.db.updateTable('digest_recipients').set({ lang }).execute()
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    clock.set('2026-03-29T06:00:00Z') // 08:00 CEST
    expect(await tick(vigie)).toMatchObject({ sent: 1 })
    const msg = sink.messages[0]
    expect(msg.subject).toBe(subject)
    expect(msg.text).toContain(summary)
    expect(msg.html).toContain(summary)
  })

  it('SMTP down: the failure is recorded and shown, retried with backoff, sent once when back', async () => {
    const port = await freePort() // nothing listens there yet
    const vigie = await boot(`smtp://127.0.0.1:${port}`)
    clock.set('2026-03-29T06:00:00Z')
    expect(await tick(vigie)).toMatchObject({ queued: 1, sent: 0, failed: 1 })
    let row = await getDigest(t.db, 1, 'day:2026-03-28')
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: '2026-03-29T06:01:00.000Z',
    })
    expect(row?.last_error).toMatch(/^smtp: .*ECONNREFUSED/)
    const admin = await signIn(vigie.ctx.db, 'admin', clock.now())
    const page = await (
      await fetch(`${vigie.url}/settings/digest`, { headers: admin.headers })
    ).text()
    expect(page).toContain('ECONNREFUSED')

    clock.advance(30_000) // before the backoff: nothing is attempted
    expect(await tick(vigie)).toMatchObject({ sent: 0, failed: 0 })
    clock.advance(30_000)
    expect(await tick(vigie)).toMatchObject({ failed: 1 }) // attempt 2, still down
    row = await getDigest(t.db, 1, 'day:2026-03-28')
    expect(row).toMatchObject({ attempts: 2, next_attempt_at: '2026-03-29T06:03:00.000Z' })

    sink = await startSmtpSink(port)
    sink.failNext(1) // back, but hiccups once with a 451
    clock.set('2026-03-29T06:03:00Z')
    expect(await tick(vigie)).toMatchObject({ failed: 1 })
    expect((await getDigest(t.db, 1, 'day:2026-03-28'))?.last_error).toMatch(/451/)
    clock.set('2026-03-29T06:07:00Z')
    expect(await tick(vigie)).toMatchObject({ sent: 1, failed: 0 })
    for (let i = 0; i < 3; i++) {
      clock.advance(10 * 60_000)
      await tick(vigie)
    }
    expect(sink.messages).toHaveLength(1)
    expect(await getDigest(t.db, 1, 'day:2026-03-28')).toMatchObject({
      status: 'sent',
      attempts: 4,
      last_error: null,
    })
  })

  it('gives up after the last attempt and says so; a retry from the UI sends it', async () => {
    const port = await freePort()
    const vigie = await boot(`smtp://127.0.0.1:${port}`)
    clock.set('2026-03-29T06:00:00Z')
    for (let i = 0; i < 6; i++) {
      await tick(vigie)
      clock.advance(3600_000)
    }
    const row = await getDigest(t.db, 1, 'day:2026-03-28')
    expect(row).toMatchObject({ status: 'failed', attempts: 6 })
    const admin = await signIn(vigie.ctx.db, 'admin', clock.now())
    const page = await (
      await fetch(`${vigie.url}/settings/digest`, { headers: admin.headers })
    ).text()
    expect(page).toContain('échec')
    sink = await startSmtpSink(port)
    const res = await fetch(`${vigie.url}/settings/digest/log/${row!.id}/retry`, {
      method: 'POST',
      headers: {
        ...admin.headers,
        origin: vigie.url,
        'content-type': 'application/x-www-form-urlencoded',
      },
      redirect: 'manual',
    })
    expect(res.status).toBe(303)
    await tick(vigie)
    expect(sink.messages).toHaveLength(1)
  })

  it('weekly recipients get Monday’s digest of the previous week; a broken recipient blocks no one', async () => {
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    await insertRecipient(
      t.db,
      {
        email: 'boss@example.com',
        lang: 'en',
        sendTime: '07:00',
        timezone: 'Europe/Zurich',
        brandIds: [],
        weekly: true,
      },
      new Date('2026-03-01T00:00:00Z'),
    )
    await t.db
      .updateTable('digest_recipients')
      .set({ timezone: 'Not/AZone' })
      .where('email', '=', 'ana@example.com')
      .execute()
    clock.set('2026-03-30T05:00:00Z') // Monday 07:00 CEST
    expect(await tick(vigie)).toMatchObject({ queued: 1, sent: 1 })
    expect(sink.messages[0].subject).toBe(
      'Vigie · week of Monday, 23 March 2026: 3 mentions, 1 awaiting an answer over 7 days',
    )
    expect(await getDigest(t.db, 2, 'week:2026-03-23')).toMatchObject({ status: 'sent' })
  })

  it('concurrent ticks send one message', async () => {
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    clock.set('2026-03-29T06:00:00Z')
    const reports = await Promise.all([tick(vigie), tick(vigie), tick(vigie)])
    expect(reports.reduce((s, r) => s + r.sent, 0)).toBe(1)
    expect(sink.messages).toHaveLength(1)
  })

  it('a crash mid-send: the claim expires after the lease and the same Message-ID goes out', async () => {
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    clock.set('2026-03-29T06:00:00Z')
    // Queue it, then take it the way a tick does, and "die" before sending.
    const { queueDueDigests } = await import('../../server/digest-send')
    await queueDueDigests(vigie.ctx, clock.now())
    const row = await getDigest(t.db, 1, 'day:2026-03-28')
    expect(await claimDigest(t.db, row!.id, clock.now(), LEASE_MS)).toBeTruthy()
    await stop(vigie)
    const again = await boot(sink.url)
    clock.advance(60_000)
    expect(await tick(again)).toMatchObject({ sent: 0 }) // still leased: maybe in flight
    clock.advance(LEASE_MS)
    expect(await tick(again)).toMatchObject({ sent: 1 })
    expect(sink.messages).toHaveLength(1)
    expect(sink.messages[0].messageId).toBe(row!.message_id)
  })

  it('a send that outlives its lease records nothing over the tick that took the row over', async () => {
    sink = await startSmtpSink()
    const vigie = await boot(sink.url)
    clock.set('2026-03-29T06:00:00Z')
    // The first attempt's SMTP server stalls past the lease; meanwhile another tick (another
    // process) takes the row over and delivers it; then the first attempt fails.
    const stalled: Mailer = {
      async send() {
        clock.advance(LEASE_MS + 60_000)
        expect(await tick(vigie)).toMatchObject({ sent: 1 })
        throw new Error('451 timeout after the lease')
      },
      close: () => {},
    }
    expect(await runDigestTick(vigie.ctx, stalled)).toMatchObject({ sent: 0 })
    const row = await getDigest(t.db, 1, 'day:2026-03-28')
    // the late failure would have put the sent digest back to pending, for a second mail
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null })
    clock.advance(LEASE_MS)
    expect(await tick(vigie)).toMatchObject({ sent: 0 })
    expect(sink.messages).toHaveLength(1)
  })

  it('restart between two ticks: no duplicate; missed send time: caught up on start', async () => {
    sink = await startSmtpSink()
    const a = await boot(sink.url)
    clock.set('2026-03-29T06:00:00Z')
    await tick(a)
    expect(sink.messages).toHaveLength(1)
    await stop(a)
    clock.advance(60_000)
    const b = await boot(sink.url, { schedule: true }) // runs the catch-up tick at start
    await new Promise((r) => setTimeout(r, 300))
    await tick(b)
    expect(sink.messages).toHaveLength(1)
    await stop(b)
    // Down over the next 08:00; back at 11:15: the missed digest goes out on start.
    clock.set('2026-03-30T09:15:00Z')
    await boot(sink.url, { schedule: true })
    await sink.waitFor(2)
    expect(sink.messages[1].subject).toContain('dimanche 29 mars 2026')
  })

  it('CLI --help prints the usage and exits 0, without opening a database', async () => {
    for (const arg of ['--help', '-h', 'help']) {
      const out: string[] = []
      // no DATABASE_URL either: the project's own data/vigie.db must not be created for a usage line
      expect(
        await runCli([arg], { DATABASE_URL: '/nonexistent/dir/x.db' }, (s) => out.push(s)),
      ).toBe(0)
      expect(out.join('')).toMatch(/^usage: npm run digest -- send /)
    }
  })

  it('CLI send is idempotent like the scheduler; --to another address is a test send', async () => {
    sink = await startSmtpSink()
    const env = {
      TZ: 'Europe/Paris',
      DATABASE_URL: t.path,
      BASE_URL: 'https://vigie.example',
      SMTP_URL: sink.url,
      MAIL_FROM: 'digest@vigie.test',
    }
    const out: string[] = []
    const now = () => new Date('2026-03-29T12:00:00Z')
    expect(await runCli(['send', '--date', '2026-03-28'], env, (s) => out.push(s), now)).toBe(0)
    expect(await runCli(['send', '--date', '2026-03-28'], env, (s) => out.push(s), now)).toBe(0)
    expect(out.join('')).toBe(
      'ana@example.com day:2026-03-28: sent\nana@example.com day:2026-03-28: already sent\n',
    )
    expect(
      await runCli(
        ['send', '--date=2026-03-28', '--to', 'boss@example.com', '--lang', 'en'],
        env,
        (s) => out.push(s),
        now,
      ),
    ).toBe(0)
    expect(sink.messages).toHaveLength(2)
    expect(sink.messages[1].subject).toBe(
      '[Test send] Vigie · Saturday, 28 March 2026: 2 mentions, 1 awaiting an answer over 7 days',
    )
    expect(sink.messages[1].headerLines.some((l) => l.key === 'list-unsubscribe')).toBe(false)
    const html: string[] = []
    expect(
      await runCli(
        ['preview', '--date', '2026-03-28', '--lang', 'en', '--brand', 'Acme'],
        env,
        (s) => html.push(s),
        now,
      ),
    ).toBe(0)
    expect(html.join('')).toMatch(/^<!doctype html><html lang="en">/)
    await expect(runCli(['send', '--date', '28/03/2026'], env, () => {}, now)).rejects.toThrow(
      /is not a day/,
    )
  })
})
