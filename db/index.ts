// Opens the database (SQLite file by default, Postgres by URL), applies pragmas and migrations.
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import type { Config } from '../server/config'
import { createLogger, type Logger } from '../server/log'
import { migrationProvider } from './migrations'
import type { Database } from './schema'
import { openSqlite } from './sqlite'

export type Db = Kysely<Database>

export interface OpenDb {
  db: Db
  dialect: 'sqlite' | 'postgres'
  close(): Promise<void>
}

export async function openDatabase(
  database: Config['database'],
  opts: { log?: Logger } = {},
): Promise<OpenDb> {
  if (database.kind === 'postgres') {
    const [{ PostgresDialect }, pg] = await Promise.all([import('kysely'), import('pg' as string)])
    const Pool = (pg.default ?? pg).Pool
    const pool = watchPool(
      // A bounded wait for a connection, so that /healthz answers 503 instead of hanging while
      // the server cannot be reached.
      new Pool({ connectionString: database.url, connectionTimeoutMillis: 10_000 }),
      opts.log ?? createLogger('error'),
    )
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    await migrate(db, 'postgres')
    return { db, dialect: 'postgres', close: () => db.destroy() }
  }
  if (database.path !== ':memory:') {
    mkdirSync(dirname(database.path), { recursive: true })
    // A new database file is readable by its owner only, like the key file beside it (it holds
    // the mentions, the users and the exclusions' hashing secret); SQLite gives its -wal and -shm
    // files the same mode. An existing file keeps the mode its owner chose.
    if (!existsSync(database.path)) closeSync(openSync(database.path, 'a', 0o600))
  }
  const raw = openSqlite(database.path)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
  await migrate(db, 'sqlite')
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

/**
 * Keeps a lost connection from killing the process. When Postgres drops a connection (restart,
 * failover, pg_terminate_backend, a proxy's idle timeout), pg emits 'error' on the idle client's
 * pool, and an 'error' event nobody listens to is thrown by Node. The pool has already discarded
 * that client and opens a new one on the next query, so logging is all there is to do.
 */
function watchPool<P extends NodeJS.EventEmitter>(pool: P, log: Logger): P {
  pool.on('error', (err: Error & { code?: string }) => {
    log.error('database connection lost, reconnecting on the next query', {
      error: err.message,
      code: err.code,
    })
  })
  // A client that is checked out (between two statements of a transaction) emits 'error' on
  // itself, not on the pool: its query or the next one fails with that error, and the pool
  // discards it on release; this listener only keeps the event from being thrown.
  pool.on('connect', (client: NodeJS.EventEmitter) => client.on('error', () => {}))
  return pool
}

export async function migrate(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed)
    throw new MigrationError(failed?.migrationName, (error as Error)?.message ?? String(error))
}

/**
 * The database could not be brought up to date: no migration ran at all (it did not answer, or
 * does not exist), or the named one failed. Start-up shows it as one line naming DATABASE_URL.
 */
export class MigrationError extends Error {
  constructor(migration: string | undefined, cause: string) {
    super(
      migration
        ? `database migration ${migration} failed: ${cause}`
        : `cannot open the database: ${cause}`,
    )
    this.name = 'MigrationError'
  }
}
