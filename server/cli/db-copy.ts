// `npm run db:copy -- --from ./data/vigie.db --to postgres://user@host/db`: moves a SQLite
// installation to an empty Postgres database. copyDatabase() is the copy (tables and columns found
// in both catalogues, foreign-key order, batches, one Postgres transaction, sequences, counts
// checked); settleSecretKey() carries the key that encrypts stored secrets; main() parses flags.
import { copyFileSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import SQLite from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import { openDatabase } from '../../db'
import { migrationProvider } from '../../db/migrations'
import { ConfigError, parseConfig, type Config } from '../config'
import { decryptValue, keyFilePath, parseKey } from '../secrets'

/** A refusal or a check that failed: one line for the user, Postgres left as it was. */
export class CopyError extends Error {}

export interface CopyReport {
  tables: { name: string; rows: number }[]
  rows: number
  ms: number
  /** One stored secret (ciphertext) of the SQLite database, to tell which key opens them. */
  sampleSecret: string | null
}

// Kysely's own bookkeeping: Postgres already has its rows, written by the migrations just run.
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock'])
// Named first when the target database is not empty.
const FIRST_NAMED = ['users', 'brands', 'mentions', 'sources']
// Postgres accepts at most 65,535 parameters in one statement.
const MAX_PARAMS = 60_000

type PgColumn = { name: string; generated: boolean; sequence: string | null }

/**
 * Copies every application table of the SQLite file `from` into the Postgres database `to`,
 * which must hold no rows yet (its schema is created by the migrations when it is opened). All or
 * nothing: one Postgres transaction, counts compared before it commits.
 */
export async function copyDatabase(opts: {
  from: string
  to: string
  log?: (line: string) => void
  batchSize?: number
}): Promise<CopyReport> {
  const log = opts.log ?? (() => {})
  const started = performance.now()
  if (!existsSync(opts.from)) throw new CopyError(`${opts.from}: no such file`)
  // A running Vigie keeps a write-ahead log beside the file; a stopped one has folded it back in.
  // Only a warning: a Vigie that crashed leaves one too, and the snapshot below stays consistent.
  const wal = `${opts.from}-wal`
  if (existsSync(wal) && statSync(wal).size > 0)
    log(
      `warning: ${wal} is not empty: is Vigie still running on this file? Stop it first, or what it writes from now on stays behind`,
    )

  // Read-only: the copy never changes the installation it moves away from.
  const raw = new SQLite(opts.from, { readonly: true, fileMustExist: true })
  let pg: Awaited<ReturnType<typeof openDatabase>> | undefined
  try {
    await checkMigrations(raw, opts.from)
    const tables = sqliteTables(raw)
    const where = redactUrl(opts.to)
    // a typo in the URL or a database not created yet is the usual failure: one line, no stack
    pg = await openDatabase({ kind: 'postgres', url: opts.to }).catch((err: Error) => {
      throw new CopyError(`cannot open ${where}: ${err.message}`)
    })
    const pgTables = await postgresColumns(pg.db)
    const plan = tables.map((t) => planTable(raw, t, pgTables))
    for (const name of pgTables.keys())
      if (!tables.includes(name)) log(`${name}: only in Postgres, left empty`)
    const order = foreignKeyOrder(raw, tables)

    // Any other connection's commit from now on changes data_version: the end check below.
    const version = raw.pragma('data_version', { simple: true })
    const copied: { name: string; rows: number }[] = []
    let sampleSecret: string | null = null
    await pg.db.transaction().execute(async (trx) => {
      const filled: string[] = []
      for (const name of pgTables.keys()) {
        const { rows } = await sql<{
          n: number
        }>`select count(*)::int as n from ${sql.table(name)}`.execute(trx)
        if (rows[0].n > 0) filled.push(`${name}: ${rows[0].n}`)
      }
      if (filled.length) {
        // the tables a person recognises first, and a count of the rest: one readable line
        const rank = (s: string) => {
          const i = FIRST_NAMED.indexOf(s.slice(0, s.indexOf(':')))
          return i < 0 ? FIRST_NAMED.length : i
        }
        const named = filled.sort((a, b) => rank(a) - rank(b)).slice(0, FIRST_NAMED.length)
        const more = filled.length - named.length
        throw new CopyError(
          `${where} already holds data (${named.join(', ')}${more ? ` and ${more} more tables` : ''}); copy into a new, empty database`,
        )
      }

      // One read transaction: every table comes from the same snapshot, even if something
      // writes to the file meanwhile.
      raw.exec('begin')
      try {
        sampleSecret = findSampleSecret(raw)
        for (const name of order) {
          const t = plan.find((p) => p.name === name)!
          const expected = (
            raw.prepare(`select count(*) as n from ${ident(name)}`).get() as { n: number }
          ).n
          const n = await copyTable(raw, trx, t, opts.batchSize ?? 500)
          const { rows } = await sql<{
            n: number
          }>`select count(*)::int as n from ${sql.table(name)}`.execute(trx)
          if (n !== expected || rows[0].n !== expected)
            throw new CopyError(
              `${name}: ${expected} rows in SQLite, ${n} read, ${rows[0].n} in Postgres; nothing was copied`,
            )
          copied.push({ name, rows: n })
          log(`${name.padEnd(24)} ${String(n).padStart(9)} rows`)
        }
      } finally {
        raw.exec('commit')
      }
      if (raw.pragma('data_version', { simple: true }) !== version)
        throw new CopyError(
          `${opts.from} changed during the copy: stop Vigie and run the copy again (Postgres was left empty)`,
        )
      for (const t of plan) await resetSequences(trx, t)
    })
    const rows = copied.reduce((s, t) => s + t.rows, 0)
    const ms = performance.now() - started
    log(
      `copied ${rows} rows in ${copied.length} tables to ${where} in ${(ms / 1000).toFixed(1)} s (${Math.round(rows / (ms / 1000))} rows/s); counts verified`,
    )
    return { tables: copied, rows, ms, sampleSecret }
  } finally {
    raw.close()
    await pg?.close()
  }
}

/** The SQLite file must be at the same migration as this Vigie, or columns would not line up. */
async function checkMigrations(raw: SQLite.Database, from: string): Promise<void> {
  const hasTable = raw
    .prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`)
    .get()
  if (!hasTable) throw new CopyError(`${from} is not a Vigie database (no migration table)`)
  const applied = raw.prepare('select name from kysely_migration').pluck().all() as string[]
  const known = Object.keys(await migrationProvider('sqlite').getMigrations())
  const missing = known.filter((m) => !applied.includes(m))
  const unknown = applied.filter((m) => !known.includes(m))
  if (unknown.length)
    throw new CopyError(
      `${from} was migrated by a newer Vigie (${unknown.join(', ')}): copy with that version`,
    )
  if (missing.length)
    throw new CopyError(
      `${from} was written by an older Vigie (missing ${missing.join(', ')}): start this version on it once so it migrates, stop it, then copy`,
    )
}

/** Application tables: not SQLite's own, not FTS5 virtual tables or their shadow tables. */
function sqliteTables(raw: SQLite.Database): string[] {
  const rows = raw
    .prepare(`select name from pragma_table_list where schema = 'main' and type = 'table'`)
    .pluck()
    .all() as string[]
  return rows.filter((n) => !n.startsWith('sqlite_') && !MIGRATION_TABLES.has(n))
}

async function postgresColumns(db: Kysely<any>): Promise<Map<string, PgColumn[]>> {
  const { rows } = await sql<{
    table_name: string
    column_name: string
    is_generated: string
    sequence: string | null
  }>`select c.table_name, c.column_name, c.is_generated,
      pg_get_serial_sequence(format('%I.%I', c.table_schema, c.table_name), c.column_name) as sequence
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db)
  const out = new Map<string, PgColumn[]>()
  for (const r of rows) {
    if (MIGRATION_TABLES.has(r.table_name)) continue
    const cols = out.get(r.table_name) ?? []
    cols.push({ name: r.column_name, generated: r.is_generated !== 'NEVER', sequence: r.sequence })
    out.set(r.table_name, cols)
  }
  return out
}

