// A throw-away Postgres database per test file, next to TEST_DATABASE_URL's (files run in parallel
// and some drop or rewrite what they create): `<name>_<suffix>`, recreated empty, dropped after.
import { type Kysely, sql } from 'kysely'

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
