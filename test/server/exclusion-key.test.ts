// The exclusion list's second key: hashes that a copy of the database alone cannot test against a
// list of staff handles, the in-place wrapping of hashes stored before it, and what happens when
// the database is opened with another key (nothing stored, a clear message at start).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { insertBrand } from '../../db/brands'
import { addExclusion, exclusionHasher, keyedHash, loadExclusionMatcher } from '../../db/exclusions'
import { getSetting, instanceSecret } from '../../db/settings'
import { insertSource } from '../../db/sources'
import { parseConfig } from '../../server/config'
import { silentLogger } from '../../server/log'
import { ingest } from '../../server/pipeline'
import { derivedKey, SecretKeyError, useSecretKey } from '../../server/secrets'
import { start, startupProblem } from '../../server/start'
import { freshDb, type TestDb } from '../helpers/db'
import { channelInput } from '../helpers/channel'
import { insertChannel } from '../../db/channels'

const KEY_A = Buffer.alloc(32, 0xa1)
const KEY_B = Buffer.alloc(32, 0xb2)
const now = new Date('2026-11-23T10:00:00Z')
let tdb: TestDb

beforeEach(async () => {
  useSecretKey(KEY_A)
  tdb = await freshDb()
})
afterEach(async () => {
  useSecretKey(KEY_A)
  await tdb.cleanup()
})

async function storedHashes(): Promise<string[]> {
  const rows = await tdb.db.selectFrom('exclusions').select('value_hash').orderBy('id').execute()
  return rows.map((r) => r.value_hash)
}

describe('exclusion hashes', () => {
  it('need a key kept outside the database, not only the instance secret stored in it', async () => {
    await addExclusion(tdb.db, { kind: 'author', value: '@Marie.Curie' }, now)
    const inner = await instanceSecret(tdb.db)
    const [stored] = await storedHashes()
    // what someone holding only the database file could compute for a guessed handle
    expect(stored).not.toBe(keyedHash(inner, 'marie.curie'))
    expect(stored).toBe(keyedHash(derivedKey('exclusions'), keyedHash(inner, 'marie.curie')))
  })

  it('wraps hashes stored before the second key once, in place, and still matches them', async () => {
    const inner = await instanceSecret(tdb.db)
    for (const [kind, value] of [
      ['author', 'staff_anna'],
      ['domain', 'intranet.example'],
    ] as const)
      await tdb.db
        .insertInto('exclusions')
        .values({
          brand_id: null,
          kind,
          platform: '',
          value_hash: keyedHash(inner, value), // as stored before
          hint: value.slice(0, 2) + '…',
          created_at: now.toISOString(),
        })
        .execute()
    const before = await storedHashes()
    // two batches at once: one wrapping, not two
    const [m] = await Promise.all([loadExclusionMatcher(tdb.db), loadExclusionMatcher(tdb.db)])
    const after = await storedHashes()
    expect(after).toEqual(before.map((h) => keyedHash(derivedKey('exclusions'), h)))
    expect(m.excludes({ author: '@Staff_Anna', url: 'https://x.example/1' }, 'rss', 1)).toBe(true)
    expect(m.excludes({ author: null, url: 'https://wiki.intranet.example/p' }, 'rss', 1)).toBe(
      true,
    )
    expect(m.excludes({ author: 'carol', url: 'https://x.example/1' }, 'rss', 1)).toBe(false)
    await loadExclusionMatcher(tdb.db)
    expect(await storedHashes()).toEqual(after)
    // a new exclusion of the same account is recognised as the same one
    const again = await addExclusion(tdb.db, { kind: 'author', value: 'Staff_Anna' }, now)
    expect(again.created).toBe(false)
  })

  it('opened with another key: refuses to match (so nothing is stored) until the key is back', async () => {
    await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, now)
    const source = await insertSource(
      tdb.db,
      {
        name: 'Feed',
        kind: 'rss',
        config: { url: 'https://n.example/feed' },
        intervalSeconds: 900,
      },
      now,
    )
    await addExclusion(tdb.db, { kind: 'author', value: '@staff_anna' }, now)
    const items = [
      { externalId: '1', url: 'https://n.example/1', text: 'Acme is down', author: 'staff_anna' },
      { externalId: '2', url: 'https://n.example/2', text: 'Acme is down', author: 'carol' },
    ].map((i) => ({ ...i, title: '', publishedAt: now.toISOString() }))
    useSecretKey(KEY_B)
    await expect(loadExclusionMatcher(tdb.db)).rejects.toThrow(SecretKeyError)
    await expect(ingest(tdb.db, source, items, now)).rejects.toThrow(/saved with another key/)
    await expect(addExclusion(tdb.db, { kind: 'author', value: 'x' }, now)).rejects.toThrow(
      SecretKeyError,
    )
    expect(await tdb.db.selectFrom('mentions').selectAll().execute()).toEqual([])
    useSecretKey(KEY_A)
    const r = await ingest(tdb.db, source, items, now)
    expect(r.excluded).toBe(1)
    expect(r.newMentions).toHaveLength(1)
    const stored = await tdb.db.selectFrom('mentions').select('author').execute()
    expect(stored.map((m) => m.author)).toEqual(['carol'])
  })

  it('opened with another key and an empty list: takes the new key', async () => {
    await exclusionHasher(tdb.db)
    const first = await getSetting(tdb.db, 'exclusions_outer_key')
    useSecretKey(KEY_B)
    await addExclusion(tdb.db, { kind: 'author', value: '@staff_anna' }, now)
    expect(await getSetting(tdb.db, 'exclusions_outer_key')).not.toBe(first)
    const m = await loadExclusionMatcher(tdb.db)
    expect(m.excludes({ author: 'staff_anna', url: 'https://x.example' }, 'rss', 1)).toBe(true)
  })
})

describe('start with another key', () => {
  it('stops with a message saying which key to restore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-exkey-'))
    try {
      const path = join(dir, 'v.db')
      const opened = await openDatabase({ kind: 'sqlite', path })
      await addExclusion(opened.db, { kind: 'author', value: '@staff_anna' }, now)
      await opened.close()
      const config = parseConfig({ PORT: '0', DATABASE_URL: path })
      const env = { VIGIE_SECRET_KEY: KEY_B.toString('hex') }
      const err = await start(config, { log: silentLogger, schedule: false, env }).catch(
        (e: unknown) => e,
      )
      expect(startupProblem(err, config)).toMatch(
        /^the exclusion list was saved with another key: restore the vigie.key file/,
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('start with another key and no exclusion list', () => {
  it("stops when this key cannot read the channels' stored secrets, starts with the right one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-seckey-'))
    try {
      const path = join(dir, 'v.db')
      useSecretKey(KEY_A)
      const opened = await openDatabase({ kind: 'sqlite', path })
      await insertChannel(opened.db, channelInput('https://hooks.example/x'), now)
      await opened.close()
      const config = parseConfig({ PORT: '0', DATABASE_URL: path })
      const run = (key: Buffer) =>
        start(config, {
          log: silentLogger,
          schedule: false,
          env: { VIGIE_SECRET_KEY: key.toString('hex') },
        })
      const err = await run(KEY_B).catch((e: unknown) => e)
      expect(startupProblem(err, config)).toMatch(
        /^the stored secrets \(channel addresses, API keys, two-step seeds\) were saved with another key/,
      )
      const running = await run(KEY_A)
      await running.stop()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