interface TablePlan {
  name: string
  /** Columns read from SQLite and written to Postgres. */
  columns: string[]
  sequences: { column: string; sequence: string }[]
}

/** Fails on anything SQLite holds that Postgres has no place for, rather than dropping it. */
function planTable(
  raw: SQLite.Database,
  name: string,
  pgTables: Map<string, PgColumn[]>,
): TablePlan {
  const pgCols = pgTables.get(name)
  if (!pgCols)
    throw new CopyError(
      `SQLite table "${name}" has no Postgres counterpart; its rows would be lost (is a migration missing on the Postgres side?)`,
    )
  const sqliteCols = raw
    .prepare('select name from pragma_table_info(?)')
    .pluck()
    .all(name) as string[]
  const columns: string[] = []
  for (const c of sqliteCols) {
    const target = pgCols.find((p) => p.name === c)
    if (!target)
      throw new CopyError(
        `column ${name}.${c} exists in SQLite but not in Postgres; nothing copied`,
      )
    // Postgres computes a generated column itself and refuses a value for it
    if (!target.generated) columns.push(c)
  }
  const sequences = pgCols
    .filter((c) => c.sequence && columns.includes(c.name))
    .map((c) => ({ column: c.name, sequence: c.sequence! }))
  return { name, columns, sequences }
}

