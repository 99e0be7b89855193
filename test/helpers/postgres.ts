// A throw-away Postgres database per test file, next to TEST_DATABASE_URL's (files run in parallel
// and some drop or rewrite what they create): `<name>_<suffix>`, recreated empty, dropped after.
import { type Kysely, sql } from 'kysely'
import { openDatabase, type OpenDb } from '../../db'
import { freshDb } from './db'

export interface ScratchDatabase {
  /** connection string of the new database */
  url: string
  /** a connection to the server's own database, for what a test does around its database */
  admin: Kysely<any>
  /** drops the database (closing what is still connected to it) and the admin connection */
  drop(): Promise<void>
}

export async function scratchDatabase(base: string, suffix: string): Promise<ScratchDatabase> {
  const { Kysely, PostgresDialect } = await import('kysely')
  const pg = (await import('pg')).default
  const admin: Kysely<any> = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: base, max: 1 }) }),
  })
  const u = new URL(base)
  const name = `${u.pathname.slice(1) || 'postgres'}_${suffix}`
  await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
  await sql`create database ${sql.id(name)}`.execute(admin)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    admin,
    async drop() {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin)
      await admin.destroy()
    },
  }
}

/**
 * An empty database of either kind, not migrated, for tests that run the migrations step by step
 * (a migration on a database that already holds data): a SQLite file in a temporary folder, or a
 * scratch Postgres database. `close()` ends the connection and removes the database.
 */
export async function emptyDatabase(
  dialect: 'sqlite' | 'postgres',
  suffix: string,
): Promise<{ db: Kysely<any>; close(): Promise<void> }> {
  const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely')
  if (dialect === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { openSqlite } = await import('../../db/sqlite')
    const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'))
    const db = new Kysely<any>({
      dialect: new SqliteDialect({ database: openSqlite(join(dir, 'vigie.db')) }),
    })
    return {
      db,
      async close() {
        await db.destroy()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const scratch = await scratchDatabase(process.env.TEST_DATABASE_URL!, suffix)
  const pg = (await import('pg')).default
  const pool = new pg.Pool({ connectionString: scratch.url })
  pool.on('error', () => {}) // the drop at the end ends idle connections
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    async close() {
      await db.destroy()
      await scratch.drop()
    },
  }
}

/**
 * A migrated Vigie database for a both-dialect test: a fresh SQLite file, or a scratch Postgres
 * database next to TEST_DATABASE_URL's, dropped by cleanup().
 */
export async function openTestDatabase(
  dialect: 'sqlite' | 'postgres',
  suffix: string,
): Promise<OpenDb & { cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') return freshDb()
  const scratch = await scratchDatabase(process.env.TEST_DATABASE_URL!, suffix)
  const pg = await openDatabase({ kind: 'postgres', url: scratch.url })
  return {
    ...pg,
    cleanup: async () => {
      await pg.close()
      await scratch.drop()
    },
  }
}
