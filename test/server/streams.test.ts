// The stream manager with a real WebSocket server on 127.0.0.1 playing Jetstream: posts that name
// a brand become mentions, the cursor is saved after each stored batch, and stopping is clean.
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { insertBrand } from '../../db/brands'
import { countMentions } from '../../db/mentions'
import { getSource, insertSource } from '../../db/sources'
import { StreamManager } from '../../server/streams'
import { freshDb, testContext, type TestDb } from '../helpers/db'
import { fixture } from '../helpers/fixture-server'

let tdb: TestDb
let wss: WebSocketServer
let wsUrl: string

beforeEach(async () => {
  tdb = await freshDb()
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((r) => wss.once('listening', r))
  wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/subscribe`
})
afterEach(async () => {
  await new Promise<void>((r) => wss.close(() => r()))
  await tdb.cleanup()
})

/** A Bluesky firehose source on the test's Jetstream, and a manager that has started it. */
async function firehose(now: Date) {
  const src = await insertSource(
    tdb.db,
    {
      name: 'firehose',
      kind: 'bluesky',
      config: { mode: 'jetstream', jetstreamUrl: wsUrl },
      intervalSeconds: 900,
    },
    now,
  )
  const manager = new StreamManager(testContext(tdb, { now: () => now }))
  await manager.sync()
  return { src, manager }
}

describe('StreamManager', () => {
  it('stores matching posts from a firehose and saves the cursor', async () => {
    const events = (await fixture('bluesky/jetstream-events.jsonl')).trim().split('\n')
    wss.on('connection', (socket) => events.forEach((e) => socket.send(e)))
    const now = new Date('2026-03-10T12:00:00Z')
    await insertBrand(tdb.db, { name: 'Acme', query: '"Acme Cloud"' }, now)
    const { src, manager } = await firehose(now)
    expect(manager.isRunning(src.id)).toBe(true)
    for (let i = 0; i < 50 && (await countMentions(tdb.db)) === 0; i++)
      await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 200))
    await manager.stop()
    const stored = await tdb.db.selectFrom('mentions').select(['text', 'author']).execute()
    expect(stored.length).toBeGreaterThan(0)
    expect(stored.every((m) => /acm[eé] cloud/i.test(m.text))).toBe(true)
    const after = (await getSource(tdb.db, src.id))!
    expect(JSON.parse(after.state).cursor).toBeGreaterThan(0)
    expect(after.last_ok_at).toBe(now.toISOString())
    expect(manager.isRunning(src.id)).toBe(false)
  })

  it('shows on the source why a stream receives nothing, and keeps trying', async () => {
    let tries = 0
    wss.on('connection', (socket) => {
      tries++
      socket.close(1008, 'policy')
    })
    const now = new Date('2026-03-10T12:00:00Z')
    await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
    const { src, manager } = await firehose(now)
    for (let i = 0; i < 60 && !(await getSource(tdb.db, src.id))!.last_error; i++)
      await new Promise((r) => setTimeout(r, 50))
    const after = (await getSource(tdb.db, src.id))!
    expect(after.last_error).toMatch(/^bluesky: Jetstream 127\.0\.0\.1:\d+: the connection ended/)
    expect(after.error_count).toBeGreaterThanOrEqual(1)
    expect(manager.isRunning(src.id)).toBe(true) // still listening, retrying with back-off
    expect(tries).toBeGreaterThanOrEqual(1)
    await manager.stop()
  })

  it('stops a stream whose source is disabled', async () => {
    const now = new Date('2026-03-10T12:00:00Z')
    await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
    const { src, manager } = await firehose(now)
    expect(manager.isRunning(src.id)).toBe(true)
    await tdb.db.updateTable('sources').set({ enabled: 0 }).execute()
    await manager.sync()
    expect(manager.isRunning(src.id)).toBe(false)
  })
})