/** Parents before children, from SQLite's own foreign keys, so Postgres checks each row as it comes. */
function foreignKeyOrder(raw: SQLite.Database, tables: string[]): string[] {
  const parents = new Map<string, string[]>()
  for (const t of tables) {
    const refs = raw.prepare('select "table" from pragma_foreign_key_list(?)').pluck().all(t)
    parents.set(
      t,
      (refs as string[]).filter((p) => p !== t && tables.includes(p)),
    )
  }
  const order: string[] = []
  const visiting = new Set<string>()
  const visit = (t: string) => {
    if (order.includes(t)) return
    if (visiting.has(t)) throw new CopyError(`foreign keys form a cycle through ${t}`)
    visiting.add(t)
    for (const p of parents.get(t) ?? []) visit(p)
    visiting.delete(t)
    order.push(t)
  }
  // alphabetical first, so the printed order is the same from one run to the next
  for (const t of [...tables].sort()) visit(t)
  return order
}

async function copyTable(
  raw: SQLite.Database,
  trx: Kysely<any>,
  t: TablePlan,
  batchSize: number,
): Promise<number> {
  if (!t.columns.length) return 0
  const size = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / t.columns.length)))
  // The rows go in as they are, aggregates included (mention_hourly…): the triggers that keep
  // those up to date would count every copied mention a second time. Disabled inside the
  // transaction, so a failure re-enables them with the rollback. (Foreign keys are system
  // triggers: still checked.)
  await sql`alter table ${sql.table(t.name)} disable trigger user`.execute(trx)
  const select = raw.prepare(`select ${t.columns.map(ident).join(', ')} from ${ident(t.name)}`)
  let n = 0
  let batch: Record<string, unknown>[] = []
  for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
    batch.push(row)
    if (batch.length === size) {
      await trx.insertInto(t.name).values(batch).execute()
      n += batch.length
      batch = []
    }
  }
  if (batch.length) {
    await trx.insertInto(t.name).values(batch).execute()
    n += batch.length
  }
  await sql`alter table ${sql.table(t.name)} enable trigger user`.execute(trx)
  return n
}

/** The next id after the highest copied one, or the first insert would collide with row 1. */
async function resetSequences(trx: Kysely<any>, t: TablePlan): Promise<void> {
  for (const { column, sequence } of t.sequences)
    await sql`select setval(${sequence}::regclass, coalesce(max(${sql.ref(column)}), 0) + 1, false)
      from ${sql.table(t.name)}`.execute(trx)
}

/** One encrypted value (source or channel config, TOTP secret), to check the key against. */
function findSampleSecret(raw: SQLite.Database): string | null {
  const enc = /enc:v1:[\w-]+:[\w-]+:[\w-]*/
  const probes = [
    `select config as v from sources where config like '%enc:v1:%'`,
    `select config as v from channels where config like '%enc:v1:%'`,
    `select totp_secret as v from users where totp_secret like 'enc:v1:%'`,
  ]
  for (const q of probes) {
    try {
      const v = raw.prepare(`${q} limit 1`).pluck().get() as string | undefined
      const m = v?.match(enc)
      if (m) return m[0]
    } catch {
      // a table this probe expects is gone: it is only a sample
    }
  }
  return null
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'the Postgres database'
  }
}

/**
 * Stored secrets were copied still encrypted, so Vigie on Postgres needs the same key. Without
 * VIGIE_SECRET_KEY it reads data/vigie.key in its own folder, where a SQLite install keeps it
 * next to the database file. When those differ and the Postgres one does not exist yet, the key
 * is copied there: otherwise the first start on Postgres would generate a new key, and every
 * copied secret would silently become unreadable (sources failing as "required"). An existing
 * file is never overwritten: it may be some other installation's key. Returns the lines to print.
 */
