// npm run db:copy: a SQLite installation filled through Vigie's own db functions is copied into
// a new Postgres database and read back there (every table's count, aggregates not doubled, the
// generated search column, secrets under the same key, sequences moved past the copied ids), and a
// second copy into it is refused. The Postgres part runs when TEST_DATABASE_URL points at a
// throw-away server (CI starts one) and uses its own database; the refusals that happen before
// Postgres is reached and the key hand-over run everywhere.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { saveAnswerDraft } from '../../db/answers'
import { insertAlert } from '../../db/alerts'
import { appendAudit } from '../../db/audit'
import { insertBrand } from '../../db/brands'
import { insertChannel } from '../../db/channels'
import { enqueueDelivery } from '../../db/deliveries'
import { ensureDigest, insertRecipient } from '../../db/digest'
import { addExclusion } from '../../db/exclusions'
import { listMentions, triageMentions } from '../../db/mentions'
import { createSession } from '../../db/sessions'
import { getSource, insertSource } from '../../db/sources'
import { createApiToken, createSetupToken } from '../../db/tokens'
import { getUserByEmail, insertUser, updateUser } from '../../db/users'
import { copyDatabase, CopyError, settleSecretKey } from '../../server/cli/db-copy'
import { ingest } from '../../server/pipeline'
import { purgeExpired } from '../../server/retention'
import { decryptValue, encryptValue, useSecretKey } from '../../server/secrets'
import { ingestOverTime } from '../helpers/history'
import { freshDb, type TestDb } from '../helpers/db'
import { scratchDatabase, type ScratchDatabase } from '../helpers/postgres'
import { channelInput } from '../helpers/channel'
import { alertRow } from '../helpers/alert-row'

const url = process.env.TEST_DATABASE_URL
const now = new Date('2026-11-22T12:00:00Z')
const key = Buffer.alloc(32, 9)

/** Rows per application table, read straight from the SQLite file. */
function sqliteCounts(path: string): Record<string, number> {
  const raw = new SQLite(path, { readonly: true })
  const names = raw
    .prepare(
      `select name from pragma_table_list where schema = 'main' and type = 'table'
       and name not like 'sqlite%' and name not like 'kysely%'`,
    )
    .pluck()
    .all() as string[]
  const out = Object.fromEntries(
    names.map((n) => [n, (raw.prepare(`select count(*) as n from "${n}"`).get() as any).n]),
  )
  raw.close()
  return out
}

