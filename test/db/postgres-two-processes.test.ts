// Two Vigie processes on one Postgres (README: several machines may share one database). Each test
// opens the scratch database twice — two pools, as two processes have — and runs the same job on
// both at once, against real HTTP and SMTP servers on 127.0.0.1: nothing may happen twice. Runs
// when TEST_DATABASE_URL points at a throw-away Postgres; skipped otherwise.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { getBrandByName, insertBrand } from '../../db/brands'
import { insertAlert } from '../../db/alerts'
import { insertChannel } from '../../db/channels'
import { enqueueDelivery } from '../../db/deliveries'
import { insertRecipient } from '../../db/digest'
import { getSourceByName, insertSource } from '../../db/sources'
import { runDetection } from '../../server/alerts'
import { alertNotifier, deliverDue } from '../../server/deliver'
import { burstTemplates } from '../../server/demo/data'
import { seedDemo } from '../../server/demo/seed'
import { applyConfigPlan, parseConfigFile } from '../../server/config-file'
import { ingest } from '../../server/pipeline'
import { lastPurge, purgeExpired } from '../../server/retention'
import { parseConfig } from '../../server/config'
import { silentLogger } from '../../server/log'
import { Poller } from '../../server/poller'
import { runDigestTick } from '../../server/digest-send'
import { createMailer } from '../../server/mailer'
import { start } from '../../server/start'
import { signinFailed, signinWaitMs } from '../../server/auth/rate-limit'
import type { AppContext } from '../../server/context'
import { ingestOverTime } from '../helpers/history'
import { testContext } from '../helpers/db'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { scratchDatabase, type ScratchDatabase } from '../helpers/postgres'
import { startSmtpSink } from '../helpers/smtp-sink'
import { channelInput } from '../helpers/channel'
import { alertRow } from '../helpers/alert-row'

const url = process.env.TEST_DATABASE_URL
const now = new Date()