export function settleSecretKey(o: {
  sqliteKey: string
  postgresKey: string
  envKey?: string
  sampleSecret: string | null
}): string[] {
  const opens = (key: Buffer) => {
    if (!o.sampleSecret) return true
    try {
      decryptValue(o.sampleSecret, key)
      return true
    } catch {
      return false
    }
  }
  const fileKey = (path: string) => {
    try {
      return parseKey(readFileSync(path, 'utf8'))
    } catch {
      return null
    }
  }
  if (!o.sampleSecret && !existsSync(o.sqliteKey) && !o.envKey)
    return ['no stored secrets and no key file: nothing to carry over']
  if (o.envKey) {
    const ok = opens(parseKey(o.envKey))
    return ok
      ? [
          'stored secrets were copied still encrypted: start Vigie on Postgres with this same VIGIE_SECRET_KEY',
        ]
      : [
          `warning: VIGIE_SECRET_KEY does not decrypt the copied secrets; if the SQLite install used ${o.sqliteKey}, unset VIGIE_SECRET_KEY or set it to that file's content`,
        ]
  }
  if (!existsSync(o.sqliteKey))
    return [
      `warning: no key file at ${o.sqliteKey}: if that Vigie ran with VIGIE_SECRET_KEY, start it on Postgres with the same value; otherwise its stored secrets cannot be read anywhere`,
    ]
  const key = fileKey(o.sqliteKey)
  const lines =
    key && !opens(key)
      ? [`warning: ${o.sqliteKey} does not decrypt the stored secrets (a key from elsewhere?)`]
      : []
  if (o.sqliteKey === o.postgresKey)
    return [
      ...lines,
      `the secret key stays in ${o.sqliteKey}, which Vigie on Postgres reads too: back it up with the Postgres dumps (or set VIGIE_SECRET_KEY to its content)`,
    ]
  if (!existsSync(o.postgresKey)) {
    mkdirSync(dirname(o.postgresKey), { recursive: true })
    copyFileSync(o.sqliteKey, o.postgresKey, constants.COPYFILE_EXCL)
    return [
      ...lines,
      `copied the secret key ${o.sqliteKey} to ${o.postgresKey}, where Vigie on Postgres reads it (or set VIGIE_SECRET_KEY to its content): back it up with the Postgres dumps`,
    ]
  }
  const existing = fileKey(o.postgresKey)
  if (key && existing && key.equals(existing))
    return [...lines, `${o.postgresKey} already holds the same key as ${o.sqliteKey}`]
  return [
    ...lines,
    `warning: ${o.postgresKey} holds another key: Vigie on Postgres would read it and fail to decrypt the copied secrets. Keep a copy of it, then copy ${o.sqliteKey} over it (or set VIGIE_SECRET_KEY to ${o.sqliteKey}'s content)`,
  ]
}

const USAGE = `usage: npm run db:copy -- --from ./data/vigie.db --to postgres://user@host/db
Stop Vigie first. Copies every table of the SQLite file into an empty Postgres database.`

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args[i + 1]
}

async function main() {
  const args = process.argv.slice(2)
  const fromArg = flag(args, '--from')
  const toArg = flag(args, '--to')
  // asked for: the usage on stdout and success, as the other commands; missing: an error
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE)
    process.exit(0)
  }
  if (!fromArg || !toArg) {
    console.error(USAGE)
    process.exit(2)
  }
  let from: Config['database']
  let to: Config['database']
  try {
    // the same parsing as DATABASE_URL: a path or sqlite: URL, and a postgres:// URL
    from = parseConfig({ DATABASE_URL: fromArg }).database
    to = parseConfig({ DATABASE_URL: toArg }).database
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`vigie db:copy: ${err.message.replace('DATABASE_URL=', '')}`)
    process.exit(2)
  }
  if (from.kind !== 'sqlite' || from.path === ':memory:' || to.kind !== 'postgres') {
    console.error('vigie db:copy: --from takes a SQLite file, --to a postgres:// URL')
    process.exit(2)
  }
  try {
    const report = await copyDatabase({ from: from.path, to: to.url, log: (l) => console.log(l) })
    const lines = settleSecretKey({
      sqliteKey: join(dirname(from.path), 'vigie.key'),
      postgresKey: keyFilePath({ database: to }),
      envKey: process.env.VIGIE_SECRET_KEY || undefined,
      sampleSecret: report.sampleSecret,
    })
    for (const line of lines) console.log(line)
    console.log(`next: start Vigie with DATABASE_URL=${redactUrl(to.url)}`)
  } catch (err) {
    const e = err as Error
    // a refusal is one line; anything else (Postgres unreachable, a row it rejects) its stack too
    console.error(err instanceof CopyError ? `vigie db:copy: ${e.message}` : e)
    process.exitCode = err instanceof CopyError ? 2 : 1
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main()
