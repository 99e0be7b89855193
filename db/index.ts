// Opens the database (SQLite file by default, Postgres by URL), applies pragmas and migrations.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import type { Config } from '../server/config'
import { migrationProvider } from './migrations'
import type { Database } from './schema'
import { openSqlite } from './sqlite'

export type Db = Kysely<Database>

export interface OpenDb {
  db: Db
  dialect: 'sqlite' | 'postgres'
  close(): Promise<void>
}

export async function openDatabase(database: Config['database']): Promise<OpenDb> {
  if (database.kind === 'postgres') {
    const [{ PostgresDialect }, pg] = await Promise.all([import('kysely'), import('pg' as string)])
    const Pool = (pg.default ?? pg).Pool
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url }) }),
    })
    await migrate(db, 'postgres')
    return { db, dialect: 'postgres', close: () => db.destroy() }
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true })
  const raw = openSqlite(database.path)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
  await migrate(db, 'sqlite')
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

export async function migrate(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`,
    )
  }
}