const rss = (n: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://f.example/</link>${Array.from(
    { length: n },
    (_, i) =>
      `<item><title>Acme news ${i}</title><link>https://f.example/${i}</link><guid>g${i}</guid><pubDate>${now.toUTCString()}</pubDate><description>Acme did thing ${i}.</description></item>`,
  ).join('')}</channel></rss>`

describe.skipIf(!url)('two processes on one Postgres', () => {
  let scratch: ScratchDatabase
  let one: OpenDb
  let two: OpenDb
  let a: AppContext
  let b: AppContext
  let srv: FixtureServer

  beforeEach(async () => {
    scratch = await scratchDatabase(url!, 'twoproc')
    // both processes run the migrations as they start
    ;[one, two] = await Promise.all([
      openDatabase({ kind: 'postgres', url: scratch.url }, { log: silentLogger }),
      openDatabase({ kind: 'postgres', url: scratch.url }, { log: silentLogger }),
    ])
    const config = { allowPrivateUrls: true }
    a = testContext(one, { config })
    b = testContext(two, { config })
    // Slow answers: each process has read its list of due work before the other one acts on it.
    srv = await startFixtureServer({
      '/feed.xml': {
        delayMs: 300,
        headers: { 'content-type': 'application/rss+xml' },
        body: rss(5),
      },
      '/down.xml': { delayMs: 300, status: 500, body: 'boom' },
      '/hook': { status: 204 },
      '/slow-hook': { status: 204, delayMs: 500 },
      '/busy-hook': { status: 429, headers: { 'retry-after': '60' } },
    })
  })
  afterEach(async () => {
    await srv?.close()
    await Promise.all([one?.close(), two?.close()])
    await scratch?.drop()
  })

  const hits = (path: string) => srv.requests.filter((r) => r.url.split('?')[0] === path).length

  it('a due source is polled by one process; its failure counts once', async () => {
    await insertBrand(a.db, { name: 'Acme', query: 'Acme' }, now)
    for (const [name, path] of [
      ['feed', '/feed.xml'],
      ['down', '/down.xml'],
    ])
      await insertSource(
        a.db,
        { name, kind: 'rss', config: { url: srv.url + path }, intervalSeconds: 900 },
        now,
      )
    const [ra, rb] = await Promise.all([new Poller(a).pollDue(), new Poller(b).pollDue()])
    expect(hits('/feed.xml')).toBe(1)
    expect(hits('/down.xml')).toBe(1)
    expect([...ra, ...rb].filter((o) => o.code !== 'busy')).toHaveLength(2)
    expect((await getSourceByName(a.db, 'down'))!.error_count).toBe(1)
    const feed = (await getSourceByName(a.db, 'feed'))!
    expect(feed.last_item_count).toBe(5)
    expect(Date.parse(feed.next_check_at)).toBeGreaterThan(now.getTime() + 800_000)
    const [{ n }] = await a.db
      .selectFrom('mentions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .execute()
    expect(Number(n)).toBe(5)
  })

  it('an incident detected by both at once opens one alert and one chat message', async () => {
    await seedDemo(a.db, now, 42, 30) // two weeks of history, the demo's outage long over
    // then a burst of complaints, stored by a poll whose own detection has not run yet
    const telvia = (await getBrandByName(a.db, 'Telvia'))!
    const forum = await insertSource(
      a.db,
      {
        name: 'Forum',
        kind: 'rss',
        config: { url: 'https://forum.example/' },
        intervalSeconds: 900,
      },
      now,
    )
    const fr = burstTemplates.filter((t) => t.brand === 'Telvia' && t.lang === 'fr')
    const items = Array.from({ length: 45 }, (_, i) => ({
      title: fr[i % fr.length].title,
      text: fr[i % fr.length].text,
      url: `https://forum.example/p/${i}`,
      publishedAt: new Date(now.getTime() - (45 - i) * 60_000).toISOString(),
    }))
    expect((await ingest(a.db, forum, items, now)).newMentions).toHaveLength(45)
    await insertChannel(a.db, channelInput(`${srv.url}/hook`), now)
    const notify = alertNotifier()
    // the scheduled run fires at the same second in every process
    await Promise.all([runDetection(a, { notify }), runDetection(b, { notify })])
    const alerts = await a.db
      .selectFrom('alerts')
      .select(['brand_id', 'kind', 'started_at'])
      .where('status', '=', 'open')
      .execute()
    expect(alerts).toMatchObject([{ brand_id: telvia.id, kind: 'negative_spike' }])
    await Promise.all([deliverDue(a), deliverDue(b)])
    expect(
      srv.requests.filter((r) => r.url === '/hook').map((r) => r.headers['x-vigie-event']),
    ).toEqual(['opened'])
  })

  it('the nightly purge run by both at once deletes and counts each mention once', async () => {
    await insertBrand(a.db, { name: 'Acme', query: 'Acme' }, now)
    const src = await insertSource(
      a.db,
      { name: 'F', kind: 'rss', config: { url: 'https://f.example/' }, intervalSeconds: 900 },
      now,
    )
    const old = (d: number) => new Date(now.getTime() - d * 86400_000).toISOString()
    const items = Array.from({ length: 300 }, (_, i) => ({
      url: `https://f.example/${i}`,
      title: `Acme story ${i}`,
      text: '',
      publishedAt: old(i < 200 ? 190 + (i % 5) : 10),
    }))
    await ingestOverTime(a.db, src, items, now)
    const [ra, rb] = await Promise.all([purgeExpired(a.db, now), purgeExpired(b.db, now)])
    expect(ra.deleted + rb.deleted).toBe(200)
    const counts = await a.db.selectFrom('daily_counts').select('count').execute()
    expect(counts.reduce((n, c) => n + Number(c.count), 0)).toBe(200)
    // the page shows the purge that deleted them, not the one that came second and found none
    expect((await lastPurge(a.db))?.deleted).toBe(200)
  })

  it('both apply the YAML file at start at once: both start, nothing is created twice', async () => {
    const file = (exclusions: string[]) =>
      [
        'brands:',
        '  - { name: Acme, query: Acme }',
        'sources:',
        "  - { name: Acme feed, kind: rss, url: 'https://f.example/feed.xml' }",
        'exclusions:',
        ...exclusions.map((e) => `  - { author: '${e}' }`),
        'channels:',
        "  - { name: Veille, kind: webhook, url: 'https://hooks.example/v', secret: a-very-long-shared-secret }",
        'digest:',
        '  - { email: direction@acme.example }',
      ].join('\n')
    const plan = parseConfigFile(file(['@staff.member']), 'vigie.yaml', 'Europe/Paris')
    const [ra, rb] = await Promise.all([
      applyConfigPlan(a.db, plan, now),
      applyConfigPlan(b.db, plan, now),
    ])
    for (const table of [
      'brands',
      'sources',
      'exclusions',
      'channels',
      'digest_recipients',
    ] as const) {
      const [{ n }] = await a.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .execute()
      expect([table, Number(n)]).toEqual([table, 1])
    }
    expect([
      ra.brands.created + rb.brands.created,
      ra.brands.unchanged + rb.brands.unchanged,
    ]).toEqual([1, 1])
  })

  it('a message the chat refused with Retry-After is not sent again at once by the other process', async () => {
    const acme = await insertBrand(a.db, { name: 'Acme', query: 'Acme' }, now)
    const alert = await insertAlert(a.db, alertRow(acme.id, now.toISOString()))
    const channel = (name: string, path: string) =>
      insertChannel(a.db, channelInput(srv.url + path, { name }), now)
    const slow = await channel('Slow', '/slow-hook')
    const busy = await channel('Busy', '/busy-hook')
    for (const c of [slow, busy])
      await enqueueDelivery(a.db, {
        alertId: alert.id,
        channelId: c.id,
        event: 'opened',
        key: `k${c.id}`,
        now,
      })
    // Both passes read both rows. The first process is held up by the slow channel while the
    // second one is refused by the busy one (retry in 60 s), then reaches the busy row too.
    await Promise.all([deliverDue(a), deliverDue(b)])
    expect(hits('/slow-hook')).toBe(1)
    expect(hits('/busy-hook')).toBe(1)
    const rows = await a.db
      .selectFrom('deliveries')
      .select(['status', 'attempts'])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'pending', attempts: 1 },
    ])
  })

  it('the setup links both processes print, used at once, make one administrator', async () => {
    const config = parseConfig({
      DATABASE_URL: scratch.url,
      PORT: '0',
      VIGIE_SECRET_KEY: 'a'.repeat(64),
    })
    const opts = { log: silentLogger, schedule: false, env: {} }
    const [p1, p2] = await Promise.all([start(config, opts), start(config, opts)])
    try {
      expect(p1.setupUrl && p2.setupUrl && p1.setupUrl !== p2.setupUrl).toBe(true)
      const submit = (link: string, email: string) =>
        fetch(link, {
          method: 'POST',
          redirect: 'manual',
          headers: { origin: new URL(link).origin },
          body: new URLSearchParams({
            email,
            name: email,
            password: 'correct horse battery staple',
            confirm: 'correct horse battery staple',
          }),
        })
      const answers = await Promise.all([
        submit(p1.setupUrl!, 'ana@acme.example'),
        submit(p2.setupUrl!, 'bob@acme.example'),
      ])
      expect(answers.map((r) => r.status).sort()).toEqual([303, 410])
      expect(await a.db.selectFrom('users').select('role').execute()).toEqual([{ role: 'admin' }])
    } finally {
      await Promise.all([p1.stop(), p2.stop()])
    }
  })

  it('sign-in failures counted by both at once add up, and either one makes the guesser wait', async () => {
    const keys = ['acct:ana@acme.example', 'ip:203.0.113.9']
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => signinFailed(i % 2 ? a.db : b.db, keys, now)),
    )
    const rows = await a.db.selectFrom('signin_failures').select(['key', 'failures']).execute()
    expect(rows.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: keys[0], failures: 12 },
      { key: keys[1], failures: 12 },
    ])
    expect(await signinWaitMs(a.db, [keys[0]], now)).toBe(512_000) // 3 free for an account
    expect(await signinWaitMs(b.db, ['acct:bob@acme.example', keys[1]], now)).toBe(4000) // 10 an address
  })

  it('the digest tick run by both at once sends one e-mail per recipient', async () => {
    const sink = await startSmtpSink()
    try {
      await insertBrand(a.db, { name: 'Acme', query: 'Acme' }, now)
      const created = new Date(now.getTime() - 86400_000)
      for (let i = 0; i < 5; i++)
        await insertRecipient(
          a.db,
          {
            email: `r${i}@acme.example`,
            lang: 'fr',
            sendTime: '00:00', // passed today, in any case
            timezone: 'UTC',
            brandIds: [],
            weekly: false,
          },
          created,
        )
      const mail = { smtpUrl: sink.url, mailFrom: 'Vigie <vigie@acme.example>' }
      const [ma, mb] = [createMailer(mail), createMailer(mail)]
      const [ra, rb] = await Promise.all([runDigestTick(a, ma), runDigestTick(b, mb)])
      ma.close()
      mb.close()
      expect(ra.sent + rb.sent).toBe(5)
      expect(sink.messages.flatMap((m) => m.envelopeTo).sort()).toEqual(
        [0, 1, 2, 3, 4].map((i) => `r${i}@acme.example`),
      )
    } finally {
      await sink.close()
    }
  })
})