/** An installation with a row in every table that matters, written as Vigie writes them. */
async function fill(db: OpenDb['db']) {
  useSecretKey(key)
  const acme = await insertBrand(db, { name: 'Acme', query: 'Acme' }, now)
  await insertBrand(db, { name: 'Globex', query: 'Globex' }, now)
  const src = await insertSource(
    db,
    {
      name: 'GitHub Acme',
      kind: 'github',
      config: { query: 'Acme', token: 'ghp_secret_token_123456' },
      intervalSeconds: 900,
    },
    now,
  )
  const old = new Date(now.getTime() - 200 * 86400_000).toISOString()
  await ingestOverTime(
    db,
    src,
    [
      {
        externalId: 'elec',
        url: 'https://f.example/elec',
        title: 'Acme : coupure d’électricité à Lyon',
        text: 'Plus de courant depuis hier, c’est scandaleux.',
        author: 'Zoë',
        metrics: { likes: 12, replies: 3 },
        publishedAt: new Date(now.getTime() - 3600_000).toISOString(),
      },
      {
        externalId: 'societe',
        url: 'https://www.g.example/societe',
        title: 'Acme et la Société Générale',
        text: 'Un partenariat réussi, bravo !',
        publishedAt: new Date(now.getTime() - 7200_000).toISOString(),
      },
      {
        externalId: 'old',
        url: 'https://f.example/old',
        title: 'Acme',
        text: '',
        publishedAt: old,
      },
    ],
    now,
  )
  // retention moves the old mention into daily_counts (and the triggers take it off the aggregates)
  expect((await purgeExpired(db, now)).deleted).toBe(1)
  const elec = await db
    .selectFrom('mentions')
    .select('id')
    .where('external_id', '=', 'elec')
    .executeTakeFirstOrThrow()
  await triageMentions(
    db,
    [elec.id],
    { status: 'in_progress', manual_label: 'negative' },
    'ana',
    now,
  )

  const ana = await insertUser(db, { email: 'ana@acme.example', role: 'admin' }, now)
  await updateUser(db, ana.id, { totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled: 1 }, now)
  await createSession(db, ana.id, { ip: '127.0.0.1', userAgent: 'test' }, now)
  await createApiToken(db, ana.id, { name: 'ci', scope: 'read' }, now)
  await createSetupToken(db, now)
  await saveAnswerDraft(db, elec.id, 'Nous regardons, désolés.', ana.id, now)
  await appendAudit(db, { userId: ana.id, actor: ana.email, action: 'x.y', outcome: 'ok' }, now)
  await addExclusion(db, { kind: 'author', value: '@staff.member', platform: 'mastodon' }, now)

  const alert = await insertAlert(
    db,
    alertRow(acme.id, now.toISOString(), {
      peak_value: 7,
      baseline: 0.5,
      score: 9.2,
      window_minutes: 60,
    }),
  )
  const slack = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX'
  const channel = await insertChannel(
    db,
    channelInput(slack, { kind: 'slack', config: { url: slack } }),
    now,
  )
  await enqueueDelivery(db, {
    alertId: alert.id,
    channelId: channel.id,
    event: 'opened',
    key: `a${alert.id}:c${channel.id}:opened`,
    now,
  })
  const r = await insertRecipient(
    db,
    {
      email: 'direction@acme.example',
      lang: 'fr',
      sendTime: '08:00',
      timezone: 'Europe/Paris',
      brandIds: [acme.id],
      weekly: false,
    },
    now,
  )
  await ensureDigest(
    db,
    { recipientId: r.id, period: '2026-11-21', dueAt: now, messageId: '<d1@acme.example>' },
    now,
  )
}

describe('db:copy before Postgres is reached', () => {
  let sqlite: TestDb
  beforeAll(async () => {
    sqlite = await freshDb()
  })
  afterAll(async () => sqlite?.cleanup())
  const nowhere = 'postgres://nobody@127.0.0.1:1/none'

  it('refuses a missing file, a file that is not Vigie, and one from an older Vigie', async () => {
    await expect(copyDatabase({ from: join(sqlite.dir, 'nope.db'), to: nowhere })).rejects.toThrow(
      /no such file/,
    )
    const other = join(sqlite.dir, 'other.db')
    new SQLite(other).exec('create table t (x)')
    await expect(copyDatabase({ from: other, to: nowhere })).rejects.toThrow(/not a Vigie database/)
    const raw = new SQLite(sqlite.path)
    raw.exec(`delete from kysely_migration where name = '0007-pg-folded-search'`)
    raw.close()
    const err = await copyDatabase({ from: sqlite.path, to: nowhere }).catch((e) => e)
    expect(err).toBeInstanceOf(CopyError)
    expect(err.message).toMatch(/older Vigie \(missing 0007-pg-folded-search\): start this version/)
  })
})

