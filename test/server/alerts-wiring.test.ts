// The wiring of the running app: a poll that stores a burst of negative mentions runs detection
// through the Poller's onNewMentions hook, the alert is queued for the routed channel, and the
// outbox job sends it — on the demo data set, with a real RSS feed on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import cron from 'node-cron'
import { afterEach, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { listOpenAlerts } from '../../db/alerts'
import { getBrandByName } from '../../db/brands'
import { insertChannel } from '../../db/channels'
import { insertSource } from '../../db/sources'
import { parseConfig } from '../../server/config'
import { deliverDue } from '../../server/deliver'
import { burstTemplates } from '../../server/demo/data'
import { seedDemo } from '../../server/demo/seed'
import { silentLogger } from '../../server/log'
import { start, type Running } from '../../server/start'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { channelInput } from '../helpers/channel'
import { frenchSpacing } from '../../views/i18n'

let running: Running | undefined
let srv: FixtureServer | undefined
let dir = ''
afterEach(async () => {
  await running?.stop()
  await srv?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

it('a polled burst raises an alert after ingest and the outbox delivers it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-wiring-'))
  const now = new Date()
  const config = parseConfig({
    ALLOW_PRIVATE_URLS: '1', // the feed and the webhook live on 127.0.0.1
    TZ: 'Europe/Paris',
    PORT: '0',
    DATABASE_URL: join(dir, 'v.db'),
    BASE_URL: 'https://vigie.example.com',
  })
  const seeded = await openDatabase(config.database)
  await seedDemo(seeded.db, now, 42, 30) // the demo's outage long over: no open alert
  await seeded.close()

  const fr = burstTemplates.filter((t) => t.brand === 'Telvia' && t.lang === 'fr')
  const items = Array.from({ length: 45 }, (_, i) => {
    const t = fr[i % fr.length]
    const at = new Date(now.getTime() - (45 - i) * 60_000).toUTCString()
    return `<item><title>${esc(t.title || t.text.slice(0, 60))}</title><link>https://forum.example.com/p/${i}</link><guid>p-${i}</guid><pubDate>${at}</pubDate><description>${esc(t.text)}</description></item>`
  })
  srv = await startFixtureServer({
    '/feed.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Forum</title><link>https://forum.example.com/</link>${items.join('')}</channel></rss>`,
    },
    '/hook': { status: 204 },
  })
  running = await start(config, { log: silentLogger, schedule: false })
  const { db } = running.ctx
  const telvia = (await getBrandByName(db, 'Telvia'))!
  await insertChannel(db, channelInput(`${srv.url}/hook`, { brandIds: [telvia.id] }), now)
  const source = await insertSource(
    db,
    {
      name: 'Forum RSS',
      kind: 'rss',
      config: { url: `${srv.url}/feed.xml` },
      intervalSeconds: 900,
      brandId: telvia.id,
    },
    now,
  )
  expect(await listOpenAlerts(db)).toEqual([])
  const outcome = await running.poller.pollSource(source)
  expect(outcome).toMatchObject({ ok: true })
  expect(outcome.stats!.newMentions.length).toBe(45)

  const [alert] = await listOpenAlerts(db)
  expect(alert).toMatchObject({ brand_name: 'Telvia', kind: 'negative_spike', status: 'open' })
  const queued = await db.selectFrom('deliveries').selectAll().execute()
  expect(queued.map((d) => [d.event, d.status])).toEqual([['opened', 'pending']])

  expect(await deliverDue(running.ctx)).toMatchObject({ attempted: 1, sent: 1 })
  const hook = srv.requests.filter((r) => r.url === '/hook')
  expect(hook).toHaveLength(1)
  expect(JSON.parse(hook[0].body)).toMatchObject({
    event: 'opened',
    title: frenchSpacing('Telvia : Pic de mentions négatives'),
    link: `https://vigie.example.com/alerts/${alert.id}`,
  })
})

it("offline (the demo): detection, outbox, digest and retention run; polling and streams don't", async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-wiring-'))
  const config = parseConfig({ PORT: '0', DATABASE_URL: join(dir, 'v.db'), TZ: 'Europe/Paris' })
  const jobs = () => [...cron.getTasks().values()].map((t) => t.name).sort()
  running = await start(config, { log: silentLogger, schedule: 'offline' })
  expect(jobs()).toEqual(['deliver', 'detect', 'digest', 'retention'])
  await running.stop()
  running = await start(config, { log: silentLogger })
  expect(jobs()).toEqual(['deliver', 'detect', 'digest', 'poll', 'retention', 'streams'])
})