describe('db:copy secret key hand-over', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-key-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const sample = encryptValue('ghp_x', key)

  it('copies the key where Vigie on Postgres reads it, never over another one', () => {
    const sqliteKey = join(dir, 'var', 'vigie.key')
    const postgresKey = join(dir, 'app', 'data', 'vigie.key')
    expect(settleSecretKey({ sqliteKey, postgresKey, sampleSecret: sample })[0]).toMatch(
      /no key file at .*VIGIE_SECRET_KEY/,
    )
    mkdirSync(join(dir, 'var'))
    writeFileSync(sqliteKey, key.toString('base64url') + '\n', { mode: 0o600 })
    expect(settleSecretKey({ sqliteKey, postgresKey, sampleSecret: sample })[0]).toMatch(
      /^copied the secret key .*var\/vigie.key to .*app\/data\/vigie.key/,
    )
    expect(readFileSync(postgresKey, 'utf8')).toBe(readFileSync(sqliteKey, 'utf8'))
    expect(settleSecretKey({ sqliteKey, postgresKey, sampleSecret: sample })[0]).toMatch(
      /already holds the same key/,
    )
    writeFileSync(postgresKey, Buffer.alloc(32, 1).toString('hex'))
    expect(settleSecretKey({ sqliteKey, postgresKey, sampleSecret: sample })[0]).toMatch(
      /^warning: .*app\/data\/vigie.key holds another key/,
    )
    expect(readFileSync(postgresKey, 'utf8')).toBe(Buffer.alloc(32, 1).toString('hex'))
    expect(settleSecretKey({ sqliteKey, postgresKey: sqliteKey, sampleSecret: sample })[0]).toMatch(
      /stays in .*var\/vigie.key/,
    )
  })

  it('with VIGIE_SECRET_KEY, checks that it opens the copied secrets', () => {
    const o = {
      sqliteKey: join(dir, 'none'),
      postgresKey: join(dir, 'none2'),
      sampleSecret: sample,
    }
    expect(settleSecretKey({ ...o, envKey: key.toString('hex') })[0]).toMatch(
      /same VIGIE_SECRET_KEY/,
    )
    expect(settleSecretKey({ ...o, envKey: Buffer.alloc(32, 2).toString('hex') })[0]).toMatch(
      /^warning: VIGIE_SECRET_KEY does not decrypt/,
    )
    expect(settleSecretKey({ ...o, sampleSecret: null })[0]).toMatch(/nothing to carry over/)
    expect(existsSync(o.postgresKey)).toBe(false)
  })
})

describe.skipIf(!url)('db:copy SQLite → Postgres', () => {
  let scratch: ScratchDatabase
  let target: string
  let sqlite: TestDb
  let pg: OpenDb | undefined
  const lines: string[] = []

  beforeAll(async () => {
    scratch = await scratchDatabase(url!, 'dbcopy')
    target = scratch.url
    sqlite = await freshDb()
    await fill(sqlite.db)
    await sqlite.close() // as after stopping Vigie: the write-ahead log folded back in
  })
  afterAll(async () => {
    await pg?.close()
    await sqlite?.cleanup().catch(() => {})
    await scratch.drop()
  })

  it('leaves Postgres empty when a row is refused or SQLite changes half-way', async () => {
    // Postgres text cannot hold a NUL character; settings is copied after most tables
    const raw = new SQLite(sqlite.path)
    raw.prepare(`insert into settings (key, value) values ('probe', ?)`).run('a\u0000b')
    raw.close()
    await expect(copyDatabase({ from: sqlite.path, to: target })).rejects.toThrow(/0x00/)
    const fix = new SQLite(sqlite.path)
    fix.exec(`delete from settings where key = 'probe'`)
    fix.close()
    // a write from another connection (Vigie still running) while the tables are being read
    const write = (l: string) => {
      if (!l.startsWith('brands')) return
      const other = new SQLite(sqlite.path)
      other.prepare(`insert into settings (key, value) values ('late', 'x')`).run()
      other.exec(`delete from settings where key = 'late'`)
      other.close()
    }
    await expect(copyDatabase({ from: sqlite.path, to: target, log: write })).rejects.toThrow(
      /changed during the copy: stop Vigie and run the copy again/,
    )
    // Vigie stopped: its last connection folds the -wal back in as it closes
    const last = new SQLite(sqlite.path)
    last.prepare('select count(*) from settings').get()
    last.close()
    const probe = await openDatabase({ kind: 'postgres', url: target })
    const brands = await probe.db.selectFrom('brands').select('id').execute()
    const triggers = await sql<{ tgenabled: string }>`select tgenabled from pg_trigger
      where tgrelid = 'mentions'::regclass and not tgisinternal`.execute(probe.db)
    await probe.close()
    expect(brands).toEqual([])
    expect(triggers.rows.map((t) => t.tgenabled)).toEqual(['O']) // enabled again by the rollback
  })

  it('copies every table, then Postgres works on the copy', async () => {
    const before = sqliteCounts(sqlite.path)
    const report = await copyDatabase({
      from: sqlite.path,
      to: target,
      log: (l) => lines.push(l),
      batchSize: 2, // several batches even with a handful of rows
    })
    expect(report.sampleSecret).toMatch(/^enc:v1:/)
    expect(Object.fromEntries(report.tables.map((t) => [t.name, t.rows]))).toEqual(before)
    // FTS5's tables stay behind; the order puts parents first
    expect(report.tables.map((t) => t.name)).not.toContain('mentions_fts')
    const order = report.tables.map((t) => t.name)
    expect(order.indexOf('brands')).toBeLessThan(order.indexOf('mentions'))
    expect(order.indexOf('mentions')).toBeLessThan(order.indexOf('mention_events'))
    expect(order.indexOf('alerts')).toBeLessThan(order.indexOf('deliveries'))
    expect(lines.some((l) => /^mentions\s+2 rows$/.test(l))).toBe(true)
    expect(lines.join('\n')).not.toMatch(/warning/)
    expect(lines.at(-1)).toMatch(/^copied \d+ rows in \d+ tables to .* counts verified$/)
    expect(before.mentions).toBe(2)
    expect(before.daily_counts).toBe(1)
    expect(before.mention_events).toBeGreaterThan(0)

    pg = await openDatabase({ kind: 'postgres', url: target })
    const db = pg.db
    for (const [table, n] of Object.entries(before)) {
      const { rows } = await sql<{
        n: number
      }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)
      expect([table, rows[0].n]).toEqual([table, n])
    }
    // the aggregates came over as they were, not counted a second time by the triggers
    const hourly = await db
      .selectFrom('mention_hourly')
      .select((eb) => [eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('neg').as('neg')])
      .executeTakeFirstOrThrow()
    expect([Number(hourly.n), Number(hourly.neg)]).toEqual([2, 1])

    // the generated search column was filled: accents folded
    const found = await listMentions(db, 'postgres', { q: 'electricite' }, { limit: 10 })
    expect(found.rows.map((r) => r.external_id)).toEqual(['elec'])
    expect(found.rows[0].title).toBe('Acme : coupure d’électricité à Lyon')

    // secrets moved as ciphertext, readable with the same key
    const source = await db
      .selectFrom('sources')
      .selectAll()
      .where('name', '=', 'GitHub Acme')
      .executeTakeFirstOrThrow()
    expect(source.config).not.toContain('ghp_')
    expect(JSON.parse((await getSource(db, source.id))!.config)).toMatchObject({
      token: 'ghp_secret_token_123456',
    })
    const ana = (await getUserByEmail(db, 'ana@acme.example'))!
    expect(ana.totp_enabled).toBe(1)
    expect(decryptValue(ana.totp_secret!, key)).toBe('JBSWY3DPEHPK3PXP')

    // sequences past the copied ids: new rows get new ids, and the triggers work again
    const brand = await insertBrand(db, { name: 'Initech', query: 'Initech' }, now)
    expect(brand.id).toBe(3)
    const src = (await getSource(db, source.id))!
    const stored = await ingest(
      db,
      src,
      [{ externalId: 'new', url: 'https://f.example/new', title: 'Acme again', text: 'neutre' }],
      now,
    )
    expect(stored.newMentions).toHaveLength(1)
    const after = await db
      .selectFrom('mention_hourly')
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(3)
  })

  it('refuses a database that already holds data, and a table Postgres has no place for', async () => {
    const err = await copyDatabase({ from: sqlite.path, to: target }).catch((e) => e)
    expect(err).toBeInstanceOf(CopyError)
    expect(err.message).toMatch(
      /already holds data \(users: 1, brands: 3, mentions: 3, sources: 1 and \d+ more tables\); copy/,
    )
    expect(err.message).not.toContain('\n')

    const raw = new SQLite(sqlite.path)
    raw.exec('create table stray (x text)')
    raw.close()
    await expect(copyDatabase({ from: sqlite.path, to: target })).rejects.toThrow(
      /SQLite table "stray" has no Postgres counterpart/,
    )
  })
})
